"""An agreement report over a codebook: per facet, per code and pooled, every coefficient with
its bootstrap interval, the counts it rests on and a verdict.

Pure data in, dataclasses out. ``states`` maps each segment id to {coder: codes applied} and holds
only the coders who marked that segment done: a coder who never finished a segment is *missing*
for it, not "applied no code". The units are the segments done by at least two chosen coders.
The verdict rule is :data:`annotator.agreement.verdict.VERDICT_RULE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.agreement._matrix import MISSING, Coded
from annotator.agreement.estimates import Estimate, estimate_all
from annotator.agreement.kappa import contingency
from annotator.agreement.pieces import ALPHA, COHEN, METRICS, SET_METRICS, Pieces, item_pieces, pool
from annotator.agreement.report_json import to_json
from annotator.agreement.report_model import (
    NO_SHARED,
    NO_UNITS,
    NO_VARIATION,
    NONE_CATEGORY,
    SET_VALUED,
    AgreementReport,
    CodeAgreement,
    Coefficients,
    Disagreement,
    FacetAgreement,
)
from annotator.agreement.verdict import judge
from annotator.errors import UsageError
from annotator.model import Codebook, Facet

__all__ = [
    "NONE_CATEGORY",
    "NO_SHARED",
    "NO_UNITS",
    "NO_VARIATION",
    "SET_VALUED",
    "AgreementReport",
    "CodeAgreement",
    "Coefficients",
    "Disagreement",
    "FacetAgreement",
    "build_report",
    "disagreements",
    "done_cover_warnings",
    "to_json",
]

States = Mapping[str, Mapping[str, frozenset[str]]]


@dataclass
class _Item:
    """One row to be: its pieces and what the verdict needs besides the coefficients."""

    pieces: Pieces
    level: str
    values: int
    least_share: float | None
    positive_share: float | None


# --------------------------------------------------------------------------- matrices


def _single_value(codes: frozenset[str]) -> str:
    if not codes:
        return NONE_CATEGORY
    return "+".join(sorted(codes))  # one code normally; several only if the data broke the rule


def _coded_categories(rows: Sequence[Sequence[Any]], wanted: Sequence[Any]) -> Coded:
    """Coded matrix whose categories are ``wanted`` plus any other value that occurs."""
    extra = [v for row in rows for v in row if v is not None and v not in wanted]
    cats = tuple(wanted) + tuple(dict.fromkeys(extra))
    index = {c: i for i, c in enumerate(cats)}
    codes = np.array([[MISSING if v is None else index[v] for v in row] for row in rows], dtype=np.int64)
    return Coded(codes.reshape(len(rows), -1), cats)


def _facet_sets(
    facet: Facet, units: Sequence[str], coders: Sequence[str], states: States
) -> list[list[frozenset[str] | None]]:
    ids = frozenset(c.id for c in facet.codes)
    return [
        [frozenset(states[u][coder]) & ids if coder in states[u] else None for u in units]
        for coder in coders
    ]


def _least_share(counts: np.ndarray) -> float | None:
    """Share of the least frequent value among those that occur (None without values)."""
    total = float(counts.sum())
    occurring = counts[counts > 0]
    if total == 0 or occurring.size == 0:
        return None
    return float(occurring.min()) / total


def _item(coded: Coded, coders: Sequence[str], level: str) -> _Item:
    pieces = item_pieces(coded, coders, level)
    margins = pieces.alpha.counts.sum(axis=0)
    values = int(pieces.alpha.m.sum())
    positive = None
    least = _least_share(margins)
    if level == "nominal" and coded.categories == (False, True):
        positive = float(margins[1]) / values if values else None
        least = None if positive is None else min(positive, 1.0 - positive)
    return _Item(pieces, level, values, least, positive)


def _pooled_item(items: Sequence[_Item]) -> _Item:
    pieces = pool([i.pieces for i in items])
    margins = pieces.alpha.counts.sum(axis=0)
    values = int(margins.sum())
    positive = float(margins[1]) / values if values else None
    least = None if positive is None else min(positive, 1.0 - positive)
    return _Item(pieces, "nominal", values, least, positive)


def _binary_counts(present: np.ndarray, done: np.ndarray, two: bool) -> dict[str, int]:
    applied = (present & done).sum(axis=0)
    rated = done.sum(axis=0)
    all_ = int(((applied == rated) & (applied > 0)).sum())
    none = int((applied == 0).sum())
    some = int(present.shape[1] - all_ - none)
    positives = int(applied.sum())
    if two:
        return {"positives": positives, "both": all_, "only_one": some, "neither": none}
    return {"positives": positives, "all": all_, "some": some, "none": none}


def _facet_items(
    facet: Facet, units: Sequence[str], coders: Sequence[str], states: States
) -> tuple[_Item, dict[str, int], list[tuple[_Item, dict[str, int]]], Coded]:
    """The facet's own item and counts, each code's item and counts, the facet's matrix."""
    sets = _facet_sets(facet, units, coders, states)
    done = np.array([[v is not None for v in row] for row in sets], dtype=bool).reshape(len(coders), -1)
    if facet.multiple:
        coded = _coded_categories([list(row) for row in sets], [])
        own = _item(coded, coders, "masi")
        counts = {c.id: sum(c.id in v for row in sets for v in row if v) for c in facet.codes}
    else:
        values = [[None if v is None else _single_value(v) for v in row] for row in sets]
        # "done, no code" is always a category, so q (and AC1, BP) do not depend on the data
        coded = _coded_categories(values, [c.id for c in facet.codes] + [NONE_CATEGORY])
        own = _item(coded, coders, "nominal")
        flat = [v for row in values for v in row if v is not None]
        counts = {str(c): flat.count(c) for c in coded.categories if flat.count(c)}
    codes = []
    for code in facet.codes:
        present = np.array([[v is not None and code.id in v for v in row] for row in sets], dtype=bool)
        present = present.reshape(len(coders), -1)
        binary = Coded(np.where(done, present.astype(np.int64), MISSING), (False, True))
        codes.append((_item(binary, coders, "nominal"), _binary_counts(present, done, len(coders) == 2)))
    return own, counts, codes, coded


