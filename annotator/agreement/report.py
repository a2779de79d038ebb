"""An agreement report over a codebook: per facet and per code, every coefficient side by side.

Pure data in, dataclasses out. ``states`` maps each segment id to {coder: codes applied} and holds
only the coders who marked that segment done: a coder who never finished a segment is *missing*
for it, not "applied no code". The units are the segments done by at least two chosen coders.

Thresholds: Krippendorff, K. (2004), Content Analysis, 2nd ed., p. 241: rely on variables with
alpha >= .800; consider those with .667 <= alpha < .800 only for tentative conclusions.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

import numpy as np

from annotator.agreement._matrix import MISSING, Coded
from annotator.agreement.alpha import AlphaParts, alpha_parts
from annotator.agreement.bootstrap import alpha_replicates, percentile_interval
from annotator.agreement.chance_corrected import brennan_prediger, gwet_ac1, percent_agreement
from annotator.agreement.kappa import cohen_kappa, fleiss_kappa
from annotator.agreement.units import (
    DoneCodes,
    as_done_codes,
    disagreeing,
    multi_choice_matrix,
    single_choice_matrix,
)
from annotator.errors import UsageError
from annotator.model import Bilingual, Codebook, Facet

RELIABLE = 0.800
TENTATIVE = 0.667
NO_VARIATION = "not computable (no variation)"
NO_UNITS = "not computable (no segment done by two coders)"
SET_VALUED = "not computed for a multi-choice facet: see its codes"
METRICS = (
    "percent_agreement",
    "krippendorff_alpha",
    "fleiss_kappa",
    "gwet_ac1",
    "brennan_prediger",
    "cohen_kappa_mean",
)

States = Mapping[str, Mapping[str, frozenset[str]]]


def verdict(value: float) -> str:
    """Krippendorff's (2004) reading of a coefficient: reliable / tentative / unreliable."""
    if math.isnan(value):
        return NO_VARIATION
    if value >= RELIABLE:
        return "reliable"
    if value >= TENTATIVE:
        return "tentative"
    return "unreliable"


@dataclass(frozen=True)
class Coefficients:
    """All coefficients for one facet or code over the report's units."""

    units: int
    percent_agreement: float
    krippendorff_alpha: float
    alpha_ci95: tuple[float, float]
    fleiss_kappa: float
    gwet_ac1: float
    brennan_prediger: float
    cohen_kappa_pairwise: dict[tuple[str, str], float]
    alpha_level: str = "nominal"
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def cohen_kappa_mean(self) -> float:
        values = [v for v in self.cohen_kappa_pairwise.values() if not math.isnan(v)]
        return float(np.mean(values)) if values else float("nan")

    @property
    def verdict(self) -> str:
        """Judged on alpha, the report's headline coefficient."""
        return verdict(self.krippendorff_alpha)

    def value(self, metric: str) -> float:
        return float(getattr(self, metric))

    def note(self, metric: str) -> str | None:
        """Why ``metric`` is undefined (None when it is defined)."""
        if not math.isnan(self.value(metric)):
            return None
        return self.notes.get(metric) or (NO_UNITS if self.units == 0 else NO_VARIATION)


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


@dataclass(frozen=True)
class Disagreement:
    """A segment on which the coders' codes in ``facet`` differ."""

    segment: str
    facet: str
    codes: dict[str, tuple[str, ...]]  # coder -> codes applied in the facet


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    units: tuple[str, ...]
    facets: tuple[FacetAgreement, ...]
    disagreements: tuple[Disagreement, ...]
    texts: dict[str, tuple[str, str]]
    bootstrap: int
    seed: int


# --------------------------------------------------------------------------- matrices


def _pairwise(coded: Coded, coders: Sequence[str]) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for i, j in combinations(range(len(coders)), 2):
        out[(coders[i], coders[j])] = cohen_kappa(Coded(coded.codes[[i, j]], coded.categories))
    return out


def _stats(
    coded: Coded, coders: Sequence[str], parts: AlphaParts, n_units: int, set_note: str | None
) -> Coefficients:
    if set_note is not None:
        nan = float("nan")
        return Coefficients(
            units=n_units,
            percent_agreement=percent_agreement(coded),
            krippendorff_alpha=parts.alpha(),
            alpha_ci95=(nan, nan),
            fleiss_kappa=nan,
            gwet_ac1=nan,
            brennan_prediger=nan,
            cohen_kappa_pairwise={pair: nan for pair in combinations(coders, 2)},
            alpha_level=parts.level,
            notes={m: set_note for m in ("fleiss_kappa", "gwet_ac1", "brennan_prediger", "cohen_kappa_mean")},
        )
    return Coefficients(
        units=n_units,
        percent_agreement=percent_agreement(coded),
        krippendorff_alpha=parts.alpha(),
        alpha_ci95=(float("nan"), float("nan")),
        fleiss_kappa=fleiss_kappa(coded),
        gwet_ac1=gwet_ac1(coded),
        brennan_prediger=brennan_prediger(coded),
        cohen_kappa_pairwise=_pairwise(coded, coders),
        alpha_level=parts.level,
    )


