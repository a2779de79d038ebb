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

from annotator.agreement._matrix import FloatArray
from annotator.agreement.bootstrap import SparseCounts, percentile_interval, resample_weights
from annotator.agreement.pieces import Pieces, blocks, from_sums, point

NAN_PAIR = (float("nan"), float("nan"))


@dataclass(frozen=True)
class Estimate:
    """A coefficient's value, its 95% interval ((nan, nan) when none) and the replicates dropped."""

    value: float
    ci: tuple[float, float] = NAN_PAIR
    dropped: int = 0


def _stacked(items: Sequence[Pieces]) -> tuple[FloatArray, list[dict[str, slice]]]:
    """All items' blocks side by side, so a chunk of resamples needs one matrix product."""
    columns: list[FloatArray] = []
    layout: list[dict[str, slice]] = []
    start = 0
    for p in items:
        where = {}
        for name, block in blocks(p).items():
            where[name] = slice(start, start + block.shape[1])
            start += block.shape[1]
            columns.append(block)
        layout.append(where)
    return np.hstack(columns), layout


def _replicates(items: Sequence[Pieces], n_boot: int, seed: int) -> list[dict[str, FloatArray]]:
    features, layout = _stacked(items)
    sparse = [None if "counts" in where or p.alpha.level == "ordinal" else SparseCounts(p.alpha.counts)
              for p, where in zip(items, layout, strict=True)]
    reps: list[dict[str, list[FloatArray]]] = [{} for _ in items]
    for w in resample_weights(items[0].n_units, n_boot, seed):
        s = w @ features
        for i, p in enumerate(items):
            sums = {name: s[:, cols] for name, cols in layout[i].items()}
            for k, v in from_sums(p, sums, w, sparse[i]).items():
                reps[i].setdefault(k, []).append(v)
    return [{k: np.concatenate(v) for k, v in rep.items()} for rep in reps]


def estimate_all(
    items: Sequence[Pieces], n_boot: int, seed: int, confidence: float = 0.95
) -> list[dict[str, Estimate]]:
    """metric -> :class:`Estimate` for each item; all items must share their units."""
    points = [point(p) for p in items]
    if not items:
        return []
    if any(p.n_units != items[0].n_units for p in items):
        raise ValueError("items bootstrapped together must have the same units")
    if n_boot <= 0 or items[0].n_units == 0:
        return [{k: Estimate(v) for k, v in pts.items()} for pts in points]
    out: list[dict[str, Estimate]] = []
    for pts, rep in zip(points, _replicates(items, n_boot, seed), strict=True):
        row: dict[str, Estimate] = {}
        for k, value in pts.items():
            finite = int(np.isfinite(rep[k]).sum())
            row[k] = Estimate(value, percentile_interval(rep[k], confidence), n_boot - finite)
        out.append(row)
    return out
