"""An :class:`AgreementReport` as plain JSON data: undefined values are ``null`` with a note."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from annotator.agreement.pieces import METRICS
from annotator.agreement.report_model import AgreementReport, Coefficients, Disagreement, FacetAgreement
from annotator.agreement.verdict import LOW_PREVALENCE, method

#: What each field of a row means (the same words as the other formats' column explanations).
FIELDS = {
    "units": "segments done by at least two of the chosen coders (the units of analysis)",
    "pairable_values": "values on those units: one per coder and unit (per coder, unit and code "
    "in a pooled row)",
    "percent_agreement": "share of agreeing coder pairs per unit, averaged over units (0-1)",
    "krippendorff_alpha": "Krippendorff's alpha (nominal; MASI distance for a multi-choice facet)",
    "fleiss_kappa": "Fleiss' kappa",
    "gwet_ac1": "Gwet's AC1",
    "brennan_prediger": "Brennan & Prediger's coefficient (chance = 1/number of categories)",
    "cohen_kappa_mean": "Cohen's kappa: mean of the pairwise kappas (see cohen_kappa_pairwise)",
    "ci95": "95% percentile bootstrap interval of each coefficient (null: none)",
    "undefined_replicates": "bootstrap resamples on which the coefficient was undefined and "
    "which were dropped from its interval",
    "verdict": "one of: reliable, tentative, unreliable, insufficient data (see method)",
    "positive_share": "share of the pairable values where the code is present",
    "low_prevalence": f"true when positive_share is below {LOW_PREVALENCE}: chance-corrected "
    "coefficients are unstable there",
    "min_units": "units the sample-size rule asks for (null: cannot be met)",
}


def _num(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def _interval(ci: tuple[float, float]) -> list[float | None] | None:
    return None if math.isnan(ci[0]) else [_num(ci[0]), _num(ci[1])]


def stats_json(stats: Coefficients, coders: Sequence[str]) -> dict[str, Any]:
    """One row: counts, coefficients, intervals, verdict and notes for undefined values."""
    out: dict[str, Any] = {"units": stats.units, "pairable_values": stats.values, "coders": list(coders)}
    notes: dict[str, str] = {}
    ci: dict[str, Any] = {}
    dropped: dict[str, int] = {}
    for metric in METRICS:
        out[metric] = _num(stats.value(metric))
        if why := stats.note(metric):
            notes[metric] = why
        if metric in stats.estimates:
            ci[metric] = _interval(stats.ci(metric))
            dropped[metric] = stats.estimate(metric).dropped
    out["alpha_ci95"] = ci.get("krippendorff_alpha")
    out["ci95"] = ci
    out["undefined_replicates"] = dropped
    out["alpha_level"] = stats.alpha_level
    out["verdict"] = stats.verdict
    out["verdict_reason"] = stats.judgement.reason
    out["min_units"] = stats.judgement.min_units
    out["least_frequent_share"] = None if stats.least_share is None else round(stats.least_share, 6)
    if stats.positive_share is not None:
        out["positive_share"] = round(stats.positive_share, 6)
        out["low_prevalence"] = stats.low_prevalence
    out["cohen_kappa_pairwise"] = {f"{a}|{b}": _num(e.value) for (a, b), e in stats.pairwise.items()}
    out["cohen_kappa_pairwise_ci95"] = {f"{a}|{b}": _interval(e.ci) for (a, b), e in stats.pairwise.items()}
    for (a, b), e in stats.pairwise.items():
        if math.isnan(e.value):
            notes[f"cohen_kappa_pairwise:{a}|{b}"] = stats.notes.get(f"cohen:{a}|{b}") or (
                stats.note("krippendorff_alpha") or "not computable (no variation)"
            )
    if notes:
        out["note"] = notes
    return out


def _facet_json(f: FacetAgreement, coders: Sequence[str]) -> dict[str, Any]:
    entry = stats_json(f.stats, coders)
    entry["multiple"] = f.multiple
    entry["counts"] = dict(f.counts)
    entry["codes"] = {c.code: {**stats_json(c.stats, coders), "counts": dict(c.counts)} for c in f.codes}
    if f.pooled is not None:
        entry["pooled"] = stats_json(f.pooled, coders)
    if f.confusion is not None:
        cats, table = f.confusion
        entry["confusion"] = {"rows": coders[0], "columns": coders[1], "categories": list(cats),
                              "table": [list(r) for r in table]}
    return entry


def _disagreement_json(d: Disagreement, texts: Mapping[str, tuple[str, str]] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"segment": d.segment, "facet": d.facet,
                           "codes": {k: list(v) for k, v in d.codes.items()}}
    if texts is not None:
        out["zh"], out["en"] = texts.get(d.segment, ("", ""))
    return out


class Rendered(list[str]):
    """Items already written as JSON text, which :func:`dumps` writes as they are."""


def rendered_disagreements(disagreements: Sequence[Disagreement],
                           texts: Mapping[str, tuple[str, str]] | None) -> Rendered:
    """Each disagreement as the JSON text of :func:`_disagreement_json`, made fast: strings
    through the json module's own encoder, each distinct ``codes`` encoded once."""
    from annotator.agreement.disagreement_list import DisagreementList

    if isinstance(disagreements, DisagreementList):
        return Rendered(disagreements.json_lines(texts))
    quote = json.encoder.encode_basestring
    codes_text: dict[int, str] = {}  # id of a codes mapping -> its JSON (the tuple keeps it alive)
    entry_text: dict[tuple[str, tuple[str, ...]], str] = {}  # (coder, codes) -> '"coder": [...]'
    out = Rendered()
    for d in disagreements:
        codes = codes_text.get(id(d.codes))
        if codes is None:
            entries = []
            for entry in d.codes.items():
                text = entry_text.get(entry)
                if text is None:
                    text = entry_text[entry] = f"{quote(entry[0])}: {json.dumps(list(entry[1]), ensure_ascii=False)}"
                entries.append(text)
            codes = codes_text[id(d.codes)] = "{" + ", ".join(entries) + "}"
        line = f'{{"segment": {quote(d.segment)}, "facet": {quote(d.facet)}, "codes": {codes}'
        if texts is not None:
            zh, en = texts.get(d.segment, ("", ""))
            line += f', "zh": {quote(zh)}, "en": {quote(en)}'
        out.append(line + "}")
    return out


