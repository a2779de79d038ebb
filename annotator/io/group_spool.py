"""Pieces of text filed under numbered groups, to be written group after group.

A piece (a rendered quote) is made and encoded (UTF-8) once and filed under every group it
belongs to; each group keeps its pieces in memory up to a share of a fixed budget, then in a
temporary file. So a page whose groups repeat quotes is rendered in one pass over the quotes,
and memory does not grow with the page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TypeVar

T = TypeVar("T")

BUDGET = 64 << 20
"""Bytes held in memory by all the groups together, at most (beyond it, files)."""
CHUNK = 1 << 20


class GroupSpool:
    """``n`` groups of pieces; ``sizes[g]``: how many pieces group ``g`` holds."""

    def __init__(self, n: int) -> None:
        self.sizes = [0] * n
        self._held: list[list[bytes]] = [[] for _ in range(n)]
        self._bytes = [0] * n
        self._files: list[IO[bytes] | None] = [None] * n
        self._limit = max(BUDGET // max(n, 1), 1 << 14)

    def add(self, groups: Iterable[int], piece: str) -> None:
        """File ``piece`` under each of ``groups``."""
        data = piece.encode("utf-8")
        for g in groups:
            self.sizes[g] += 1
            file = self._files[g]
            if file is not None:
                file.write(data)
                continue
            self._held[g].append(data)
            self._bytes[g] += len(data)
            if self._bytes[g] > self._limit:
                self._spill(g)

    def _spill(self, g: int) -> None:
        file = tempfile.TemporaryFile("w+b")
        file.write(b"".join(self._held[g]))
        self._files[g], self._held[g] = file, []

    def read(self, g: int) -> Iterator[bytes]:
        """Group ``g``'s pieces, encoded, in the order they were filed (in chunks)."""
        file = self._files[g]
        if file is None:
            yield b"".join(self._held[g])
            return
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk

    def close(self) -> None:
        for file in self._files:
            if file is not None:
                file.close()
        self._files = [None] * len(self._files)


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
