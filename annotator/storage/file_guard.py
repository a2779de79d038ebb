"""Noticing that a project file was deleted or replaced under an open connection.

SQLite keeps writing to the files it opened. When a sync client (Dropbox, OneDrive, iCloud
Drive) or a cleanup script deletes or replaces the project file or its write-ahead log
(``<project>-wal``) while a program has it open, every later commit goes to a file nobody
will ever read again, and the commits not yet copied from the log into the project file are
lost with the log. A :class:`FileGuard` remembers which files (device and inode) the
connection opened and is checked around every write transaction: a change is acknowledged
only while both are still the files at those names.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.errors import ProjectError

Identity = tuple[int, int]


class ProjectFileLost(ProjectError):
    """The project file or its write-ahead log was deleted or replaced while it was open."""


def _identity(path: Path) -> Identity | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


class FileGuard:
    """The (device, inode) of a project file and of its write-ahead log, as first opened."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.db = _identity(self.path)
        self.wal = _identity(wal_path(self.path))
        self.lost: str | None = None

    def check(self) -> None:
        """Raise :class:`ProjectFileLost` unless both files are still the ones opened.

        A log that did not exist when the project was opened may appear later (SQLite makes it
        on the first write); once seen it must stay the same file. Once lost, always lost.
        """
        if self.lost is None:
            self.lost = self._why_lost()
        if self.lost is not None:
            raise ProjectFileLost(self.lost, path=self.path)

    def _why_lost(self) -> str | None:
        db = _identity(self.path)
        if db is None:
            return "the project file was deleted while it was open"
        if db != self.db:
            return "the project file was replaced by another file while it was open"
        wal = _identity(wal_path(self.path))
        if self.wal is None:
            self.wal = wal
            return None
        if wal is None:
            return (f"its write-ahead log {wal_path(self.path).name} (recent changes not yet"
                    " copied into the project file) was deleted while the project was open")
        if wal != self.wal:
            return (f"its write-ahead log {wal_path(self.path).name} was replaced by another"
                    " file while the project was open")
        return None