def to_json(report: AgreementReport, *, with_text: bool = False, rendered: bool = False) -> dict[str, Any]:
    """The report as plain JSON data; undefined coefficients are ``null`` with a ``note``.
    Disagreements are listed by segment id; ``with_text`` adds each one's zh and en text.
    ``rendered``: the disagreements as :class:`Rendered` JSON texts, for :func:`dumps`."""
    texts = report.texts if with_text else None
    if rendered:
        listed: list[Any] = rendered_disagreements(report.disagreements, texts)
    else:
        listed = [_disagreement_json(d, texts) for d in report.disagreements]
    return {
        "method": method(report.bootstrap, report.seed),
        "coders": list(report.coders),
        "unit": report.unit_kind,
        "units": len(report.units),
        "bootstrap": report.bootstrap,
        "seed": report.seed,
        "fields": FIELDS,
        "facets": {f.facet: _facet_json(f, report.coders) for f in report.facets},
        "codebook_pooled": None if report.overall is None else stats_json(report.overall, report.coders),
        "warnings": list(report.warnings),
        "disagreements": listed,
    }


def dumps(data: Any, level: int = 0) -> str:
    """``data`` as JSON text indented by two spaces, each disagreement on one line of its own
    (a large project lists hundreds of thousands of them)."""
    return "".join(iter_dumps(data, level))


def iter_dumps(data: Any, level: int = 0) -> Iterator[str]:
    """:func:`dumps` in pieces, to be written as they come (no copy of the whole text)."""
    if not isinstance(data, dict) or not data or not _lists(data):
        yield _indented(data, level)
        return
    pad = "  " * (level + 1)
    yield "{\n"
    for i, (key, value) in enumerate(data.items()):
        yield (f",\n{pad}" if i else pad) + json.dumps(key, ensure_ascii=False) + ": "
        if isinstance(value, Rendered):
            yield from _one_per_line(value, level + 1, written=True)
        elif key == "disagreements" and isinstance(value, list):
            yield from _one_per_line(value, level + 1)
        else:
            yield from iter_dumps(value, level + 1)
    yield "\n" + "  " * level + "}"


def _lists(data: dict[str, Any], depth: int = 4) -> bool:
    """Whether ``data`` holds a list of disagreements (in its first ``depth`` levels)."""
    return any(
        key == "disagreements" or isinstance(value, Rendered)
        or (depth > 1 and isinstance(value, dict) and _lists(value, depth - 1))
        for key, value in data.items()
    )


def _indented(value: Any, level: int) -> str:
    # JSON strings never hold a raw newline, so every newline is the indentation's
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)


def _one_per_line(values: list[Any], level: int, *, written: bool = False) -> Iterator[str]:
    if not values:
        yield "[]"
        return
    pad = "  " * (level + 1)
    yield "[\n"
    if written:  # lines already written: joined a few thousand at a time
        sep = ",\n" + pad
        for start in range(0, len(values), _JOINED):
            yield (sep if start else pad) + sep.join(values[start:start + _JOINED])
    else:
        for i, v in enumerate(values):
            line = json.dumps(v, ensure_ascii=False)
            yield f",\n{pad}{line}" if i else f"{pad}{line}"
    yield "\n" + "  " * level + "]"


#: Lines of a list written as one piece (a few hundred kilobytes of text).
_JOINED = 4096
