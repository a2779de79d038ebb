"""The coding session on 100,000 segments: u, g, /, f and undo give the same answers as a plain
scan, and each answers fast (indexes and numpy scans, no Python loop over every segment)."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import now, open_project
from annotator.tui.session import CodingSession

pytestmark = pytest.mark.slow  # a project of 100,000 segments

N = 100_000
PER_DOC = 1000


def seg_id(i: int) -> str:
    return f"D{i // PER_DOC:03d}-{i % PER_DOC + 1:04d}"


@pytest.fixture(scope="module")
def big_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new project's codebook with 100,000 short segments, a third done by coder t."""
    from annotator.application.projects import create_project

    path = tmp_path_factory.mktemp("big") / "big.db"
    create_project(path)
    rng = random.Random(3)
    stamp = now()
    with open_project(path) as p, p.write() as conn:
        conn.executemany(
            "INSERT INTO documents (id, position, title, attributes, imported_at)"
            " VALUES (?, ?, ?, '{}', ?)",
            [(f"D{d:03d}", d, f"Interview {d}", stamp) for d in range(N // PER_DOC)])
        conn.executemany(
            "INSERT INTO segments (id, document, position, speaker, zh, en) VALUES (?,?,?,?,?,?)",
            [(seg_id(i), f"D{i // PER_DOC:03d}", i % PER_DOC + 1, "A",
              "独特词" if i == 77_777 else f"社区工作第{i}段", f"community work {i}")
             for i in range(N)])
        conn.execute("INSERT INTO coders (name, created_at) VALUES ('t', ?)", (stamp,))
        done = sorted(rng.sample(range(N - 10), N // 3)) + list(range(N - 10, N))
        conn.executemany("INSERT INTO done (coder, segment, done_at) VALUES ('t', ?, ?)",
                         [(seg_id(i), stamp) for i in done])
    return path


@pytest.fixture()
def session(big_master: Path, tmp_path: Path) -> Iterator[CodingSession]:
    path = tmp_path / "big.db"
    shutil.copyfile(big_master, path)
    with open_project(path) as project:
        yield CodingSession(project, "t")


def timed(fn, *args):  # type: ignore[no-untyped-def]
    """``fn(*args)``; how long these take is measured in benchmarks/bench_tui.py, not here."""
    return fn(*args)


def reference_next_undone(s: CodingSession, candidates: list[int]) -> int | None:
    """A plain scan: the first open candidate after the position, wrapping."""
    after = [i for i in candidates if i > s.pos and not s.done_mask[i]]
    before = [i for i in candidates if i < s.pos and not s.done_mask[i]]
    return (after or before or [None])[0]


def test_u_matches_a_plain_scan_everywhere_and_wraps(session: CodingSession) -> None:
    s = session
    everything = list(range(N))
    for start in [0, 1, 500, 49_999, N - 11, N - 10, N - 1]:
        s.jump(start)
        expected = reference_next_undone(s, everything)
        assert timed(s.next_undone) is True
        assert s.pos == expected
    s.jump(N - 5)  # the last ten are done: wraps to the first open one
    timed(s.next_undone)
    assert s.pos == min(i for i in range(N) if not s.done_mask[i])


def test_g_goes_by_number_and_by_id(session: CodingSession) -> None:
    assert timed(session.goto, "99999") is True and session.pos == 99_998
    assert timed(session.goto, seg_id(12_345)) is True and session.pos == 12_345
    assert timed(session.goto, "100001") is False and session.pos == 12_345


def test_search_and_filter_views_and_u_inside_them(session: CodingSession) -> None:
    s = session
    assert timed(s.search, "独特词") == 1
    assert s.current == seg_id(77_777)
    s.clear_view()
    s.jump(10)
    n_open = timed(s.set_filter, "not_done", "not done")
    assert n_open == N - int(s.done_mask.sum())
    assert s.view is not None
    assert s.view.indices == [i for i in range(N) if not s.done_mask[i]]
    assert not s.done_mask[s.pos] and s.pos >= 10
    here = s.pos
    assert timed(s.move, 1) and s.pos == s.view.indices[s.view.where[here] + 1]
    # u inside the view, after marking the current segment done
    codebook = load_codebook(s.project)
    code = codebook.codes[0].id
    s.toggle(code)
    expected = reference_next_undone(s, s.view.indices)
    timed(s.next_undone)
    assert s.pos == expected


def test_undo_and_redo_at_the_end_of_a_big_project(session: CodingSession) -> None:
    s = session
    code = load_codebook(s.project).codes[0].id
    s.goto(str(N - 20))
    was_done = bool(s.done_mask[s.pos])
    change = timed(s.toggle, code)
    assert code in change.state.codes and s.done_mask[s.pos]
    s.jump(0)
    undone = timed(s.undo)
    assert undone is not None and s.pos == N - 21
    assert bool(s.done_mask[N - 21]) is was_done
    assert bool(s.done_mask[s.pos]) is was_done
    timed(s.redo)
    assert s.done_mask[N - 21] and s.done_mask[s.pos]
