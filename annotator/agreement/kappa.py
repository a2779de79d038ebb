"""Kappa-type coefficients: Cohen's kappa, Scott's pi (two coders) and Fleiss' kappa (many).

Cohen, J. (1960). "A coefficient of agreement for nominal scales". Educational and Psychological
Measurement 20, 37-46.
Scott, W. A. (1955). "Reliability of content analysis: the case of nominal scale coding". Public
Opinion Quarterly 19, 321-325.
Fleiss, J. L. (1971). "Measuring nominal scale agreement among many raters". Psychological
Bulletin 76, 378-382; with missing ratings as in Gwet, K. L. (2014), Handbook of Inter-Rater
Reliability, 4th ed., chapter 5 (agreement over units with r_i >= 2, chance from all ratings).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from annotator.agreement._matrix import MISSING, Coded, FloatArray, to_coded
from annotator.agreement.chance_corrected import gwet_parts


def _two_coder_table(data: Any, categories: Sequence[Any] | None) -> FloatArray:
    coded = to_coded(data, categories)
    if coded.n_coders != 2:
        raise ValueError(f"Cohen's kappa and Scott's pi take exactly two coder rows, got {coded.n_coders}")
    return contingency(coded)


def contingency(coded: Coded) -> FloatArray:
    """q x q table of the two coders' values over the units both coded."""
    a, b = coded.codes[0], coded.codes[1]
    both = (a != MISSING) & (b != MISSING)
    q = coded.q
    table = np.bincount(a[both] * q + b[both], minlength=q * q).astype(np.float64)
    return table.reshape(q, q)


def kappa_from_table(table: FloatArray) -> float:
    """Cohen's kappa from a q x q contingency table: (p_o - p_e) / (1 - p_e) (Cohen 1960)."""
    n = float(table.sum())
    if n == 0:
        return float("nan")
    p_o = float(np.trace(table)) / n
    p_e = float(table.sum(axis=1) @ table.sum(axis=0)) / (n * n)
    if p_e >= 1.0:
        return float("nan")
    return (p_o - p_e) / (1.0 - p_e)


def cohen_kappa(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Cohen's (1960) kappa for exactly two coders over the units both coded.

    p_e = sum_k p_{k.} p_{.k} (each coder's own marginal distribution).
    NaN when no unit was coded by both or p_e = 1 (no variation).
    """
    return kappa_from_table(_two_coder_table(data, categories))


def scott_pi(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Scott's (1955) pi for exactly two coders: p_e = sum_k ((p_{k.} + p_{.k}) / 2)^2."""
    table = _two_coder_table(data, categories)
    n = float(table.sum())
    if n == 0:
        return float("nan")
    p_o = float(np.trace(table)) / n
    pooled = (table.sum(axis=1) + table.sum(axis=0)) / (2.0 * n)
    p_e = float(pooled @ pooled)
    if p_e >= 1.0:
        return float("nan")
    return (p_o - p_e) / (1.0 - p_e)


def fleiss_kappa(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Fleiss' (1971) kappa, missing ratings handled as in Gwet (2014).

    p_a = mean over units with r_i >= 2 of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1));
    pi_k = mean over units with r_i >= 1 of r_ik / r_i; p_e = sum_k pi_k^2.
    NaN when no unit has two ratings or p_e = 1.
    """
    parts = gwet_parts(to_coded(data, categories))
    if parts is None:
        return float("nan")
    p_a, pi = parts
    p_e = float(pi @ pi)
    if p_e >= 1.0:
        return float("nan")
    return (p_a - p_e) / (1.0 - p_e)
