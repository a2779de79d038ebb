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

from annotator.agreement._matrix import MISSING, Coded, FloatArray, IntArray
from annotator.agreement.disagreement_list import DisagreementList, FacetDisagreements, KindCodes
from annotator.agreement.done_codes import BoolArray, DoneCodes
from annotator.agreement.estimates import Estimate, Level, Rows, UnitWeights, estimate_all
from annotator.agreement.facet_matrices import (
    binary,
    binary_counts,
    cell_values,
    differing,
    multi_choice,
    single_choice,
)
from annotator.agreement.patterns import Patterns, distinct_rows, distinct_units
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
    rows: Rows  # the item's rows over the kinds of unit (or a level of them), units per row
    kinds: IntArray  # the item's row of each kind of unit


# --------------------------------------------------------------------------- matrices


def _least_share(counts: np.ndarray) -> float | None:
    """Share of the least frequent value among those that occur (None without values)."""
    total = float(counts.sum())
    occurring = counts[counts > 0]
    if total == 0 or occurring.size == 0:
        return None
    return float(occurring.min()) / total


def _item(coded: Coded, coders: Sequence[str], level: str, weight: FloatArray,
          via: tuple[int, IntArray] | None = None) -> _Item:
    """The item of matrix ``coded`` (one column per kind of unit, ``weight`` units each; per row
    of level ``via`` = (its number, its row of each kind) when given), computed once per
    distinct column."""
    of_kind, first = distinct_rows(coded.codes.T)
    weight = np.bincount(of_kind, weights=weight, minlength=len(first)).astype(np.float64)
    pieces = item_pieces(coded.take_units(first), coders, level)
    margins = weight @ pieces.alpha.counts
    values = round(float(weight @ pieces.alpha.m))
    positive = None
    least = _least_share(margins)
    if level == "nominal" and coded.categories == (False, True):
        positive = float(margins[1]) / values if values else None
        least = None if positive is None else min(positive, 1.0 - positive)
    if via is None:
        return _Item(pieces, level, values, least, positive, Rows(of_kind, weight), of_kind)
    return _Item(pieces, level, values, least, positive, Rows(of_kind, weight, via[0]), of_kind[via[1]])


def _pooled_item(items: Sequence[_Item], weight: FloatArray) -> _Item:
    """Present/absent over ``items``, per kind of unit, computed once per distinct row."""
    # a kind's pooled row follows from its row in every item: pool each distinct combination once
    of_kind, first = distinct_rows(np.column_stack([i.kinds for i in items]))
    pieces = pool([i.pieces for i in items], [i.kinds[first] for i in items])
    weight = np.bincount(of_kind, weights=weight, minlength=pieces.n_units).astype(np.float64)
    margins = weight @ pieces.alpha.counts
    values = round(float(margins.sum()))
    positive = float(margins[1]) / values if values else None
    least = None if positive is None else min(positive, 1.0 - positive)
    return _Item(pieces, "nominal", values, least, positive, Rows(of_kind, weight), of_kind)


#: Codes whose items are summed from one level (the kinds of unit told apart by those codes).
_CODES_PER_LEVEL = 3


def _code_items(ids: Sequence[str], sub: BoolArray, table: DoneCodes, weight: FloatArray,
                levels: list[Level]) -> list[tuple[_Item, dict[str, int]]]:
    """Each code's item and counts. Codes go in groups, each group's kinds of unit (done and
    those codes alike) made a level of ``levels`` when it is much coarser than the kinds."""
    done, coders, two = table.done, table.coders, len(table.coders) == 2
    out = []
    for start in range(0, len(ids), _CODES_PER_LEVEL):
        group = sub[:, :, start:start + _CODES_PER_LEVEL]
        cells = group.transpose(1, 0, 2).reshape(done.shape[1], group.shape[0] * group.shape[2])
        key = np.concatenate([done.T, cells], axis=1)
        of_kind, first = distinct_rows(key)
        via = None
        g_sub, g_done, g_weight = group, done, weight
        if 4 * len(first) <= len(of_kind):
            via = (len(levels), of_kind)
            levels.append(Level(of_kind, len(first)))
            g_sub, g_done = group[:, first], done[:, first]
            g_weight = np.bincount(of_kind, weights=weight, minlength=len(first)).astype(np.float64)
        for j in range(group.shape[2]):
            item = _item(binary(g_sub[:, :, j], g_done), coders, "nominal", g_weight, via)
            out.append((item, binary_counts(g_sub[:, :, j], g_done, g_weight, two)))
    return out


