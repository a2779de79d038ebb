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
    """(document, whether the target has it) for each document of a reader's source whose segments (id, Chinese, English, in order) differ from the target's, by document id.

    SQL lists the candidates (a segment missing, moved or changed, or a different count); each
    is then compared whole, so the answer is exactly that of comparing every document."""
    src = SRC
    candidates = [r[0] for r in conn.execute(
        f"SELECT s.document FROM {src}.segments s LEFT JOIN main.segments t ON t.id = s.id"
        " WHERE t.id IS NULL OR t.document IS NOT s.document OR t.position IS NOT s.position"
        " OR t.zh IS NOT s.zh OR t.en IS NOT s.en"
        f" UNION SELECT a.document FROM (SELECT document, count(*) AS n FROM {src}.segments"
        " GROUP BY document) a WHERE a.n IS NOT (SELECT count(*) FROM main.segments t"
        " WHERE t.document = a.document) ORDER BY 1")]
    differ = []
    for doc in candidates:
        theirs, ours = (conn.execute(f"SELECT id, zh, en FROM {schema}.segments WHERE document = ?"
                                       " ORDER BY position", (doc,)).fetchall()
                        for schema in (src, "main"))
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


def find_changed(conn: sqlite3.Connection, coders: Sequence[str], also: Iterable[Key]
                 ) -> tuple[int, list[Key]]:
    """On a reader: (how many keys the source has: its work and the keys its event log knows;
    the keys of those whose state may differ from the target's), in key order.

    The keys are those whose stored work differs between the two files, and those of ``also``
    (keys the merge has written since the reader's view of the target) that are the source's;
    the caller compares their states."""
    if not coders:
        return 0, []
    src, only = SRC, _in(coders)
    theirs = _a_source_key(src)

    def missing(table: str, column: str = "") -> str:
        same = f" AND o.{column} = x.{column}" if column else ""
        return (f"NOT EXISTS (SELECT 1 FROM {{other}}.{table} o WHERE o.coder = x.coder"
                f" AND o.segment = x.segment{same})")

    parts = []
    for table, column in (("annotations", "code"), ("done", "")):
        gone = missing(table, column)
        parts.append(f"SELECT coder, segment FROM {src}.{table} x WHERE coder IN {only}"
                     f" AND {gone.format(other='main')}")
        parts.append(f"SELECT coder, segment FROM main.{table} x WHERE coder IN {only}"
                     f" AND {gone.format(other=src)} AND {theirs}")
    parts.append(f"SELECT x.coder, x.segment FROM {src}.memos x LEFT JOIN main.memos o"
                 " ON o.coder = x.coder AND o.segment = x.segment"
                 f" WHERE x.coder IN {only} AND coalesce(o.text, '') != x.text")
    parts.append(f"SELECT x.coder, x.segment FROM main.memos x LEFT JOIN {src}.memos o"
                 " ON o.coder = x.coder AND o.segment = x.segment"
                 f" WHERE x.coder IN {only} AND o.coder IS NULL AND x.text != '' AND {theirs}")
    keys = set(conn.execute(" UNION ".join(parts), list(coders) * len(parts)).fetchall())
    check = f"SELECT {theirs} FROM (SELECT ? AS coder, ? AS segment) x"
    keys.update(k for k in also if k[0] in coders and conn.execute(check, k).fetchone()[0])
    count = conn.execute(
        f"SELECT count(*) FROM (SELECT coder, segment FROM {src}.annotations WHERE coder IN {only}"
        f" UNION SELECT coder, segment FROM {src}.done WHERE coder IN {only}"
        f" UNION SELECT coder, segment FROM {src}.memos WHERE coder IN {only}"
        f" UNION SELECT coder, segment FROM {src}.events WHERE coder IN {only}"
        " AND segment IS NOT NULL)", list(coders) * 4).fetchone()[0]
    return int(count), sorted(keys)


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
