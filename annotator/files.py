"""Writing files atomically: through a temporary file in the same folder, renamed into place.

The one helper for every file annotator writes (exports, reports, backups, caches): on any error
the temporary file is removed and an existing file at the path is untouched. Stdlib only.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from annotator.errors import UsageError
from annotator.special_files import is_special, stream_into
from annotator.stale_temps import remove_stale, temp_prefix


def is_stdout(path: Path | str | None) -> bool:
    """Whether ``-o`` names standard output (``-``)."""
    return path is not None and str(path) == "-"


def _file_mode(path: Path) -> int:
    """The permissions a plain ``open(path, "w")`` would give: an existing file's own, else
    0o666 less the umask (``mkstemp`` makes its file 0o600, unreadable to a shared folder's group).
    """
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def sync_file(path: Path) -> None:
    """Flush a file's data to the disk (whoever wrote it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: ``link`` failing with these says the file system has no hard links, not that the link is wrong
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


def place_new_file(tmp: Path, path: Path) -> None:
    """Give the finished (synced) file ``tmp`` the name ``path``, with the permissions a new file
    gets, and sync the folder. Raises ``FileExistsError`` rather than replace a file that
    appeared at ``path`` meanwhile: a hard link is made, which fails if the name is taken (where
    the file system has no hard links, the name is checked just before the rename)."""
    os.chmod(tmp, _file_mode(path))
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.rename(tmp, path)
    else:
        os.unlink(tmp)
    fsync_dir(path.parent if str(path.parent) else Path("."))


@contextlib.contextmanager
def atomic_path(path: Path, *, suffix: str = ".tmp", durable: bool = False) -> Iterator[Path]:
    """A temporary path next to ``path`` to write to; on success it takes ``path``'s permissions
    and is renamed onto ``path`` (``durable``: fsynced first, and the folder after); on any error
    it is removed."""
    path = Path(path)
    if path.is_dir():
        raise UsageError("is a folder; name an output file", path=path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise UsageError("the output folder does not exist", path=path)
    remove_stale(path)  # left by a killed earlier run
    fd, name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=suffix, dir=parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _file_mode(path))
        if durable:
            with tmp.open("rb+") as f:
                os.fsync(f.fileno())
        os.replace(tmp, path)
        if durable:
            fsync_dir(parent)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _atomic(path: Path, mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    if is_stdout(path):
        stream: IO[Any] = sys.stdout.buffer if "b" in mode else sys.stdout
        if kwargs.get("encoding") == "utf-8-sig":
            stream.write("\ufeff")
        yield stream
        stream.flush()
        return
    if is_special(path):  # /dev/null, a FIFO: copied into when complete, never renamed over
        with tempfile.TemporaryFile(mode + "+", **kwargs) as spool:
            yield spool
            spool.flush()
            stream_into(spool.fileno(), path)
        return
    with atomic_path(path) as tmp, tmp.open(mode, **kwargs) as f:
        yield f


def atomic_output(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> contextlib.AbstractContextManager[IO[str]]:
    """Write text to ``path`` through a temporary file in the same folder, renamed into place on
    success. On any error the temporary file is removed and an existing ``path`` is untouched.
    ``-`` is standard output.
    """
    return _atomic(path, "w", encoding=encoding, newline=newline)


def atomic_binary(path: Path) -> contextlib.AbstractContextManager[IO[bytes]]:
    """Like :func:`atomic_output`, for bytes."""
    return _atomic(path, "wb")
