"""Bootstrap confidence intervals for alpha and kappa: resample units with replacement.

Percentile interval (Efron, B. & Tibshirani, R. (1993), An Introduction to the Bootstrap, ch. 13).
Units are drawn with ``numpy.random.default_rng(seed)``, so a seed gives the same interval.
For alpha, each unit's contribution (values, coincidences x distances, category counts) is
computed once; a replicate is then a weighted sum (resample counts @ per-unit pieces).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from annotator.agreement._matrix import (
    MISSING,
    SET_LEVELS,
    Coded,
    FloatArray,
    IntArray,
    check_ordinal_order,
    to_coded,
)
from annotator.agreement.alpha import AlphaParts, alpha_parts, check_level, delta_matrix
from annotator.agreement.kappa import kappa_from_table

#: Resample-count matrices are built this many cells at a time.
_CHUNK_CELLS = 4_000_000
#: Items with more categories than this sum their counts sparsely.
DENSE_CATEGORIES = 32
#: ... unless their (units x categories) count matrix has at most this many cells.
DENSE_CELLS = 4_000_000


def resample_weights(
    n_units: int, n_boot: int, seed: int, of_unit: IntArray | None = None, n_groups: int = 0
) -> Iterator[FloatArray]:
    """Yield (replicates x units) matrices: how often each unit is drawn in each replicate.

    With ``of_unit`` (the group, 0..``n_groups``-1, of each unit), how often each group's units
    are drawn: the same draws, counted per group (replicates x groups)."""
    rng = np.random.default_rng(seed)
    per_chunk = max(1, _CHUNK_CELLS // max(n_units, 1))
    width = n_units if of_unit is None else n_groups
    # 32-bit draws: the same numbers as 64-bit ones for ranges below 2**32, in half the memory
    small = n_units < 2**31 and per_chunk * max(width, 1) < 2**31
    kind = np.int32 if small else np.int64
    groups = None if of_unit is None else of_unit.astype(kind)
    done = 0
    while done < n_boot:
        k = min(per_chunk, n_boot - done)
        idx = rng.integers(0, n_units, size=(k, n_units), dtype=kind)
        if groups is not None:
            idx = groups[idx]
        idx += (np.arange(k, dtype=kind) * width)[:, None].astype(kind)
        w = np.bincount(idx.ravel(), minlength=k * width).reshape(k, width)
        yield w.astype(np.float64)
        done += k


def percentile_interval(replicates: FloatArray, confidence: float = 0.95) -> tuple[float, float]:
    """Percentile interval of the finite replicates (NaN replicates dropped)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    finite = replicates[np.isfinite(replicates)]
    if finite.size == 0:
        return (float("nan"), float("nan"))
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(finite, [tail, 100.0 - tail])
    return (float(low), float(high))


def alpha_from_sums(parts: AlphaParts, s: FloatArray) -> FloatArray:
    """Alpha for each replicate row of ``s`` = W @ [m, do, counts]."""
    n, do, margins = s[:, 0], s[:, 1], s[:, 2:]
    de = ((margins @ parts.delta) * margins).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 1.0 - (n - 1.0) * do / de
    out[(de <= 0) | (n <= 1)] = np.nan
    return np.asarray(out, dtype=np.float64)


def ordinal_replicates(parts: AlphaParts, w: FloatArray) -> FloatArray:
    q = parts.coded.q
    inv = 1.0 / np.maximum(parts.m - 1.0, 1.0)
    per_unit = (parts.counts[:, :, None] * parts.counts[:, None, :]).reshape(-1, q * q)
    per_unit -= (parts.counts[:, :, None] * np.eye(q)[None]).reshape(-1, q * q)
    per_unit *= inv[:, None]
    o_all = (w @ per_unit).reshape(-1, q, q)
    out = np.empty(len(w))
    for r, o in enumerate(o_all):
        margins = o.sum(axis=1)
        n = margins.sum()
        delta = delta_matrix(parts.coded, "ordinal", margins)
        de = float(margins @ delta @ margins)
        out[r] = np.nan if de <= 0 or n <= 1 else 1.0 - (n - 1.0) * float((o * delta).sum()) / de
    return out


def alpha_from_weights(parts: AlphaParts, w: FloatArray) -> FloatArray:
    """Alpha for each row of ``w`` (replicates x pairable units: how often each unit is drawn)."""
    if parts.level == "ordinal":
        return ordinal_replicates(parts, w)
    if parts.coded.q <= DENSE_CATEGORIES:
        return alpha_from_sums(parts, w @ np.column_stack([parts.m, parts.do, parts.counts]))
    # many categories (set-valued data: one per distinct set): a unit has few non-zero counts,
    # so sum them sparsely
    base = w @ np.column_stack([parts.m, parts.do])
    return alpha_from_sums(parts, np.hstack([base, SparseCounts(parts.counts).weighted(w)]))


