"""Saying why a project file could not be opened when SQLite only says 'disk I/O error'."""

from __future__ import annotations

import os
from pathlib import Path

#: SQLite needs room beside the file for its -wal and -shm files even to read it
ROOM_NEEDED = 256 * 1024


def disk_full(path: Path) -> bool:
    """Whether the file system holding ``path`` has (almost) no room left."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < ROOM_NEEDED


def open_failure(path: Path, text: str) -> str:
    """The reason to give for an SQLite error ``text`` while opening ``path``."""
    if "disk is full" in text or (("I/O error" in text or "unable to open" in text)
                                  and disk_full(path)):
        return ("the disk is full: SQLite needs a little room beside the project for its -wal"
                " and -shm files; free some space (the project is unchanged)")
    return f"cannot read the project file ({text}); is it corrupt?"
