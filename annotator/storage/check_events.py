"""The ``event-log`` check of ``annotator check``: does each (coder, segment)'s last state event
say what the project holds?

The comparison is made in SQL first: each key's current work is written as the JSON text the
event log writes for it (``{"codes": [...], "done": ..., "memo": ...}``) and compared with the
last event's text, and only the keys whose texts differ, or that lost codes to a codebook change,
come back to Python to be compared as states. Equal texts mean equal states (the text is valid
JSON of the current work, whatever escapes it uses), so nothing is missed; a key whose text was
written differently (another escape, key order or spacing) only costs its own comparison. Work
without any event is found by counting: when every annotated, done and memo'd key is among the
keys that have an event, the counts match. When they do not, or SQLite lacks its JSON functions,
every key is compared in Python, streamed in key order (:func:`compare_every_key`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from annotator.model import CoderState
from annotator.storage.work_stream import row_state, states_sql

Key = tuple[str, str]
Archived = dict[Key, list[tuple[str, str]]]

_SEGMENT_EXISTS = "EXISTS (SELECT 1 FROM segments s WHERE s.id = {}.segment)"
#: the last state event of every (coder, segment), in key order (the events index, no sort)
_LAST = (
    "SELECT coder, segment, max(id) AS id, at, after FROM events"
    " WHERE coder IS NOT NULL AND segment IS NOT NULL AND after IS NOT NULL"
    " GROUP BY coder, segment"
)
#: the last state event of every (coder, segment) whose segment still exists, in key order
_LAST_EVENTS = (
    "SELECT e.coder, e.segment, e.id, e.at, e.after FROM events e JOIN ("
    " SELECT coder, segment, max(id) AS id FROM events"
    " WHERE coder IS NOT NULL AND segment IS NOT NULL AND after IS NOT NULL"
    " GROUP BY coder, segment) l ON e.id = l.id"
    f" WHERE {_SEGMENT_EXISTS.format('e')}"
    " ORDER BY e.coder, e.segment"
)
#: the current work of every (coder, segment) whose segment still exists, in key order
_CURRENT = states_sql(f" WHERE {_SEGMENT_EXISTS.format('k')}")

_QUOTED = ("(SELECT group_concat(json_quote(a.code), ', ') FROM annotations a"
           " WHERE a.coder = l.coder AND a.segment = l.segment)")
_DONE = "EXISTS (SELECT 1 FROM done d WHERE d.coder = l.coder AND d.segment = l.segment)"
_MEMO = "(SELECT m.text FROM memos m WHERE m.coder = l.coder AND m.segment = l.segment)"


def _beside(memos: bool) -> str:
    """Each key's last event beside its current work: the event's id, time and text; the codes as
    JSON strings joined by ", ", done (0/1), the memo row (NULL: none; not looked up in a project
    without memos)."""
    memo = _MEMO if memos else "NULL"
    return (
        f"SELECT l.coder, l.segment, l.id, l.at, l.after, {_QUOTED} AS quoted,"
        f" {_DONE} AS done, {memo} AS memo FROM ({_LAST}) l LIMIT -1"  # LIMIT: each lookup once
    )


#: the current work as the event log writes it
_NOW = ("'{\"codes\": [' || coalesce(quoted, '') || '], \"done\": '"
        " || CASE WHEN done THEN 'true' ELSE 'false' END"
        " || ', \"memo\": ' || json_quote(coalesce(memo, '')) || '}'")
_UNLIKE = f"(after IS NOT {_NOW} OR (coder, segment) IN (SELECT coder, segment FROM archived_annotations))"
#: how many keys with an event have codes / a done mark / a memo, and how many of their texts differ
_TALLY = "SELECT count(quoted), coalesce(sum(done), 0), count(memo), coalesce(sum({unlike}), 0) FROM ({beside})"
#: the keys whose texts differ (or that lost codes to the codebook) on segments that exist, in key order
_DIFFERING = (
    "SELECT coder, segment, id, at, after, quoted, done, memo FROM ({beside}) l"
    " WHERE {unlike} AND " + _SEGMENT_EXISTS.format("l") + " ORDER BY coder, segment"
)
#: how many keys have codes, a done mark and a memo
_WORK_KEYS = (
    "SELECT (SELECT count(*) FROM (SELECT 1 FROM annotations GROUP BY coder, segment)),"
    " (SELECT count(*) FROM done), (SELECT count(*) FROM memos)"
)


def describe(state: CoderState) -> str:
    parts = [", ".join(sorted(state.codes)) or "no code", "done" if state.done else "open"]
    if state.memo:
        parts.append("memo")
    return "; ".join(parts)


def state_events(conn: sqlite3.Connection) -> int:
    """How many events record a coder's state on a segment."""
    return int(conn.execute(
        "SELECT count(*) FROM events"
        " WHERE coder IS NOT NULL AND segment IS NOT NULL AND after IS NOT NULL").fetchone()[0])


