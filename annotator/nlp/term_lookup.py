"""Many stored terms looked up at once, with numpy: no Python object made per term.

The suggestion engine's first build looks up every term of every coded segment (7.6 million
at a million segments). One ``dict.get`` per term costs about 0.4 µs, most of it the string
made for each term and the cache misses of a dictionary of half a million strings.
:class:`TermLookup` holds one language's table (term → id) as arrays instead. The stored terms
of many segments are then looked up at once, as the UTF-8 bytes of their space-joined text:

* each term is hashed from its bytes (a random multiplier per position in the term, summed);
* the hash's low bits place it in an open-addressing table, which keeps its high half as the
  key (linear probing, a round of numpy for each step of the probe);
* each term found is checked byte for byte against the table's term, so a key that two
  strings share can never give a wrong id: a term not in the table gets -1, as
  ``dict.get(term, -1)`` gives. Keys shared by two of the table's own terms are looked up in
  the dictionary.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
_U64 = npt.NDArray[np.uint64]

#: Positions in a term with a multiplier of their own (later bytes share the last one).
_POSITIONS = 64
_SPACE = 32
#: Bytes hashed and looked up at a time: the arrays made per byte stay a few megabytes
PART = 1 << 17
_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)


def _multipliers(seed: int = 20261204) -> _U64:
    """Odd 64-bit multipliers, one per position (fixed: the same terms hash alike every run)."""
    rng = np.random.default_rng(seed)
    return rng.integers(1, 2**63, size=_POSITIONS, dtype=np.uint64) | np.uint64(1)


_MULTIPLIERS = _multipliers()


def encoded(text: str) -> npt.NDArray[np.uint8]:
    """``text`` as UTF-8 bytes (lone surrogates kept, so that equal bytes mean equal strings)."""
    return np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)


class _Terms:
    """The space-separated terms of a byte buffer: where each starts, its length, and per byte
    the term it belongs to and its position in it (a space counts as the next term's)."""

    def __init__(self, buf: npt.NDArray[np.uint8]) -> None:
        self.buf = buf
        self.space = buf == _SPACE
        spaces = np.flatnonzero(self.space)
        self.starts = np.concatenate(([0], spaces + 1)).astype(np.int64)
        self.lengths = np.concatenate((spaces, [len(buf)])).astype(np.int64) - self.starts
        self.term_of = np.cumsum(self.space, dtype=np.int32)
        self.position = np.arange(len(buf), dtype=np.int32) - self.starts[self.term_of].astype(np.int32)

    def hashes(self) -> _U64:
        """Each term's hash: its bytes weighed by their positions' multipliers, summed, mixed
        with its length (wrapping 64-bit arithmetic)."""
        weights = _MULTIPLIERS[np.minimum(self.position, _POSITIONS - 1)]
        weights *= np.add(self.buf, 1, dtype=np.uint64)
        weights[self.space] = 0
        running = np.zeros(len(self.buf) + 1, dtype=np.uint64)
        np.cumsum(weights, out=running[1:])
        summed = running[self.starts + self.lengths] - running[self.starts]
        return summed ^ (self.lengths.astype(np.uint64) * _LENGTH_MIX)


def _parts(buf: npt.NDArray[np.uint8]) -> list[npt.NDArray[np.uint8]]:
    """``buf`` in consecutive parts of about :data:`PART` bytes, cut at spaces (a cut space in
    neither part): the terms of the parts, in order, are the terms of ``buf``."""
    if len(buf) <= PART:
        return [buf]
    spaces = np.flatnonzero(buf == _SPACE)
    at = np.unique(np.searchsorted(spaces, np.arange(PART, len(buf), PART)))
    cuts = spaces[at[at < len(spaces)]].tolist()
    return [buf[a:b] for a, b in zip([0, *(c + 1 for c in cuts)], [*cuts, len(buf)], strict=True)]


def _hashes(buf: npt.NDArray[np.uint8]) -> _U64:
    """The hash of each space-separated term of ``buf`` (a part at a time)."""
    return np.concatenate([_Terms(part).hashes() for part in _parts(buf)])


def _key(hashes: _U64) -> npt.NDArray[np.uint32]:
    """What the table keeps of each hash: its high half (the low bits place it)."""
    return (hashes >> np.uint64(32)).astype(np.uint32)


class TermLookup:
    """One language's ``table`` (term → id) for :meth:`ids`. Terms holding a space are left out
    (a space-separated term never equals one); the empty term is kept apart."""

    def __init__(self, table: Mapping[str, int]) -> None:
        self._table = table
        terms = [term for term in table if term and " " not in term]
        self.size = len(table)
        self._empty = table.get("")  # the id of the empty term, if it has one
        self._ids = np.fromiter(map(table.__getitem__, terms), dtype=np.int32, count=len(terms))
        self._bytes = encoded(" ".join(terms))
        spaces = np.flatnonzero(self._bytes == _SPACE).astype(np.int32)
        #: where each term's bytes start, and (last) where one more would: each term ends a
        #: byte (its space) before the next one starts
        self._starts = np.concatenate(([0], spaces + 1, [len(self._bytes) + 1])).astype(np.int32)
        hashes = _hashes(self._bytes) if terms else np.zeros(0, dtype=np.uint64)
        unique, counts = np.unique(_key(hashes), return_counts=True)
        self._shared = unique[counts > 1]  # keys of two terms or more: asked of the table
        slots = 1 << max(int(len(terms) * 2 - 1).bit_length(), 4)
        self._mask = slots - 1
        self._keys = np.zeros(slots, dtype=np.uint32)  # the key of the term in each slot
        self._rows = np.full(slots, -1, dtype=np.int32)  # row of ``terms`` in each slot (-1: none)
        self._insert(hashes)

    def _insert(self, hashes: _U64) -> None:
        """Place every term's row at its hash's slot or the first free one after it."""
        waiting = np.arange(len(hashes), dtype=np.int64)
        slot = (hashes & np.uint64(self._mask)).astype(np.int64)
        while len(waiting):
            free = self._rows[slot[waiting]] < 0
            taken, first = np.unique(slot[waiting][free], return_index=True)
            placed = waiting[free][first]
            self._rows[taken] = placed
            self._keys[taken] = _key(hashes[placed])
            waiting = np.setdiff1d(waiting, placed, assume_unique=True)
            slot[waiting] = (slot[waiting] + 1) & self._mask

    def ids(self, joined: str) -> IntArray:
        """The id of each space-separated term of ``joined`` (-1: not in the table), in order:
        ``[table.get(t, -1) for t in joined.split(" ")]``."""
        return np.concatenate([self._ids_in(_Terms(part)) for part in _parts(encoded(joined))])

    def _ids_in(self, terms: _Terms) -> IntArray:
        out = self._found(terms) if len(self._ids) else np.full(len(terms.starts), -1, dtype=np.int64)
        if self._empty is not None:
            out[terms.lengths == 0] = self._empty
        return out

    def _found(self, terms: _Terms) -> IntArray:
        """The id of each of ``terms`` found in the table's arrays, checked byte for byte."""
        hashes = terms.hashes()
        rows = self._probe(hashes)
        found = rows >= 0
        row = np.where(found, rows, 0)
        found &= self._starts[row + 1] - self._starts[row] - 1 == terms.lengths
        theirs = self._starts[row][terms.term_of] + terms.position  # the table's byte for each
        differs = self._bytes[np.minimum(theirs, len(self._bytes) - 1)] != terms.buf
        differs &= ~terms.space & found[terms.term_of]
        found[terms.term_of[differs]] = False
        out = np.where(found, self._ids[row], -1).astype(np.int64)
        if len(self._shared):
            self._ask_table(out, hashes, terms)
        return out

    def _probe(self, hashes: _U64) -> IntArray:
        """The row of the table's term with each hash (-1: none)."""
        slot = (hashes & np.uint64(self._mask)).astype(np.int64)
        keys = _key(hashes)
        rows = np.full(len(hashes), -1, dtype=np.int64)
        todo = np.arange(len(hashes), dtype=np.int64)
        while len(todo):
            at = slot[todo]
            held = self._rows[at]
            hit = (held >= 0) & (self._keys[at] == keys[todo])
            rows[todo[hit]] = held[hit]
            todo = todo[(held >= 0) & ~hit]
            slot[todo] = (slot[todo] + 1) & self._mask
        return rows

    def _ask_table(self, out: IntArray, hashes: _U64, terms: _Terms) -> None:
        """Terms whose key two of the table's terms share: their ids from the table itself."""
        for i in np.flatnonzero(np.isin(_key(hashes), self._shared)).tolist():
            start = int(terms.starts[i])
            text = terms.buf[start:start + int(terms.lengths[i])].tobytes().decode(
                "utf-8", "surrogatepass")
            out[i] = self._table.get(text, -1)
