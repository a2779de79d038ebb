"""What a team merge must look at, found by SQL over both files at once (the source attached
to a reader of the target): the documents whose transcripts differ and the (coder, segment) keys
whose work differs. SQLite joins the two files on their primary keys; Python only sees the
differences (usually none or a few), never a project's whole work.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

from annotator.model import CoderState
from annotator.storage.db import Project
from annotator.storage.work_stream import Key, row_state

#: The source's schema name on a reader's connection.
SRC = "src"
#: Keys to read the states of, on either connection.
KEYS = "merge_keys"


@contextlib.contextmanager
def source_reader(target: Project, source: Path) -> Iterator[sqlite3.Connection]:
    """A connection of its own that reads the target's committed state as ``main`` and the
    source as ``src``, in one read transaction (a consistent view of both). Neither file is
    locked against writers: the target's write transaction stays on the target's connection,
    whose own uncommitted writes this connection does not see."""
    conn = sqlite3.connect(f"file:{quote(str(target.path.resolve()))}?mode=ro", uri=True,
                           timeout=target.busy_timeout, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(target.busy_timeout * 1000)}")
        conn.execute(f"ATTACH DATABASE ? AS {SRC}", (f"file:{quote(str(source.resolve()))}?mode=ro",))
        conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()


def differing_documents(conn: sqlite3.Connection) -> list[tuple[str, bool]]:
    """(document, whether the target has it) for each document of a reader's source whose
    segments (id, Chinese, English, in order) differ from the target's, by document id.

    SQL lists the candidates: documents of the source with a segment row (document, position,
    id, texts) the target lacks (both files walked side by side in (document, position) order),
    and documents whose number of segments differs (from the (document, position) indexes, no
    text read). Any other document has exactly the target's rows. Each candidate is then
    compared whole, so the answer is exactly that of comparing every document."""
    rows = "SELECT document, position, id, zh, en FROM {}.segments"
    counts = "SELECT document, count(*) FROM {}.segments GROUP BY document"
    candidates = {r[0] for r in conn.execute(
        f"SELECT document FROM ({rows.format(SRC)} EXCEPT {rows.format('main')}"
        " ORDER BY 1, 2, 3, 4, 5)")}
    candidates.update(r[0] for r in conn.execute(
        f"{counts.format(SRC)} EXCEPT {counts.format('main')} ORDER BY 1, 2"))
    differ = []
    for doc in sorted(candidates):
        theirs, ours = (conn.execute(f"SELECT id, zh, en FROM {schema}.segments WHERE document = ?"
                                     " ORDER BY position", (doc,)).fetchall()
                        for schema in (SRC, "main"))
        if theirs != ours:
            differ.append((doc, bool(ours)))
    return differ


def _in(coders: Sequence[str]) -> str:
    return "(" + ", ".join("?" for _ in coders) + ")"


def _a_source_key(src: str) -> str:
    """The condition that row ``x``'s key is one of the source's (work or a logged change)."""
    return "(" + " OR ".join(
        f"EXISTS (SELECT 1 FROM {src}.{table} y WHERE y.coder = x.coder AND y.segment = x.segment)"
        for table in ("annotations", "done", "memos", "events")) + ")"


#: The work rows compared, each table's columns in its primary key's order (so that SQLite
#: walks both files' tables side by side in that order, without sorting or lookups).
_WORK = (("annotations", "coder, segment, code"), ("done", "coder, segment"),
         ("memos", "coder, segment, text"))


def _rows_missing(conn: sqlite3.Connection, table: str, columns: str, coders: Sequence[str],
                  left: str, right: str, where: str = "") -> set[Key]:
    """The keys of ``table``'s rows (by ``coders``) that ``left`` has and ``right`` has not."""
    only = _in(coders)
    order = ", ".join(str(i + 1) for i in range(columns.count(",") + 1))
    return set(conn.execute(
        f"SELECT coder, segment FROM (SELECT {columns} FROM {left}.{table} WHERE coder IN"
        f" {only} EXCEPT SELECT {columns} FROM {right}.{table} WHERE coder IN {only}"
        f" ORDER BY {order}) x{where}", list(coders) * 2))


