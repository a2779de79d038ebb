"""The coding session's reading order, read a window at a time, is the order every other
command reads whole: ids by place, places by id, documents' ranges, gaps in positions; the
done marks placed in the background are the ones on disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotator.storage.coding import done_segments
from annotator.storage.db import open_project
from annotator.storage.documents import segment_order
from annotator.tui import segment_order as order_module
from annotator.tui.done_marks import DoneMarks
from annotator.tui.segment_order import IndexOf, ListedOrder, ProjectOrder


@pytest.fixture()
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows of 4 ids and at most 8 kept, so reading crosses windows and documents."""
    monkeypatch.setattr(order_module, "WINDOW", 4)
    monkeypatch.setattr(order_module, "KEPT_IDS", 8)


def _check(order: ProjectOrder, expected: list[tuple[str, str]]) -> None:
    ids = [s for s, _d in expected]
    assert len(order) == len(ids)
    assert [order[i] for i in range(len(ids))] == ids  # forwards
    assert [order[i] for i in reversed(range(len(ids)))] == ids[::-1]  # and backwards
    assert order[-1] == ids[-1] and order[2:7] == ids[2:7]
    assert [order.doc_at(i) for i in range(len(ids))] == [d for _s, d in expected]
    assert [order.place(s) for s in ids] == list(range(len(ids)))
    assert order.place("no such segment") is None
    assert order.places([ids[5], "nope", ids[1], ids[5]]) == [1, 5]
    for doc in {d for _s, d in expected}:
        start, stop = order.doc_range(doc)
        assert [d for _s, d in expected[start:stop]] == [doc] * (stop - start)
        assert stop - start == sum(d == doc for _s, d in expected)
    index_of = IndexOf(order)
    assert ids[3] in index_of and index_of[ids[3]] == 3 and index_of.get("nope") is None
    assert order == ids


def test_window_by_window_it_is_the_reading_order(demo_db: Path, small_windows: None) -> None:
    with open_project(demo_db) as p:
        _check(ProjectOrder(p), segment_order(p))


def test_positions_with_gaps_keep_their_order(demo_db: Path, small_windows: None) -> None:
    with open_project(demo_db) as p:
        expected = segment_order(p)
        gone = expected[4][0], expected[9][0]
        p.execute("PRAGMA foreign_keys = OFF")  # the order alone is looked at here
        with p.write() as conn:  # two segments removed: their documents' positions have gaps
            conn.executemany("DELETE FROM segments WHERE id = ?", [(seg,) for seg in gone])
        _check(ProjectOrder(p), [x for x in expected if x[0] not in gone])


def test_places_are_read_through_the_connection_given(demo_db: Path) -> None:
    """A worker finds places through its own connection, gaps in positions included: the
    screen's connection (closed here) is not used."""
    with open_project(demo_db) as p:
        everything = segment_order(p)
        gone = everything[4][0], everything[9][0]
        p.execute("PRAGMA foreign_keys = OFF")
        with p.write() as conn:
            conn.executemany("DELETE FROM segments WHERE id = ?", [(seg,) for seg in gone])
        expected = [s for s, _d in everything if s not in gone]
        order = ProjectOrder(p)
    with open_project(demo_db) as worker:
        assert order.places([expected[8], expected[3], "nope", *gone], worker) == [3, 8]
        assert order.places(expected, worker) == list(range(len(expected)))


def test_a_listed_order_keeps_reading_order(demo_db: Path) -> None:
    with open_project(demo_db) as p:
        expected = segment_order(p)
        chosen = [expected[7][0], expected[2][0], "not a segment", expected[-1][0]]
        order = ListedOrder.of(p, chosen)
        assert list(order) == [expected[i][0] for i in (2, 7, len(expected) - 1)]
        assert order.places([expected[-1][0], expected[2][0]]) == [0, 2]
        assert order.doc_at(2) == expected[-1][1]
        key_of = dict(p.execute("SELECT id, rowid FROM segments").fetchall())
        keys = np.array([key_of[s] for s in chosen if s in key_of] + [10**9], dtype=np.int64)
        assert list(ListedOrder.of(p, keys)) == list(order)  # by row id (an adjudication queue)


