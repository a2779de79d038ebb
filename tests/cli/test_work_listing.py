"""`annotator annotations` lists every coder's work in reading order, as the tables hold it.

The expected listing is rebuilt here from the raw tables with Python (documents and segments by
position, coders by name, each coder's codes by facet in codebook order), on a generated project
whose document order is not the order of the documents' ids.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import set_memo, tag
from annotator.storage.db import open_project
from benchmarks.generate import generate
from tests.cli.cli_helpers import run


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("work") / "w.db"
    generate(db, 300, coders=3, coded=0.3, seed=11)
    with sqlite3.connect(db) as conn:  # the last document first, the first one last
        first, last = (r[0] for r in conn.execute(
            "SELECT id FROM documents WHERE position IN ((SELECT min(position) FROM documents),"
            " (SELECT max(position) FROM documents)) ORDER BY position"))
        conn.execute("UPDATE documents SET position = -position WHERE id IN (?, ?)", (first, last))
        conn.execute("UPDATE documents SET position = (SELECT max(position) FROM documents) + 1"
                     " WHERE id = ?", (first,))
    with open_project(db) as p:
        segs = [r[0] for r in p.execute("SELECT id FROM segments ORDER BY rowid LIMIT 3")]
        set_memo(p, "zed", segs[0], "a memo, \"quoted\", 中文")  # a memo alone: not done
        tag(p, load_codebook(p), "a-coder", segs[1], [], none=True)  # done, no code
        tag(p, load_codebook(p), "a-coder", segs[2], ["latency", "feedback_gap"])
    return db


def expected(db: Path, coder: str | None = None) -> list[dict[str, Any]]:
    with open_project(db) as p:
        codebook = load_codebook(p, include_archived=True)
    rank = {c.id: i for i, c in enumerate(codebook.codes)}
    facet = {c.id: c.facet for c in codebook.codes}
    work: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    with sqlite3.connect(db) as conn:
        def slot(seg: str, who: str) -> dict[str, Any]:
            return work[seg].setdefault(who, {"codes": [], "done": False, "memo": ""})
        for who, seg, code in conn.execute("SELECT coder, segment, code FROM annotations"):
            slot(seg, who)["codes"].append(code)
        for who, seg in conn.execute("SELECT coder, segment FROM done"):
            slot(seg, who)["done"] = True
        for who, seg, text in conn.execute("SELECT coder, segment, text FROM memos"):
            slot(seg, who)["memo"] = text
        order = [r[0] for r in conn.execute("SELECT s.id FROM segments s JOIN documents d"
                                            " ON d.id = s.document ORDER BY d.position, s.position")]
    lines = []
    for seg in order:
        for who in sorted(work.get(seg, {})):
            if coder is not None and who != coder:
                continue
            state = work[seg][who]
            codes: dict[str, list[str]] = {f.id: [] for f in codebook.facets}
            for code in sorted(state["codes"], key=rank.__getitem__):
                codes[facet[code]].append(code)
            line = {"segment": seg, "coder": who, "codes": codes, "done": state["done"]}
            if state["memo"]:
                line["memo"] = state["memo"]
            lines.append(line)
    return lines


@pytest.mark.parametrize("coder", [None, "a-coder", "zed", "coder2"])
def test_annotations_lists_the_work_in_reading_order(project: Path, coder: str | None) -> None:
    code, out = run("annotations", project, "--json", *(["--coder", coder] if coder else []))
    assert code == 0, out
    listed = [json.loads(line) for line in out.splitlines()]
    assert listed == expected(project, coder)
    assert len(listed) > (100 if coder is None else 0)


def test_the_text_listing_has_the_same_rows(project: Path) -> None:
    code, out = run("annotations", project)
    assert code == 0, out
    rows = [line.split("\t") for line in out.splitlines()]
    want = expected(project)
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (w["segment"], w["coder"], "done" if w["done"] else "open") for w in want]
    assert [r[3] for r in rows] == ["; ".join(f"{k}: {', '.join(v)}" for k, v in w["codes"].items() if v)
                                    for w in want]
