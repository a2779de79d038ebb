"""Building the search index for a project made before it (a minute or more at a million
segments) reports its progress through the front end's reporter: every segment counted once."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.storage import migrations, progress
from annotator.storage.db import open_project
from annotator.storage.documents import search_segments
from annotator.storage.search_index import REPORT_EVERY


def _old_project(path: Path, segments: int) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, upto=5)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO documents (id, position) VALUES ('D', 1)")
    conn.executemany("INSERT INTO segments (id, document, position, zh, en) VALUES (?, 'D', ?, ?, ?)",
                     [(f"D-{i:05d}", i, f"减负第{i}次", f"turn {i}") for i in range(1, segments + 1)])
    conn.execute("COMMIT")
    conn.close()
    return path


def test_the_index_build_of_an_upgrade_reports_every_segment(tmp_path: Path) -> None:
    segments = 2 * REPORT_EVERY + 7
    path = _old_project(tmp_path / "old.db", segments)
    shown: list[tuple[str, int]] = []
    steps: list[int] = []

    @contextlib.contextmanager
    def reporter(what: str, total: int) -> Iterator[Callable[[int], None]]:
        shown.append((what, total))
        yield steps.append

    progress.set_reporter(reporter)
    try:
        with open_project(path) as p:
            assert search_segments(p, "减负", limit=10) == [f"D-{i:05d}" for i in range(1, 11)]
            with p.write() as conn:  # the triggers use the plain function again afterwards
                conn.execute("UPDATE segments SET zh = '网格' WHERE id = 'D-00001'")
            assert search_segments(p, "网格") == ["D-00001"]
    finally:
        progress.set_reporter(None)
    assert shown == [("building the search index", segments)]
    assert steps == [REPORT_EVERY, REPORT_EVERY, 7]


def test_without_a_reporter_nothing_is_shown_and_the_index_is_built(tmp_path: Path) -> None:
    with open_project(_old_project(tmp_path / "old.db", 3)) as p:
        assert search_segments(p, "turn 2") == ["D-00002"]
