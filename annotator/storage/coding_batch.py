"""Many coders' states written at once: what :func:`annotator.storage.coding.set_state` writes
for each, in one statement per kind of row (a merge writes thousands).

The caller knows each key's current state (it compared it), so nothing is read back; the rows,
the events (in the order given) and the coders' last segments come out as from ``set_state``
called once per key in that order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from annotator.model import CoderState
from annotator.safe_text import check_name
from annotator.storage.db import Project, now

#: (coder, segment, its current state, the state to write)
Change = tuple[str, str, CoderState, CoderState]


def set_states(project: Project, changes: Sequence[Change], *, action: str,
               session: str | None = None, detail: dict[str, Any] | None = None) -> int:
    """Write each change with its event, inside one write transaction (the caller's, if it has
    one); the number of events written. Each key appears once and its current state must be
    the one given."""
    first: dict[str, str] = {}
    for coder, *_rest in changes:
        if coder not in first:
            check_name(coder, "coder name")
            first[coder] = now()
    stamped = [(coder, seg, before, after, now()) for coder, seg, before, after in changes
               if before != after]
    last = {coder: seg for coder, seg, *_rest in stamped}
    note = json.dumps(detail, ensure_ascii=False) if detail else None
    with project.write() as conn:
        conn.executemany("INSERT OR IGNORE INTO coders (name, created_at) VALUES (?, ?)", first.items())
        _write_rows(conn, stamped)
        conn.executemany(
            "INSERT INTO events (at, coder, session, action, segment, before, after, detail)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [(stamp, coder, session, action, seg, json.dumps(before.to_json(), ensure_ascii=False),
              json.dumps(after.to_json(), ensure_ascii=False), note)
             for coder, seg, before, after, stamp in stamped])
        conn.executemany("UPDATE coders SET last_segment = ? WHERE name = ?",
                         [(seg, coder) for coder, seg in last.items()])
    return len(stamped)


def _write_rows(conn: sqlite3.Connection, stamped: list[tuple[str, str, CoderState, CoderState, str]]) -> None:
    conn.executemany("DELETE FROM annotations WHERE coder = ? AND segment = ? AND code = ?",
                     [(c, s, code) for c, s, b, a, _t in stamped for code in b.codes - a.codes])
    conn.executemany("INSERT INTO annotations (coder, segment, code, created_at) VALUES (?,?,?,?)",
                     [(c, s, code, t) for c, s, b, a, t in stamped for code in sorted(a.codes - b.codes)])
    conn.executemany("INSERT INTO done (coder, segment, done_at) VALUES (?,?,?)",
                     [(c, s, t) for c, s, b, a, t in stamped if a.done and not b.done])
    conn.executemany("DELETE FROM done WHERE coder = ? AND segment = ?",
                     [(c, s) for c, s, b, a, _t in stamped if b.done and not a.done])
    conn.executemany(
        "INSERT INTO memos (coder, segment, text, updated_at) VALUES (?,?,?,?)"
        " ON CONFLICT(coder, segment) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
        [(c, s, a.memo, t) for c, s, b, a, t in stamped if a.memo != b.memo and a.memo])
    conn.executemany("DELETE FROM memos WHERE coder = ? AND segment = ?",
                     [(c, s) for c, s, b, a, _t in stamped if a.memo != b.memo and not a.memo])