def event_log_problems(conn: sqlite3.Connection) -> list[str]:
    """Every (coder, segment) whose last event disagrees with its work, or whose work has no
    event, as messages in key order."""
    archived = _archived(conn)
    keys = conn.execute(_WORK_KEYS).fetchone()
    beside = _beside(memos=bool(keys[2]))
    try:
        *tallied, differing = conn.execute(_TALLY.format(beside=beside, unlike=_UNLIKE)).fetchone()
    except sqlite3.OperationalError:  # no JSON functions in this SQLite
        return compare_every_key(conn, archived)
    if tuple(tallied) != tuple(keys):  # work without an event, or on a missing segment
        return compare_every_key(conn, archived)
    if not differing:
        return []
    parsed: dict[str | None, CoderState | None] = {}
    out = []
    for coder, seg, eid, at, after, quoted, done, memo in conn.execute(
            _DIFFERING.format(beside=beside, unlike=_UNLIKE)):
        now = CoderState(frozenset(json.loads(f"[{quoted or ''}]")), bool(done), memo or "")
        problem = _problem((coder, seg), (eid, at, after), now, archived, parsed)
        if problem is not None:
            out.append(problem)
    return out


def compare_every_key(conn: sqlite3.Connection, archived: Archived | None = None) -> list[str]:
    """The same messages, every key compared in Python: its last event and its current work, both
    streamed in key order (memory does not grow with the project)."""
    archived = _archived(conn) if archived is None else archived
    events = iter(conn.execute(_LAST_EVENTS))
    current = iter(conn.cursor().execute(_CURRENT))
    parsed: dict[str | None, CoderState | None] = {}
    out = []
    for key, event, cur in _joined(events, current):
        now_state = row_state(cur[2], cur[3], cur[4]) if cur else CoderState()
        if event is None:
            out.append(f"{key[0]} on {key[1]}: work ({describe(now_state)}) with no event")
            continue
        problem = _problem(key, event[2:], now_state, archived, parsed)
        if problem is not None:
            out.append(problem)
    return out


def _archived(conn: sqlite3.Connection) -> Archived:
    archived: Archived = defaultdict(list)
    for coder, seg, code, at in conn.execute(
        "SELECT coder, segment, code, archived_at FROM archived_annotations"
    ):
        archived[(coder, seg)].append((code, at))
    return archived


def _joined(left: Iterator[tuple[Any, ...]], right: Iterator[tuple[Any, ...]]
            ) -> Iterator[tuple[Key, tuple[Any, ...] | None, tuple[Any, ...] | None]]:
    """Merge two streams of rows sorted by their first two columns: (key, left row, right row)."""
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        ka = (a[0], a[1]) if a is not None else None
        kb = (b[0], b[1]) if b is not None else None
        if kb is None or (ka is not None and ka < kb):
            yield ka, a, None  # type: ignore[misc]
            a = next(left, None)
        elif ka is None or kb < ka:
            yield kb, None, b
            b = next(right, None)
        else:
            yield ka, a, b
            a, b = next(left, None), next(right, None)


def _after(text: str | None, parsed: dict[str | None, CoderState | None]) -> CoderState | None:
    """The state an event's JSON holds (None: unreadable); each distinct text is read once (a
    project's events hold few distinct states)."""
    if text in parsed:
        return parsed[text]
    try:
        state: CoderState | None = CoderState.from_json(json.loads(text or "null") or {})
    except (ValueError, TypeError, AttributeError):
        state = None
    if len(parsed) < 100_000:
        parsed[text] = state
    return state


def _problem(key: Key, event: tuple[Any, ...], now_state: CoderState, archived: Archived,
             parsed: dict[str | None, CoderState | None]) -> str | None:
    coder, seg = key
    eid, at, after_text = event
    after = _after(after_text, parsed)
    if after is None:
        return f"event {eid} ({coder} on {seg}) has an unreadable state"
    gone = {code for code, when in archived.get(key, []) if when >= at}
    expected = CoderState(after.codes - gone, after.done, after.memo)
    if expected != now_state:
        return (f"{coder} on {seg}: last event {eid} says {describe(expected)},"
                f" the project holds {describe(now_state)}")
    return None
