"""The coders' finished work as arrays: who marked which unit done, with which codes.

``done[c, u]``: coder ``c`` marked unit ``u`` done; ``present[c, u, k]``: and applied code ``k``
(only meaningful where done). A coder who never finished a unit is *missing* for it, not "applied
no code". Every report matrix is an array operation over these, not a Python loop per cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

States = Mapping[str, Mapping[str, Iterable[str]]]


@dataclass(frozen=True)
class DoneCodes:
    """Units (in order), coders and codes, with ``done`` (coders x units) and ``present``
    (coders x units x codes)."""

    units: tuple[str, ...]
    coders: tuple[str, ...]
    codes: tuple[str, ...]
    done: BoolArray
    present: BoolArray

    @property
    def n_units(self) -> int:
        return len(self.units)

    @classmethod
    def from_states(cls, states: States, coders: Sequence[str] | None = None) -> DoneCodes:
        """From unit → coder → codes (done coders only), units in ``states`` order. ``coders``
        first, then any other coder of ``states`` (sorted); every coder when None."""
        others = sorted({c for per in states.values() for c in per} - set(coders or ()))
        names = tuple(dict.fromkeys([*(coders or ()), *others]))
        coder_index = {c: i for i, c in enumerate(names)}
        code_index: dict[str, int] = {}
        cells: list[tuple[int, int]] = []
        marks: list[tuple[int, int, int]] = []
        for u, per in enumerate(states.values()):
            for coder, codes in per.items():
                c = coder_index[coder]
                cells.append((c, u))
                marks.extend((c, u, code_index.setdefault(k, len(code_index))) for k in codes)
        done = np.zeros((len(names), len(states)), dtype=bool)
        present = np.zeros((len(names), len(states), len(code_index)), dtype=bool)
        if cells:
            at = np.asarray(cells, dtype=np.int64)
            done[at[:, 0], at[:, 1]] = True
        if marks:
            at = np.asarray(marks, dtype=np.int64)
            present[at[:, 0], at[:, 1], at[:, 2]] = True
        return cls(tuple(states), names, tuple(code_index), done, present)

    @classmethod
    def from_rows(cls, annotations: IntArray, done: IntArray, coders: Sequence[str],
                  codes: Sequence[str]) -> tuple[IntArray, DoneCodes]:
        """From integer rows: annotations (segment key, coder index, code index) and done marks
        (segment key, coder index), as :mod:`annotator.storage.agreement_rows` reads them
        (segment keys are small non-negative integers: row ids). Coder index ``len(coders)``
        (another coder) is left out. Units: the segments some coder of ``coders`` marked done,
        in the order the annotation rows, then the done rows, first name them. Returns, for each
        unit, the number of a done row of it, and the table (whose ``units`` are still empty:
        the caller names them with :meth:`named`)."""
        n_c = len(coders)
        ann = annotations[annotations[:, 1] < n_c]
        mark_rows = np.flatnonzero(done[:, 1] < n_c)
        marks = done[mark_rows]
        seen = np.concatenate([ann[:, 0], marks[:, 0]])
        top = int(seen.max()) + 1 if len(seen) else 0
        first = np.full(top, len(seen), dtype=np.int64)
        np.minimum.at(first, seen, np.arange(len(seen)))
        finished = np.zeros(top, dtype=bool)
        finished[marks[:, 0]] = True
        candidates = np.flatnonzero(finished)
        unit_keys = candidates[np.argsort(first[candidates], kind="stable")]
        rank = np.full(top, -1, dtype=np.int64)
        rank[unit_keys] = np.arange(len(unit_keys))
        a_done_row = np.full(top, len(marks), dtype=np.int64)
        np.minimum.at(a_done_row, marks[:, 0], np.arange(len(marks)))
        table_done = np.zeros((n_c, len(unit_keys)), dtype=bool)
        table_done[marks[:, 1], rank[marks[:, 0]]] = True
        used = np.flatnonzero(np.bincount(ann[:, 2], minlength=len(codes) + 1))
        code_of = np.zeros(len(codes) + 1, dtype=np.int64)
        code_of[used] = np.arange(len(used))
        code_names = tuple(codes[k] if k < len(codes) else "" for k in used.tolist())
        present = np.zeros((n_c, len(unit_keys), len(used)), dtype=bool)
        cell = rank[ann[:, 0]]  # the unit, then the (coder, unit, code) cell of each annotation
        kept = cell >= 0
        cell = (ann[:, 1] * len(unit_keys) + cell) * len(used) + code_of[ann[:, 2]]
        present.reshape(-1)[cell[kept]] = True
        present &= table_done[:, :, None]
        return mark_rows[a_done_row[unit_keys]], cls((), tuple(coders), code_names, table_done, present)

    def named(self, units: Sequence[str]) -> DoneCodes:
        return DoneCodes(tuple(units), self.coders, self.codes, self.done, self.present)

    def to_states(self) -> dict[str, dict[str, frozenset[str]]]:
        """unit → coder → codes (done coders only)."""
        out: dict[str, dict[str, frozenset[str]]] = {}
        for u, unit in enumerate(self.units):
            out[unit] = {
                coder: frozenset(self.codes[k] for k in np.flatnonzero(self.present[c, u]))
                for c, coder in enumerate(self.coders) if self.done[c, u]
            }
        return out

    def take(self, idx: IntArray | BoolArray) -> DoneCodes:
        """Only the units ``idx`` (indices or a mask), in that order."""
        picked = np.flatnonzero(idx) if idx.dtype == bool else idx
        return DoneCodes(tuple(self.units[i] for i in picked.tolist()), self.coders, self.codes,
                         np.take(self.done, picked, axis=1), np.take(self.present, picked, axis=1))

    def keep_units(self, wanted: Iterable[str]) -> DoneCodes:
        chosen = set(wanted)
        return self.take(np.fromiter((u in chosen for u in self.units), dtype=bool, count=self.n_units))

    def select(self, coders: Sequence[str]) -> DoneCodes:
        """Only ``coders`` (in that order; one not in the table has no done unit)."""
        index = {c: i for i, c in enumerate(self.coders)}
        done = np.zeros((len(coders), self.n_units), dtype=bool)
        present = np.zeros((len(coders), self.n_units, len(self.codes)), dtype=bool)
        for i, c in enumerate(coders):
            if c in index:
                done[i], present[i] = self.done[index[c]], self.present[index[c]]
        return DoneCodes(self.units, tuple(coders), self.codes, done, present)

    def code_columns(self, ids: Sequence[str]) -> BoolArray:
        """coders x units x len(ids): ``present`` for these codes (False for a code never applied)."""
        index = {c: i for i, c in enumerate(self.codes)}
        out = np.zeros((len(self.coders), self.n_units, len(ids)), dtype=bool)
        for j, code in enumerate(ids):
            if code in index:
                out[:, :, j] = self.present[:, :, index[code]]
        return out & self.done[:, :, None]

    def finished_coders(self) -> list[str]:
        """The coders with a done unit, sorted."""
        return sorted(c for c, row in zip(self.coders, self.done, strict=True) if row.any())
