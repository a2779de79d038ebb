"""The coders' finished work as numpy arrays, and the reliability matrices built from them.

:class:`DoneCodes` holds, for the units (segments) and coders of a report, whether each coder
marked each unit done and which codes they applied: ``done`` (coders x units) and ``present``
(coders x units x codes). Every matrix of the report (a facet's value per coder and unit, a
code's present/absent) and the list of disagreements are then array operations, so a report over
hundreds of thousands of segments costs what reading them costs, not a Python loop per cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement._matrix import MISSING, Coded
from annotator.model import Facet

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

NONE_CATEGORY = "(none)"


@dataclass(frozen=True)
class DoneCodes:
    """Which coder finished which unit, with which codes (see the module doc)."""

    coders: tuple[str, ...]
    units: tuple[str, ...]
    codes: tuple[str, ...]
    done: BoolArray  # coders x units
    present: BoolArray  # coders x units x codes

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, Sequence[str]]], coders: Sequence[str]) -> DoneCodes:
        """From (unit, coder, codes) rows, one per done mark; rows of other coders are skipped.
        Units keep the order of their first row."""
        coder_index = {c: i for i, c in enumerate(coders)}
        unit_index: dict[str, int] = {}
        code_index: dict[str, int] = {}
        done_cells: list[int] = []  # coder * n_units_max is unknown: keep (coder, unit) pairs
        done_units: list[int] = []
        code_cells: list[tuple[int, int, int]] = []
        for unit, coder, codes in rows:
            c = coder_index.get(coder)
            if c is None:
                continue
            u = unit_index.setdefault(unit, len(unit_index))
            done_cells.append(c)
            done_units.append(u)
            for code in codes:
                code_cells.append((c, u, code_index.setdefault(code, len(code_index))))
        n_c, n_u, n_k = len(coders), len(unit_index), len(code_index)
        done = np.zeros((n_c, n_u), dtype=bool)
        done[np.asarray(done_cells, dtype=np.int64), np.asarray(done_units, dtype=np.int64)] = True
        present = np.zeros((n_c, n_u, n_k), dtype=bool)
        if code_cells:
            cells = np.asarray(code_cells, dtype=np.int64)
            present[cells[:, 0], cells[:, 1], cells[:, 2]] = True
        return cls(tuple(coders), tuple(unit_index), tuple(code_index), done, present)

    @classmethod
    def from_masks(cls, units: Sequence[str], coders: Sequence[str], codes: Sequence[str],
                   marks: Sequence[tuple[int, int, int]]) -> DoneCodes:
        """From integer rows (unit index, coder index, bit mask of ``codes``), one per done mark."""
        done = np.zeros((len(coders), len(units)), dtype=bool)
        present = np.zeros((len(coders), len(units), len(codes)), dtype=bool)
        if len(marks):
            rows = np.asarray(marks, dtype=np.int64).reshape(-1, 3)
            done[rows[:, 1], rows[:, 0]] = True
            bits = (rows[:, 2:3] >> np.arange(len(codes), dtype=np.int64)) & 1
            present[rows[:, 1], rows[:, 0]] = bits.astype(bool)
        return cls(tuple(coders), tuple(units), tuple(codes), done, present)

    @classmethod
    def from_states(cls, states: Mapping[str, Mapping[str, Iterable[str]]],
                    coders: Sequence[str] | None = None) -> DoneCodes:
        """From ``states`` (unit → coder → codes, done coders only); every coder when ``coders``
        is None."""
        if coders is None:
            coders = sorted({c for per in states.values() for c in per})
        rows = ((u, c, tuple(codes)) for u, per in states.items() for c, codes in per.items())
        return cls.from_rows(rows, coders)

    def select(self, coders: Sequence[str], min_coders: int = 2) -> DoneCodes:
        """Only ``coders`` (in that order) and the units at least ``min_coders`` of them finished."""
        index = {c: i for i, c in enumerate(self.coders)}
        rows = [index[c] for c in coders if c in index]
        done = np.zeros((len(coders), len(self.units)), dtype=bool)
        present = np.zeros((len(coders), len(self.units), len(self.codes)), dtype=bool)
        picked = [i for i, c in enumerate(coders) if c in index]
        done[picked] = self.done[rows]
        present[picked] = self.present[rows]
        keep = np.flatnonzero(done.sum(axis=0) >= min_coders)
        return DoneCodes(tuple(coders), tuple(self.units[i] for i in keep), self.codes,
                         done[:, keep], present[:, keep])

    def facet_columns(self, facet: Facet) -> tuple[list[str], BoolArray]:
        """The facet's codes that occur, in codebook order, and their (coders x units x k)
        presence on done cells."""
        index = {c: i for i, c in enumerate(self.codes)}
        ids = [c.id for c in facet.codes if c.id in index]
        sub = self.present[:, :, [index[i] for i in ids]] & self.done[:, :, None]
        return ids, sub

    def code_presence(self, code: str) -> BoolArray:
        """coders x units: the coder finished the unit and applied ``code``."""
        if code not in self.codes:
            return np.zeros(self.done.shape, dtype=bool)
        return self.present[:, :, self.codes.index(code)] & self.done


def _masks(sub: BoolArray) -> IntArray:
    """Each cell's set of facet codes as a bit mask (bit j: the facet's j-th occurring code)."""
    if sub.shape[2] == 0:
        return np.zeros(sub.shape[:2], dtype=np.int64)
    weights = np.left_shift(np.int64(1), np.arange(sub.shape[2], dtype=np.int64))
    return np.asarray(sub.astype(np.int64) @ weights, dtype=np.int64)


def _first_appearance(values: IntArray) -> IntArray:
    """The distinct values in the order they first occur."""
    uniq, first = np.unique(values, return_index=True)
    return np.asarray(uniq[np.argsort(first, kind="stable")], dtype=np.int64)


def single_choice_matrix(data: DoneCodes, facet: Facet) -> tuple[Coded, dict[str, int]]:
    """The facet's nominal matrix (a coder's code on a unit; ``(none)`` when none applies,
    codes joined by ``+`` when the data broke the one-code rule) and each value's count.
    Categories: the facet's codes, then other values in the order they first occur."""
    ids, sub = data.facet_columns(facet)
    masks = _masks(sub)
    wanted = [c.id for c in facet.codes]
    order = {m: i for i, m in enumerate(_first_appearance(masks[data.done]).tolist())}
    extra_masks = sorted((m for m in order if m == 0 or m & (m - 1)), key=order.__getitem__)
    names = {m: "+".join(sorted(ids[j] for j in range(len(ids)) if m >> j & 1)) or NONE_CATEGORY
             for m in extra_masks}
    cats = tuple(wanted) + tuple(dict.fromkeys(n for n in names.values() if n not in wanted))
    cat_index = {c: i for i, c in enumerate(cats)}
    lookup = {1 << j: cat_index[code] for j, code in enumerate(ids)}
    lookup.update({m: cat_index[n] for m, n in names.items()})
    codes = np.full(masks.shape, MISSING, dtype=np.int64)
    if data.done.any():
        keys = np.asarray(sorted(lookup), dtype=np.int64)
        vals = np.asarray([lookup[k] for k in keys.tolist()], dtype=np.int64)
        codes[data.done] = vals[np.searchsorted(keys, masks[data.done])]
    tally = np.bincount(codes[data.done], minlength=len(cats))
    counts = {str(c): int(tally[i]) for i, c in enumerate(cats) if tally[i]}
    return Coded(codes, cats), counts


