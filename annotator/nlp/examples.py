"""The engine's examples, (coder, segment) → the codes applied, kept as integer arrays.

A million-segment project coded by five coders has a million examples; as a dictionary of
tuples and sets they take hundreds of megabytes and seconds to build or load. Here the
examples read at the build are a few arrays (coder, segment, code set: one small integer each,
in the order first read), found again by binary search; the few changed later are a dictionary
of their own. It behaves as the dictionary it replaces: insertion order (a changed example moves
to the end), :meth:`get`, :meth:`pop`, assignment and :meth:`last`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, groupby
from operator import itemgetter

import numpy as np
import numpy.typing as npt

Key = tuple[str, str]
IntArray = npt.NDArray[np.int64]

#: Joins the codes of one example in the rows :meth:`Examples.collect_grouped` reads.
SEP = "\x1f"

#: One coder's examples: (coder, the segments, each segment's codes joined by :data:`SEP`).
CoderExamples = tuple[str, Sequence[str], Sequence[str]]

#: One coder's annotations, by segment: (coder, the segment of each, its code's number in a
#: list of codes; a number past the list's end for a code not in it).
CoderAnnotations = tuple[str, npt.NDArray[np.str_], IntArray]


class Examples:
    """(coder, segment) → the codes applied (a non-empty frozenset), in insertion order."""

    def __init__(self) -> None:
        self.whos: list[str] = []
        #: the segments of the examples read at the build, sorted (searched by bisection)
        self.segments = np.zeros(0, dtype=np.str_)
        self.sets: list[frozenset[str]] = []
        self.who = np.zeros(0, dtype=np.int32)
        self.seg = np.zeros(0, dtype=np.int32)
        self.set_of = np.zeros(0, dtype=np.int32)
        self.removed = np.zeros(0, dtype=bool)
        self._order = np.zeros(0, dtype=np.int64)  # examples by (segment, coder)
        self._removed_count = 0
        self.changed: dict[Key, frozenset[str]] = {}

    # ------------------------------------------------------------------ building
    @classmethod
    def collect(cls, rows: Iterable[tuple[str, str, str]], known: frozenset[str]) -> Examples:
        """The examples of ``rows`` (coder, segment, code): each (coder, segment) with its codes
        that are in ``known``, in the order of its first row; none without such a code."""
        grouped: dict[Key, list[str]] = {}
        for who, seg, code in rows:
            grouped.setdefault((who, seg), []).append(code)
        return cls.collect_grouped(((w, s, SEP.join(c)) for (w, s), c in grouped.items()), known)

    @classmethod
    def collect_grouped(cls, rows: Iterable[tuple[str, str, str]], known: frozenset[str]) -> Examples:
        """The examples of ``rows`` (coder, segment, its codes joined by :data:`SEP`), one row
        per example, in this order (those without a code in ``known`` left out)."""
        return cls.collect_columns(_by_coder(rows), known)

    @classmethod
    def collect_columns(cls, parts: Iterable[CoderExamples], known: frozenset[str]) -> Examples:
        """The examples of ``parts`` (:data:`CoderExamples`), in this order (those without a
        code in ``known`` left out): :meth:`collect_grouped` of the same rows, with no Python
        work per example beyond finding its segment's and its codes' numbers."""
        whos: dict[str, int] = {}
        sets: dict[frozenset[str], int] = {}
        set_of_codes: dict[str, int] = {}
        segs: list[Sequence[str]] = []
        who: list[npt.NDArray[np.int32]] = []
        set_of: list[npt.NDArray[np.int32]] = []
        for coder, segments, codes in parts:
            for joined in dict.fromkeys(codes):  # code sets numbered in the order first met
                if joined not in set_of_codes:
                    chosen = frozenset(joined.split(SEP)) & known
                    set_of_codes[joined] = sets.setdefault(chosen, len(sets)) if chosen else -1
            found = np.fromiter(map(set_of_codes.__getitem__, codes), dtype=np.int32, count=len(codes))
            keep = found >= 0
            if not keep.any():
                continue
            if not keep.all():
                segments, found = list(compress(segments, keep.tolist())), found[keep]
            who.append(np.full(len(found), whos.setdefault(coder, len(whos)), dtype=np.int32))
            set_of.append(found)
            segs.append(segments)
        return cls._of(list(whos), segs, who, set_of, list(sets))

    @classmethod
    def collect_annotations(cls, parts: Iterable[CoderAnnotations], codes: Sequence[str],
                            known: frozenset[str]) -> Examples:
        """The examples of ``parts`` (:data:`CoderAnnotations`, numbering ``codes``): one per
        run of a coder's annotations of one segment, in this order (those without a code in
        ``known`` left out), code sets numbered as first met: :meth:`collect_grouped` of the
        same examples, found with numpy (no Python work per annotation or example)."""
        whos: dict[str, int] = {}
        sets: dict[frozenset[str], int] = {}
        segs: list[npt.NDArray[np.str_]] = []
        who: list[npt.NDArray[np.int32]] = []
        set_of: list[npt.NDArray[np.int32]] = []
        for coder, segments, numbers in parts:
            starts, grid = _runs(segments, numbers, len(codes))
            kinds, kind_of = _distinct_rows(grid, len(codes))
            first_at = np.full(len(kinds), len(kind_of), dtype=np.int64)
            np.minimum.at(first_at, kind_of, np.arange(len(kind_of), dtype=np.int64))
            number = np.full(len(kinds), -1, dtype=np.int32)
            for k in np.argsort(first_at, kind="stable").tolist():  # in the order first met
                chosen = frozenset(codes[i] for i in kinds[k].tolist() if 0 <= i < len(codes)) & known
                if chosen:
                    number[k] = sets.setdefault(chosen, len(sets))
            found = number[kind_of]
            keep = found >= 0
            if not keep.any():
                continue
            who.append(np.full(int(keep.sum()), whos.setdefault(coder, len(whos)), dtype=np.int32))
            set_of.append(found[keep])
            segs.append(segments[starts][keep])
        return cls._of(list(whos), segs, who, set_of, list(sets))

    @classmethod
    def _of(cls, whos: list[str], segs: Sequence[Sequence[str] | npt.NDArray[np.str_]],
            who: list[npt.NDArray[np.int32]], set_of: list[npt.NDArray[np.int32]],
            sets: list[frozenset[str]]) -> Examples:
        out = cls()
        out.whos, out.sets = whos, sets
        every = (np.concatenate([np.asarray(s, dtype=np.str_) for s in segs]) if segs
                 else np.zeros(0, dtype=np.str_))
        order = np.argsort(every, kind="stable")  # each coder's run is sorted already: merges
        ranked = every[order]
        new = np.ones(len(ranked), dtype=bool)
        np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
        out.segments = ranked[new]  # the distinct segments, sorted
        seg = np.empty(len(every), dtype=np.int32)
        seg[order] = np.cumsum(new, dtype=np.int64) - 1
        out.who = np.concatenate(who) if who else np.zeros(0, np.int32)
        out.seg = seg
        out.set_of = np.concatenate(set_of) if set_of else np.zeros(0, np.int32)
        out.removed = np.zeros(len(out.seg), dtype=bool)
        out._index()
        return out

    def keep_only(self, segments: npt.NDArray[np.bool_]) -> None:
        """Drop the examples of the segments not marked in ``segments`` (per sorted segment)."""
        keep = segments[self.seg]
        if bool(keep.all()):
            return
        self.who, self.seg, self.set_of = self.who[keep], self.seg[keep], self.set_of[keep]
        self.removed = self.removed[keep]
        self._removed_count = int(self.removed.sum())
        self._index()

    def _index(self) -> None:
        width = max(len(self.whos), 1)
        wide = len(self.segments) * width >= 2**31  # else the keys fit in 32 bits
        keys: npt.NDArray[np.signedinteger] = (self.seg.astype(np.int64) if wide else self.seg) * width + self.who
        order = np.argsort(keys, kind="stable")
        self._order = order.astype(np.int32) if len(order) < 2**31 else order
        self._sorted_keys = keys[order]

    # ------------------------------------------------------------------- reading
    def _find(self, key: Key) -> int | None:
        """The position of ``key`` among the examples read at the build (None: not there)."""
        who, seg = key
        try:
            w = self.whos.index(who)
        except ValueError:
            return None
        s = int(np.searchsorted(self.segments, seg))
        if s >= len(self.segments) or self.segments[s] != seg:
            return None
        k = s * max(len(self.whos), 1) + w
        at = int(np.searchsorted(self._sorted_keys, k))
        if at >= len(self._sorted_keys) or int(self._sorted_keys[at]) != k:
            return None
        i = int(self._order[at])
        return None if self.removed[i] else i

    def get(self, key: Key, default: frozenset[str] = frozenset()) -> frozenset[str]:
        if key in self.changed:
            return self.changed[key]
        i = self._find(key)
        return default if i is None else self.sets[int(self.set_of[i])]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and (key in self.changed or self._find(key) is not None)

    def __getitem__(self, key: Key) -> frozenset[str]:
        got = self.get(key, frozenset())
        if not got:
            raise KeyError(key)
        return got

    def __len__(self) -> int:
        return len(self.seg) - self._removed_count + len(self.changed)

    def pop(self, key: Key, default: frozenset[str] = frozenset()) -> frozenset[str]:
        if key in self.changed:
            return self.changed.pop(key)
        i = self._find(key)
        if i is None:
            return default
        self.removed[i] = True
        self._removed_count += 1
        return self.sets[int(self.set_of[i])]

    def __setitem__(self, key: Key, codes: frozenset[str]) -> None:
        """Set ``key`` (moved to the end of the order, as in a dictionary after a pop)."""
        i = self._find(key)
        if i is not None:
            self.removed[i] = True
            self._removed_count += 1
        self.changed.pop(key, None)
        self.changed[key] = codes

    def last(self, n: int) -> list[Key]:
        """The last ``n`` keys in insertion order."""
        if n <= 0:
            return []
        tail = list(self.changed)[-n:]
        need = n - len(tail)
        if need <= 0:
            return tail
        live = np.flatnonzero(~self.removed)[-need:]
        base = [(self.whos[int(self.who[i])], str(self.segments[int(self.seg[i])])) for i in live]
        return base + tail

    def __iter__(self) -> Iterator[Key]:
        for i in np.flatnonzero(~self.removed).tolist():
            yield self.whos[int(self.who[i])], str(self.segments[int(self.seg[i])])
        yield from list(self.changed)

    def items(self) -> Iterator[tuple[Key, frozenset[str]]]:
        for key in self:
            yield key, self[key]

    # ------------------------------------------------------------------ learning
    def segment_kinds(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """The segments (sorted order) grouped by which code sets their examples read at the
        build hold: (kinds, kind of each segment), a kind being a row of set numbers, ascending,
        padded with -1. One coder's examples give as many kinds as there are code sets (coder1's
        200,000 coded segments at 1M); several coders per segment give at most one kind per
        segment. What is learned per segment is held per kind (:meth:`per_kind`)."""
        live = ~self.removed
        seg, sets = self.seg[live], self.set_of[live]
        n = len(self.segments)
        if not len(seg):
            return np.full((1, 1), -1, dtype=np.int32), np.zeros(n, dtype=np.int32)
        order = np.lexsort((sets, seg))
        seg, sets = seg[order], sets[order]
        counts = np.bincount(seg, minlength=n)
        first = np.cumsum(counts) - counts
        grid = np.full((n, int(counts.max())), -1, dtype=np.int32)
        grid[seg, np.arange(len(seg)) - first[seg]] = sets
        return _distinct_rows(grid, len(self.sets))

    @staticmethod
    def per_kind(kinds: npt.NDArray[np.int32], weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """``weights[set]`` summed over each kind's sets (:meth:`segment_kinds`): [kinds x
        columns] for ``weights`` [sets x columns]."""
        out = np.zeros((len(kinds), weights.shape[1]), dtype=np.float64)
        for column in kinds.T:
            held = column >= 0
            out[held] += weights[column[held]]
        return out

    def set_counts(self) -> npt.NDArray[np.int64]:
        """How many examples read at the build (and still there) hold each code set."""
        return np.bincount(self.set_of[~self.removed], minlength=len(self.sets)).astype(np.int64)


def _distinct_rows(grid: npt.NDArray[np.int32], values: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """The distinct rows of ``grid`` (numbers from -1 to ``values`` - 1), sorted, and the row of
    each: one number per row where the rows fit in 63 bits (a sort of integers), else a sort of
    whole rows."""
    base = values + 1
    if base ** grid.shape[1] < 2**62:
        weights = base ** np.arange(grid.shape[1] - 1, -1, -1, dtype=np.int64)
        numbers, kind_of = np.unique((grid.astype(np.int64) + 1) @ weights, return_inverse=True)
        kinds = (numbers[:, None] // weights % base - 1).astype(np.int32)
    else:
        kinds, kind_of = np.unique(grid, axis=0, return_inverse=True)
    return kinds, kind_of.reshape(-1).astype(np.int32)


def _runs(segments: npt.NDArray[np.str_], numbers: IntArray, width: int
          ) -> tuple[IntArray, npt.NDArray[np.int32]]:
    """Where each run of equal ``segments`` starts, and the ``numbers`` of each run as a row,
    ascending, padded with -1 (numbers of ``width`` and above are left out)."""
    if not len(segments):
        return np.zeros(0, dtype=np.int64), np.full((0, 1), -1, dtype=np.int32)
    new = np.ones(len(segments), dtype=bool)
    np.not_equal(segments[1:], segments[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    run = np.cumsum(new, dtype=np.int64) - 1
    place = np.arange(len(segments), dtype=np.int64) - starts[run]
    grid = np.full((len(starts), int(place.max()) + 1), -1, dtype=np.int32)
    grid[run, place] = np.where(numbers < width, numbers, -1)
    grid.sort(axis=1)
    return starts, grid


def _by_coder(rows: Iterable[tuple[str, str, str]]) -> Iterator[CoderExamples]:
    """``rows`` (coder, segment, codes) as :data:`CoderExamples`, a run of one coder's at a time."""
    for coder, run in groupby(rows, key=itemgetter(0)):
        part = list(run)
        yield coder, [r[1] for r in part], [r[2] for r in part]
