"""Reading ahead in a worker thread gives the same rows in the same order, inside the caller's
snapshot, hands read errors to the caller, and stops its worker when left early."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from annotator.storage.coding import set_memo
from annotator.storage.db import open_project
from annotator.storage.document_detail import document_rows
from annotator.storage.documents import list_documents
from annotator.storage.read_ahead import read_ahead


def test_rows_come_in_order_and_equal_reading_in_place(demo_project: Path) -> None:
    with open_project(demo_project) as p, p.snapshot():
        docs = [d.id for d in list_documents(p)]
        assert len(docs) > 2
        ahead = list(read_ahead(docs, lambda d: document_rows(p, d, ["paper"], True), depth=2))
        assert ahead == [document_rows(p, d, ["paper"], True) for d in docs]


def test_reads_see_the_callers_snapshot(demo_project: Path) -> None:
    with open_project(demo_project) as p, open_project(demo_project) as other:
        docs = [d.id for d in list_documents(p)]
        first = document_rows(p, docs[-1], ["paper"], True)
        with p.snapshot():
            rows = read_ahead(docs, lambda d: document_rows(p, d, ["paper"], True))
            got = next(rows)
            seg = first.segments[0][0]
            set_memo(other, "paper", seg, "written meanwhile")
            *_, last = rows
        assert got.segments and last.memos == first.memos  # the memo written meanwhile is not seen
        assert document_rows(p, docs[-1], ["paper"], True).memos != first.memos


def test_a_read_error_reaches_the_caller(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.db", check_same_thread=False)

    def read(n: int) -> int:
        if n == 3:
            conn.execute("SELECT x FROM nowhere")
        return int(conn.execute("SELECT ?", (n,)).fetchone()[0])

    got: list[int] = []
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        for value in read_ahead(range(6), read):
            got.append(value)
    assert got == [0, 1, 2]


def test_leaving_early_stops_the_worker() -> None:
    started = threading.active_count()
    rows = read_ahead(range(1000), lambda n: n * 2)
    assert [next(rows) for _ in range(3)] == [0, 2, 4]
    rows.close()
    assert threading.active_count() == started
