"""A facet's reliability matrices from the finished work, as array operations.

Single-choice facet: a coder's value on a unit is its code, ``(none)`` when none applies, the
codes joined by ``+`` when the data broke the one-code rule; categories are the facet's codes and
``(none)``, then other values in the order they first occur (coder by coder). Multi-choice facet:
the set of the facet's codes (categories in the order they first occur). Every code: present or
absent. Counts are weighted by how many units each column stands for.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from annotator.agreement._matrix import MISSING, Coded, FloatArray, IntArray
from annotator.agreement.done_codes import BoolArray
from annotator.agreement.patterns import distinct_rows

NONE_CATEGORY = "(none)"


def cell_values(sub: BoolArray, done: BoolArray) -> tuple[IntArray, BoolArray]:
    """For every done cell (coder by coder), the number of its set of codes, and those sets as
    rows (numbered in the order they first occur)."""
    cells = sub[done]
    index, first = distinct_rows(cells)
    return index, cells[first]


def _weights(done: BoolArray, weight: FloatArray) -> FloatArray:
    return np.broadcast_to(weight, done.shape)[done]


def _matrix(done: BoolArray, values: IntArray) -> IntArray:
    codes = np.full(done.shape, MISSING, dtype=np.int64)
    codes[done] = values
    return codes


def single_choice(ids: Sequence[str], sub: BoolArray, done: BoolArray, weight: FloatArray
                  ) -> tuple[Coded, dict[str, int]]:
    """The facet's nominal matrix and how many values fall in each category (those that occur)."""
    index, rows = cell_values(sub, done)
    names = []
    for row in rows:
        chosen = [ids[j] for j in np.flatnonzero(row).tolist()]
        names.append(chosen[0] if len(chosen) == 1 else "+".join(sorted(chosen)) or NONE_CATEGORY)
    wanted = [*ids, NONE_CATEGORY]
    cats = tuple(wanted) + tuple(dict.fromkeys(n for n in names if n not in wanted))
    position = {c: i for i, c in enumerate(cats)}
    of_row = np.asarray([position[n] for n in names], dtype=np.int64)
    values = of_row[index]
    tally = np.bincount(values, weights=_weights(done, weight), minlength=len(cats))
    counts = {str(c): round(float(tally[i])) for i, c in enumerate(cats) if tally[i]}
    return Coded(_matrix(done, values), cats), counts


def multi_choice(ids: Sequence[str], sub: BoolArray, done: BoolArray, weight: FloatArray
                 ) -> tuple[Coded, dict[str, int]]:
    """The facet's set-valued matrix and how often each code was applied."""
    index, rows = cell_values(sub, done)
    cats = tuple(frozenset(ids[j] for j in np.flatnonzero(row).tolist()) for row in rows)
    applied = (sub & done[:, :, None]).astype(np.float64)
    per_code = np.einsum("cuk,u->k", applied, weight) if sub.shape[2] else np.zeros(0)
    counts = {code: round(float(per_code[j])) for j, code in enumerate(ids)}
    return Coded(_matrix(done, index), cats), counts


def binary(present: BoolArray, done: BoolArray) -> Coded:
    """One code present (True) or absent (False) per coder and unit; missing where not done."""
    return Coded(np.where(done, present.astype(np.int64), MISSING), (False, True))


def binary_counts(present: BoolArray, done: BoolArray, weight: FloatArray, two: bool) -> dict[str, int]:
    """Units where every, some or no coder applied the code, and how often it was applied."""
    applied = (present & done).sum(axis=0)
    rated = done.sum(axis=0)
    all_ = round(float(weight[(applied == rated) & (applied > 0)].sum()))
    none = round(float(weight[applied == 0].sum()))
    some = round(float(weight.sum())) - all_ - none
    positives = round(float(applied @ weight))
    if two:
        return {"positives": positives, "both": all_, "only_one": some, "neither": none}
    return {"positives": positives, "all": all_, "some": some, "none": none}


def differing(index: IntArray, done: BoolArray) -> BoolArray:
    """Per unit: its coders' values (``index`` per done cell) are not all the same."""
    big = np.iinfo(np.int64).max
    low = np.where(done, _matrix(done, index), big).min(axis=0, initial=big)
    high = np.where(done, _matrix(done, index), -1).max(axis=0, initial=-1)
    return np.asarray((done.sum(axis=0) >= 2) & (low != high), dtype=bool)
