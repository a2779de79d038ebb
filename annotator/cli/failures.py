"""One line for what the operating system or SQLite refused: a full disk, a read-only folder,
a permission. Said plainly, with what became of the user's data."""

from __future__ import annotations

import errno
import sqlite3

_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "is a folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EIO: "an input/output error of the disk",
}


def os_error_line(exc: OSError) -> str:
    """``PATH: reason; nothing half-written was kept`` for an ``OSError``."""
    reason = _OS_REASONS.get(exc.errno or 0) or " ".join((exc.strerror or str(exc)).split())
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{reason}; nothing half-written was kept"


def sqlite_error_line(exc: sqlite3.Error) -> str:
    """What a SQLite error means for the project file, in one line."""
    text = str(exc)
    if "disk is full" in text or "database or disk is full" in text:
        return ("the disk is full: the change was not saved and the project is unchanged;"
                " free some space and try again")
    if "readonly" in text or "read-only" in text:
        return "the project file is read-only: nothing was changed"
    if "disk I/O error" in text:
        return ("a disk input/output error while using the project file; run 'annotator check'"
                " or restore a backup")
    return (f"cannot read the project file ({text}); it may be damaged:"
            " run 'annotator check' or restore a backup")
