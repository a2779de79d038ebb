"""One line for what the operating system or SQLite refused: a full disk, a read-only folder,
a permission. Said plainly, with what became of the user's data."""

from __future__ import annotations

import errno

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
