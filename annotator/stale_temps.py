"""Temporary files beside an output, named so that people recognise them and removed once
the program that wrote them is gone.

Outputs are written to a temporary file in the same folder and renamed into place. A kill
(SIGKILL, power loss) leaves that file behind. Its name says who made it —
``.<output>.annotator-<pid>-<random>.tmp`` (exports) or ``….partial`` (backups) —
and the next write of the same output removes those whose process no longer runs.
"""

from __future__ import annotations

import contextlib
import os
import re
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
    folder = path.parent if str(path.parent) else Path(".")
    name = re.escape(path.name)
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
