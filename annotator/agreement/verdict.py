"""Judging a coefficient: the verdict rule, the minimum sample size and the low-prevalence flag.

Thresholds: Krippendorff, K. (2004), Content Analysis, 2nd ed., p. 241: rely on variables with
alpha >= .800; consider those with .667 <= alpha < .800 only for tentative conclusions.
Minimum sample size: Krippendorff (2004), section 11.4.2, after Bloch, D. A. & Kraemer, H. C.
(1989), "2 x 2 kappa coefficients: measures of agreement or association", Biometrics 45,
269-287, eq. 3.7: to tell alpha from alpha_min at significance p, the units needed are

    N = z_p^2 * [ (1 + alpha_min)(3 - alpha_min) / (4 (1 - alpha_min) P_c (1 - P_c)) - alpha_min ]

where P_c is the proportion of the least frequent value. With two coders this reproduces the
published table (2N values: 139 for alpha_min = .800, 81 for .667, P_c = .25, p = .05).

The rule implemented (:data:`VERDICT_RULE`): "insufficient data" when there is no segment done
by two coders, when alpha is undefined (no variation), when the units are fewer than N for
alpha_min = .667 and p = .05 (one-sided, z = 1.645), or when no bootstrap interval exists;
otherwise "reliable" when the lower bound of alpha's 95% interval is >= .800, "tentative" when it
is >= .667, "unreliable" below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

RELIABLE = 0.800
TENTATIVE = 0.667
ALPHA_MIN = TENTATIVE
SIGNIFICANCE = 0.05
#: One-sided standard normal quantile for :data:`SIGNIFICANCE`.
Z = 1.6448536269514722
#: A code applied in fewer than this share of the pairable values is flagged "low prevalence".
LOW_PREVALENCE = 0.10
INSUFFICIENT = "insufficient data"
VERDICTS = ("reliable", "tentative", "unreliable", INSUFFICIENT)

VERDICT_RULE = (
    "Judged on the lower bound of alpha's 95% bootstrap interval: reliable if it is >= 0.800, "
    "tentative if >= 0.667, unreliable below (thresholds: Krippendorff 2004, p. 241). "
    "'insufficient data' when no segment was done by two coders, alpha is undefined (no "
    "variation), no interval could be estimated, or the units are fewer than the minimum of "
    "Krippendorff 2004, section 11.4.2 (Bloch & Kraemer 1989, eq. 3.7): "
    "N = z^2 [(1 + a)(3 - a) / (4 (1 - a) P (1 - P)) - a] with a = 0.667, z = 1.645 (p = .05, "
    "one-sided) and P the share of the least frequent value among the pairable values (for a "
    "code: present or absent, whichever is rarer; for a single-choice facet: the rarest code that "
    "occurs, 'no code' included; for a multi-choice facet and pooled rows: present or absent over "
    "all pooled decisions)."
)

NO_UNITS = "no segment done by two coders"
NO_VARIATION = "alpha not computable: every value is the same (no variation)"
NO_BOOTSTRAP = "no interval: the bootstrap was turned off (--bootstrap 0)"
NO_REPLICATE = "no interval: every bootstrap resample was undefined"


def minimum_units(p_c: float, alpha_min: float = ALPHA_MIN, z: float = Z) -> float:
    """Units needed to tell alpha from ``alpha_min`` when the rarest value has share ``p_c``
    (Krippendorff 2004, section 11.4.2; Bloch & Kraemer 1989, eq. 3.7). Infinite when p_c is 0."""
    if not 0.0 < p_c < 1.0:
        return math.inf
    a = alpha_min
    return z * z * ((1 + a) * (3 - a) / (4 * (1 - a) * p_c * (1 - p_c)) - a)


@dataclass(frozen=True)
class Judgement:
    """A verdict (one of :data:`VERDICTS`) and the reason in words."""

    verdict: str
    reason: str
    min_units: int | None  # ceil(N) of the sample-size rule; None when undefined


def judge(alpha: float, ci_low: float, units: int, p_c: float | None, *, bootstrap: int) -> Judgement:
    """Apply :data:`VERDICT_RULE` to alpha, its interval's lower bound and the sample."""
    need = minimum_units(p_c) if p_c is not None else math.inf
    need_int = None if math.isinf(need) else math.ceil(need)
    if units == 0:
        return Judgement(INSUFFICIENT, NO_UNITS, need_int)
    if math.isnan(alpha):
        return Judgement(INSUFFICIENT, NO_VARIATION, need_int)
    if need_int is None or units < need_int:
        share = "" if p_c is None else f" (least frequent value {p_c:.1%} of the values)"
        wanted = "more" if need_int is None else str(need_int)
        return Judgement(INSUFFICIENT, f"{units} units; {wanted} needed{share}", need_int)
    if math.isnan(ci_low):
        return Judgement(INSUFFICIENT, NO_BOOTSTRAP if bootstrap <= 0 else NO_REPLICATE, need_int)
    if ci_low >= RELIABLE:
        return Judgement("reliable", f"interval's lower bound {ci_low:.3f} >= {RELIABLE:.3f}", need_int)
    if ci_low >= TENTATIVE:
        return Judgement("tentative", f"interval's lower bound {ci_low:.3f} >= {TENTATIVE:.3f}", need_int)
    return Judgement("unreliable", f"interval's lower bound {ci_low:.3f} < {TENTATIVE:.3f}", need_int)


def method(resamples: int, seed: int) -> dict[str, object]:
    """The JSON ``method`` object: how intervals and verdicts were obtained."""
    ci = (
        "none: bootstrap turned off"
        if resamples <= 0
        else "percentile bootstrap, 95%, resampling segments with replacement; one set of "
        "resamples shared by every coefficient (Efron & Tibshirani 1993, ch. 13)"
    )
    return {
        "ci": ci,
        "resamples": resamples,
        "seed": seed,
        "thresholds": {"reliable": RELIABLE, "tentative": TENTATIVE},
        "verdict_rule": VERDICT_RULE,
    }