def _binary_counts(present: np.ndarray, done: np.ndarray, two: bool) -> dict[str, int]:
    applied = (present & done).sum(axis=0)
    rated = done.sum(axis=0)
    all_ = int(((applied == rated) & (applied > 0)).sum())
    none = int((applied == 0).sum())
    some = int(present.shape[1] - all_ - none)
    if two:
        return {"both": all_, "only_one": some, "neither": none}
    return {"all": all_, "some": some, "none": none}


# --------------------------------------------------------------------------- building


def _facet_report(
    facet: Facet, data: DoneCodes
) -> list[tuple[Coded, AlphaParts, dict[str, int], str | None]]:
    """Matrices for the facet (first) and each of its codes, with their counts."""
    two = len(data.coders) == 2
    items: list[tuple[Coded, AlphaParts, dict[str, int], str | None]] = []
    if facet.multiple:
        coded, counts = multi_choice_matrix(data, facet)
        parts = alpha_parts(coded, "masi")
    else:
        coded, counts = single_choice_matrix(data, facet)  # "(none)" only when it occurs
        parts = alpha_parts(coded, "nominal")
    items.append((coded, parts, counts, SET_VALUED if facet.multiple else None))
    for code in facet.codes:
        present = data.code_presence(code.id)
        codes = np.where(data.done, present.astype(np.int64), MISSING)
        bin_coded = Coded(codes, (False, True))
        items.append((bin_coded, alpha_parts(bin_coded, "nominal"), _binary_counts(present, data.done, two), None))
    return items


def build_report(
    codebook: Codebook,
    coders: Sequence[str],
    states: States | DoneCodes,
    *,
    facets: Iterable[str] | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    texts: Mapping[str, tuple[str, str]] | None = None,
) -> AgreementReport:
    """Agreement per facet and per code among ``coders`` over the segments two of them finished.

    Single-choice facet: nominal coefficients over its codes ("(none)" when a coder applied none
    of them). Multi-choice facet: alpha with the MASI distance over each coder's set of codes.
    Every code: present/absent coefficients. Alpha gets a percentile bootstrap interval
    (``bootstrap`` resamples of the segments, ``seed``); ``bootstrap=0`` skips it. ``states``
    may be a :class:`DoneCodes` read straight into arrays.
    """
    coders = tuple(dict.fromkeys(coders))
    if len(coders) < 2:
        raise UsageError(f"agreement needs at least two coders, got {len(coders)}")
    if facets is None:
        chosen = list(codebook.facets)
    else:
        chosen = []
        for fid in facets:
            facet = codebook.facet(fid)
            if facet is None:
                raise UsageError(f"unknown facet {fid!r}")
            chosen.append(facet)
    data = as_done_codes(states, coders).select(coders)
    units = data.units
    all_items: list[tuple[Facet, list[tuple[Coded, AlphaParts, dict[str, int], str | None]]]] = []
    for facet in chosen:
        all_items.append((facet, _facet_report(facet, data)))

    flat_parts = [parts for _, items in all_items for (_, parts, _, _) in items]
    if bootstrap > 0 and units:
        reps = alpha_replicates(flat_parts, bootstrap, seed)
        intervals = [percentile_interval(r) for r in reps]
    else:
        intervals = [(float("nan"), float("nan"))] * len(flat_parts)

    facet_results: list[FacetAgreement] = []
    k = 0
    for facet, items in all_items:
        results: list[Coefficients] = []
        for coded, parts, _, set_note in items:
            stats = _stats(coded, coders, parts, len(units), set_note)
            results.append(replace(stats, alpha_ci95=intervals[k]))
            k += 1
        code_results = tuple(
            CodeAgreement(code.id, code.label, items[i + 1][2], results[i + 1])
            for i, code in enumerate(facet.codes)
        )
        facet_results.append(
            FacetAgreement(facet.id, facet.label, facet.multiple, items[0][2], results[0], code_results)
        )
    return AgreementReport(
        coders=coders,
        units=units,
        facets=tuple(facet_results),
        disagreements=tuple(
            d for f in chosen for d in disagreements(codebook, data, facet=f.id, coders=coders)
        ),
        texts=dict(texts or {}),
        bootstrap=bootstrap,
        seed=seed,
    )


