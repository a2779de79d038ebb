"""Consistent copies of a project file, taken while coders keep working.

``backup_project`` uses SQLite's online backup API (``sqlite3.Connection.backup``) in one step:
it reads one snapshot of the file inside a read transaction, which in WAL mode never blocks
writers, so the copy holds every change committed before it started and nothing half-written.
The coding screen's automatic backup is copied in small steps instead, with a pause between
them while the coder is pressing keys (``pace``): its read transaction is held from the first
step to the last, so the steps read that one snapshot too (nothing committed meanwhile, by any
connection, reaches the copy or makes SQLite start it again).
The copy goes to a temporary name in the destination folder, is checked, switched to a
single-file journal mode, flushed to disk and only then renamed into place: a crash mid-way
leaves at most a stray ``*.partial`` file, never a truncated backup under the final name, and
the next backup of the same kind of the same project removes it (:func:`clear_cut_short`).

Where copies go:

* ``annotator backup PROJECT.db`` without ``-o`` writes ``<stem>.backup-<UTC time>.db`` **next to
  the project**, where the researcher sees it and where it travels with the project folder.
* The automatic backup taken when the coding screen opens (``rotate_backup``) goes to
  ``annotator.config.data_dir()/backups/<stem>-<hash of the project's path>/`` so that the
  project folder does not fill up; the newest ``backups_kept`` copies are kept (project
  ``settings`` table, default ``config.BACKUPS_KEPT``; ``0`` turns automatic backups off).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from annotator import config
from annotator.errors import ProjectError
from annotator.files import atomic_path
from annotator.special_files import is_special, stream_into
from annotator.stale_temps import remove_stale_like
from annotator.storage.db import Project, open_project

SETTING_KEPT = "backups_kept"
_STAMP = "%Y%m%dT%H%M%S"


def _stamp() -> str:
    now = datetime.now(UTC)
    return f"{now.strftime(_STAMP)}.{now.microsecond // 1000:03d}Z"


def default_backup_path(project_path: Path) -> Path:
    """``<stem>.backup-<UTC time>.db`` beside the project, for a backup about to be taken: the
    partial copies that earlier such backups left, cut short, are removed first."""
    clear_cut_short(project_path.parent, project_path.stem, "backup")
    return project_path.with_name(f"{project_path.stem}.backup-{_stamp()}.db")


def clear_cut_short(folder: Path, stem: str, kind: str) -> None:
    """Remove the partial copies that earlier backups of a project (``kind``: ``auto`` or
    ``backup``) left when their process was closed or killed mid-copy: each backup is named for
    its time, so the next one never has its name (see :func:`remove_stale_like`)."""
    remove_stale_like(folder, rf"{re.escape(stem)}\.{kind}-[^/]*\.db")


def rotating_dir(project_path: Path) -> Path:
    """The folder of the automatic backups of one project (by its resolved path)."""
    resolved = str(Path(project_path).resolve())
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:10]
    return config.data_dir() / "backups" / f"{Path(project_path).stem}-{digest}"


#: Pages copied per step of a paced backup (1 MB at the usual 4 KiB pages: a few milliseconds).
STEP_PAGES = 256

#: Called between the steps of a paced backup, with True before the copy's check (seconds on a
#: large project, which cannot be paused); it may sleep to give way.
Pace = Callable[[bool], None]


def _backup_into(project: Project, partial: Path, dest: Path, pace: Pace | None = None) -> None:
    target = sqlite3.connect(str(partial), isolation_level=None)
    try:
        if pace is None or not _write_ahead(project):  # one step (pages=-1): a single read
            project.conn.backup(target, pages=-1)  # snapshot, so the copy is consistent
        else:
            with project.snapshot() as conn:  # the steps all read the snapshot begun here
                conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
                conn.backup(target, pages=STEP_PAGES, progress=lambda _status, _left, _total: pace(False))
            pace(True)
        target.execute("PRAGMA journal_mode = DELETE")  # a self-contained single file
        verdict = target.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        target.close()
    if verdict != "ok":
        raise ProjectError(f"the copy failed its check ({verdict}); nothing kept", path=dest)


def _write_ahead(project: Project) -> bool:
    """Whether ``project`` is in WAL mode, where a long read transaction blocks no writer (with
    a rollback journal it would hold every writer back until the copy is done)."""
    return str(project.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"


def _backup_into_special(project: Project, dest: Path, pace: Pace | None = None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="annotator-backup-"))
    try:
        partial = folder / "copy.db"
        _backup_into(project, partial, dest, pace)
        stream_into(partial, dest)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def copy_project(project: Project, dest: Path, pace: Pace | None = None) -> Path:
    """Write a consistent copy of the open ``project`` to ``dest`` (atomically); return ``dest``.
    ``pace``: copy in steps, calling it between them (and before the copy's check)."""
    dest = Path(dest)
    if dest.resolve() == project.path.resolve():
        raise ProjectError("a backup cannot overwrite the project itself", path=dest)
    if dest.is_dir():
        raise ProjectError("is a folder; name the backup file", path=dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"cannot create the folder: {exc.strerror}", path=dest.parent) from None
    try:
        if is_special(dest):  # /dev/null, a FIFO: copied into in place, never renamed over
            _backup_into_special(project, dest, pace)
        else:
            with atomic_path(dest, suffix=".partial", durable=True) as partial:
                try:
                    _backup_into(project, partial, dest, pace)
                finally:
                    for suffix in ("-journal", "-wal", "-shm"):
                        Path(str(partial) + suffix).unlink(missing_ok=True)
    except sqlite3.Error as exc:
        from annotator.storage.open_errors import disk_full

        reason = "the disk is full" if disk_full(dest) else str(exc)
        raise ProjectError(f"backup failed: {reason}; nothing was kept", path=dest) from None
    except OSError as exc:
        raise ProjectError(f"backup failed: {exc.strerror or exc}", path=dest) from None
    return dest


def backup_project(project_path: str | Path, dest: str | Path | None = None) -> Path:
    """Copy the project file at ``project_path`` to ``dest`` (default: beside it, time-stamped)."""
    path = Path(project_path)
    target = Path(dest) if dest is not None else default_backup_path(path)
    with open_project(path) as project:
        return copy_project(project, target)


def backups_kept(project: Project) -> int:
    """How many automatic backups to keep: the ``backups_kept`` setting, else the default."""
    row = project.execute("SELECT value FROM settings WHERE key = ?", (SETTING_KEPT,)).fetchone()
    if row is None:
        return config.BACKUPS_KEPT
    try:
        return max(0, int(str(row[0]).strip()))
    except ValueError:
        return config.BACKUPS_KEPT


def set_backups_kept(project: Project, keep: int) -> None:
    if keep < 0:
        raise ProjectError("the number of backups to keep cannot be negative", path=project.path)
    with project.write() as conn:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (SETTING_KEPT, str(keep)),
        )


