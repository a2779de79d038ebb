"""Copying a big write into the project file in view: the checkpoint after an import.

A project keeps recent commits in its write-ahead log (``<project>-wal``); SQLite copies them
into the project file (a checkpoint) on the commit that makes the log long. After an import of a
million segments that copy is the whole import, a gigabyte or more, and takes minutes in which
nothing would be shown. :func:`checkpoint_after` holds the automatic copy back while an import
writes and then makes it with a progress bar (the bytes the project file has grown by).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator

from annotator.storage import progress
from annotator.storage.db import Project
from annotator.storage.file_guard import wal_path

#: A log shorter than this (bytes) is copied without a progress bar.
SHOWN_FROM = 64 << 20
#: How often (seconds) the progress bar is brought up to date.
POLL_S = 0.25


@contextlib.contextmanager
def checkpoint_after(project: Project) -> Iterator[None]:
    """No automatic checkpoint while the block writes; when it ends without error, the log is
    copied into the project file (with a progress bar when it is long)."""
    conn = project.conn
    every = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {every}")
    checkpoint(project)


def _size(path: os.PathLike[str] | str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def checkpoint(project: Project) -> None:
    """Copy the write-ahead log into the project file as far as readers allow (SQLite's passive
    checkpoint, as the automatic one), showing progress when the log is long."""
    conn = project.conn
    if _size(wal_path(project.path)) < SHOWN_FROM:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    start = _size(project.path)
    grows = max(page_size * pages - start, 1)
    with watching("writing the import into the project file", grows,
                  lambda: _size(project.path) - start):
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


@contextlib.contextmanager
def watching(what: str, total: int, done: Callable[[], int]) -> Iterator[None]:
    """Report ``what`` (``total`` steps) while the block runs, reading ``done()`` (steps done so
    far) every ``POLL_S`` seconds in a thread; all of it when the block ends."""
    stop = threading.Event()
    with progress.reporting(what, total) as advance:
        shown = [0]

        def show() -> None:
            now = min(max(done(), shown[0]), total)
            advance(now - shown[0])
            shown[0] = now

        def poll() -> None:
            while not stop.wait(POLL_S):
                show()

        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
        advance(total - shown[0])
