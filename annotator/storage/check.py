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


def _current_states(conn: sqlite3.Connection) -> dict[tuple[str, str], dict[str, Any]]:
    states: dict[tuple[str, str], dict[str, Any]] = {}

    def slot(coder: str, seg: str) -> dict[str, Any]:
        return states.setdefault((coder, seg), {"codes": set(), "done": False, "memo": ""})

    for coder, seg, code in conn.execute("SELECT coder, segment, code FROM annotations"):
        slot(coder, seg)["codes"].add(code)
    for coder, seg in conn.execute("SELECT coder, segment FROM done"):
        slot(coder, seg)["done"] = True
    for coder, seg, text in conn.execute("SELECT coder, segment, text FROM memos"):
        slot(coder, seg)["memo"] = text
    return states


def _describe(state: CoderState) -> str:
    parts = [", ".join(sorted(state.codes)) or "no code", "done" if state.done else "open"]
    if state.memo:
        parts.append("memo")
    return "; ".join(parts)


def _event_log(conn: sqlite3.Connection, report: CheckReport) -> None:
    segments = {r[0] for r in conn.execute("SELECT id FROM segments")}
    # the last state event per (coder, segment): the highest id wins
    last: dict[tuple[str, str], tuple[int, str, str | None]] = {}
    n_events = 0
    for eid, at, coder, seg, after in conn.execute(
        "SELECT id, at, coder, segment, after FROM events"
        " WHERE coder IS NOT NULL AND segment IS NOT NULL AND after IS NOT NULL ORDER BY id"
    ):
        n_events += 1
        last[(coder, seg)] = (eid, at, after)
    report.checked["events"] = n_events
    archived: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for coder, seg, code, at in conn.execute(
        "SELECT coder, segment, code, archived_at FROM archived_annotations"
    ):
        archived[(coder, seg)].append((code, at))
    current = _current_states(conn)
    for key in sorted(set(last) | set(current)):
        coder, seg = key
        if seg not in segments:
            continue  # history of a segment removed by --replace (its work was archived)
        cur = current.get(key)
        now_state = (
            CoderState(frozenset(cur["codes"]), cur["done"], cur["memo"]) if cur else CoderState()
        )
        if key not in last:
            report.problems.append(
                Problem("event-log", f"{coder} on {seg}: work ({_describe(now_state)}) with no event")
            )
            continue
        eid, at, after_text = last[key]
        try:
            after = CoderState.from_json(json.loads(after_text or "null") or {})
        except (ValueError, TypeError, AttributeError):
            report.problems.append(
                Problem("event-log", f"event {eid} ({coder} on {seg}) has an unreadable state")
            )
            continue
        gone = {code for code, when in archived.get(key, []) if when >= at}
        expected = CoderState(after.codes - gone, after.done, after.memo)
        if expected != now_state:
            report.problems.append(
                Problem(
                    "event-log",
                    f"{coder} on {seg}: last event {eid} says {_describe(expected)},"
                    f" the project holds {_describe(now_state)}",
                )
            )


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
    """Run every check on an open project; never raises for a damaged file."""
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