def disagreements(
    codebook: Codebook,
    states: States | DoneCodes,
    *,
    facet: str | None = None,
    code: str | None = None,
    coders: Sequence[str] | None = None,
) -> list[Disagreement]:
    """Segments (done by at least two of ``coders``) whose coders' codes differ in a facet.

    ``facet`` limits to one facet, ``code`` to segments where the coders differ on that code
    (the listing still shows each coder's codes in the code's facet).
    """
    if code is not None:
        found = codebook.code(code)
        if found is None:
            raise UsageError(f"unknown code {code!r}")
        if facet is not None and facet != found.facet:
            raise UsageError(f"code {code!r} is not in facet {facet!r}")
        facet = found.facet
    if facet is not None:
        chosen = codebook.facet(facet)
        if chosen is None:
            raise UsageError(f"unknown facet {facet!r}")
        facets: tuple[Facet, ...] = (chosen,)
    else:
        facets = codebook.facets
    data = as_done_codes(states, coders)
    if coders is not None:
        data = data.select(list(dict.fromkeys(coders)))
    listed: list[tuple[int, int, Disagreement]] = []
    for position, f in enumerate(facets):
        for unit, codes in disagreeing(data, f, code):
            listed.append((unit, position, Disagreement(data.units[unit], f.id, codes)))
    listed.sort(key=lambda item: (item[0], item[1]))
    return [d for _, _, d in listed]


# --------------------------------------------------------------------------- JSON


def _num(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def _stats_json(stats: Coefficients, coders: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"units": stats.units, "coders": list(coders)}
    notes: dict[str, str] = {}
    for metric in METRICS:
        value = stats.value(metric)
        out[metric] = _num(value)
        why = stats.note(metric)
        if why:
            notes[metric] = why
    lo, hi = stats.alpha_ci95
    out["alpha_ci95"] = None if math.isnan(lo) else [_num(lo), _num(hi)]
    if math.isnan(lo) and not math.isnan(stats.krippendorff_alpha):
        notes["alpha_ci95"] = "bootstrap skipped or every resample was undefined"
    out["alpha_level"] = stats.alpha_level
    out["verdict"] = stats.verdict
    pairwise: dict[str, float | None] = {}
    for (a, b), value in stats.cohen_kappa_pairwise.items():
        pairwise[f"{a}|{b}"] = _num(value)
        if math.isnan(value) and "cohen_kappa_pairwise" not in notes:
            notes["cohen_kappa_pairwise"] = stats.notes.get("cohen_kappa_mean") or (
                NO_UNITS if stats.units == 0 else NO_VARIATION
            )
    out["cohen_kappa_pairwise"] = pairwise
    if notes:
        out["note"] = notes
    return out


def _disagreement_json(d: Disagreement, texts: Mapping[str, tuple[str, str]] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"segment": d.segment, "facet": d.facet,
                           "codes": {k: list(v) for k, v in d.codes.items()}}
    if texts is not None:
        out["zh"], out["en"] = texts.get(d.segment, ("", ""))
    return out


def json_text(report: AgreementReport, *, with_text: bool = False) -> str:
    """:func:`to_json` as indented JSON text, each disagreement on one line (a long list stays
    readable and is written at the speed of the C encoder)."""
    data = to_json(report, with_text=with_text)
    listed = data.pop("disagreements")
    head = json.dumps(data, ensure_ascii=False, indent=2)
    if not listed:
        return head[:-2] + ',\n  "disagreements": []\n}\n'
    lines = ",\n    ".join(json.dumps(d, ensure_ascii=False) for d in listed)
    return head[:-2] + ',\n  "disagreements": [\n    ' + lines + "\n  ]\n}\n"


def to_json(report: AgreementReport, *, with_text: bool = False) -> dict[str, Any]:
    """The report as plain JSON data; undefined coefficients are ``null`` with a ``note``.
    Disagreements are listed by segment id; ``with_text`` adds each one's zh and en text."""
    facets: dict[str, Any] = {}
    for f in report.facets:
        entry = _stats_json(f.stats, report.coders)
        entry["multiple"] = f.multiple
        entry["counts"] = dict(f.counts)
        entry["codes"] = {
            c.code: {**_stats_json(c.stats, report.coders), "counts": dict(c.counts)} for c in f.codes
        }
        facets[f.facet] = entry
    return {
        "coders": list(report.coders),
        "units": len(report.units),
        "bootstrap": report.bootstrap,
        "seed": report.seed,
        "facets": facets,
        "disagreements": [
            _disagreement_json(d, report.texts if with_text else None) for d in report.disagreements
        ],
    }
