"""The coding session's reading order: segment ids by place, places by segment id.

:class:`ProjectOrder` reads only how many segments each document has when it opens, then ids a
window at a time as they are shown (a million segments open as fast as a thousand);
:class:`ListedOrder` is the order of a given list of segments (``annotator code --only``,
adjudication queues). Both are sequences of segment ids. No Textual here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

import numpy as np
import numpy.typing as npt

from annotator.application import reading_order
from annotator.application.project_file import Project

#: Ids read at a time around the one asked for.
WINDOW = 256
#: Ids kept (read windows) at most.
KEPT_IDS = 32 * WINDOW

IntArray = npt.NDArray[np.int64]
#: The segments a listed order holds: their ids, or their row ids as an array.
Only = Iterable[str] | IntArray


class SegmentOrder(Sequence[str]):
    """Segment ids in reading order, and each document's range of places."""

    docs: list[str]  # documents with segments, in order
    starts: IntArray  # the place of each document's first segment; the last item is the total

    def _setup_docs(self, docs: list[str], counts: Sequence[int]) -> None:
        self.docs = docs
        self.starts = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(np.asarray(counts, dtype=np.int64), out=self.starts[1:])
        self._doc_number = {d: n for n, d in enumerate(docs)}

    def __len__(self) -> int:
        return int(self.starts[-1])

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self.id_at(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.id_at(index)

    def __iter__(self) -> Iterator[str]:
        return (self.id_at(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def id_at(self, index: int) -> str:
        raise NotImplementedError

    def place(self, segment: str) -> int | None:
        """The place of ``segment`` in the order (None: not in it)."""
        raise NotImplementedError

    def places(self, ids: Iterable[str], project: Project | None = None) -> list[int]:
        """The places of those of ``ids`` in the order, ascending (read through ``project`` when
        given: a worker's connection)."""
        raise NotImplementedError

    def places_of_keys(self, keys: IntArray, project: Project) -> list[int]:
        """:meth:`places` of the segments whose row ids are ``keys`` (read through ``project``)."""
        return self.places([r[0] for r in reading_order.places_of_keys(project, keys.tolist())], project)

    def doc_number(self, index: int) -> int:
        return int(np.searchsorted(self.starts, index, side="right")) - 1

    def doc_numbers(self, indices: Sequence[int] | IntArray) -> IntArray:
        out: IntArray = np.searchsorted(self.starts, np.asarray(indices, dtype=np.int64), side="right") - 1
        return out

    def doc_index(self, document: str) -> int | None:
        """The number of ``document`` among :attr:`docs` (None: it has no segment here)."""
        return self._doc_number.get(document)

    def doc_at(self, index: int) -> str:
        return self.docs[self.doc_number(index)]

    def doc_range(self, document: str) -> tuple[int, int]:
        """(first place, place after the last) of ``document``'s segments ((0, 0): none)."""
        n = self._doc_number.get(document)
        if n is None:
            return 0, 0
        return int(self.starts[n]), int(self.starts[n + 1])


class ListedOrder(SegmentOrder):
    """The reading order of a given list of segments (held in memory: meant for a few)."""

    def __init__(self, ids: list[str], docs: list[str]) -> None:
        self._ids = ids
        self._index = {s: i for i, s in enumerate(ids)}
        names: list[str] = []
        counts: list[int] = []
        for doc in docs:
            if names and names[-1] == doc:
                counts[-1] += 1
            else:
                names.append(doc)
                counts.append(1)
        self._setup_docs(names, counts)

    @classmethod
    def of(cls, project: Project, only: Only) -> ListedOrder:
        """The segments ``only`` (ids, or row ids as an array: an adjudication queue of a
        hundred thousand segments is placed in a fraction of the time) that exist, in reading
        order."""
        rank = {d: n for n, (d, *_rest) in enumerate(reading_order.document_spans(project))}
        found = (reading_order.places_of_keys(project, only.tolist()) if isinstance(only, np.ndarray)
                 else reading_order.places_of(project, set(only)))
        rows = sorted(found, key=lambda r: (rank[r[1]], r[2]))
        return cls([r[0] for r in rows], [r[1] for r in rows])

    def id_at(self, index: int) -> str:
        return self._ids[index]

    def place(self, segment: str) -> int | None:
        return self._index.get(segment)

    def places(self, ids: Iterable[str], project: Project | None = None) -> list[int]:
        index = self._index
        return sorted({index[s] for s in ids if s in index})


class ProjectOrder(SegmentOrder):
    """Every segment of a project in reading order, ids read a window at a time."""

    def __init__(self, project: Project) -> None:
        self.project = project
        spans = reading_order.document_spans(project)
        self._setup_docs([s[0] for s in spans], [s[1] for s in spans])
        self._first = np.array([s[2] for s in spans], dtype=np.int64)
        #: documents whose positions have gaps: their positions, read when needed
        self._gappy = {n for n, s in enumerate(spans) if s[3] - s[2] + 1 != s[1]}
        self._positions: dict[int, list[int]] = {}
        self._ids: dict[int, str] = {}

    def _positions_of(self, n: int, project: Project | None = None) -> list[int]:
        found = self._positions.get(n)
        if found is None:
            found = self._positions[n] = reading_order.document_positions(project or self.project,
                                                                          self.docs[n])
        return found

    def _position(self, n: int, offset: int) -> int:
        if n in self._gappy:
            return self._positions_of(n)[offset]
        return int(self._first[n]) + offset

    def _offset(self, n: int, position: int) -> int | None:
        if n in self._gappy:
            positions = self._positions_of(n)
            k = bisect_left(positions, position)
            return k if k < len(positions) and positions[k] == position else None
        offset = position - int(self._first[n])
        return offset if 0 <= offset < int(self.starts[n + 1] - self.starts[n]) else None

    def id_at(self, index: int) -> str:
        found = self._ids.get(index)
        if found is not None:
            return found
        n = self.doc_number(index)
        start, stop = int(self.starts[n]), int(self.starts[n + 1])
        lo = max(start, index - WINDOW // 2)
        hi = min(stop, lo + WINDOW) - 1
        if len(self._ids) > KEPT_IDS:
            self._ids.clear()
        rows = reading_order.ids_between(self.project, self.docs[n], self._position(n, lo - start),
                                         self._position(n, hi - start))
        for position, seg in rows:
            offset = self._offset(n, position)
            if offset is not None:
                self._ids[start + offset] = seg
        found = self._ids.get(index)
        if found is None:  # the project changed under the screen
            raise IndexError(index)
        return found

    def _place_of(self, document: str, position: int) -> int | None:
        n = self._doc_number.get(document)
        if n is None:
            return None
        offset = self._offset(n, position)
        return None if offset is None else int(self.starts[n]) + offset

    def place(self, segment: str) -> int | None:
        found = reading_order.places_of(self.project, [segment])
        return self._place_of(found[0][1], found[0][2]) if found else None

    def places(self, ids: Iterable[str], project: Project | None = None) -> list[int]:
        """Document by document, each one's places in order (short array steps: a worker
        finding a hundred thousand places never holds the interpreter long, as one sort of
        them all would, 40 ms at 1M, while keys wait)."""
        source = project or self.project
        return self.places_of_groups(reading_order.positions_of(source, ids), source)

    def places_of_keys(self, keys: IntArray, project: Project) -> list[int]:
        """:meth:`places` of the segments whose row ids are ``keys`` (each an integer lookup)."""
        return self.places_of_groups(reading_order.positions_of_keys(project, keys.tolist()), project)

    def places_of_groups(self, found: Iterable[tuple[str, IntArray]], source: Project) -> list[int]:
        """The places of (document, positions) groups, ascending, each given once."""
        groups = sorted(((n, positions) for document, positions in found
                         if (n := self._doc_number.get(document)) is not None), key=lambda g: g[0])
        if not groups:
            return []
        places = np.concatenate([self._places_in(n, np.sort(positions), source) for n, positions in groups])
        kept = np.ones(len(places), dtype=bool)
        np.not_equal(places[1:], places[:-1], out=kept[1:])  # an id given twice is placed once
        return places[kept].tolist()

    def places_of_positions(self, groups: Iterable[tuple[str, npt.NDArray[np.int64]]],
                            project: Project | None = None) -> npt.NDArray[np.int64]:
        """The places of (document, its positions) groups, as an array (in no order); positions
        not in the order are left out. ``project``: the connection ``groups`` were read through
        (a worker's), through which a document with gaps in its positions reads them."""
        parts = [self._places_in(n, positions, project) for document, positions in groups
                 if (n := self._doc_number.get(document)) is not None]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def _places_in(self, n: int, positions: npt.NDArray[np.int64], project: Project | None
                   ) -> npt.NDArray[np.int64]:
        """:meth:`_place_of` for many positions of document ``n`` at once."""
        if n in self._gappy:
            known = np.asarray(self._positions_of(n, project), dtype=np.int64)
            at = np.searchsorted(known, positions)
            found = at < len(known)
            found[found] = known[at[found]] == positions[found]
            offsets = at[found]
        else:
            offsets = positions - int(self._first[n])
            offsets = offsets[(offsets >= 0) & (offsets < int(self.starts[n + 1] - self.starts[n]))]
        return int(self.starts[n]) + offsets


class IndexOf:
    """A segment order's places by segment id, read like a dict (``seg in index_of``,
    ``index_of[seg]``, ``index_of.get(seg)``)."""

    def __init__(self, order: SegmentOrder) -> None:
        self._order = order

    def __contains__(self, segment: object) -> bool:
        return isinstance(segment, str) and self._order.place(segment) is not None

    def __getitem__(self, segment: str) -> int:
        found = self._order.place(segment)
        if found is None:
            raise KeyError(segment)
        return found

    def get(self, segment: str, default: int | None = None) -> int | None:
        found = self._order.place(segment)
        return default if found is None else found
