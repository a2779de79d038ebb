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

import re
import sqlite3

#: The SQL function the triggers and the migration call: (zh, en, speaker) → indexed body.
FUNCTION = "annotator_search_text"
TABLE = "segment_search"

#: Answers beyond this many are not listed (in reading order of the first ones found).
LIMIT = 1000

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_SUPPLEMENTARY = re.compile(r"([\U00020000-\U0003ffff])")
_WORD = re.compile(r"\w", re.UNICODE)
#: The ideographs of the basic plane, each spaced apart (str.translate is several times faster
#: than a regular expression over a million segments).
_SPACED = {i: f" {chr(i)} " for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
           for i in range(lo, hi)}


def search_body(zh: str | None, en: str | None, speaker: str | None = None) -> str:
    """The text indexed for a segment: CJK characters spaced apart, so each is one token."""
    body = " ".join(t for t in (zh, en, speaker) if t).translate(_SPACED)
    if body and max(body) > "\uffff":
        body = _SUPPLEMENTARY.sub(r" \1 ", body)
    return body


def register(conn: sqlite3.Connection) -> None:
    """Make the indexing function available on ``conn`` (the triggers need it to write)."""
    conn.create_function(FUNCTION, 3, search_body, deterministic=True)


def fts_query(query: str) -> str | None:
    """The FTS5 query for ``query``: one phrase of its tokens, the last a prefix when it is part
    of an English word; None when the query holds no token at all (only punctuation)."""
    body = search_body(query, None).strip()
    if not _WORD.search(body):
        return None
    phrase = '"' + body.replace('"', '""') + '"'
    last = query.strip()[-1]
    return phrase + " *" if _WORD.match(last) and not _CJK.match(last) else phrase


STATEMENTS = [
    f"""
    CREATE VIRTUAL TABLE {TABLE} USING fts5(
        body, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER segments_search_insert AFTER INSERT ON segments BEGIN
        INSERT INTO {TABLE} (rowid, body) VALUES (new.rowid, {FUNCTION}(new.zh, new.en, new.speaker));
    END
    """,
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
    f"INSERT INTO {TABLE} (rowid, body) SELECT rowid, {FUNCTION}(zh, en, speaker) FROM segments",
]
