"""An import indexes its segments for ``/`` search a batch at a time (not through the per-row
trigger): the index it leaves is the one the triggers would have built, with --replace too, and
a refused import leaves the trigger and the index as they were."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.application.transcripts import import_transcripts
from annotator.errors import ImportFormatError
from annotator.storage.db import open_project
from annotator.storage.documents import search_segments
from annotator.storage.search_index import FUNCTION, TABLE

TALK = "A：我们社区的减负工作做了很多。\n\nB：上级来检查，网格员要填表。\n\nA：权责不匹配。\n"
TALK_AGAIN = "A：我们社区的减负工作做了很多。\n\nB：痕迹主义还在。\n"


def _entries(conn: sqlite3.Connection, schema: str, table: str) -> list[tuple[object, ...]]:
    conn.execute(f"CREATE VIRTUAL TABLE temp.v_{schema} USING fts5vocab({schema}, {table}, 'instance')")
    rows = conn.execute(f"SELECT term, doc, offset FROM temp.v_{schema} ORDER BY 1, 2, 3").fetchall()
    conn.execute(f"DROP TABLE temp.v_{schema}")
    return rows


def _index_is_as_built_afresh(conn: sqlite3.Connection) -> bool:
    """Whether the project's index holds exactly what indexing its stored segments gives."""
    conn.execute("CREATE VIRTUAL TABLE temp.fresh USING fts5(body, content='', columnsize=0,"
                 " tokenize='unicode61 remove_diacritics 2')")
    conn.execute(f"INSERT INTO temp.fresh (rowid, body) SELECT rowid, {FUNCTION}(zh, en, speaker)"
                 " FROM segments")
    same = _entries(conn, "main", TABLE) == _entries(conn, "temp", "fresh")
    conn.execute("DROP TABLE temp.fresh")
    return same


def _has_insert_trigger(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger'"
                        " AND name = 'segments_search_insert'").fetchone() is not None


def test_imports_and_a_replacing_import_leave_the_index_the_triggers_would(tmp_path: Path) -> None:
    (tmp_path / "int01.txt").write_text(TALK, encoding="utf-8")
    (tmp_path / "int02.txt").write_text(TALK, encoding="utf-8")
    with open_project(tmp_path / "p.db", create=True) as p:
        import_transcripts(p, [tmp_path / "int01.txt", tmp_path / "int02.txt"])
        assert _index_is_as_built_afresh(p.conn)
        (tmp_path / "int01.txt").write_text(TALK_AGAIN, encoding="utf-8")  # one turn changed, one gone
        import_transcripts(p, [tmp_path / "int01.txt"], replace=True)
        assert _index_is_as_built_afresh(p.conn)
        assert _has_insert_trigger(p.conn)
        assert search_segments(p, "痕迹") == ["int01-002"]
        assert search_segments(p, "网格员") == ["int02-002"]


def test_a_refused_import_keeps_the_trigger_and_the_index(tmp_path: Path) -> None:
    (tmp_path / "int01.txt").write_text(TALK, encoding="utf-8")
    (tmp_path / "bad.csv").write_text("document,speaker,zh,en\nD,A,减负,ok\nD,A,\"x\n", encoding="utf-8")
    with open_project(tmp_path / "p.db", create=True) as p:
        import_transcripts(p, [tmp_path / "int01.txt"])
        with pytest.raises(ImportFormatError):
            import_transcripts(p, [tmp_path / "bad.csv"])
        assert _has_insert_trigger(p.conn)
        assert search_segments(p, "减负") == ["int01-001"]
        with p.write() as conn:  # a segment written later is indexed by the trigger again
            conn.execute("INSERT INTO segments (id, document, position, zh) VALUES"
                         " ('int01-009', 'int01', 9, '减负以后')")
        assert search_segments(p, "减负") == ["int01-001", "int01-009"]
        assert _index_is_as_built_afresh(p.conn)
