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

from annotator.agreement._matrix import MISSING, Coded, FloatArray, IntArray
from annotator.agreement.alpha import AlphaParts, alpha_parts
from annotator.agreement.bootstrap import (
    DENSE_CATEGORIES,
    DENSE_CELLS,
    SparseCounts,
    alpha_from_sums,
    ordinal_replicates,
)

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


def _gwet(counts: FloatArray, with_pi: bool) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None]:
    r = counts.sum(axis=1)
    two = (r >= 2).astype(np.float64)
    same = np.einsum("uc,uc->u", counts, counts) - r  # sum_c counts_c (counts_c - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        agree = np.where(r >= 2, same / (r * (r - 1.0)), 0.0)
        pi_num = np.where((r >= 1)[:, None], counts / np.maximum(r, 1.0)[:, None], 0.0) if with_pi else None
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
    agree, two, rated, pi_num = _gwet(parts.counts, with_pi=level != "masi")
    if pi_num is None:
        return Pieces(parts, agree, two, rated, None, coded.q)
    return Pieces(parts, agree, two, rated, pi_num, coded.q, _tables(coded, coders))


def pool(items: Sequence[Pieces], rows: Sequence[IntArray] | None = None) -> Pieces:
    """Pieces of the pooled item (units = segment x item) from present/absent items; with
    ``rows``, item ``i``'s pieces are taken at ``rows[i]`` first (items kept compact)."""
    if not items or any(p.q != 2 or p.pi_num is None for p in items):
        raise ValueError("only present/absent items can be pooled")
    n = items[0].n_units if rows is None else len(rows[0])
    acc = take_rows(items[0], np.arange(n) if rows is None else rows[0])  # a copy to add into
    for i, item in enumerate(items[1:], start=1):
        p = item if rows is None else take_rows(item, rows[i])
        pairs = [(acc.agree, p.agree), (acc.two, p.two), (acc.rated, p.rated), (acc.alpha.m, p.alpha.m),
                 (acc.alpha.counts, p.alpha.counts), (acc.alpha.do, p.alpha.do)]
        pairs += [(acc.tables[k], p.tables[k]) for k in acc.tables]
        if acc.pi_num is not None and p.pi_num is not None:
            pairs.append((acc.pi_num, p.pi_num))
        for total, part in pairs:
            np.add(total, part, out=total)
    return acc


def take_rows(pieces: Pieces, idx: IntArray) -> Pieces:
    """The pieces of the units ``idx`` (in that order). Rows are copied by ``np.take``: the same
    rows as ``t[idx]``, ten times faster for rows of a few numbers (a large report pools codes
    over thousands of kinds of unit, each item's tables taken at every one)."""
    a = pieces.alpha
    alpha = AlphaParts(a.level, a.coded.take_units(idx), a.m[idx], np.take(a.counts, idx, axis=0), a.delta,
                       a.do[idx])
    return Pieces(
        alpha, pieces.agree[idx], pieces.two[idx], pieces.rated[idx],
        None if pieces.pi_num is None else np.take(pieces.pi_num, idx, axis=0), pieces.q,
        {pair: np.take(t, idx, axis=0) for pair, t in pieces.tables.items()},
    )


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


def blocks(pieces: Pieces) -> dict[str, FloatArray]:
    """The per-unit columns whose weighted sums give every coefficient (units x columns each)."""
    out = {
        "m": pieces.alpha.m[:, None],
        "do": pieces.alpha.do[:, None],
        "two": pieces.two[:, None],
        "agree": pieces.agree[:, None],
        "rated": pieces.rated[:, None],
    }
    q = pieces.alpha.coded.q
    if pieces.alpha.level != "ordinal" and (q <= DENSE_CATEGORIES or q * pieces.n_units <= DENSE_CELLS):
        out["counts"] = pieces.alpha.counts
    if pieces.pi_num is not None:
        out["pi"] = pieces.pi_num
    for (a, b), table in pieces.tables.items():
        out[f"cohen:{a}|{b}"] = table
    return out


def _alpha(pieces: Pieces, sums: dict[str, FloatArray], w: FloatArray, sparse: SparseCounts | None) -> FloatArray:
    parts = pieces.alpha
    if parts.level == "ordinal":
        return ordinal_replicates(parts, w)
    counts = sums["counts"] if "counts" in sums else (sparse or SparseCounts(parts.counts)).weighted(w)
    return alpha_from_sums(parts, np.hstack([sums["m"], sums["do"], counts]))


def from_sums(
    pieces: Pieces, sums: dict[str, FloatArray], w: FloatArray, sparse: SparseCounts | None = None
) -> dict[str, FloatArray]:
    """Every coefficient per replicate from ``sums`` (name -> w @ block; see :func:`blocks`).

    Pairwise Cohen's kappas come as ``"cohen:A|B"``; their mean (NaN ones left out) as
    :data:`COHEN`. ``w`` is needed only for ordinal alpha and for many set categories.
    """
    out = {ALPHA: _alpha(pieces, sums, w, sparse)}
    pa = _divide(sums["agree"][:, 0], sums["two"][:, 0])
    out[PERCENT] = pa
    if pieces.pi_num is None:
        return out
    pi = _divide(sums["pi"], sums["rated"])
    q = pieces.q
    k = len(pa)
    out[FLEISS] = _chance_corrected(pa, (pi * pi).sum(axis=1))
    ac1_pe = (pi * (1.0 - pi)).sum(axis=1) / (q - 1) if q >= 2 else np.full(k, 1.0)
    out[AC1] = _chance_corrected(pa, ac1_pe)
    out[BP] = _chance_corrected(pa, np.full(k, 1.0 / q if q >= 2 else 1.0))
    kappas = [_kappas(sums[f"cohen:{a}|{b}"], q) for a, b in pieces.tables]
    for (a, b), kappa in zip(pieces.tables, kappas, strict=True):
        out[f"cohen:{a}|{b}"] = kappa
    stacked = np.vstack(kappas) if kappas else np.full((1, k), np.nan)
    finite = np.isfinite(stacked)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[COHEN] = np.where(
            finite.any(axis=0), np.where(finite, stacked, 0.0).sum(axis=0) / finite.sum(axis=0), np.nan
        )
    return out


def weighted(pieces: Pieces, w: FloatArray) -> dict[str, FloatArray]:
    """Every coefficient for each row of ``w`` (replicates x units: how often each unit is drawn)."""
    return from_sums(pieces, {name: w @ block for name, block in blocks(pieces).items()}, w)


def point(pieces: Pieces, weight: FloatArray | None = None) -> dict[str, float]:
    """The coefficients on the units as they are (every weight 1, or how many units each row
    stands for)."""
    w = np.ones((1, pieces.n_units)) if weight is None else np.asarray(weight, dtype=np.float64)[None, :]
    values = weighted(pieces, w)
    return {k: float(v[0]) for k, v in values.items()}
