"""A new project file built under a hidden temporary name, renamed into place only when whole.

An import that creates its project writes everything into ``.<name>.annotator-<pid>-<random>.tmp``
beside it. No one knows that file yet, so it is filled without the write-ahead log and without
syncs (the rollback journal held in memory: the pages a new file appends need none, and a failed
import's rollback still works); a kill loses only that file, which the next import of the same
name, or any command opening a project in that folder, removes (:mod:`annotator.stale_temps`)
and which no command takes for a project (its name does not end in the project's). When the filling succeeded the file is switched to a project's
normal mode (write-ahead log), closed, synced, given the name (never over a file that appeared
at that name meanwhile) and the folder synced.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from annotator.errors import ProjectError
from annotator.files import place_new_file, sync_file
from annotator.stale_temps import remove_stale, temp_prefix
from annotator.storage import progress
from annotator.storage.db import Project, open_project

SIDE_FILES = ("", "-journal", "-wal", "-shm")


def finish_loading(project: Project) -> None:
    """Switch a loaded file to a project's normal mode (write-ahead log, synced at checkpoints)."""
    project.conn.execute("PRAGMA journal_mode = WAL")
    project.conn.execute("PRAGMA synchronous = NORMAL")


def _temporary(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():  # a typo in the path: never create folders
        raise ProjectError(f"no such folder {str(folder)!r}; create it first", path=path)
    remove_stale(path)  # left by a killed earlier import
    fd, name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=folder)
    os.close(fd)
    return Path(name)


def _remove(temp: Path) -> None:
    for suffix in SIDE_FILES:
        with contextlib.suppress(OSError):
            os.unlink(str(temp) + suffix)


def _publish(temp: Path, path: Path) -> None:
    size = temp.stat().st_size
    with progress.reporting(f"writing {path.name} to disk", size) as advance:
        sync_file(temp)
        advance(size)
    try:
        place_new_file(temp, path)
    except FileExistsError:
        raise ProjectError("appeared while the import ran; this import was not kept and that file"
                           " was left as it is", path=path) from None


@contextlib.contextmanager
def building(path: Path) -> Iterator[Project]:
    """A new project (the newest schema, nothing in it) open for filling under a temporary name
    beside ``path``. When the block ends without error the file becomes ``path``; on any error
    (or a kill) nothing is left at ``path`` nor beside it."""
    if path.exists():
        raise ProjectError("already exists", path=path)
    temp = _temporary(path)
    try:
        project = open_project(temp, create=True, loading=True)
        try:
            yield project
            finish_loading(project)
        finally:
            project.close()
        _publish(temp, path)
    finally:
        _remove(temp)
