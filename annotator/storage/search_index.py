"""The full-text index of segment texts behind ``/`` search: FTS5 over single Chinese characters
and English words.

Each segment's Chinese, English and speaker are indexed as one body in which every CJK character
is a token of its own and every English word (lower-cased, without diacritics) another. A Chinese
word of any length is then an FTS5 phrase of its characters, an English word a prefix query; both
are answered from the index, then checked against the stored text (so punctuation between two
characters is not a match). The index is contentless (the text is stored once, in ``segments``)
and kept by triggers, which call the SQL function :func:`register` adds to every connection.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from collections.abc import Callable, Iterator

from annotator.storage.errors import sql_function

#: The SQL function the triggers and the migration call: (zh, en, speaker) → indexed body.
FUNCTION = "annotator_search_text"
TABLE = "segment_search"

#: Answers beyond this many are not listed (in reading order of the first ones found).
LIMIT = 1000

_IDEOGRAPHS = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"


@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    """``cjk``: one ideograph; ``cjk run``: a run of them (each then spaced apart); ``word``: a
    word character. Compiled when first used: every command opens a project, few index text."""
    return re.compile({"cjk": _IDEOGRAPHS, "cjk run": _IDEOGRAPHS + "+", "word": r"\w"}[name])


def _spaced(run: re.Match[str]) -> str:
    return " " + " ".join(run.group()) + " "


def search_body(zh: str | None, en: str | None, speaker: str | None = None) -> str:
    """The text indexed for a segment: CJK characters spaced apart, so each is one token.

    (Only the tokens matter: the index's ``delete`` of a row gives the same tokens whatever
    spacing an earlier version of this function put between them.)
    """
    return _pattern("cjk run").sub(_spaced, " ".join(t for t in (zh, en, speaker) if t))


def register(conn: sqlite3.Connection) -> None:
    """Make the indexing function available on ``conn`` (the triggers need it to write)."""
    conn.create_function(FUNCTION, 3, sql_function(search_body), deterministic=True)


#: Rows between two reports of :func:`counting`.
REPORT_EVERY = 2000


@contextlib.contextmanager
def counting(conn: sqlite3.Connection, advance: Callable[[int], None]) -> Iterator[None]:
    """Within the block, ``advance(n)`` is called as rows are indexed on ``conn`` (every
    :data:`REPORT_EVERY` rows, and for the rest at its end)."""
    done = [0]

    def body(zh: str | None, en: str | None, speaker: str | None) -> str:
        done[0] += 1
        if done[0] == REPORT_EVERY:
            advance(done[0])
            done[0] = 0
        return search_body(zh, en, speaker)

    conn.create_function(FUNCTION, 3, sql_function(body))  # not deterministic: called every row
    try:
        yield
        if done[0]:
            advance(done[0])
    finally:
        register(conn)


def fts_query(query: str) -> str | None:
    """The FTS5 query for ``query``: one phrase of its tokens, the last a prefix when it is part
    of an English word; None when the query holds no token at all (only punctuation)."""
    body = search_body(query, None).strip()
    if not _pattern("word").search(body):
        return None
    phrase = '"' + body.replace('"', '""') + '"'
    last = query.strip()[-1]
    return phrase + " *" if _pattern("word").match(last) and not _pattern("cjk").match(last) else phrase


INSERT_TRIGGER = f"""
    CREATE TRIGGER segments_search_insert AFTER INSERT ON segments BEGIN
        INSERT INTO {TABLE} (rowid, body) VALUES (new.rowid, {FUNCTION}(new.zh, new.en, new.speaker));
    END
    """

#: Indexes every stored segment (the migration); with a ``WHERE`` on rowid, some of them.
INDEX_FROM = f"INSERT INTO {TABLE} (rowid, body) SELECT rowid, {FUNCTION}(zh, en, speaker) FROM segments"

STATEMENTS = [
    f"""
    CREATE VIRTUAL TABLE {TABLE} USING fts5(
        body, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2'
    )
    """,
    INSERT_TRIGGER,
    f"""
    CREATE TRIGGER segments_search_delete AFTER DELETE ON segments BEGIN
        INSERT INTO {TABLE} ({TABLE}, rowid, body)
        VALUES ('delete', old.rowid, {FUNCTION}(old.zh, old.en, old.speaker));
    END
    """,
    f"""
    CREATE TRIGGER segments_search_update AFTER UPDATE OF zh, en, speaker ON segments BEGIN
        INSERT INTO {TABLE} ({TABLE}, rowid, body)
        VALUES ('delete', old.rowid, {FUNCTION}(old.zh, old.en, old.speaker));
        INSERT INTO {TABLE} (rowid, body) VALUES (new.rowid, {FUNCTION}(new.zh, new.en, new.speaker));
    END
    """,
    INDEX_FROM,
]


@contextlib.contextmanager
def indexed_in_batches(conn: sqlite3.Connection) -> Iterator[Callable[[], None]]:
    """For a big import: segments inserted inside the block are indexed by the function it
    yields, one statement for all rows inserted since its last call, instead of one trigger call
    per row (about three times cheaper). Call it after each batch of inserts, before anything
    updates or deletes a row of that batch (the other triggers expect its index entries); it is
    called once more at the end of the block.

    Use inside a write transaction that rolls back on error: the insert trigger is dropped for
    the block and created again at its end, so another connection never sees it missing.
    """
    if not conn.in_transaction:
        raise RuntimeError("indexed_in_batches needs an open write transaction")
    last = [_last_rowid(conn)]

    def catch_up() -> None:
        conn.execute(INDEX_FROM + " WHERE rowid > ?", (last[0],))
        last[0] = _last_rowid(conn)

    conn.execute("DROP TRIGGER segments_search_insert")
    try:
        yield catch_up
        catch_up()
    finally:
        conn.execute(INSERT_TRIGGER)


def _last_rowid(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(rowid), 0) FROM segments").fetchone()[0])
