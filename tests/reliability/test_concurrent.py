"""Four coders tagging one project file at once: nothing lost, no lock error reaches anyone."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from annotator.model import CoderState
from annotator.storage.check import check_project
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import REPO, env, integrity
from tests.reliability.workers import cli_plan

pytestmark = pytest.mark.slow  # four processes writing one file at once

WORKERS = Path(__file__).with_name("workers.py")
CODERS = ["ana", "bo", "chen", "dara"]
TAGS = 1000


def _expected(segments: list[str]) -> dict[tuple[str, str], frozenset[str]]:
    """Replay each coder's plan the way ``tag`` applies it (one dimension, burdens add up)."""
    from tests.reliability.workers import BURDENS, DIMENSIONS

    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for i, coder in enumerate(CODERS):
        for seg, codes in cli_plan(i, segments, TAGS):
            state = out[(coder, seg)]
            for code in codes:
                if code in DIMENSIONS:
                    state -= set(DIMENSIONS)
                state.add(code)
            assert codes[1] in BURDENS
    return {k: frozenset(v) for k, v in out.items()}


def test_four_coders_tag_the_same_file_at_once(project: Path) -> None:
    with open_project(project) as p:
        segments = [r[0] for r in p.execute("SELECT id FROM segments ORDER BY document, position")]
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), "cli", str(project), coder, str(i), str(TAGS)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env(), cwd=REPO,
        )
        for i, coder in enumerate(CODERS)
    ]
    for proc in procs:  # every worker has started before any tags
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [proc.communicate(timeout=180) for proc in procs]
    for proc, (out, errors) in zip(procs, results, strict=True):
        assert "locked" not in errors.lower() and "busy" not in errors.lower(), errors
        assert proc.returncode == 0, errors
        assert out.strip().endswith(f"done {TAGS}")
    assert integrity(project) == "ok"

    expected = _expected(segments)
    conn = sqlite3.connect(project)
    stored: dict[tuple[str, str], set[str]] = defaultdict(set)
    for coder, seg, code in conn.execute("SELECT coder, segment, code FROM annotations"):
        stored[(coder, seg)].add(code)
    assert {k: frozenset(v) for k, v in stored.items()} == expected
    done = set(conn.execute("SELECT coder, segment FROM done").fetchall())
    assert done == set(expected)
    # the event log is complete: one state event per tag, each starting where the last ended
    for coder in CODERS:
        rows = conn.execute(
            "SELECT segment, before, after FROM events WHERE coder = ? ORDER BY id", (coder,)
        ).fetchall()
        assert len(rows) == TAGS
        last: dict[str, CoderState] = {}
        for seg, before, after in rows:
            b = CoderState.from_json(json.loads(before))
            assert b == last.get(seg, CoderState())
            last[seg] = CoderState.from_json(json.loads(after))
    conn.close()
    with open_project(project) as p:
        report = check_project(p)
    assert report.ok, list(report.lines())
