"""Every coefficient of one item as sums of per-unit pieces, so that one bootstrap serves them all.

An *item* is what a report row judges: a facet, a code (present/absent) or a pool of codes. Each
coefficient is a function of sums over units of per-unit pieces (alpha: values, disagreement and
category counts, Krippendorff 2011; percent agreement, Fleiss, AC1 and Brennan-Prediger: agreeing
pair shares and classification proportions, Gwet 2014; Cohen: each pair's contingency table). A
resampled set of units is a weight per unit, so a replicate is ``weights @ pieces`` and the point
estimate is the replicate with every weight 1. Pooling items (several codes judged together, the
units being segment x code) is adding their pieces unit by unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from annotator.agreement._matrix import MISSING, Coded, FloatArray
from annotator.agreement.alpha import AlphaParts, alpha_parts
from annotator.agreement.bootstrap import alpha_from_weights

ALPHA = "krippendorff_alpha"
PERCENT = "percent_agreement"
FLEISS = "fleiss_kappa"
AC1 = "gwet_ac1"
BP = "brennan_prediger"
COHEN = "cohen_kappa_mean"
#: Coefficients of every item, in the order reports show them.
METRICS = (PERCENT, ALPHA, FLEISS, AC1, BP, COHEN)
#: Coefficients computed on whole sets of codes only (a multi-choice facet's own row).
SET_METRICS = (PERCENT, ALPHA)


@dataclass(frozen=True)
class Pieces:
    """Per-unit pieces of one item over the report's units (one row per unit)."""

    alpha: AlphaParts
    agree: FloatArray  # share of agreeing coder pairs on the unit (summed over pooled items)
    two: FloatArray  # 1 where the unit has two values (summed over pooled items)
    rated: FloatArray  # 1 where the unit has a value
    pi_num: FloatArray | None  # per category: count / values on the unit; None for set items
    q: int
    tables: dict[tuple[str, str], FloatArray] = field(default_factory=dict)  # pair -> units x q*q

    @property
    def n_units(self) -> int:
        return int(self.agree.shape[0])

    def metrics(self) -> tuple[str, ...]:
        return METRICS if self.pi_num is not None else SET_METRICS


def _gwet(coded: Coded) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    counts = coded.unit_counts()
    r = counts.sum(axis=1)
    two = (r >= 2).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        agree = np.where(r >= 2, (counts * (counts - 1.0)).sum(axis=1) / (r * (r - 1.0)), 0.0)
        pi_num = np.where((r >= 1)[:, None], counts / np.maximum(r, 1.0)[:, None], 0.0)
    return agree, two, (r >= 1).astype(np.float64), pi_num


def _tables(coded: Coded, coders: Sequence[str]) -> dict[tuple[str, str], FloatArray]:
    q, n = coded.q, coded.n_units
    out: dict[tuple[str, str], FloatArray] = {}
    for i, j in combinations(range(len(coders)), 2):
        a, b = coded.codes[i], coded.codes[j]
        both = (a != MISSING) & (b != MISSING)
        table = np.zeros((n, q * q))
        table[np.flatnonzero(both), (a[both] * q + b[both])] = 1.0
        out[(coders[i], coders[j])] = table
    return out


def item_pieces(coded: Coded, coders: Sequence[str], level: str) -> Pieces:
    """Pieces of one item whose every unit has at least two values (a report's units).

    ``level`` "masi" (sets of codes): alpha with MASI and exact-set percent agreement only.
    """
    parts = alpha_parts(coded, level)
    if parts.n_units != coded.n_units:
        raise ValueError("every unit of an item must have at least two values")
    agree, two, rated, pi_num = _gwet(coded)
    if level == "masi":
        return Pieces(parts, agree, two, rated, None, coded.q)
    return Pieces(parts, agree, two, rated, pi_num, coded.q, _tables(coded, coders))


def pool(items: Sequence[Pieces]) -> Pieces:
    """Pieces of the pooled item (units = segment x item) from present/absent items."""
    if not items or any(p.q != 2 or p.pi_num is None for p in items):
        raise ValueError("only present/absent items can be pooled")
    first = items[0].alpha
    alpha = AlphaParts(
        first.level,
        first.coded,
        sum((p.alpha.m for p in items), np.zeros(first.n_units)),
        sum((p.alpha.counts for p in items), np.zeros_like(first.counts)),
        first.delta,
        sum((p.alpha.do for p in items), np.zeros(first.n_units)),
    )

    def total(name: str) -> FloatArray:
        arrays = [getattr(p, name) for p in items]
        return np.asarray(sum(arrays[1:], arrays[0].copy()), dtype=np.float64)

    tables = {pair: sum((p.tables[pair] for p in items[1:]), items[0].tables[pair].copy())
              for pair in items[0].tables}
    return Pieces(alpha, total("agree"), total("two"), total("rated"), total("pi_num"), 2, tables)


def _divide(num: FloatArray, den: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _chance_corrected(pa: FloatArray, pe: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (pa - pe) / (1.0 - pe)
    return np.where(pe >= 1.0 - 1e-12, np.nan, out)


def _kappas(tables: FloatArray, q: int) -> FloatArray:
    t = tables.reshape(-1, q, q)
    n = t.sum(axis=(1, 2))
    po = _divide(np.trace(t, axis1=1, axis2=2), n)
    pe = _divide(np.einsum("ki,ki->k", t.sum(axis=2), t.sum(axis=1)), n * n)
    return _chance_corrected(po, pe)


def weighted(pieces: Pieces, w: FloatArray) -> dict[str, FloatArray]:
    """Every coefficient for each row of ``w`` (replicates x units): metric -> values.

    Pairwise Cohen's kappas come as ``"cohen:A|B"``; their mean (NaN ones left out) as
    :data:`COHEN`.
    """
    out = {ALPHA: alpha_from_weights(pieces.alpha, w)}
    two = w @ pieces.two
    pa = _divide(w @ pieces.agree, two)
    out[PERCENT] = pa
    if pieces.pi_num is None:
        return out
    pi = _divide(w @ pieces.pi_num, (w @ pieces.rated)[:, None])
    q = pieces.q
    out[FLEISS] = _chance_corrected(pa, (pi * pi).sum(axis=1))
    ac1_pe = (pi * (1.0 - pi)).sum(axis=1) / (q - 1) if q >= 2 else np.full(len(w), 1.0)
    out[AC1] = _chance_corrected(pa, ac1_pe)
    out[BP] = _chance_corrected(pa, np.full(len(w), 1.0 / q if q >= 2 else 1.0))
    kappas = [_kappas(w @ table, q) for table in pieces.tables.values()]
    for (a, b), k in zip(pieces.tables, kappas, strict=True):
        out[f"cohen:{a}|{b}"] = k
    stacked = np.vstack(kappas) if kappas else np.full((1, len(w)), np.nan)
    finite = np.isfinite(stacked)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[COHEN] = np.where(
            finite.any(axis=0), np.where(finite, stacked, 0.0).sum(axis=0) / finite.sum(axis=0), np.nan
        )
    return out


def point(pieces: Pieces) -> dict[str, float]:
    """The coefficients on the units as they are (every weight 1)."""
    values = weighted(pieces, np.ones((1, pieces.n_units)))
    return {k: float(v[0]) for k, v in values.items()}
