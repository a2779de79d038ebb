"""Pieces of text filed under numbered groups, to be written group after group.

A piece (a rendered quote) is made and encoded (UTF-8) once and filed under every group it
belongs to; each group keeps its pieces in memory up to a share of a fixed budget, the rest in
blocks of a temporary file (one for all the groups). So a page whose groups repeat quotes is rendered in one pass over the quotes,
and memory does not grow with the page.
"""

from __future__ import annotations

import contextlib
import errno
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TypeVar

T = TypeVar("T")

BUDGET = 64 << 20
"""Bytes held in memory by all the groups together, at most (beyond it, a file)."""
CHUNK = 1 << 20


class GroupSpool:
    """``n`` groups of pieces; ``sizes[g]``: how many pieces group ``g`` holds. A group's pieces
    beyond its share of the budget go, a block at a time, to one temporary file shared by all
    the groups (however many groups there are, one file is open)."""

    def __init__(self, n: int) -> None:
        self.sizes = [0] * n
        self._held: list[list[bytes]] = [[] for _ in range(n)]
        self._bytes = [0] * n
        self._blocks: list[list[tuple[int, int]]] = [[] for _ in range(n)]  # (offset, length)
        self._file: IO[bytes] | None = None
        self._end = 0
        self._limit = max(BUDGET // max(n, 1), 1 << 14)

    def add(self, groups: Iterable[int], piece: str) -> None:
        """File ``piece`` under each of ``groups``."""
        data = piece.encode("utf-8")
        for g in groups:
            self.sizes[g] += 1
            self._held[g].append(data)
            self._bytes[g] += len(data)
            if self._bytes[g] > (self._limit if not self._blocks[g] else min(self._limit, CHUNK)):
                self._spill(g)  # once on disk, a group holds a chunk at most in memory

    def _spill(self, g: int) -> None:
        """Group ``g``'s pieces held in memory, as a block at the end of the file."""
        block = b"".join(self._held[g])
        with _temporary_files():
            if self._file is None:
                self._file = tempfile.TemporaryFile("w+b")
            self._file.seek(self._end)
            self._file.write(block)
        self._blocks[g].append((self._end, len(block)))
        self._end += len(block)
        self._held[g], self._bytes[g] = [], 0

    def read(self, g: int) -> Iterator[bytes]:
        """Group ``g``'s pieces, encoded, in the order they were filed (in chunks)."""
        for offset, length in self._blocks[g]:
            done = 0
            while done < length:
                assert self._file is not None
                with _temporary_files():
                    self._file.seek(offset + done)
                    chunk = self._file.read(min(CHUNK, length - done))
                if not chunk:
                    raise OSError(errno.EIO, "a temporary file was cut short", _folder())
                done += len(chunk)
                yield chunk
        if self._held[g]:
            yield b"".join(self._held[g])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None


def _folder() -> str:
    return f"{tempfile.gettempdir()} (temporary files)"


@contextlib.contextmanager
def _temporary_files() -> Iterator[None]:
    """An error of the system on the temporary file (a full disk) names the folder it is in."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror, _folder()) from exc


def filed(members: Iterable[tuple[T, Sequence[int]]], n: int, render: Callable[[T], str]
          ) -> GroupSpool:
    """Each member rendered once and filed under the groups (of ``n``) it belongs to."""
    out = GroupSpool(n)
    try:
        for item, groups in members:
            if groups:
                out.add(groups, render(item))
    except BaseException:
        out.close()
        raise
    return out