def alpha_replicates(parts_list: Sequence[AlphaParts], n_boot: int, seed: int) -> FloatArray:
    """Bootstrap replicates of alpha for several items coded on the same units.

    Every item in ``parts_list`` must cover the same pairable units (as in a report, where each
    facet and code is judged on the same segments); they share one set of resamples.
    Returns an array (items x n_boot).
    """
    if not parts_list:
        return np.empty((0, n_boot))
    n_units = parts_list[0].n_units
    if any(p.n_units != n_units for p in parts_list):
        raise ValueError("items bootstrapped together must have the same pairable units")
    out = np.full((len(parts_list), n_boot), np.nan)
    if n_units == 0 or n_boot <= 0:
        return out
    dense = {i: np.column_stack([p.m, p.do, p.counts]) for i, p in enumerate(parts_list)
             if p.level != "ordinal" and p.coded.q <= DENSE_CATEGORIES}
    start = 0
    for w in resample_weights(n_units, n_boot, seed):
        stop = start + len(w)
        for i, p in enumerate(parts_list):
            sums = w @ dense[i] if i in dense else None
            out[i, start:stop] = alpha_from_sums(p, sums) if sums is not None else alpha_from_weights(p, w)
        start = stop
    return out


class SparseCounts:
    """A units x categories count matrix kept as its non-zero cells, sorted by category."""

    def __init__(self, counts: FloatArray) -> None:
        units, cats = np.nonzero(counts.T)  # category-major order
        self.q = counts.shape[1]
        self.units = cats  # np.nonzero on the transpose: second index is the unit
        self.values = counts.T[units, cats]
        self.present, self.starts = np.unique(units, return_index=True)

    def weighted(self, w: FloatArray) -> FloatArray:
        """w @ counts for a (replicates x units) weight matrix."""
        out = np.zeros((len(w), self.q))
        if self.values.size:
            # gather whole rows of the transposed weights (contiguous), not scattered columns
            cells = np.ascontiguousarray(w.T)[self.units] * self.values[:, None]
            out[:, self.present] = np.add.reduceat(cells, self.starts, axis=0).T
        return out


def _kappa_replicates(coded: Coded, n_boot: int, seed: int) -> FloatArray:
    if coded.n_coders != 2:
        raise ValueError(f"Cohen's kappa takes exactly two coder rows, got {coded.n_coders}")
    a, b = coded.codes
    both = (a != MISSING) & (b != MISSING)
    q = coded.q
    pair = a[both] * q + b[both]
    out = np.full(n_boot, np.nan)
    if pair.size == 0:
        return out
    start = 0
    for w in resample_weights(pair.size, n_boot, seed):
        for r, row in enumerate(w):
            table = np.bincount(pair, weights=row, minlength=q * q).astype(np.float64)
            table = table.reshape(q, q)
            out[start + r] = kappa_from_table(table)
        start += len(w)
    return out


def bootstrap_ci(
    data: Any,
    *,
    statistic: str | Callable[[Coded], float] = "alpha",
    level: str = "nominal",
    categories: Sequence[Any] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval (low, high) for ``statistic`` over resampled units.

    ``statistic``: ``"alpha"`` (Krippendorff's alpha at ``level``), ``"kappa"`` (Cohen's kappa,
    two coders) or any function of a :class:`Coded` matrix (slow path: one call per replicate).
    Units are drawn with replacement by ``numpy.random.default_rng(seed)``; NaN replicates are
    dropped. (nan, nan) when no replicate is defined.
    """
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    if statistic == "alpha":
        check_level(level)
        coded = to_coded(data, categories, sets=level in SET_LEVELS)
        if level == "ordinal":
            check_ordinal_order(coded, categories)
        reps = alpha_replicates([alpha_parts(coded, level)], n_boot, seed)[0]
    elif statistic == "kappa":
        reps = _kappa_replicates(to_coded(data, categories), n_boot, seed)
    elif callable(statistic):
        coded = to_coded(data, categories, sets=level in SET_LEVELS)
        reps = np.full(n_boot, np.nan)
        rng = np.random.default_rng(seed)
        for r in range(n_boot):
            idx = rng.integers(0, coded.n_units, size=coded.n_units)
            reps[r] = statistic(coded.take_units(idx))
    else:
        raise ValueError(f"unknown statistic {statistic!r}; expected 'alpha', 'kappa' or a function")
    return percentile_interval(reps, confidence)