def _same_size(conn: sqlite3.Connection, table: str, coders: Sequence[str]) -> bool:
    """Whether the source and the target hold as many rows of ``table`` by ``coders``."""
    only = _in(coders)
    return bool(conn.execute(
        f"SELECT (SELECT count(*) FROM {SRC}.{table} WHERE coder IN {only})"
        f" = (SELECT count(*) FROM main.{table} WHERE coder IN {only})", list(coders) * 2).fetchone()[0])


def find_changed(conn: sqlite3.Connection, coders: Sequence[str], also: Iterable[Key]
                 ) -> tuple[int, list[Key]]:
    """On a reader: (how many keys the source has: its work and the keys its event log knows;
    the keys among them whose state may differ from the target's), in key order.

    Candidates are the keys of work rows one file has and the other has not (a memo by its
    text), and those of ``also`` (keys the merge has written since the reader's view of the
    target began); the caller compares their states."""
    if not coders:
        return 0, []
    keys: set[Key] = set()
    for table, columns in _WORK:
        theirs = _rows_missing(conn, table, columns, coders, SRC, "main")
        keys.update(theirs)
        if not theirs and _same_size(conn, table, coders):
            continue  # the target has every row of the source's, and no more: none of its own
        keys.update(_rows_missing(conn, table, columns, coders, "main", SRC, f" WHERE {_a_source_key(SRC)}"))
    check = f"SELECT {_a_source_key(SRC)} FROM (SELECT ? AS coder, ? AS segment) x"
    keys.update(k for k in also if k[0] in coders and conn.execute(check, k).fetchone()[0])
    return _source_key_count(conn, coders), sorted(keys)


def _source_key_count(conn: sqlite3.Connection, coders: Sequence[str]) -> int:
    """How many (coder, segment) keys the source's work and event log hold for ``coders``: one
    coder at a time, so that SQLite merges the four tables' segments (each in its index's order)
    comparing one column instead of two (a third less time than one union over every coder)."""
    per_coder = "SELECT count(*) FROM (" + " UNION ".join(
        f"SELECT segment FROM {SRC}.{table} WHERE coder = ?"
        for table in ("annotations", "done", "memos", "events")) + " AND segment IS NOT NULL ORDER BY 1)"
    return sum(int(conn.execute(per_coder, [coder] * 4).fetchone()[0]) for coder in dict.fromkeys(coders))


def states_of(conn: sqlite3.Connection, schema: str, keys: Sequence[Key]) -> list[CoderState]:
    """The work stored in ``schema`` (``main`` or a reader's ``src``) for each of ``keys``, in
    their order (through a temporary table of the keys on ``conn``)."""
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {KEYS} (n INTEGER PRIMARY KEY, coder TEXT,"
                 " segment TEXT)")
    conn.execute(f"DELETE FROM temp.{KEYS}")
    conn.executemany(f"INSERT INTO temp.{KEYS} (coder, segment) VALUES (?, ?)", keys)
    rows = conn.execute(
        f"SELECT (SELECT group_concat(a.code, char(31)) FROM {schema}.annotations a"
        "  WHERE a.coder = k.coder AND a.segment = k.segment),"
        f" EXISTS (SELECT 1 FROM {schema}.done d WHERE d.coder = k.coder AND d.segment = k.segment),"
        f" (SELECT m.text FROM {schema}.memos m WHERE m.coder = k.coder AND m.segment = k.segment)"
        f" FROM temp.{KEYS} k ORDER BY k.n")
    states = [row_state(*r) for r in rows]
    conn.execute(f"DELETE FROM temp.{KEYS}")
    return states