def _facet_items(
    facet: Facet, table: DoneCodes, weight: FloatArray, levels: list[Level]
) -> tuple[_Item, dict[str, int], list[tuple[_Item, dict[str, int]]], Coded]:
    """The facet's own item and counts, each code's item and counts, the facet's matrix."""
    ids = [c.id for c in facet.codes]
    sub, done, coders = table.code_columns(ids), table.done, table.coders
    if facet.multiple:
        coded, counts = multi_choice(ids, sub, done, weight)
        own = _item(coded, coders, "masi", weight)
    else:
        # "done, no code" is always a category, so q (and AC1, BP) do not depend on the data
        coded, counts = single_choice(ids, sub, done, weight)
        own = _item(coded, coders, "nominal", weight)
    return own, counts, _code_items(ids, sub, table, weight, levels), coded


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


def _confusion(coded: Coded, multiple: bool, weight: FloatArray
               ) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]] | None:
    if multiple or coded.n_coders != 2:
        return None
    a, b = coded.codes[0], coded.codes[1]
    both = (a != MISSING) & (b != MISSING)
    q = coded.q
    table = np.bincount(a[both] * q + b[both], weights=weight[both], minlength=q * q).reshape(q, q)
    return tuple(map(str, coded.categories)), tuple(tuple(round(float(x)) for x in row) for row in table)


def chosen_facets(codebook: Codebook, facets: Iterable[str] | None) -> list[Facet]:
    """The facets ``facets`` names (every facet for None); an unknown one is a usage error."""
    if facets is None:
        return list(codebook.facets)
    chosen = []
    for fid in facets:
        facet = codebook.facet(fid)
        if facet is None:
            raise UsageError(f"unknown facet {fid!r}")
        chosen.append(facet)
    return chosen


def _report_table(table: DoneCodes, coders: Sequence[str], facets: Sequence[Facet]) -> DoneCodes:
    """The units two of ``coders`` finished, with only the codes of ``facets``."""
    chosen = table.select(coders)
    chosen = chosen.take(chosen.done.sum(axis=0) >= 2)
    ids = tuple(dict.fromkeys(c.id for f in facets for c in f.codes))
    return DoneCodes(chosen.units, chosen.coders, ids, chosen.done, chosen.code_columns(ids))


def _items(built: list[Any], weight: FloatArray) -> list[_Item]:
    items: list[_Item] = []
    for facet, own, _, codes, _ in built:
        items.append(own)
        items.extend(i for i, _ in codes)
        if facet.multiple and facet.codes:
            pool_item = _pooled_item([i for i, _ in codes], weight)
            own.least_share = pool_item.least_share  # the sample-size rule reads present/absent
            items.append(pool_item)
    code_items = [i for _, _, _, codes, _ in built for i, _ in codes]
    if len(code_items) > 1:
        items.append(_pooled_item(code_items, weight))
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
    unit_kind: str = "segment",
) -> AgreementReport:
    """Agreement per facet, per code and pooled among ``coders`` over the segments two of them
    finished.

    ``states``: unit → coder → codes (the coders who finished the unit), or the same as a
    :class:`DoneCodes` table. Single-choice facet: nominal coefficients over its codes plus
    "(none)". Multi-choice facet: alpha with the MASI distance and exact-set percent agreement
    over each coder's set of codes, and a pooled row (present/absent over all its codes). Every
    code: present/absent. The whole codebook: present/absent pooled over every code. Every
    coefficient gets a percentile bootstrap interval from one set of ``bootstrap`` resamples of
    the segments (``seed``); ``bootstrap=0`` gives no interval (and so no verdict but
    "insufficient data"). Units alike (the same coders finished them with the same codes) are
    computed once, weighted by their number.
    """
    coders = tuple(dict.fromkeys(coders))
    if len(coders) < 2:
        raise UsageError(f"agreement needs at least two coders, got {len(coders)}")
    chosen = chosen_facets(codebook, facets)
    table = states if isinstance(states, DoneCodes) else DoneCodes.from_states(states, coders)
    units = _report_table(table, coders, chosen)
    alike = distinct_units(units)
    weight = alike.weight
    levels: list[Level] = []
    built = [(f, *_facet_items(f, alike.table, weight, levels)) for f in chosen]
    items = _items(built, weight)
    ests = estimate_all([i.pieces for i in items], bootstrap, seed,
                        units=UnitWeights(alike.of_unit, len(weight), [i.rows for i in items], levels))
    stats = iter(_coefficients(i, e, units.n_units, bootstrap) for i, e in zip(items, ests, strict=True))
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
            _confusion(coded, facet.multiple, weight),
        ))
    return AgreementReport(
        coders=coders,
        units=units.units,
        facets=tuple(facet_results),
        disagreements=DisagreementList([facet_disagreements(f, alike, units.units) for f in chosen]),
        texts=dict(texts or {}),
        bootstrap=bootstrap,
        seed=seed,
        overall=next(stats, None),
        unit_kind=unit_kind,
        warnings=tuple(done_cover_warnings(table, coders)),
    )


