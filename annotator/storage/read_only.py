"""Projects that cannot be written: a read-only file, folder or mount.

Such a project is opened read-only, so that everything that only reads it (segments,
agreement, exports, check, backup) works, and every write is refused saying why. SQLite needs
to create ``<project>-shm`` beside a WAL-mode file even to read it; where the folder cannot be
written either (a read-only mount) and no write-ahead log holds changes, the file is opened as
immutable (nobody can change it there).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from annotator.errors import ProjectError


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def read_only_reason(path: Path) -> str | None:
    """Why the existing project file ``path`` cannot be written (a phrase), or None."""
    if _read_only_mount(path):
        return "it is on a read-only file system"
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    if not os.access(_folder(path), os.W_OK | os.X_OK):
        return "its folder is not writable"
    return None


def connect_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A read-only connection to ``path`` (immutable where nothing can change it)."""
    wal = path.with_name(path.name + "-wal")
    folder = _folder(path)
    folder_writable = not _read_only_mount(folder) and os.access(folder, os.W_OK | os.X_OK)
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if not folder_writable:
        if wal.exists() and wal.stat().st_size > 0:
            raise ProjectError(
                "the project is read-only and its write-ahead log (-wal file) holds changes not"
                " yet in the file; copy the project and its -wal file to a writable folder",
                path=path)
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def refuse_write(path: Path, reason: str) -> ProjectError:
    return ProjectError(f"the project file is read-only ({reason}); nothing was changed",
                        path=path)
