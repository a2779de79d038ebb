"""Refusing to open a project whose write-ahead log was deleted while it is still open.

SQLite's connections to one project share an index of the write-ahead log in ``<project>-shm``.
When the log (``<project>-wal``) is deleted under a running program, that program keeps writing
to the deleted file, while a connection opened afterwards makes a new, empty log under the old
name yet reads the shared index of the deleted one: it would read pages that are not there,
and a checkpoint from it would copy them into the project file, which is then damaged for good.
So a project whose index is present and in use (some connection holds SQLite's lock on it) but
whose log is missing is not opened until that program has closed it; the program itself notices
the deleted log at its next change (:mod:`annotator.storage.file_guard`) and keeps its changes
for ``annotator recover``.

A program that closes the project last also deletes the log, then the index: in that instant the
same state is seen, so it must last a moment before a project is refused.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from annotator.storage.file_guard import ProjectFileLost, wal_path

#: The byte of the ``-shm`` file every connection holds a shared lock on while it is open
#: (SQLite's ``UNIX_SHM_DMS``: 120 + 8 lock slots, os_unix.c).
DMS_BYTE = 128
#: How long the state must last before it is taken for a deleted log, not a closing program.
SETTLE_S = 0.3
_STEP_S = 0.05
_LOCKS = "/proc/locks"


def shm_path(path: Path) -> Path:
    return path.with_name(path.name + "-shm")


def index_in_use(shm: Path) -> bool:
    """Whether a connection, in this process or another, holds SQLite's lock on ``shm``.

    Read from Linux's list of locks (``/proc/locks``): opening ``shm`` to ask ``fcntl`` would
    be worse than no answer, since closing any descriptor of a file drops every lock this
    process holds on it, SQLite's own. Where there is no such list: False.
    """
    try:
        st = os.stat(shm)
        with open(_LOCKS, encoding="ascii", errors="replace") as locks:
            table = locks.read()
    except OSError:
        return False
    file = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    return any(_covers(line.split(), file) for line in table.splitlines())


def _covers(fields: list[str], file: str) -> bool:
    """Whether a ``/proc/locks`` line (``1: POSIX ADVISORY READ pid dev:ino start end``) is a
    lock on ``file`` over :data:`DMS_BYTE`; lines of waiting locks (``->``) have one more field."""
    if "->" in fields:
        return False
    try:
        at = fields.index(file)
        start, end = int(fields[at + 1]), fields[at + 2]
    except (ValueError, IndexError):
        return False
    return start <= DMS_BYTE and (end == "EOF" or DMS_BYTE <= int(end))


def _log_deleted_in_use(path: Path) -> bool:
    return (not wal_path(path).exists() and shm_path(path).exists()
            and index_in_use(shm_path(path)))


def refuse_if_log_deleted(path: Path) -> None:
    """Raise :class:`ProjectFileLost` when ``path``'s log is deleted while a connection has it."""
    deadline = time.monotonic() + SETTLE_S
    while _log_deleted_in_use(path):
        if time.monotonic() >= deadline:
            raise ProjectFileLost(
                f"its write-ahead log {wal_path(path).name} was deleted while a program still"
                " has the project open (the coding screen keeps its changes for"
                " 'annotator recover'); close it, then try again", path=path)
        with contextlib.suppress(InterruptedError):
            time.sleep(_STEP_S)