def list_rotating(project_path: str | Path) -> list[Path]:
    """The automatic backups of a project, oldest first."""
    folder = rotating_dir(Path(project_path))
    if not folder.is_dir():
        return []
    stem = Path(project_path).stem
    found = [p for p in folder.glob(f"{stem}.auto-*.db") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def rotate_backup(project_path: str | Path, keep: int | None = None, pace: Pace | None = None
                  ) -> Path | None:
    """Take an automatic backup and delete the oldest beyond the newest ``keep``; ``pace``: as
    for :func:`copy_project`.

    ``keep`` defaults to the project's ``backups_kept`` setting (else ``config.BACKUPS_KEPT``);
    0 takes no backup. Returns the new copy (None when turned off). Safe to run in a worker
    thread while the coding screen writes: it opens its own connection.
    """
    path = Path(project_path)
    with open_project(path) as project:
        kept = backups_kept(project) if keep is None else keep
        if kept <= 0:
            return None
        folder = rotating_dir(path)
        clear_cut_short(folder, path.stem, "auto")
        dest = folder / f"{path.stem}.auto-{_stamp()}.db"
        n = 1
        while dest.exists():  # two backups in the same millisecond
            dest = folder / f"{path.stem}.auto-{_stamp()}-{n}.db"
            n += 1
        copy_project(project, dest, pace)
    for old in list_rotating(path)[:-kept]:
        with contextlib.suppress(OSError):
            old.unlink()
    return dest
