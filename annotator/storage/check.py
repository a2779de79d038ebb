"""``annotator check``: is a project file whole and self-consistent?

Checks, each reported as ``Problem(kind, message)``:

* ``integrity`` — ``PRAGMA integrity_check`` (pages, indexes, constraints);
* ``foreign-key`` — ``PRAGMA foreign_key_check``;
* ``orphan`` — annotations, done marks, memos or re-decide entries whose segment or code is
  missing, and document or code memos whose document or code is missing;
* ``archived`` — live annotations on a code that the codebook archived;
* ``event-log`` — for every (coder, segment) the ``after`` state of its last state event is the
  current codes/done/memo (less what a later codebook change or ``--replace`` archived), and
  no coder's work exists without an event;
* ``single-choice`` — a single-choice facet holding several codes of one coder on one segment.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from annotator.model import CoderState
from annotator.plural import plural
from annotator.storage.db import Project
from annotator.storage.work_stream import row_state, states_sql

MAX_SHOWN = 20  # details shown per kind of problem; the count is always complete


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # what was looked at, for the summary

    @property
    def ok(self) -> bool:
        return not self.problems

    def verdict(self) -> str:
        n = len(self.problems)
        if not n:
            return "ok"
        return plural(n, 'problem')

    def lines(self, limit: int = MAX_SHOWN) -> Iterator[str]:
        """The problems, at most ``limit`` per kind (with a count of the rest)."""
        shown: dict[str, int] = defaultdict(int)
        total: dict[str, int] = defaultdict(int)
        for p in self.problems:
            total[p.kind] += 1
        for p in self.problems:
            shown[p.kind] += 1
            if shown[p.kind] <= limit:
                yield str(p)
            elif shown[p.kind] == limit + 1:
                yield f"{p.kind}: ... and {total[p.kind] - limit} more"


def _integrity(conn: sqlite3.Connection, report: CheckReport) -> bool:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        report.problems.extend(Problem("integrity", str(r)) for r in rows)
        return False
    return True


def _foreign_keys(conn: sqlite3.Connection, report: CheckReport) -> None:
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        report.problems.append(
            Problem("foreign-key", f"{table} row {rowid} points at a missing {parent} row")
        )


def _orphans(conn: sqlite3.Connection, report: CheckReport) -> None:
    for table in ("annotations", "done", "memos"):
        for coder, seg in conn.execute(
            f"SELECT t.coder, t.segment FROM {table} t"
            " WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.id = t.segment)"
            " ORDER BY t.segment, t.coder"
        ):
            report.problems.append(
                Problem("orphan", f"{table}: {coder} on missing segment {seg}")
            )
    for coder, seg, code in conn.execute(
        "SELECT a.coder, a.segment, a.code FROM annotations a"
        " WHERE NOT EXISTS (SELECT 1 FROM codes c WHERE c.id = a.code)"
        " ORDER BY a.segment, a.coder, a.code"
    ):
        report.problems.append(
            Problem("orphan", f"annotations: {coder} on {seg} has unknown code {code}")
        )
    _orphan_notes_and_queue(conn, report)
    for code, n in conn.execute(
        "SELECT a.code, count(*) FROM annotations a JOIN codes c ON c.id = a.code"
        " WHERE c.archived = 1 GROUP BY a.code ORDER BY a.code"
    ):
        report.problems.append(
            Problem("archived", f"code {code} is archived but still has {n} live annotations")
        )


def _orphan_notes_and_queue(conn: sqlite3.Connection, report: CheckReport) -> None:
    for coder, kind, target in conn.execute(
        "SELECT n.coder, n.kind, n.target FROM notes n WHERE NOT EXISTS"
        " (SELECT 1 FROM documents d WHERE n.kind = 'document' AND d.id = n.target)"
        " AND NOT EXISTS (SELECT 1 FROM codes c WHERE n.kind = 'code' AND c.id = n.target)"
        " ORDER BY n.kind DESC, n.target, n.coder"
    ):
        report.problems.append(Problem("orphan", f"notes: {coder}'s memo on missing {kind} {target}"))
    for coder, seg in conn.execute(
        "SELECT r.coder, r.segment FROM redecide r"
        " WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.id = r.segment)"
        " ORDER BY r.segment, r.coder"
    ):
        report.problems.append(Problem("orphan", f"redecide: {coder} on missing segment {seg}"))
    for coder, seg, code in conn.execute(
        "SELECT r.coder, r.segment, r.code FROM redecide r"
        " WHERE NOT EXISTS (SELECT 1 FROM codes c WHERE c.id = r.code)"
        " ORDER BY r.segment, r.coder, r.code"
    ):
        report.problems.append(Problem("orphan", f"redecide: {coder} on {seg} has unknown code {code}"))


#: the last state event of every (coder, segment) whose segment still exists, in key order
_LAST_EVENTS = (
    "SELECT e.coder, e.segment, e.id, e.at, e.after FROM events e JOIN ("
    " SELECT coder, segment, max(id) AS id FROM events"
    " WHERE coder IS NOT NULL AND segment IS NOT NULL AND after IS NOT NULL"
    " GROUP BY coder, segment) l ON e.id = l.id"
    " WHERE EXISTS (SELECT 1 FROM segments s WHERE s.id = e.segment)"
    " ORDER BY e.coder, e.segment"
)
#: the current work of every (coder, segment) whose segment still exists, in key order
_CURRENT = states_sql(" WHERE EXISTS (SELECT 1 FROM segments s WHERE s.id = k.segment)")

Key = tuple[str, str]


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


def _describe(state: CoderState) -> str:
    parts = [", ".join(sorted(state.codes)) or "no code", "done" if state.done else "open"]
    if state.memo:
        parts.append("memo")
    return "; ".join(parts)


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


def _event_problem(key: Key, event: tuple[Any, ...] | None, now_state: CoderState,
                   archived: dict[Key, list[tuple[str, str]]],
                   parsed: dict[str | None, CoderState | None]) -> Problem | None:
    coder, seg = key
    if event is None:
        return Problem("event-log", f"{coder} on {seg}: work ({_describe(now_state)}) with no event")
    _c, _s, eid, at, after_text = event
    after = _after(after_text, parsed)
    if after is None:
        return Problem("event-log", f"event {eid} ({coder} on {seg}) has an unreadable state")
    gone = {code for code, when in archived.get(key, []) if when >= at}
    expected = CoderState(after.codes - gone, after.done, after.memo)
    if expected != now_state:
        return Problem(
            "event-log",
            f"{coder} on {seg}: last event {eid} says {_describe(expected)},"
            f" the project holds {_describe(now_state)}",
        )
    return None


def _event_log(conn: sqlite3.Connection, report: CheckReport) -> None:
    """Every (coder, segment): its last state event against its current work, both streamed in
    key order (memory does not grow with the project)."""
    report.checked["events"] = int(conn.execute(
        "SELECT count(*) FROM events"
        " WHERE coder IS NOT NULL AND segment IS NOT NULL AND after IS NOT NULL").fetchone()[0])
    archived: dict[Key, list[tuple[str, str]]] = defaultdict(list)
    for coder, seg, code, at in conn.execute(
        "SELECT coder, segment, code, archived_at FROM archived_annotations"
    ):
        archived[(coder, seg)].append((code, at))
    events = iter(conn.execute(_LAST_EVENTS))
    current = iter(conn.cursor().execute(_CURRENT))
    parsed: dict[str | None, CoderState | None] = {}
    for key, event, cur in _joined(events, current):
        now_state = row_state(cur[2], cur[3], cur[4]) if cur else CoderState()
        problem = _event_problem(key, event, now_state, archived, parsed)
        if problem is not None:
            report.problems.append(problem)


def _single_choice(conn: sqlite3.Connection, report: CheckReport) -> None:
    for facet, seg, coder, codes in conn.execute(
        "SELECT c.facet, a.segment, a.coder, group_concat(a.code, ', ')"
        " FROM annotations a JOIN codes c ON c.id = a.code JOIN facets f ON f.id = c.facet"
        " WHERE f.multiple = 0 GROUP BY c.facet, a.segment, a.coder HAVING count(*) > 1"
        " ORDER BY a.segment, a.coder"
    ):
        report.problems.append(
            Problem(
                "single-choice",
                f"{coder} on {seg}: single-choice facet {facet} holds {codes}",
            )
        )


def check_project(project: Project) -> CheckReport:
    """Run every check on an open project; never raises for a damaged file.

    Every check reads one snapshot of the file (one read transaction), so work that coders
    commit meanwhile never looks like a mismatch between the event log and the current state.
    """
    try:
        with project.snapshot():
            return _check(project)
    except sqlite3.DatabaseError as exc:
        return CheckReport([Problem("integrity", f"cannot be read: {exc}")])


def _check(project: Project) -> CheckReport:
    report = CheckReport()
    conn = project.conn
    try:
        whole = _integrity(conn, report)
    except sqlite3.DatabaseError as exc:
        report.problems.append(Problem("integrity", f"cannot be read: {exc}"))
        return report
    if not whole:
        return report  # the rest would read damaged pages
    steps = (_foreign_keys, _orphans, _event_log, _single_choice)
    for step in steps:
        try:
            step(conn, report)
        except sqlite3.DatabaseError as exc:
            report.problems.append(Problem("integrity", f"{step.__name__[1:]}: {exc}"))
    for table, label in (("segments", "segments"), ("annotations", "annotations"), ("done", "done"),
                         ("memos", "memos"), ("notes", "document and code memos"),
                         ("redecide", "queued to decide again")):
        report.checked[label] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return report
