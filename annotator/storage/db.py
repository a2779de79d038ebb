"""Opening a project file: checks, pragmas, migrations, and the write transaction."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator import config
from annotator.errors import ProjectBusy, ProjectError
from annotator.stale_temps import remove_dead_builds
from annotator.storage import migrations, search_index
from annotator.storage.deleted_log import refuse_if_log_deleted
from annotator.storage.file_guard import FileGuard
from annotator.storage.open_errors import open_failure
from annotator.storage.read_only import connect_read_only, read_only_reason, refuse_write

# Never open a project file with Python's open() in this process: closing any descriptor of
# a file drops every POSIX lock the process holds on it, including SQLite's, and another
# process may then checkpoint and delete the WAL under our open connections.


def now() -> str:
    """UTC time stamp as stored in the project file."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Project:
    """An open project file on connection ``connection``; ``db`` is a sqlite-utils Database on
    it, made when first asked for (importing sqlite-utils costs a command half a second)."""

    path: Path
    connection: sqlite3.Connection
    busy_timeout: float = config.BUSY_TIMEOUT_S
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    guard: FileGuard | None = field(default=None, repr=False)  # checked around every commit
    read_only: str | None = None  # why the file cannot be written; every write is refused

    @property
    def conn(self) -> sqlite3.Connection:
        return self.connection

    @property
    def db(self) -> Any:
        """A ``sqlite_utils.Database`` on the project's connection."""
        made = self._cache.get("sqlite_utils")
        if made is None:
            import sqlite_utils

            made = self._cache["sqlite_utils"] = sqlite_utils.Database(self.connection, execute_plugins=False)
        return made

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        """Rows of ``sql`` as dictionaries keyed by column name."""
        cursor = self.connection.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every read inside sees the file as it was at the first read,
        whatever other processes commit meanwhile (WAL mode never blocks them). Nested use
        joins the outer transaction."""
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    @contextlib.contextmanager
    def write(self, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with ``BEGIN IMMEDIATE`` so concurrent writers queue up.

        Waits for other writers up to the busy timeout, retrying a few times; a lock that outlasts
        that is reported as a ``ProjectError`` (never "database is locked" from deep inside).
        ``wait=False``: while another program writes, raise :class:`ProjectBusy` at once instead
        (for a write that can be made later, e.g. on a screen that must answer its keys).
        Nested use joins the outer transaction.
        """
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        if self.read_only:
            raise refuse_write(self.path, self.read_only)
        if wait:
            self._begin_waiting(conn)
        else:
            self._begin_at_once(conn)
        try:
            if self.guard is not None:
                self.guard.check()
            yield conn
            if self.guard is not None:
                self.guard.check()
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        self._cache.clear()
        if self.guard is not None:  # a file deleted during the commit: the change is not safe
            self.guard.check()

    def _begin_waiting(self, conn: sqlite3.Connection) -> None:
        deadline = time.monotonic() + self.busy_timeout * 3
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
                if time.monotonic() > deadline:
                    raise ProjectError(
                        "the project is locked by another program; try again when it has finished",
                        path=self.path,
                    ) from None
                time.sleep(0.05)

    def _begin_at_once(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
            raise ProjectBusy("another program is writing the project", path=self.path) from None
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(
        str(path), timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    search_index.register(conn)
    return conn


def _set_journal(conn: sqlite3.Connection, loading: bool) -> None:
    """A project's normal mode (write-ahead log, synced at checkpoints); or, for a file being
    built that no one has seen yet (``loading``), a rollback journal held in memory and no
    syncs: a new file's appended pages need no journal, and a crash only loses the unnamed
    file (see :mod:`annotator.storage.new_file`)."""
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    wanted = "memory" if loading else "wal"
    if mode != wanted:
        conn.execute(f"PRAGMA journal_mode = {wanted.upper()}")
    conn.execute(f"PRAGMA synchronous = {'OFF' if loading else 'NORMAL'}")


def open_project(
    path: str | Path, *, create: bool = False, busy_timeout: float = config.BUSY_TIMEOUT_S,
    loading: bool = False,
) -> Project:
    """Open (or with ``create=True`` create) a project file, upgrading an older schema in place.

    ``loading``: a new file being filled before it is renamed into place (no write-ahead log,
    no syncs until :func:`annotator.storage.new_file.finish_loading`).

    Raises ``ProjectError`` with a one-line reason for a missing file, a file that is not a
    project, a corrupt file, a file from a newer annotator, or a lock that does not clear.
    """
    path = Path(path)
    exists = path.exists()
    if not exists and not create:
        raise ProjectError("no such project file (create one with 'annotator init')", path=path)
    if exists and path.is_dir():
        raise ProjectError("is a folder, not a project file", path=path)
    if not exists and not path.parent.is_dir():  # a typo in the path: never create folders
        raise ProjectError(f"no such folder {str(path.parent)!r}; create it first", path=path)
    if exists:
        refuse_if_log_deleted(path)  # a connection now would damage the file for good
        # what imports killed beside it left half-built (their process is gone)
        remove_dead_builds(path.parent if str(path.parent) else Path("."))
    read_only = read_only_reason(path) if exists else None
    try:
        conn = connect_read_only(path, busy_timeout) if read_only else _connect(path, busy_timeout)
    except sqlite3.Error as exc:
        raise ProjectError(open_failure(path, str(exc)).replace("cannot read the project file",
                                                               "cannot open"), path=path) from None
    try:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise ProjectError("not an annotator project (not a SQLite file)", path=path) from None
            raise
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if app_id != migrations.APPLICATION_ID and (tables or version):
            raise ProjectError("not an annotator project (a SQLite file of another program)", path=path)
        if version > migrations.SCHEMA_VERSION:
            raise ProjectError(
                f"made by a newer annotator (schema {version}, this one knows {migrations.SCHEMA_VERSION});"
                " upgrade annotator to open it",
                path=path,
            )
        if not tables and not create:
            raise ProjectError("empty file, not an annotator project", path=path)
        if read_only and version < migrations.SCHEMA_VERSION:
            raise refuse_write(path, f"{read_only}; made by an older annotator, it needs an upgrade")
        if not read_only:
            _set_journal(conn, loading)
            migrations.apply(conn)
    except ProjectError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise ProjectError(
                "the project is locked by another program; try again when it has finished", path=path
            ) from None
        raise ProjectError(open_failure(path, text), path=path) from None
    return Project(path=path, connection=conn, busy_timeout=busy_timeout, guard=FileGuard(path),
                   read_only=read_only)