def test_done_marks_placed_later_are_the_ones_on_disk(demo_db: Path) -> None:
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import tag

    with open_project(demo_db) as p:
        expected = segment_order(p)
        codebook = load_codebook(p)
        code = codebook.codes[0].id
        for i in (0, 3, 4, len(expected) - 1):
            tag(p, codebook, "t", expected[i][0], [code])
        order = ProjectOrder(p)
        marks = DoneMarks(p, "t", order)
        assert not marks.loaded
        done = done_segments(p, "t")
        before = [marks.is_done(i) for i in range(len(order))], marks.count()
        doc = expected[3][1]
        doc_before = marks.doc_count(doc)
        with open_project(demo_db) as other:  # as the screen's thread does
            marks.load(other)
        assert marks.loaded and marks.count() == len(done)
        assert [bool(x) for x in marks.mask] == [s in done for s, _d in expected]
        assert before == ([s in done for s, _d in expected], len(done))
        assert marks.doc_count(doc) == doc_before == sum(s in done for s, d in expected if d == doc)
        marks.note(1, expected[1][0], True)
        assert marks.is_done(1) and marks.count() == len(done) + 1
        assert marks.doc_count(expected[1][1]) == sum(
            s in done or s == expected[1][0] for s, d in expected if d == expected[1][1])


def test_done_marks_in_documents_with_gaps_fall_on_their_segments(demo_db: Path) -> None:
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import tag

    with open_project(demo_db) as p:
        everything = segment_order(p)
        gone = everything[4][0], everything[9][0]
        p.execute("PRAGMA foreign_keys = OFF")
        with p.write() as conn:  # the documents of segments 4 and 9 now have gaps in their positions
            conn.executemany("DELETE FROM segments WHERE id = ?", [(seg,) for seg in gone])
        expected = [x for x in everything if x[0] not in gone]
        codebook = load_codebook(p)
        for i in (0, 3, 4, 7, 8):  # before and after each gap
            tag(p, codebook, "t", expected[i][0], [codebook.codes[0].id])
        marks = DoneMarks(p, "t", ProjectOrder(p))
        marks.load()
        done = done_segments(p, "t")
        assert [bool(x) for x in marks.mask] == [s in done for s, _d in expected]
        assert marks.count() == len(done) == 5


def test_places_by_row_id_are_the_places_by_id(demo_db: Path) -> None:
    """The lead's filter places segments by row id: in a project's order (gaps in positions
    included) and in a listed one, the same places as by id."""
    with open_project(demo_db) as p:
        everything = segment_order(p)
        p.execute("PRAGMA foreign_keys = OFF")
        with p.write() as conn:
            conn.execute("DELETE FROM segments WHERE id = ?", (everything[4][0],))
        key_of = dict((r[1], r[0]) for r in p.execute("SELECT rowid, id FROM segments"))
        chosen = [s for s, _d in everything[::3] if s in key_of]
        keys = np.array([key_of[s] for s in reversed(chosen)] + [10**9], dtype=np.int64)
        project_order = ProjectOrder(p)
        listed = ListedOrder.of(p, [s for s, _d in everything[1::2] if s in key_of])
        with open_project(demo_db) as worker:
            assert project_order.places_of_keys(keys, worker) == project_order.places(chosen, worker)
            assert listed.places_of_keys(keys, worker) == listed.places(chosen)
        assert listed.places(chosen)  # the two orders share some segments


def test_a_view_ranks_its_places_and_knows_the_others_are_not_in_it() -> None:
    from annotator.tui.session import View

    view = View("filter", "x", [2, 5, 9, 40])
    assert [view.where.get(i) for i in (2, 5, 9, 40)] == [0, 1, 2, 3]
    assert view.where.get(3) is None and view.where.get(41) is None and view.where.get(-1) is None
    assert 9 in view.where and 10 not in view.where and view.where[40] == 3
    assert view.array.tolist() == [2, 5, 9, 40]
    empty = View("search", "y", [])
    assert empty.where.get(0) is None and 0 not in empty.where
