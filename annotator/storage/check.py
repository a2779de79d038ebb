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

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from annotator.plural import plural
from annotator.storage.check_events import event_log_problems, state_events
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


def _foreign_keys(conn: sqlite3.Connection, report: CheckReport) -> set[str]:
    """Report every row whose foreign key points nowhere; the tables holding such rows."""
    tables = set()
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        tables.add(table)
        report.problems.append(
            Problem("foreign-key", f"{table} row {rowid} points at a missing {parent} row")
        )
    return tables


def _points_at(conn: sqlite3.Connection, table: str, column: str, parent: str) -> bool:
    """Does ``table``'s ``column`` carry a foreign key to ``parent``'s id?"""
    return any(row[2] == parent and row[3] == column and row[4] in ("id", None)
               for row in conn.execute(f"PRAGMA foreign_key_list({table})"))


def _orphans(conn: sqlite3.Connection, report: CheckReport, dangling: set[str] | None) -> None:
    """Rows on missing segments or codes. ``dangling``: the tables ``PRAGMA foreign_key_check``
    found rows pointing nowhere in (None: not known); a table whose segment (or code) is such a
    key and that has no such row has no orphan either, and is not read again."""
    def unsure(table: str, column: str, parent: str) -> bool:
        return dangling is None or table in dangling or not _points_at(conn, table, column, parent)

    for table in ("annotations", "done", "memos"):
        if not unsure(table, "segment", "segments"):
            continue
        for coder, seg in conn.execute(
            f"SELECT t.coder, t.segment FROM {table} t"
            " WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.id = t.segment)"
            " ORDER BY t.segment, t.coder"
        ):
            report.problems.append(
                Problem("orphan", f"{table}: {coder} on missing segment {seg}")
            )
    if unsure("annotations", "code", "codes"):
        for coder, seg, code in conn.execute(
            "SELECT a.coder, a.segment, a.code FROM annotations a"
            " WHERE NOT EXISTS (SELECT 1 FROM codes c WHERE c.id = a.code)"
            " ORDER BY a.segment, a.coder, a.code"
        ):
            report.problems.append(
                Problem("orphan", f"annotations: {coder} on {seg} has unknown code {code}")
            )
    _orphan_notes_and_queue(conn, report)
    _archived(conn, report)


def _archived(conn: sqlite3.Connection, report: CheckReport) -> None:
    if conn.execute("SELECT 1 FROM codes WHERE archived = 1 LIMIT 1").fetchone() is None:
        return
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


def _event_log(conn: sqlite3.Connection, report: CheckReport) -> None:
    """Every (coder, segment): its last state event against its current work."""
    report.checked["events"] = state_events(conn)
    report.problems.extend(Problem("event-log", m) for m in event_log_problems(conn))


def _single_choice(conn: sqlite3.Connection, report: CheckReport) -> None:
    """Several codes of one single-choice facet on one coder's segment: one walk over the
    annotations in key order looks for any; they are listed only when there are."""
    facets = [r[0] for r in conn.execute("SELECT id FROM facets WHERE multiple = 0 ORDER BY id")]
    if not facets:
        return
    per_facet = " OR ".join("sum(code IN (SELECT id FROM codes WHERE facet = ?)) > 1" for _ in facets)
    if conn.execute(
        "SELECT 1 FROM annotations WHERE +code IN (SELECT c.id FROM codes c JOIN facets f"
        f" ON f.id = c.facet WHERE f.multiple = 0) GROUP BY coder, segment HAVING {per_facet} LIMIT 1",
        facets,
    ).fetchone() is None:
        return
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
    dangling: set[str] | None = None
    try:
        dangling = _foreign_keys(conn, report)
    except sqlite3.DatabaseError as exc:
        report.problems.append(Problem("integrity", f"foreign_keys: {exc}"))
    steps: tuple[tuple[str, Callable[[], None]], ...] = (
        ("orphans", lambda: _orphans(conn, report, dangling)),
        ("event_log", lambda: _event_log(conn, report)),
        ("single_choice", lambda: _single_choice(conn, report)),
    )
    for name, step in steps:
        try:
            step()
        except sqlite3.DatabaseError as exc:
            report.problems.append(Problem("integrity", f"{name}: {exc}"))
    for table, label in (("segments", "segments"), ("annotations", "annotations"), ("done", "done"),
                         ("memos", "memos"), ("notes", "document and code memos"),
                         ("redecide", "queued to decide again")):
        report.checked[label] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return report
