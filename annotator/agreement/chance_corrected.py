"""Percent agreement, Gwet's AC1 and Brennan-Prediger for two or more coders.

Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., Advanced Analytics (chapters 4-5):
with missing ratings the agreement p_a is averaged over the units rated by at least two coders
(r_i >= 2) and the classification probabilities pi_k over all rated units.
Gwet, K. L. (2008). "Computing inter-rater reliability and its variance in the presence of high
agreement". British Journal of Mathematical and Statistical Psychology 61, 29-48 (AC1).
Brennan, R. L. & Prediger, D. J. (1981). "Coefficient kappa: some uses, misuses, and alternatives".
Educational and Psychological Measurement 41, 687-699 (p_e = 1/q).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from annotator.agreement._matrix import Coded, FloatArray, to_coded


def gwet_parts(coded: Coded) -> tuple[float, FloatArray] | None:
    """(p_a, pi) as in Gwet (2014); None when no unit has two ratings."""
    counts = coded.unit_counts()
    r = counts.sum(axis=1)
    two = r >= 2
    if not np.any(two):
        return None
    c2, r2 = (counts, r) if two.all() else (counts[two], r[two])
    # sum_k c_k (c_k - 1) = sum_k c_k^2 - r, and pi = mean of counts / r: no temporary as
    # large as the (units x categories) matrix, which is wide for set-valued data
    p_a = float(np.mean((np.einsum("uc,uc->u", c2, c2) - r2) / (r2 * (r2 - 1.0))))
    rated = r >= 1
    rated_counts = counts if rated.all() else counts[rated]
    pi = (rated_counts.T @ (1.0 / r[rated])) / int(rated.sum())
    return p_a, pi


def percent_agreement(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Observed agreement p_a (Gwet 2014): the share of agreeing coder pairs, averaged over the
    units rated by at least two coders. For two coders: the share of units they agree on.
    NaN when no unit has two ratings."""
    parts = gwet_parts(to_coded(data, categories))
    return float("nan") if parts is None else parts[0]


def gwet_ac1(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Gwet's AC1 (Gwet 2008; 2014): p_e = sum_k pi_k (1 - pi_k) / (q - 1).

    q is the number of categories: pass the codebook's ``categories`` (the observed ones are used
    otherwise). NaN when no unit has two ratings or q < 2.
    """
    coded = to_coded(data, categories)
    parts = gwet_parts(coded)
    q = coded.q
    if parts is None or q < 2:
        return float("nan")
    p_a, pi = parts
    p_e = float((pi * (1.0 - pi)).sum()) / (q - 1)
    return (p_a - p_e) / (1.0 - p_e)


def brennan_prediger(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Brennan & Prediger (1981) coefficient: (p_a - 1/q) / (1 - 1/q), p_a as in Gwet (2014).

    q is the number of categories (the codebook's when ``categories`` is given). NaN when no unit
    has two ratings or q < 2.
    """
    coded = to_coded(data, categories)
    parts = gwet_parts(coded)
    q = coded.q
    if parts is None or q < 2:
        return float("nan")
    p_e = 1.0 / q
    return (parts[0] - p_e) / (1.0 - p_e)
