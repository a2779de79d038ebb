"""``/`` search answers from the full-text index: one- and two-character Chinese words, English
words, kept up to date as segments change, and built for projects made before the index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.storage import migrations
from annotator.storage.db import open_project
from annotator.storage.documents import search_segments
from annotator.storage.search_index import search_body

TEXTS = [
    ("权责不匹配的问题还在。", "Powers and duties do not match."),
    ("网格员每天填表，入户少了。", "Grid workers fill in forms every day."),
    ("权，责分开说。", "Gridded paper."),
    ("减负以后好多了", ""),
]


def _fill(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO documents (id, position) VALUES ('D', 1)")
    conn.executemany(
        "INSERT INTO segments (id, document, position, zh, en, speaker) VALUES (?, 'D', ?, ?, ?, ?)",
        [(f"D-{i}", i, zh, en, "受访者" if i == 4 else None) for i, (zh, en) in enumerate(TEXTS, 1)])


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    with open_project(path, create=True) as p, p.write() as conn:
        _fill(conn)
    return path


def test_one_and_two_character_chinese_words_are_found(tmp_path: Path) -> None:
    with open_project(_project(tmp_path)) as p:
        assert search_segments(p, "权") == ["D-1", "D-3"]
        assert search_segments(p, "权责") == ["D-1"]  # 权，责 has a comma between: no match
        assert search_segments(p, "网格员") == ["D-2"]
        assert search_segments(p, "受访者") == ["D-4"]


def test_english_words_match_case_insensitively_and_as_word_starts(tmp_path: Path) -> None:
    with open_project(_project(tmp_path)) as p:
        assert search_segments(p, "grid") == ["D-2", "D-3"]
        assert search_segments(p, "GRID WORKERS") == ["D-2"]
        assert search_segments(p, "nothing") == []
        assert search_segments(p, "，") == ["D-2", "D-3"]  # punctuation alone: a scan of the texts


def test_the_index_follows_updates_and_deletes(tmp_path: Path) -> None:
    with open_project(_project(tmp_path)) as p:
        with p.write() as conn:
            conn.execute("UPDATE segments SET zh = '没有了' WHERE id = 'D-1'")
            conn.execute("DELETE FROM segments WHERE id = 'D-3'")
        assert search_segments(p, "权") == []
        assert search_segments(p, "没有") == ["D-1"]
        assert p.execute("INSERT INTO segment_search(segment_search) VALUES ('integrity-check')")


def test_a_project_made_before_the_index_gets_it_built_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, upto=2)
    conn.execute("BEGIN")
    _fill(conn)
    conn.execute("COMMIT")
    conn.close()
    with open_project(path) as p:
        assert search_segments(p, "减负") == ["D-4"]
        assert search_segments(p, "powers") == ["D-1"]


def test_each_chinese_character_is_a_token_of_its_own() -> None:
    assert search_body("权责ok", "Grid", None).split() == ["权", "责", "ok", "Grid"]
    assert search_body("\U00020000字", None).split() == ["\U00020000", "字"]
