"""Crash safety: SIGKILL at random moments never loses an acknowledged change or half an import."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.storage.check import check_project
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import REPO, env, integrity, table_digest, write_transcript

pytestmark = pytest.mark.slow  # processes killed with SIGKILL at random moments

WORKERS = Path(__file__).with_name("workers.py")


def _kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_coding_survives_sigkill_at_random_moments(project: Path) -> None:
    rng = random.Random(7)
    acknowledged: list[tuple[str, str]] = []
    runs = 8
    for run in range(runs):
        proc = subprocess.Popen(
            [sys.executable, str(WORKERS), "ack", str(project), "kim", str(rng.randrange(1800))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=REPO,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.02, 0.4))
        _kill(proc)
        lines = proc.stdout.read().splitlines()
        assert proc.returncode == -signal.SIGKILL, f"run {run} ended by itself: {proc.stderr.read()}"
        # a line cut by the kill was never fully acknowledged
        acknowledged.extend(tuple(line.split()) for line in lines if len(line.split()) == 2)  # type: ignore[misc]
        assert integrity(project) == "ok"
    assert len(acknowledged) > runs * 5, "the worker barely ran; the test proves nothing"
    conn = sqlite3.connect(project)
    stored = set(conn.execute("SELECT segment, code FROM annotations WHERE coder = 'kim'").fetchall())
    events = conn.execute("SELECT count(*) FROM events WHERE coder = 'kim'").fetchone()[0]
    conn.close()
    missing = [pair for pair in acknowledged if pair not in stored]
    assert not missing, f"{len(missing)} acknowledged tags lost, e.g. {missing[:3]}"
    # each new (segment, code) pair made exactly one event: none lost, none half-written
    assert events == len(stored)
    with open_project(project) as p:
        report = check_project(p)
    assert report.ok, list(report.lines())


def _import_cmd(project: Path, source: Path) -> list[str]:
    return [sys.executable, "-m", "annotator", "import", str(project), str(source)]


def test_import_is_all_or_nothing_under_sigkill(project: Path, tmp_path: Path) -> None:
    source = write_transcript(tmp_path / "long_interview.txt", 600, seed=3)
    pristine = tmp_path / "pristine.db"
    pristine.write_bytes(project.read_bytes())
    before = table_digest(project)
    # one undisturbed run: how long an import takes and what "fully imported" means
    started = time.monotonic()
    done = subprocess.run(_import_cmd(project, source), capture_output=True, text=True, env=env(),
                          cwd=REPO, timeout=120)
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    full = table_digest(project)
    assert len(full["segments"]) == len(before["segments"]) + 600

    rng = random.Random(11)
    outcomes = {"unchanged": 0, "imported": 0}
    for attempt in range(4):
        project.write_bytes(pristine.read_bytes())
        # one kill anywhere, the rest late: parsing, writing the transaction, committing
        late = attempt > 0
        delay = rng.uniform(duration * 0.55, duration * 1.05) if late else rng.uniform(0.05, duration)
        proc = subprocess.Popen(_import_cmd(project, source), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env(), cwd=REPO)
        time.sleep(delay)
        if proc.poll() is None:
            _kill(proc)
        else:
            proc.wait()
        assert integrity(project) == "ok"
        now = table_digest(project)
        if now == before:
            outcomes["unchanged"] += 1
        else:
            # fully imported: the same rows as the undisturbed run (time stamps aside)
            assert {t: len(r) for t, r in now.items()} == {t: len(r) for t, r in full.items()}
            assert now["segments"] == full["segments"]
            outcomes["imported"] += 1
        with open_project(project) as p:  # opens (recovering the WAL) and is consistent
            report = check_project(p)
        assert report.ok, list(report.lines())
    assert sum(outcomes.values()) == 4