def multi_choice_matrix(data: DoneCodes, facet: Facet) -> tuple[Coded, dict[str, int]]:
    """The facet's set-valued matrix (a coder's set of the facet's codes on a unit; categories
    in the order they first occur) and how often each code was applied."""
    ids, sub = data.facet_columns(facet)
    masks = _masks(sub)
    distinct = _first_appearance(masks[data.done]).tolist()
    cats = tuple(frozenset(ids[j] for j in range(len(ids)) if m >> j & 1) for m in distinct)
    codes = np.full(masks.shape, MISSING, dtype=np.int64)
    if distinct:
        keys = np.asarray(distinct, dtype=np.int64)
        order = np.argsort(keys)
        codes[data.done] = order[np.searchsorted(keys[order], masks[data.done])]
    applied = sub.sum(axis=(0, 1))
    counts = {c.id: 0 for c in facet.codes}
    counts.update({code: int(applied[j]) for j, code in enumerate(ids)})
    return Coded(codes, cats), counts


def differing_units(data: DoneCodes, facet: Facet, code: str | None = None) -> IntArray:
    """Indices of the units (finished by two coders or more) whose coders' codes in ``facet``
    differ; with ``code``, those where the coders differ on that code."""
    if code is not None:
        values = data.code_presence(code).astype(np.int64)
    else:
        values = _masks(data.facet_columns(facet)[1])
    big = np.iinfo(np.int64).max
    low = np.where(data.done, values, big).min(axis=0, initial=big)
    high = np.where(data.done, values, -1).max(axis=0, initial=-1)
    two = data.done.sum(axis=0) >= 2
    return np.flatnonzero(two & (low != high))


def disagreeing(data: DoneCodes, facet: Facet, code: str | None = None
                ) -> list[tuple[int, dict[str, tuple[str, ...]]]]:
    """(unit index, coder → the facet's codes in codebook order) for each unit of
    :func:`differing_units`, with the coders who finished it."""
    ids, sub = data.facet_columns(facet)
    units = differing_units(data, facet, code)
    masks = _masks(sub)[:, units].T.tolist()
    done = data.done[:, units].T.tolist()
    names: dict[int, tuple[str, ...]] = {}
    for m in {m for row in masks for m in row}:
        names[m] = tuple(ids[j] for j in range(len(ids)) if m >> j & 1)
    return [(u, {coder: names[m] for coder, m, d in zip(data.coders, row, flags, strict=True) if d})
            for u, row, flags in zip(units.tolist(), masks, done, strict=True)]


def as_done_codes(states: Any, coders: Sequence[str] | None) -> DoneCodes:
    """``states`` as :class:`DoneCodes` (already one, or unit → coder → codes)."""
    if isinstance(states, DoneCodes):
        return states
    return DoneCodes.from_states(states, coders)
