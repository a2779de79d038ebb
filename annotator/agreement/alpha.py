"""Krippendorff's alpha for nominal, ordinal, interval, ratio and set-valued (MASI, Jaccard) data.

Formulas: Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability", Annenberg School
for Communication, University of Pennsylvania (coincidence matrix, sections C-E; difference
functions for the four metrics); MASI distance from Passonneau (2006).

alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_{c,k} o_ck delta_ck / sum_{c,k} n_c n_k delta_ck,
where o is the coincidence matrix built from the pairable units (those with at least two values)
and n_c are its margins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.agreement._matrix import (
    SET_LEVELS,
    Coded,
    FloatArray,
    check_ordinal_order,
    numeric_categories,
    to_coded,
)

LEVELS = ("nominal", "ordinal", "interval", "ratio", "masi", "jaccard")


def check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")


def delta_matrix(coded: Coded, level: str, margins: FloatArray | None = None) -> FloatArray:
    """The squared difference delta^2_ck between categories (Krippendorff 2011, section E).

    ``margins`` (the coincidence margins n_c) are needed for ``ordinal`` only.
    """
    q = coded.q
    if level == "nominal":
        return 1.0 - np.eye(q)
    if level == "interval":
        v = numeric_categories(coded, level)
        return (v[:, None] - v[None, :]) ** 2
    if level == "ratio":
        v = numeric_categories(coded, level)
        total = v[:, None] + v[None, :]
        diff = v[:, None] - v[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(total == 0, 0.0, (diff / np.where(total == 0, 1.0, total)) ** 2)
        return np.asarray(out, dtype=np.float64)
    if level == "ordinal":
        if margins is None:
            raise ValueError("ordinal distances need the coincidence margins")
        # categories are ranked in their given (or sorted) order
        cum = np.concatenate(([0.0], np.cumsum(margins)))
        idx = np.arange(q)
        lo = np.minimum(idx[:, None], idx[None, :])
        hi = np.maximum(idx[:, None], idx[None, :])
        between = cum[hi + 1] - cum[lo]
        d = between - (margins[:, None] + margins[None, :]) / 2.0
        return np.asarray(d**2, dtype=np.float64)
    if level in SET_LEVELS:
        return set_distances(coded.categories, level)
    check_level(level)
    raise AssertionError("unreachable")  # pragma: no cover


def set_distances(sets: Sequence[frozenset[Any]], level: str) -> FloatArray:
    """Pairwise MASI or Jaccard distances between sets, vectorised over a membership matrix.

    Same values as :func:`masi_distance` / :func:`jaccard_distance` (Passonneau 2006).
    """
    elements = {e: i for i, e in enumerate(dict.fromkeys(e for s in sets for e in s))}
    member = np.zeros((len(sets), max(len(elements), 1)))
    for i, s in enumerate(sets):
        member[i, [elements[e] for e in s]] = 1.0
    size = member.sum(axis=1)
    inter = member @ member.T
    union = size[:, None] + size[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union == 0, 1.0, inter / np.where(union == 0, 1.0, union))
    if level == "jaccard":
        return np.asarray(1.0 - jaccard, dtype=np.float64)
    equal = (inter == size[:, None]) & (inter == size[None, :])
    subset = inter == np.minimum(size[:, None], size[None, :])
    weight = np.where(equal, 1.0, np.where(inter == 0, 0.0, np.where(subset, 2 / 3, 1 / 3)))
    return np.asarray(1.0 - jaccard * weight, dtype=np.float64)


@dataclass(frozen=True)
class AlphaParts:
    """Per-unit pieces of alpha, so that resampled units only need weighted sums.

    Over the pairable units: ``m`` values per unit, ``counts`` (units x categories) and, for every
    level but ordinal, ``do`` = each unit's contribution to sum o_ck delta_ck.
    """

    level: str
    coded: Coded
    m: FloatArray
    counts: FloatArray
    delta: FloatArray
    do: FloatArray

    @property
    def n_units(self) -> int:
        return int(self.m.shape[0])

    def alpha_from_sums(self, n: float, do_sum: float, margins: FloatArray) -> float:
        """Alpha from summed pieces (works for replicates: pass weighted sums)."""
        if n <= 1:
            return float("nan")
        de = float(margins @ self.delta @ margins)
        if de <= 0:
            return float("nan")
        return 1.0 - (n - 1.0) * do_sum / de

    def coincidences(self) -> FloatArray:
        w = self.counts / (self.m - 1.0)[:, None]
        o: FloatArray = self.counts.T @ w - np.diag(w.sum(axis=0))
        return o

    def alpha(self) -> float:
        if self.n_units == 0:
            return float("nan")
        margins = self.counts.sum(axis=0)
        n = float(self.m.sum())
        if self.level == "ordinal":
            delta = delta_matrix(self.coded, "ordinal", margins)
            o = self.coincidences()
            de = float(margins @ delta @ margins)
            if de <= 0:
                return float("nan")
            return 1.0 - (n - 1.0) * float((o * delta).sum()) / de
        return self.alpha_from_sums(n, float(self.do.sum()), margins)


def alpha_parts(coded: Coded, level: str) -> AlphaParts:
    """Split ``coded`` into the per-unit pieces of alpha (pairable units only)."""
    check_level(level)
    counts_all = coded.unit_counts()
    m_all = counts_all.sum(axis=1)
    keep = m_all >= 2
    whole = bool(keep.all())  # usual in a report: no copy of a (units x categories) matrix
    counts = counts_all if whole else counts_all[keep]
    m = m_all if whole else m_all[keep]
    if level == "ordinal":
        delta = delta_matrix(coded, level, counts.sum(axis=0))
        do = np.zeros(len(m))
    elif level == "nominal":
        delta = delta_matrix(coded, level)
        # counts . (1 - I) . counts = m^2 - sum_c counts_c^2
        do = (m * m - np.einsum("uc,uc->u", counts, counts)) / np.maximum(m - 1.0, 1.0)
    else:
        delta = delta_matrix(coded, level)
        do = np.einsum("uc,uc->u", counts @ delta, counts) / np.maximum(m - 1.0, 1.0)
    return AlphaParts(level, coded, m, counts, delta, do)


def krippendorff_alpha(
    data: Any, level: str = "nominal", *, categories: Sequence[Any] | None = None
) -> float:
    """Krippendorff's alpha (Krippendorff 2011) at ``level``.

    ``data``: coder rows with one value per unit (``None`` = not coded) or a 2-D numpy array
    (coders x units, NaN = not coded). For ``masi`` / ``jaccard`` each value is a set of codes.
    Returns NaN when alpha is undefined (no pairable unit, or no variation: D_e = 0).
    Raises ``ValueError`` for ordinal values that are not numbers without ``categories`` (their
    order is unknown) and negative ratio values.
    """
    check_level(level)
    coded = to_coded(data, categories, sets=level in SET_LEVELS)
    if level == "ordinal":
        check_ordinal_order(coded, categories)
    elif level in ("interval", "ratio"):
        numeric_categories(coded, level)
    return alpha_parts(coded, level).alpha()
