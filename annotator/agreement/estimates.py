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
from annotator.agreement.bootstrap import percentile_interval, resample_weights
from annotator.agreement.pieces import Pieces, point, weighted

NAN_PAIR = (float("nan"), float("nan"))


@dataclass(frozen=True)
class Estimate:
    """A coefficient's value, its 95% interval ((nan, nan) when none) and the replicates dropped."""

    value: float
    ci: tuple[float, float] = NAN_PAIR
    dropped: int = 0


def estimate_all(
    items: Sequence[Pieces], n_boot: int, seed: int, confidence: float = 0.95
) -> list[dict[str, Estimate]]:
    """metric -> :class:`Estimate` for each item; all items must share their units."""
    points = [point(p) for p in items]
    if not items:
        return []
    n_units = items[0].n_units
    if any(p.n_units != n_units for p in items):
        raise ValueError("items bootstrapped together must have the same units")
    if n_boot <= 0 or n_units == 0:
        return [{k: Estimate(v) for k, v in pts.items()} for pts in points]
    reps: list[dict[str, list[FloatArray]]] = [{k: [] for k in pts} for pts in points]
    for w in resample_weights(n_units, n_boot, seed):
        for i, p in enumerate(items):
            for k, v in weighted(p, w).items():
                reps[i][k].append(v)
    out: list[dict[str, Estimate]] = []
    for pts, rep in zip(points, reps, strict=True):
        row: dict[str, Estimate] = {}
        for k, value in pts.items():
            r = np.concatenate(rep[k])
            finite = int(np.isfinite(r).sum())
            row[k] = Estimate(value, percentile_interval(r, confidence), n_boot - finite)
        out.append(row)
    return out
