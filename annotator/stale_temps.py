"""Temporary files beside an output, named so that people recognise them and removed once
the program that wrote them is gone.

Outputs are written to a temporary file in the same folder and renamed into place. A kill
(SIGKILL, power loss) leaves that file behind. Its name says who made it —
``.<output>.annotator-<pid>-<random>.tmp`` (exports) or ``….partial`` (backups) —
and the next write of the same output removes those whose process no longer runs. A new
project that a killed import left half-built is also removed by any command that opens a
project in its folder (:func:`remove_dead_builds`).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path


def temp_prefix(path: Path) -> str:
    """The ``mkstemp`` prefix of a temporary file for ``path``."""
    return f".{path.name}.annotator-{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process: leave its file alone
    return True


def remove_stale(path: Path) -> list[Path]:
    """Remove temporary files of ``path`` left by processes that no longer run; those removed."""
    return remove_stale_like(path.parent if str(path.parent) else Path("."), re.escape(path.name))


def remove_stale_like(folder: Path, name: str) -> list[Path]:
    """:func:`remove_stale` for every output of ``folder`` whose name matches the regular
    expression ``name`` (e.g. every automatic backup of a project, each named for its time)."""
    pattern = re.compile(
        rf"^\.{name}\.(?:annotator-(\d+)-[^/]*\.(?:tmp|partial)|(\d+)\.partial)(?:-journal|-wal|-shm)?$")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = pattern.match(entry.name)
        if m is None or _alive(int(m.group(1) or m.group(2))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


#: A new project being built by an import (:mod:`annotator.storage.new_file`): ``mkstemp``'s
#: name exactly (eight of its characters), with SQLite's side files.
_BUILD = re.compile(r"^\.(?:.+)\.annotator-(\d+)-[a-z0-9_]{8}\.tmp(-journal|-wal|-shm)?$")
_SQLITE = b"SQLite format 3\0"
_swept: set[str] = set()


#: A build whose file changed more recently than this is left alone, whatever its process id
#: says: in a folder shared between machines the id may be another machine's running import.
QUIET_S = 600.0


def _recent(path: str) -> bool:
    try:
        return os.stat(path).st_mtime > time.time() - QUIET_S
    except OSError:
        return False  # side files whose file is already gone


def _holds_a_project(path: str) -> bool:
    """Whether ``path`` is empty or a SQLite file (what a project being built is; an export's
    temporary of the same name shape is neither)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return True  # side files whose file is already gone
    except OSError:
        return False
    try:
        head = os.read(fd, len(_SQLITE))
    finally:
        os.close(fd)
    return head in (b"", _SQLITE)


def remove_dead_builds(folder: Path) -> list[Path]:
    """Remove the new projects that imports killed in ``folder`` left half-built (hidden
    temporaries whose process no longer runs); once per folder and process. Those removed."""
    key = os.path.abspath(folder)
    if key in _swept:
        return []
    _swept.add(key)
    removed: list[Path] = []
    try:
        names = [e.name for e in os.scandir(key) if e.name.startswith(".") and ".annotator-" in e.name]
    except OSError:
        return removed
    for name in sorted(names, key=len, reverse=True):  # side files before their file
        m = _BUILD.match(name)
        if m is None or _alive(int(m.group(1))):
            continue
        main = os.path.join(key, name[: len(name) - len(m.group(2) or "")])
        if not _holds_a_project(main) or _recent(main):
            continue
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(key, name))
            removed.append(Path(key, name))
    return removed
