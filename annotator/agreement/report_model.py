"""What an agreement report holds: per item (facet, code, pool) its counts, every coefficient with
its interval, and the verdict with its reason. Plain frozen dataclasses, no computation beyond
reading them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from annotator.agreement.estimates import NAN_PAIR, Estimate
from annotator.agreement.pieces import AC1, ALPHA, BP, COHEN, FLEISS, METRICS, PERCENT
from annotator.agreement.verdict import LOW_PREVALENCE, Judgement
from annotator.model import Bilingual

NONE_CATEGORY = "(none)"
NO_VARIATION = "not computable (no variation)"
NO_UNITS = "not computable (no segment done by two coders)"
NO_SHARED = "not computable (no segment done by both coders of the pair)"
SET_VALUED = "not computed for a multi-choice facet's sets: see its pooled row and its codes"

__all__ = ["METRICS", "NONE_CATEGORY", "NO_SHARED", "NO_UNITS", "NO_VARIATION", "SET_VALUED"]


@dataclass(frozen=True)
class Coefficients:
    """Every coefficient of one item over the report's units, and its verdict.

    ``values``: pairable values (one per coder and unit; for a pool, per coder, unit and code).
    ``positive_share``: for a code or a pool, the share of those values where a code is present.
    ``least_share``: the share of the least frequent value (the P_c of the sample-size rule).
    """

    units: int
    values: int
    estimates: dict[str, Estimate]
    pairwise: dict[tuple[str, str], Estimate]
    judgement: Judgement
    alpha_level: str = "nominal"
    positive_share: float | None = None
    least_share: float | None = None
    notes: dict[str, str] = field(default_factory=dict)  # metric -> why it is undefined

    def estimate(self, metric: str) -> Estimate:
        return self.estimates.get(metric, Estimate(float("nan")))

    def value(self, metric: str) -> float:
        return self.estimate(metric).value

    def ci(self, metric: str) -> tuple[float, float]:
        return self.estimate(metric).ci if metric in self.estimates else NAN_PAIR

    def note(self, metric: str) -> str | None:
        """Why ``metric`` is undefined (None when it is defined)."""
        if not math.isnan(self.value(metric)):
            return None
        return self.notes.get(metric) or (NO_UNITS if self.units == 0 else NO_VARIATION)

    @property
    def verdict(self) -> str:
        return self.judgement.verdict

    @property
    def low_prevalence(self) -> bool:
        share = self.positive_share
        return share is not None and self.units > 0 and share < LOW_PREVALENCE

    # the coefficients by name, as attributes
    @property
    def percent_agreement(self) -> float:
        return self.value(PERCENT)

    @property
    def krippendorff_alpha(self) -> float:
        return self.value(ALPHA)

    @property
    def alpha_ci95(self) -> tuple[float, float]:
        return self.ci(ALPHA)

    @property
    def fleiss_kappa(self) -> float:
        return self.value(FLEISS)

    @property
    def gwet_ac1(self) -> float:
        return self.value(AC1)

    @property
    def brennan_prediger(self) -> float:
        return self.value(BP)

    @property
    def cohen_kappa_mean(self) -> float:
        return self.value(COHEN)

    @property
    def cohen_kappa_pairwise(self) -> dict[tuple[str, str], float]:
        return {pair: e.value for pair, e in self.pairwise.items()}


@dataclass(frozen=True)
class CodeAgreement:
    code: str
    label: Bilingual
    counts: dict[str, int]
    stats: Coefficients


@dataclass(frozen=True)
class FacetAgreement:
    facet: str
    label: Bilingual
    multiple: bool
    counts: dict[str, int]
    stats: Coefficients
    codes: tuple[CodeAgreement, ...]
    pooled: Coefficients | None = None  # multi-choice: present/absent over all its codes
    confusion: tuple[tuple[str, ...], tuple[tuple[int, ...], ...]] | None = None  # two coders


class Disagreement(NamedTuple):
    """A segment on which the coders' codes in ``facet`` differ (a tuple: a report at scale
    holds hundreds of thousands; units alike share one ``codes``)."""

    segment: str
    facet: str
    codes: dict[str, tuple[str, ...]]  # coder -> codes applied in the facet


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    units: tuple[str, ...]
    facets: tuple[FacetAgreement, ...]
    disagreements: Sequence[Disagreement]
    texts: dict[str, tuple[str, str]]
    bootstrap: int
    seed: int
    overall: Coefficients | None = None  # present/absent over every code of the chosen facets
    unit_kind: str = "segment"
    warnings: tuple[str, ...] = ()
