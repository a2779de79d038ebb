"""Reading a search's pages ahead walks the whole full-text index's table, then the segments
table, in steps of rows (whatever gaps their row ids have), through each table itself rather than
an index, pacing itself after each step and stopping when asked."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from annotator.storage import warm_pages
from annotator.storage.db import open_project
from annotator.storage.search_index import TABLE
from annotator.storage.warm_pages import warm_search_pages

INDEX = f"{TABLE}_data"


def _never() -> bool:
    return False


def _steps(monkeypatch: pytest.MonkeyPatch, index: int, segments: int) -> None:
    monkeypatch.setitem(warm_pages.STEP_ROWS, INDEX, index)
    monkeypatch.setitem(warm_pages.STEP_ROWS, "segments", segments)


def _rows(p: object, table: str) -> int:
    return int(p.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[attr-defined]


def test_every_row_is_read_in_steps_of_rows(demo_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _steps(monkeypatch, 2, 3)
    paced: list[bool] = []
    with open_project(demo_project) as p:
        segments, index = _rows(p, "segments"), _rows(p, INDEX)
        assert segments > 6 and index > 2
        steps = warm_search_pages(p, paced.append, _never)
    assert steps == math.ceil(index / 2) + math.ceil(segments / 3)
    assert paced == [False] * steps  # a step that can be paused (a backup's short wait)


def test_gaps_in_the_row_ids_do_not_make_empty_steps(demo_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _steps(monkeypatch, 10**9, 2)
    with open_project(demo_project) as p:
        p.execute("PRAGMA foreign_keys = OFF")
        with p.conn:  # a segment at the largest row id SQLite allows, far past the others
            p.execute("UPDATE segments SET rowid = 9223372036854775807"
                      " WHERE rowid = (SELECT max(rowid) FROM segments)")
            p.execute("DELETE FROM segments WHERE rowid % 3 = 0")
        assert warm_search_pages(p, lambda _long: None, _never) == 1 + math.ceil(_rows(p, "segments") / 2)


def test_a_project_without_segments_takes_no_step_over_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.application.projects import create_project

    _steps(monkeypatch, 1, 1)
    create_project(tmp_path / "empty.db", empty=True)
    with open_project(tmp_path / "empty.db") as p:
        assert _rows(p, "segments") == 0
        assert warm_search_pages(p, lambda _long: None, _never) == _rows(p, INDEX)  # FTS5's own rows


def test_a_project_without_the_index_reads_its_segments(demo_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _steps(monkeypatch, 1, 10**9)
    with open_project(demo_project) as p:
        with p.conn:
            p.execute(f"DROP TABLE {TABLE}")
        assert warm_search_pages(p, lambda _long: None, _never) == 1


def test_it_stops_when_asked(demo_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _steps(monkeypatch, 1, 1)
    paced: list[bool] = []
    with open_project(demo_project) as p:
        assert warm_search_pages(p, paced.append, lambda: len(paced) >= 3) == 3


@pytest.mark.parametrize("table", [INDEX, "segments"])
def test_each_step_walks_the_table_not_an_index(demo_project: Path, table: str) -> None:
    with open_project(demo_project) as p:
        plan = " ".join(str(r[-1]) for r in p.execute(f"EXPLAIN QUERY PLAN {warm_pages._STEP.format(table)}", (0, 5)))
    assert f"SEARCH {table} USING INTEGER PRIMARY KEY" in plan
    assert "INDEX" not in plan.replace("INTEGER PRIMARY KEY", "")


def test_no_snapshot_is_held_between_steps(demo_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between two steps (while it waits for a pause in the keys) another connection can write
    and checkpoint the whole log: the reading holds no read transaction then."""
    _steps(monkeypatch, 1, 1)
    results: list[tuple[int, int, int]] = []
    with open_project(demo_project) as p, open_project(demo_project) as writer:

        def pace(_long: bool) -> None:
            with writer.conn:
                writer.execute("UPDATE coders SET name = name")
            results.append(tuple(writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()))

        warm_search_pages(p, pace, lambda: len(results) >= 4)
    assert len(results) == 4 and all(r[0] == 0 and r[1] == r[2] for r in results)
