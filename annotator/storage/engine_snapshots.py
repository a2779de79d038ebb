"""Where a built suggestion engine is found again, and what changed since it was built.

Building the engine of a large project learns from every annotation (half a minute at a
million segments). The built engine is kept in a file of the user's data folder; the project
keeps only a record of it (``engine_snapshots``: which learner, the stamp it was built under,
the point of the learning log it covers, and the file's random token). Every change to
``annotations`` after that is logged (``learning_log``: coder, segment; by triggers, only while
a record exists), so a later start loads the file and relearns the few segments changed since.
A copy or a backup of the project carries its own record and log, so it finds the engine of
its own past and relearns its own changes; a file never named by a record is never read.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.storage.db import Project

#: Schema of the record and the log (run by migration m007).
STATEMENTS = [
    """
    CREATE TABLE engine_snapshots (
        learner TEXT PRIMARY KEY,
        stamp TEXT NOT NULL,
        seq INTEGER NOT NULL,
        token TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE learning_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        coder TEXT NOT NULL,
        segment TEXT NOT NULL
    )
    """,
    """
    CREATE TRIGGER annotations_log_insert AFTER INSERT ON annotations
    WHEN EXISTS (SELECT 1 FROM engine_snapshots) BEGIN
        INSERT INTO learning_log (coder, segment) VALUES (new.coder, new.segment);
    END
    """,
    """
    CREATE TRIGGER annotations_log_delete AFTER DELETE ON annotations
    WHEN EXISTS (SELECT 1 FROM engine_snapshots) BEGIN
        INSERT INTO learning_log (coder, segment) VALUES (old.coder, old.segment);
    END
    """,
    """
    CREATE TRIGGER annotations_log_update AFTER UPDATE ON annotations
    WHEN EXISTS (SELECT 1 FROM engine_snapshots) BEGIN
        INSERT INTO learning_log (coder, segment) VALUES (old.coder, old.segment);
        INSERT INTO learning_log (coder, segment) VALUES (new.coder, new.segment);
    END
    """,
]


@dataclass(frozen=True)
class SnapshotRecord:
    stamp: str
    seq: int
    token: str


def snapshot_record(project: Project, learner: str) -> SnapshotRecord | None:
    row = project.execute(
        "SELECT stamp, seq, token FROM engine_snapshots WHERE learner = ?", (learner,)).fetchone()
    return SnapshotRecord(row[0], int(row[1]), row[2]) if row else None


def log_position(project: Project) -> int:
    """The last point of the learning log (0: empty)."""
    row = project.execute("SELECT max(seq) FROM learning_log").fetchone()
    return int(row[0] or 0)


def log_start(project: Project) -> int:
    """The first point still in the log (the log before it was dropped); 0 when empty."""
    row = project.execute("SELECT min(seq) FROM learning_log").fetchone()
    return int(row[0] or 0)


def changed_since(project: Project, seq: int, coder: str | None) -> list[tuple[str, str]]:
    """(coder, segment) whose annotations changed after point ``seq`` (``coder``'s only, or
    everyone's)."""
    sql = "SELECT DISTINCT coder, segment FROM learning_log WHERE seq > ?"
    params: tuple[object, ...] = (seq,)
    if coder is not None:
        sql += " AND coder = ?"
        params = (seq, coder)
    return [(r[0], r[1]) for r in project.execute(sql, params)]


def changed_count(project: Project, seq: int, coder: str | None) -> int:
    """How many (coder, segment) :func:`changed_since` gives."""
    sql = "SELECT count(*) FROM (SELECT DISTINCT coder, segment FROM learning_log WHERE seq > ?"
    params: tuple[object, ...] = (seq,)
    if coder is not None:
        sql += " AND coder = ?"
        params = (seq, coder)
    return int(project.execute(sql + ")", params).fetchone()[0])


def codes_of(project: Project, coder: str, segment: str) -> frozenset[str]:
    """``coder``'s codes on ``segment`` (what the engine learns from it)."""
    return frozenset(r[0] for r in project.execute(
        "SELECT code FROM annotations WHERE coder = ? AND segment = ?", (coder, segment)))


def keep_record(project: Project, learner: str, record: SnapshotRecord) -> str | None:
    """Record the engine kept for ``learner``; the token of the record it replaces (its file is
    no longer needed by this project), if any. The log before every record is dropped."""
    with project.write() as conn:
        old = conn.execute("SELECT token FROM engine_snapshots WHERE learner = ?", (learner,)).fetchone()
        conn.execute("INSERT OR REPLACE INTO engine_snapshots (learner, stamp, seq, token)"
                     " VALUES (?, ?, ?, ?)", (learner, record.stamp, record.seq, record.token))
        conn.execute("DELETE FROM learning_log WHERE seq <= (SELECT min(seq) FROM engine_snapshots)")
    return old[0] if old and old[0] != record.token else None