# --------------------------------------------------------------------------- coefficients


def _notes(item: _Item, units: int) -> dict[str, str]:
    notes: dict[str, str] = {}
    if item.pieces.pi_num is None:
        notes.update({m: SET_VALUED for m in METRICS if m not in SET_METRICS})
    shared = {pair: float(t.sum()) > 0 for pair, t in item.pieces.tables.items()}
    for (a, b), has in shared.items():
        if not has:
            notes[f"cohen:{a}|{b}"] = NO_UNITS if units == 0 else NO_SHARED
    if shared and not any(shared.values()):
        notes[COHEN] = NO_UNITS if units == 0 else NO_SHARED
    return notes


def _coefficients(item: _Item, est: dict[str, Estimate], units: int, bootstrap: int) -> Coefficients:
    alpha = est[ALPHA]
    pairwise = {
        pair: est[f"cohen:{pair[0]}|{pair[1]}"] for pair in item.pieces.tables
    }
    metrics = item.pieces.metrics()
    return Coefficients(
        units=units,
        values=item.values,
        estimates={m: est[m] for m in metrics},
        pairwise=pairwise,
        judgement=judge(alpha.value, alpha.ci[0], units, item.least_share, bootstrap=bootstrap),
        alpha_level=item.level,
        positive_share=item.positive_share,
        least_share=item.least_share,
        notes=_notes(item, units),
    )


def _confusion(coded: Coded, multiple: bool) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]] | None:
    if multiple or coded.n_coders != 2:
        return None
    table = contingency(coded).astype(int)
    return tuple(map(str, coded.categories)), tuple(tuple(int(x) for x in row) for row in table)


def _chosen_facets(codebook: Codebook, facets: Iterable[str] | None) -> list[Facet]:
    if facets is None:
        return list(codebook.facets)
    chosen = []
    for fid in facets:
        facet = codebook.facet(fid)
        if facet is None:
            raise UsageError(f"unknown facet {fid!r}")
        chosen.append(facet)
    return chosen


