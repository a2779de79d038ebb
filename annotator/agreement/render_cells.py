"""The cells every format shows: rows, formatted numbers, column explanations and footnotes.

Two tables per facet: "counts and verdict" (what the verdict rests on) and "coefficients" (each
with its 95% interval). A "—" cell carries a footnote number that says why it is empty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.agreement.pieces import AC1, ALPHA, BP, COHEN, FLEISS, PERCENT
from annotator.agreement.report_model import AgreementReport, Coefficients, FacetAgreement
from annotator.agreement.verdict import LOW_PREVALENCE, RELIABLE, TENTATIVE

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
DASH = "—"
COEFFICIENT_COLUMNS = (
    (PERCENT, "% agree"),
    (FLEISS, "Fleiss"),
    (AC1, "AC1"),
    (BP, "BP"),
    (COHEN, "Cohen (mean of pairwise)"),
)


@dataclass(frozen=True)
class Row:
    name: str
    kind: str  # "facet", "code", "pooled", "codebook"
    stats: Coefficients
    counts: dict[str, int] | None = None


class Footnotes:
    """Numbers the reasons for empty cells: the same reason gets the same number."""

    def __init__(self) -> None:
        self.reasons: dict[str, int] = {}

    def dash(self, reason: str) -> str:
        n = self.reasons.setdefault(reason, len(self.reasons) + 1)
        return DASH + str(n).translate(_SUP)

    def lines(self) -> list[str]:
        return [f"{DASH}{str(n).translate(_SUP)} {reason}" for reason, n in self.reasons.items()]


def count_headers(coders: Sequence[str]) -> tuple[str, ...]:
    some = ("both", "only one", "neither") if len(coders) == 2 else ("all", "some", "none")
    return ("", "units", "values", "present", *some, "% agree", "alpha", "alpha 95% CI", "verdict", "basis")


COEF_HEADERS = ("", *(f"{label} [95% CI]" for _, label in COEFFICIENT_COLUMNS))


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def value_cell(stats: Coefficients, metric: str, notes: Footnotes) -> str:
    value = stats.value(metric)
    if math.isnan(value):
        return notes.dash(stats.note(metric) or "not computable")
    return pct(value) if metric == PERCENT else f"{value:.3f}"


def ci_cell(stats: Coefficients, metric: str, notes: Footnotes, digits: int = 3) -> str:
    lo, hi = stats.ci(metric)
    if math.isnan(lo):
        if math.isnan(stats.value(metric)):
            return notes.dash(stats.note(metric) or "not computable")
        why = stats.judgement.reason if "no interval" in stats.judgement.reason else (
            "no interval: every bootstrap resample was undefined"
        )
        return notes.dash(why)
    if metric == PERCENT:
        return f"[{lo * 100:.{max(digits - 2, 0)}f}%, {hi * 100:.{max(digits - 2, 0)}f}%]"
    return f"[{lo:.{digits}f}, {hi:.{digits}f}]"


def row_name(row: Row) -> str:
    flag = " (low prevalence)" if row.stats.low_prevalence else ""
    return ("  " if row.kind in ("code", "pooled") else "") + row.name + flag


def count_cells(row: Row, notes: Footnotes) -> list[str]:
    s = row.stats
    if row.counts is not None:
        keys = [k for k in row.counts if k != "positives"]
        counts = [str(row.counts["positives"])] + [str(row.counts[k]) for k in keys]
    elif s.positive_share is not None:
        counts = [str(round(s.positive_share * s.values)), "", "", ""]
    else:
        counts = ["", "", "", ""]
    return [
        row_name(row), str(s.units), str(s.values), *counts,
        value_cell(s, PERCENT, notes), value_cell(s, ALPHA, notes), ci_cell(s, ALPHA, notes),
        s.verdict, s.judgement.reason,
    ]


def coefficient_cells(row: Row, notes: Footnotes) -> list[str]:
    cells = [row_name(row)]
    for metric, _ in COEFFICIENT_COLUMNS:
        value = value_cell(row.stats, metric, notes)
        cells.append(value if value.startswith(DASH) else f"{value} {ci_cell(row.stats, metric, notes, 2)}")
    return cells


def facet_rows(facet: FacetAgreement, lang: str) -> list[Row]:
    rows = [Row(facet.label.get(lang) or facet.facet, "facet", facet.stats)]
    rows += [Row(c.label.get(lang) or c.code, "code", c.stats, c.counts) for c in facet.codes]
    if facet.pooled is not None:
        rows.append(Row("all codes of the facet, pooled", "pooled", facet.pooled))
    return rows


def facet_title(facet: FacetAgreement, lang: str) -> str:
    kind = "multi-choice, alpha with MASI" if facet.multiple else "single-choice, nominal"
    return f"{facet.label.get(lang) or facet.facet} ({facet.facet}; {kind})"


def ci_sentence(report: AgreementReport) -> str:
    if report.bootstrap <= 0:
        return "No intervals: the bootstrap was turned off (--bootstrap 0), so no verdict can rest on one."
    return (
        f"95% intervals: percentile bootstrap over {report.unit_kind}s, {report.bootstrap} resamples "
        f"shared by every coefficient, seed {report.seed}."
    )


def thresholds_sentence() -> str:
    return (
        f"Verdicts judge the lower bound of alpha's interval: reliable >= {RELIABLE:.3f}, "
        f"tentative >= {TENTATIVE:.3f}, unreliable below (Krippendorff 2004, p. 241); "
        "'insufficient data' when alpha is undefined, there is no interval or the units are fewer "
        "than Krippendorff's (2004, section 11.4.2) minimum for the least frequent value."
    )


def column_explanations(coders: Sequence[str], unit: str = "segment") -> list[str]:
    some = ("both / only one / neither: units where both, only one or neither coder applied the code"
            if len(coders) == 2 else
            "all / some / none: units where all, some or none of the coders who finished it applied the code")
    units = ("units: segments done by at least two of the coders (the units of analysis)" if unit == "segment"
             else "units: documents with a segment done by at least two of the coders; a code is present "
             "for a coder if they applied it on any of those segments they finished")
    return [
        units,
        "values: pairable values, one per coder and unit (per coder, unit and code in a pooled row)",
        "present: values where the code is applied",
        some,
        "% agree: share of agreeing coder pairs per unit, averaged over units",
        "alpha: Krippendorff's alpha (nominal; MASI distance for a multi-choice facet's sets)",
        "Fleiss: Fleiss' kappa; AC1: Gwet's AC1; BP: Brennan & Prediger (chance = 1 / categories)",
        "Cohen (mean of pairwise): Cohen's kappa averaged over coder pairs",
        "basis: what the verdict rests on",
        f"(low prevalence): the code is present in fewer than {LOW_PREVALENCE:.0%} of the values; "
        "chance-corrected coefficients are unstable there",
    ]


def dropped_lines(rows: Sequence[Row], resamples: int) -> list[str]:
    parts = []
    for row in rows:
        d = {m: e.dropped for m, e in row.stats.estimates.items() if e.dropped}
        if d:
            names = dict(COEFFICIENT_COLUMNS) | {ALPHA: "alpha"}
            parts.append(f"{row.name.strip()}: " + ", ".join(f"{names.get(m, m)} {n}" for m, n in d.items()))
    if not parts:
        return []
    return [f"Resamples undefined and dropped (of {resamples}): " + "; ".join(parts) + "."]
