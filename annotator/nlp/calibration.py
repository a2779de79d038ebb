"""Scores that mean the same across facets: calibrated probabilities.

The engine's raw scores are blends (codebook keywords, naive Bayes, relations between facets);
naive Bayes in particular is overconfident. They are mapped to probabilities fitted on the
coder's own coded segments, each scored leave-one-out (taken out of the model, scored, put back):

* **single-choice facets**: temperature scaling (Guo et al. 2017, "On Calibration of Modern
  Neural Networks", ICML): ``p_i ∝ p_i ** (1 / T)``, with ``T`` minimising the negative log
  likelihood of the coded codes; the scores of a facet still sum to 1;
* **multi-choice facets**: Platt scaling (Platt 1999, "Probabilistic Outputs for Support Vector
  Machines") on the logit of the score, ``sigma(a * logit(p) + b)``, one ``(a, b)`` per facet
  fitted over all its codes' (score, applied?) pairs, with Platt's smoothed targets
  ``(N+ + 1) / (N+ + 2)`` and ``1 / (N- + 2)`` and Newton's method with backtracking (Lin,
  Lin and Weng 2007, "A note on Platt's probabilistic outputs for support vector machines").
  One pair per facet rather than per code: a code rarely has enough examples of its own.

Both fits are maximum a posteriori with a Gaussian prior centred on "the raw scores are already
calibrated" (``log T = 0``; ``a = 1, b = 0``) that weighs as much as :data:`PRIOR_STRENGTH` coded
segments: fitted on eleven coded segments alone, Platt's two parameters flattened the burden
scores until they were worse calibrated than before on sentences the fit never saw (expected
calibration error 0.06 -> 0.12 on the test sentences of ``tests/nlp/test_suggest_heldout.py``; 0.04
with the prior). With fewer than :data:`MIN_EXAMPLES` coded segments the scores are left as
they are. Pure functions of numbers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Coded segments (single choice) or (segment, code) pairs (Platt) needed before fitting.
MIN_EXAMPLES = 5
#: The prior that the raw scores are already calibrated (T = 1; a = 1, b = 0) weighs as much
#: as this many coded segments: a Gaussian prior on log T and on (a - 1, b) with precision
#: PRIOR_STRENGTH (per segment's share of the Platt pairs), so a handful of coded segments
#: moves the calibration little and hundreds move it freely.
PRIOR_STRENGTH = 10.0
_EPS = 1e-6


def _logit(p: FloatArray) -> FloatArray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p) - np.log1p(-p)


def temper(p: FloatArray, t: float) -> FloatArray:
    """A distribution sharpened (t < 1) or flattened (t > 1): p ** (1/t), renormalised."""
    if t == 1.0 or not len(p):
        return p
    logp = np.log(np.clip(p, 1e-12, None)) / t
    logp -= logp.max()
    out = np.exp(logp)
    return out / out.sum()


def _log_groups(dists: Sequence[FloatArray], gold: Sequence[int]
                ) -> list[tuple[FloatArray, npt.NDArray[np.int64]]]:
    """The log distributions stacked by number of codes, with the gold positions."""
    groups = []
    for k in {len(p) for p in dists}:
        rows = [i for i, p in enumerate(dists) if len(p) == k]
        logp = np.log(np.clip(np.stack([dists[i] for i in rows]), 1e-12, None))
        groups.append((logp, np.array([gold[i] for i in rows], dtype=np.int64)))
    return groups


def _grouped_nll(t: float, groups: Sequence[tuple[FloatArray, npt.NDArray[np.int64]]]) -> float:
    total = 0.0
    for logs, gold in groups:
        logp = logs / t
        logp -= logp.max(axis=1, keepdims=True)
        norm = np.log(np.exp(logp).sum(axis=1))
        total -= float((logp[np.arange(len(gold)), gold] - norm).sum())
    return total


def temperature_nll(t: float, dists: Sequence[FloatArray], gold: Sequence[int]) -> float:
    """Negative log likelihood of ``gold`` under the tempered ``dists``."""
    return _grouped_nll(t, _log_groups(dists, gold))


def fit_temperature(dists: Sequence[FloatArray], gold: Sequence[int]) -> float:
    """T minimising the NLL of ``gold`` under ``dists`` plus the prior on log T (golden-section
    search on log T)."""
    if len(dists) < MIN_EXAMPLES:
        return 1.0
    groups = _log_groups(dists, gold)

    def objective(log_t: float) -> float:
        return _grouped_nll(math.exp(log_t), groups) + 0.5 * PRIOR_STRENGTH * log_t * log_t

    lo, hi = math.log(0.05), math.log(50.0)
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        if objective(a) <= objective(b):
            hi = b
        else:
            lo = a
    return math.exp((lo + hi) / 2)


def fit_platt(scores: FloatArray, labels: Sequence[bool], iterations: int = 100,
              segments: int = 0) -> tuple[float, float]:
    """Platt's (a, b) for sigma(a * logit(score) + b) (Lin, Lin and Weng 2007, algorithm 1)."""
    y = np.asarray(labels, dtype=bool)
    if len(y) < MIN_EXAMPLES or y.all() or not y.any():
        return 1.0, 0.0
    x = _logit(np.asarray(scores, dtype=np.float64))
    n_pos, n_neg = float(y.sum()), float((~y).sum())
    t = np.where(y, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, b = 1.0, 0.0

    # the prior weighs PRIOR_STRENGTH segments' worth of pairs (each pair one segment if unknown)
    lam = PRIOR_STRENGTH * (n_pos + n_neg) / (segments if segments > 0 else n_pos + n_neg)

    def loss(a: float, b: float) -> float:
        f = a * x + b
        return float(np.sum(np.logaddexp(0, f) - t * f)) + 0.5 * lam * ((a - 1) ** 2 + b * b)

    current = loss(a, b)
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([np.sum((p - t) * x) + lam * (a - 1), np.sum(p - t) + lam * b])
        w = p * (1 - p)
        h = np.array([[np.sum(w * x * x) + lam + 1e-12, np.sum(w * x)],
                      [np.sum(w * x), np.sum(w) + lam + 1e-12]])
        if np.abs(g).max() < 1e-6:
            break
        step = np.linalg.solve(h, -g)
        size = 1.0
        while size > 1e-8:
            na, nb = a + size * step[0], b + size * step[1]
            new = loss(na, nb)
            if new < current + 1e-4 * size * float(g @ step):
                a, b, current = na, nb, new
                break
            size /= 2
        else:
            break
    if a <= 0:  # the scores run against the codes: keep their order rather than reverse it
        return 1.0, 0.0
    return float(a), float(b)


def platt(p: FloatArray, a: float, b: float) -> FloatArray:
    if a == 1.0 and b == 0.0:
        return p
    return 1 / (1 + np.exp(-(a * _logit(p) + b)))


@dataclass
class Calibration:
    """Per facet: a temperature (single choice) or Platt's (a, b) (multiple choice)."""

    temperature: dict[str, float] = field(default_factory=dict)
    sigmoid: dict[str, tuple[float, float]] = field(default_factory=dict)

    def apply(self, facet: str, multiple: bool, p: FloatArray) -> FloatArray:
        if multiple:
            a, b = self.sigmoid.get(facet, (1.0, 0.0))
            return platt(p, a, b)
        return temper(p, self.temperature.get(facet, 1.0))


def fit(
    observations: Sequence[tuple[str, bool, dict[str, float], frozenset[str]]],
) -> Calibration:
    """Fit from leave-one-out observations: (facet, multiple, scores by code, coded codes)."""
    dists: dict[str, tuple[list[FloatArray], list[int]]] = {}
    pairs: dict[str, tuple[list[float], list[bool]]] = {}
    for facet, multiple, scores, coded in observations:
        codes = list(scores)
        if multiple:
            xs, ys = pairs.setdefault(facet, ([], []))
            xs.extend(scores[c] for c in codes)
            ys.extend(c in coded for c in codes)
            continue
        hit = [i for i, c in enumerate(codes) if c in coded]
        p = np.array([scores[c] for c in codes], dtype=np.float64)
        if hit and p.sum() > 0:
            d, g = dists.setdefault(facet, ([], []))
            d.append(p / p.sum())
            g.append(hit[0])
    out = Calibration()
    segments = Counter(facet for facet, *_rest in observations)
    for facet, (d, g) in dists.items():
        out.temperature[facet] = fit_temperature(d, g)
    for facet, (xs, ys) in pairs.items():
        if segments[facet] >= MIN_EXAMPLES:
            out.sigmoid[facet] = fit_platt(np.array(xs), ys, segments=segments[facet])
    return out


def reliability(predicted: Sequence[float], happened: Sequence[bool], bins: int = 10
                ) -> tuple[list[tuple[float, float, float, int]], float]:
    """Reliability diagram rows (bin low, mean predicted, observed share, count) and the
    expected calibration error (Naeini et al. 2015): the count-weighted mean |observed - predicted|."""
    p = np.asarray(predicted, dtype=np.float64)
    y = np.asarray(happened, dtype=np.float64)
    which = np.minimum((p * bins).astype(int), bins - 1)
    rows: list[tuple[float, float, float, int]] = []
    ece = 0.0
    for b in range(bins):
        sel = which == b
        n = int(sel.sum())
        if not n:
            continue
        mean_p, share = float(p[sel].mean()), float(y[sel].mean())
        rows.append((b / bins, mean_p, share, n))
        ece += n * abs(share - mean_p)
    return rows, ece / max(len(p), 1)
