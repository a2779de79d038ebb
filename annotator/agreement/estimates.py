"""Point values and bootstrap intervals for every coefficient of many items, from ONE bootstrap.

Units are resampled with replacement by ``numpy.random.default_rng(seed)`` (percentile interval:
Efron, B. & Tibshirani, R. (1993), An Introduction to the Bootstrap, ch. 13). Every item and
every coefficient sees the same resamples, so their intervals are comparable. A replicate on
which a coefficient is undefined (e.g. a resample without variation) is dropped from that
coefficient's interval, and the number dropped is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotator.agreement._matrix import FloatArray, IntArray
from annotator.agreement.bootstrap import SparseCounts, percentile_interval, resample_weights
from annotator.agreement.pieces import Pieces, blocks, from_sums, point

NAN_PAIR = (float("nan"), float("nan"))


@dataclass(frozen=True)
class Estimate:
    """A coefficient's value, its 95% interval ((nan, nan) when none) and the replicates dropped."""

    value: float
    ci: tuple[float, float] = NAN_PAIR
    dropped: int = 0


@dataclass(frozen=True)
class Level:
    """A coarser grouping of the kinds of unit (see :class:`UnitWeights`): the level's row of
    each kind. Items whose rows are sums of a level's rows are summed from it, not from every
    kind."""

    of_kind: IntArray
    n_rows: int


@dataclass(frozen=True)
class Rows:
    """An item whose rows stand for several units: its row of each kind of unit (of each row of
    ``level`` when given) and how many units each row stands for."""

    of_kind: IntArray
    weight: FloatArray
    level: int | None = None


@dataclass(frozen=True)
class UnitWeights:
    """Units grouped into kinds (units alike), and each item's rows over those kinds. A resample
    draws units; its draws are counted per kind, then per level and item row."""

    of_unit: IntArray
    n_kinds: int
    items: Sequence[Rows]
    levels: Sequence[Level] = ()

    @property
    def n_units(self) -> int:
        return len(self.of_unit)


def _stacked(pieces: Pieces) -> tuple[FloatArray, dict[str, slice]]:
    """An item's blocks side by side, so a chunk of resamples needs one matrix product."""
    layout: dict[str, slice] = {}
    columns = []
    start = 0
    for name, block in blocks(pieces).items():
        layout[name] = slice(start, start + block.shape[1])
        start += block.shape[1]
        columns.append(block)
    return np.hstack(columns), layout


class _Collapse:
    """Adds the columns of a (replicates x kinds) matrix into an item's rows."""

    def __init__(self, of_kind: IntArray, n_rows: int) -> None:
        self.same = len(of_kind) == n_rows and bool((of_kind == np.arange(n_rows)).all())
        self.of_kind, self.n_rows = of_kind, n_rows

    def __call__(self, w: FloatArray) -> FloatArray:
        if self.same:
            return w
        # one bincount per replicate: a pass over contiguous memory (column gathers are slow)
        out = np.empty((len(w), self.n_rows))
        for r, row in enumerate(w):
            out[r] = np.bincount(self.of_kind, weights=row, minlength=self.n_rows)
        return out


def _replicates(
    items: Sequence[Pieces], n_boot: int, seed: int, units: UnitWeights | None
) -> list[dict[str, FloatArray]]:
    features = [_stacked(p) for p in items]
    sparse = [None if "counts" in f[1] or p.alpha.level == "ordinal" else SparseCounts(p.alpha.counts)
              for p, f in zip(items, features, strict=True)]
    reps: list[dict[str, list[FloatArray]]] = [{} for _ in items]
    levels: list[_Collapse] = []
    if units is None:
        draws = resample_weights(items[0].n_units, n_boot, seed)
        collapse = [_Collapse(np.arange(p.n_units), p.n_units) for p in items]
        source: list[int | None] = [None for _ in items]
    else:
        draws = resample_weights(units.n_units, n_boot, seed, units.of_unit, units.n_kinds)
        collapse = [_Collapse(r.of_kind, p.n_units) for r, p in zip(units.items, items, strict=True)]
        levels = [_Collapse(level.of_kind, level.n_rows) for level in units.levels]
        source = [r.level for r in units.items]
    for w_all in draws:
        per_level = [level(w_all) for level in levels]
        for i, p in enumerate(items):
            level = source[i]
            w = collapse[i](w_all if level is None else per_level[level])
            stacked, layout = features[i]
            s = w @ stacked
            sums = {name: s[:, cols] for name, cols in layout.items()}
            for k, v in from_sums(p, sums, w, sparse[i]).items():
                reps[i].setdefault(k, []).append(v)
    return [{k: np.concatenate(v) for k, v in rep.items()} for rep in reps]


def estimate_all(
    items: Sequence[Pieces], n_boot: int, seed: int, confidence: float = 0.95,
    units: UnitWeights | None = None,
) -> list[dict[str, Estimate]]:
    """metric -> :class:`Estimate` for each item; all items must share their units (each item's
    rows standing for groups of them with ``units``)."""
    points = [point(p, None if units is None else units.items[i].weight) for i, p in enumerate(items)]
    if not items:
        return []
    if units is None and any(p.n_units != items[0].n_units for p in items):
        raise ValueError("items bootstrapped together must have the same units")
    if n_boot <= 0 or items[0].n_units == 0 or (units is not None and units.n_units == 0):
        return [{k: Estimate(v) for k, v in pts.items()} for pts in points]
    out: list[dict[str, Estimate]] = []
    for pts, rep in zip(points, _replicates(items, n_boot, seed, units), strict=True):
        row: dict[str, Estimate] = {}
        for k, value in pts.items():
            finite = int(np.isfinite(rep[k]).sum())
            row[k] = Estimate(value, percentile_interval(rep[k], confidence), n_boot - finite)
        out.append(row)
    return out