def build_report(
    codebook: Codebook,
    coders: Sequence[str],
    states: States,
    *,
    facets: Iterable[str] | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    texts: Mapping[str, tuple[str, str]] | None = None,
    unit_kind: str = "segment",
) -> AgreementReport:
    """Agreement per facet, per code and pooled among ``coders`` over the segments two of them
    finished.

    Single-choice facet: nominal coefficients over its codes plus "(none)". Multi-choice facet:
    alpha with the MASI distance and exact-set percent agreement over each coder's set of codes,
    and a pooled row (present/absent over all its codes). Every code: present/absent. The whole
    codebook: present/absent pooled over every code. Every coefficient gets a percentile
    bootstrap interval from one set of ``bootstrap`` resamples of the segments (``seed``);
    ``bootstrap=0`` gives no interval (and so no verdict but "insufficient data").
    """
    coders = tuple(dict.fromkeys(coders))
    if len(coders) < 2:
        raise UsageError(f"agreement needs at least two coders, got {len(coders)}")
    chosen = _chosen_facets(codebook, facets)
    units = tuple(u for u, done in states.items() if sum(c in done for c in coders) >= 2)
    built = [(f, *_facet_items(f, units, coders, states)) for f in chosen]
    items: list[_Item] = []
    for facet, own, _, codes, _ in built:
        items.append(own)
        items.extend(i for i, _ in codes)
        if facet.multiple and facet.codes:
            pool_item = _pooled_item([i for i, _ in codes])
            own.least_share = pool_item.least_share  # the sample-size rule reads present/absent
            items.append(pool_item)
    code_items = [i for _, _, _, codes, _ in built for i, _ in codes]
    if len(code_items) > 1:
        items.append(_pooled_item(code_items))
    ests = estimate_all([i.pieces for i in items], bootstrap, seed)
    stats = iter(_coefficients(i, e, len(units), bootstrap) for i, e in zip(items, ests, strict=True))
    facet_results = []
    for facet, _, counts, codes, coded in built:
        own_stats = next(stats)
        code_results = tuple(
            CodeAgreement(code.id, code.label, c_counts, next(stats))
            for code, (_, c_counts) in zip(facet.codes, codes, strict=True)
        )
        pooled = next(stats) if facet.multiple and facet.codes else None
        facet_results.append(FacetAgreement(
            facet.id, facet.label, facet.multiple, counts, own_stats, code_results, pooled,
            _confusion(coded, facet.multiple),
        ))
    unit_states = {u: states[u] for u in units}
    return AgreementReport(
        coders=coders,
        units=units,
        facets=tuple(facet_results),
        disagreements=tuple(
            d for f in chosen for d in disagreements(codebook, unit_states, facet=f.id, coders=coders)
        ),
        texts=dict(texts or {}),
        bootstrap=bootstrap,
        seed=seed,
        overall=next(stats, None),
        unit_kind=unit_kind,
        warnings=tuple(done_cover_warnings(states, coders)),
    )


def done_cover_warnings(states: States, coders: Sequence[str]) -> list[str]:
    """Coders whose done marks cover only segments they coded, while others marked segments
    done with no code that these coders left unfinished: their uncoded segments count as
    missing, not as "no code applies", which inflates agreement (typical of imports that mark
    only coded segments done)."""
    out = []
    for coder in coders:
        mine = [per[coder] for per in states.values() if coder in per]
        if not mine or any(not codes for codes in mine):
            continue
        gaps = sum(
            1 for per in states.values()
            if coder not in per and any(c != coder and not codes for c, codes in per.items())
        )
        if gaps:
            out.append(
                f"{coder}'s {len(mine)} done marks all carry a code, and {gaps} segments others "
                f"marked done with no code are not done by {coder}: segments {coder} left "
                "uncoded count as missing, not as 'no code', which can inflate agreement"
            )
    return out


def disagreements(
    codebook: Codebook,
    states: States,
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
    out: list[Disagreement] = []
    for segment, done in states.items():
        who = [c for c in (coders if coders is not None else sorted(done)) if c in done]
        if len(who) < 2:
            continue
        for f in facets:
            ids = frozenset(c.id for c in f.codes)
            per = {c: frozenset(done[c]) & ids for c in who}
            if code is not None:
                differs = len({code in s for s in per.values()}) > 1
            else:
                differs = len(set(per.values())) > 1
            if differs:
                order = {c.id: i for i, c in enumerate(f.codes)}
                out.append(
                    Disagreement(
                        segment,
                        f.id,
                        {c: tuple(sorted(s, key=lambda x: order.get(x, 0))) for c, s in per.items()},
                    )
                )
    return out


