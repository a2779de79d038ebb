"""Output to special files (``/dev/null``, a FIFO, a terminal, a character device).

Files are written through a temporary file renamed over the target, so a reader never sees a
half-written file. Renaming over a special file would replace the device or FIFO itself with a
regular file (as root: ``/dev/null`` turned into a file; a FIFO's reader gets nothing), so such
targets are written in place, front to back, as the shell's ``>`` would.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path


def is_special(path: str | Path) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a folder (after symlinks)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def stream_into(source: str | Path | int, target: str | Path) -> None:
    """Copy the bytes of the regular file ``source`` (a path or an open descriptor, read from
    its start) into the special file ``target``."""
    if isinstance(source, int):
        os.lseek(source, 0, os.SEEK_SET)
    with open(source, "rb", closefd=not isinstance(source, int)) as src, \
            open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def regular_file_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be read as an input file (a FIFO would block forever, a device
    never ends), or None for a regular file and for a path that does not exist (the caller
    says 'no such file' in its own words)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, device or socket); name a file"
    return None
