"""What the exporters and importers of coded projects share: atomic output files and summaries."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.errors import UsageError
from annotator.special_files import is_special, stream_into
from annotator.stale_temps import remove_stale, temp_prefix


@dataclass
class Summary:
    """What an import brought in and what it left out, as lines to show the user."""

    imported: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = list(self.imported)
        out += [f"not imported: {d}" for d in self.dropped]
        out += [f"warning: {w}" for w in self.warnings]
        return out


def _temp_for(path: Path) -> tuple[int, str]:
    path = Path(path)
    if path.is_dir():
        raise UsageError("is a folder; name an output file", path=path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise UsageError("the output folder does not exist", path=path)
    remove_stale(path)  # left by a killed earlier run
    return tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=parent)


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


def is_stdout(path: Path | str | None) -> bool:
    """Whether ``-o`` names standard output (``-``)."""
    return path is not None and str(path) == "-"


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
    fd, tmp = _temp_for(path)
    try:
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            os.fchmod(f.fileno(), _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