def facet_disagreements(facet: Facet, alike: Patterns, units: Sequence[str]) -> FacetDisagreements:
    """The units (in order) whose coders' codes in ``facet`` differ, each with every finishing
    coder's codes in the facet (codebook order), held once per kind of unit."""
    table = alike.table
    ids = [c.id for c in facet.codes]
    index, rows = cell_values(table.code_columns(ids), table.done)
    names = [tuple(ids[j] for j in np.flatnonzero(row)) for row in rows]
    differs = differing(index, table.done)
    values = np.full(table.done.shape, -1, dtype=np.int64)
    values[table.done] = index
    kinds = np.flatnonzero(differs)
    per_kind = KindCodes(table.coders, names, kinds.tolist(), np.ascontiguousarray(values[:, kinds].T))
    hits = np.flatnonzero(differs[alike.of_unit]) if len(alike.of_unit) else np.zeros(0, dtype=np.int64)
    return FacetDisagreements(facet.id, [units[u] for u in hits.tolist()], alike.of_unit[hits].tolist(), per_kind)


def done_cover_warnings(states: States | DoneCodes, coders: Sequence[str]) -> list[str]:
    """Coders whose done marks cover only segments they coded, while others marked segments
    done with no code that these coders left unfinished: their uncoded segments count as
    missing, not as "no code applies", which inflates agreement (typical of imports that mark
    only coded segments done)."""
    table = states if isinstance(states, DoneCodes) else DoneCodes.from_states(states, coders)
    empty_done = table.done & ~table.present.any(axis=2)
    out = []
    for coder in coders:
        if coder not in table.coders:
            continue
        c = table.coders.index(coder)
        mine = table.done[c]
        if not mine.any() or empty_done[c].any():
            continue
        others = np.delete(empty_done, c, axis=0).any(axis=0)
        gaps = int((~mine & others).sum())
        if gaps:
            n = int(mine.sum())
            out.append(
                f"{coder}'s {n} done marks all carry a code, and {gaps} segments others "
                f"marked done with no code are not done by {coder}: segments {coder} left "
                "uncoded count as missing, not as 'no code', which can inflate agreement"
            )
    return out


def listed_facets(codebook: Codebook, facet: str | None, code: str | None) -> tuple[Facet, ...]:
    """The facets a disagreement listing covers: ``facet``'s, ``code``'s (which must be in
    ``facet`` when both are given), or every facet; an unknown one is a usage error."""
    if code is not None:
        found = codebook.code(code)
        if found is None:
            raise UsageError(f"unknown code {code!r}")
        if facet is not None and facet != found.facet:
            raise UsageError(f"code {code!r} is not in facet {facet!r}")
        facet = found.facet
    if facet is None:
        return codebook.facets
    chosen = codebook.facet(facet)
    if chosen is None:
        raise UsageError(f"unknown facet {facet!r}")
    return (chosen,)


def disagreements(
    codebook: Codebook,
    states: States | DoneCodes,
    *,
    facet: str | None = None,
    code: str | None = None,
    coders: Sequence[str] | None = None,
) -> DisagreementList:
    """Segments (done by at least two of ``coders``; by default every coder who finished one)
    whose coders' codes differ in a facet, facet by facet, each in the order of ``states``.

    ``facet`` limits to one facet, ``code`` to segments where the coders differ on that code
    (the listing still shows each coder's codes in the code's facet). Computed as the report's
    are: once per kind of segment (the same coders finished it with the same codes).
    """
    facets = listed_facets(codebook, facet, code)
    table = states if isinstance(states, DoneCodes) else DoneCodes.from_states(states, coders)
    units = _report_table(table, table.finished_coders() if coders is None else coders, facets)
    alike = distinct_units(units)
    parts = [facet_disagreements(f, alike, units.units) for f in facets]
    if code is not None:
        parts = [_differing_on(part, alike.table, code) for part in parts]
    return DisagreementList(parts)


def _differing_on(part: FacetDisagreements, kinds: DoneCodes, code: str) -> FacetDisagreements:
    """Only the units of ``part`` whose coders differ on whether ``code`` applies (``kinds``:
    the table of the kinds of unit ``part`` numbers)."""
    applied = kinds.code_columns([code])[:, :, 0]
    differs = differing(applied[kinds.done].astype(np.int64), kinds.done)
    keep = [i for i, kind in enumerate(part.kinds) if differs[kind]]
    return FacetDisagreements(part.facet, [part.segments[i] for i in keep],
                              [part.kinds[i] for i in keep], part.codes)


