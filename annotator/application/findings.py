"""From coded data to findings: whose work, which quotes.

Fetches one coder's coded segments and the documents' attributes from storage and turns them
into quotes, for the renderers in ``annotator.io`` (grouped in ``streamed_quotes``; matrices in
``matrices``). Always one coder's work: counts are never summed over coders.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.errors import UsageError
from annotator.io.quotes_render import Quote
from annotator.model import Codebook
from annotator.storage.attributes import document_attributes
from annotator.storage.attributes import set_attributes as set_attributes  # for the interfaces
from annotator.storage.codebook_store import load_codebook as load_codebook  # for the interfaces
from annotator.storage.db import Project

CONSENSUS = "consensus"
"""The coder whose work is used when none is named and it exists (adjudicated decisions)."""


def choose_coder(project: Project, coder: str | None) -> str:
    """The coder named, else ``consensus``, else the only coder with codes; an error naming the
    coders otherwise."""
    from annotator.storage.coding import list_coders
    from annotator.storage.quotes import coders_with_codes

    known = list_coders(project)
    if coder is not None:
        coder = coder.strip()
        if coder not in known:
            raise UsageError(f"no coder {coder!r} in the project (coders: {', '.join(known) or 'none'})")
        return coder
    if CONSENSUS in known:
        return CONSENSUS
    coding = coders_with_codes(project)
    if len(coding) == 1:
        return coding[0]
    if not coding:
        raise UsageError("no coder has applied a code yet")
    raise UsageError(f"several coders ({', '.join(coding)}) and none named {CONSENSUS!r};"
                     " choose whose work to use with --coder NAME")


def parse_where(items: Iterable[str]) -> dict[str, set[str]]:
    """``ATTR=VALUE`` filters: the same attribute named twice accepts either value."""
    out: dict[str, set[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--where takes ATTR=VALUE, not {item!r}")
        out.setdefault(key.strip(), set()).add(value.strip())
    return out


def attributes_match(attributes: dict[str, Any], where: dict[str, set[str]]) -> bool:
    return all(str(attributes.get(k, "")) in values for k, values in where.items())


def iter_quotes(project: Project, codebook: Codebook, coder: str,
                where: dict[str, set[str]] | None = None, *, text: bool = True,
                having: Iterable[str] = ()) -> Iterator[Quote]:
    """Every segment ``coder`` coded (``having``: with every one of these codes), in reading
    order, as quotes read as the caller iterates (documents filtered by ``where``;
    ``text=False``: without their Chinese and English, for counting)."""
    for quote, _codes in iter_quotes_with_codes(project, codebook, coder, where, text=text,
                                                having=having):
        yield quote


def iter_quotes_with_codes(project: Project, codebook: Codebook, coder: str,
                           where: dict[str, set[str]] | None = None, *, text: bool = True,
                           having: Iterable[str] = ()) -> Iterator[tuple[Quote, frozenset[str]]]:
    """:func:`iter_quotes`, each quote with the set of its codes (quotes with the same codes
    share that set and their ``codes``, which are not to be changed)."""
    from annotator.storage.quotes import iter_coded_rows

    attributes = document_attributes(project)
    kept = {d: not where or attributes_match(a, where) for d, a in attributes.items()}
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    facet_of = {c.id: c.facet for c in codebook.codes}
    facets = [f.id for f in codebook.facets]
    known: dict[str, tuple[dict[str, list[str]], frozenset[str]]] = {}
    for segment, document, position, speaker, start, end, zh, en, memo, codes in iter_coded_rows(
            project, coder, text=text, having=having):
        if not kept.get(document, not where):
            continue
        found = known.get(codes)
        if found is None:
            if len(known) > 10_000:
                known.clear()
            ids = json.loads(codes)
            by_facet: dict[str, list[str]] = {f: [] for f in facets}
            for code in sorted(ids, key=lambda c: (order.get(c, len(order)), c)):
                by_facet.setdefault(facet_of.get(code, "?"), []).append(code)
            found = known[codes] = (by_facet, frozenset(ids))
        yield Quote(segment, document, position, zh, en, speaker, start, end, found[0],
                    attributes.get(document, {}), memo), found[1]


def code_title(codebook: Codebook, code_id: str) -> str:
    code = codebook.code(code_id)
    if code is None:
        return code_id
    labels = " / ".join(dict.fromkeys(x for x in (code.label.en, code.label.zh) if x))
    return f"{code_id} — {labels}" if labels else code_id


def check_codes(codebook: Codebook, codes: Iterable[str]) -> list[str]:
    out = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    unknown = [c for c in out if codebook.code(c) is None]
    if unknown:
        raise UsageError(f"no code {', '.join(map(repr, unknown))} in the codebook"
                         " (see 'annotator codebook show')")
    return out


def facet_codes(codebook: Codebook, facet_id: str) -> list[str]:
    facet = codebook.facet(facet_id.strip())
    if facet is None:
        raise UsageError(f"no facet {facet_id!r} in the codebook (facets:"
                         f" {', '.join(f.id for f in codebook.facets)})")
    return [c.id for c in facet.codes]


def split_list(values: Iterable[str]) -> list[str]:
    """Codes given as repeated options and/or comma-separated lists."""
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def percentages(counts: Sequence[Sequence[int]], of: str) -> list[list[float]]:
    """Each cell as a percentage of its row's total, its column's total or the grand total
    (rounded to one decimal; 0 where the total is 0)."""
    if of not in ("row", "col", "total"):
        raise UsageError(f"--percent must be row, col or total, not {of!r}")
    n_cols = len(counts[0]) if counts else 0
    row_sums = [sum(r) for r in counts]
    col_sums = [sum(r[j] for r in counts) for j in range(n_cols)]
    grand = sum(row_sums)

    def pct(value: int, total: int) -> float:
        return round(100 * value / total, 1) if total else 0.0

    return [[pct(v, row_sums[i] if of == "row" else col_sums[j] if of == "col" else grand)
             for j, v in enumerate(r)] for i, r in enumerate(counts)]


def stats_table_lines(project: Project, coder: str | None = None) -> list[str]:
    """The first single-choice facet × the first multi-choice facet, counted over one coder's
    segments and saying whose; a note instead when it is not clear whose work to count."""
    from annotator.application.matrices import count_matrix
    from annotator.io.matrix_render import render_table

    codebook = load_codebook(project)
    single = [f for f in codebook.facets if not f.multiple]
    multi = [f for f in codebook.facets if f.multiple]
    if not (single and multi):
        return []
    try:
        who = choose_coder(project, coder)
    except UsageError as exc:
        if coder is not None:
            raise
        return ["", f"{single[0].id} × {multi[0].id}: not shown: {exc}"]
    matrix = count_matrix(project, codebook, rows=single[0].id, cols=multi[0].id, coder=who)
    return ["", *render_table(matrix).rstrip("\n").splitlines()]


def codebook_examples(project: Project, codebook: Codebook, coder: str, n: int
                      ) -> dict[str, list[Quote]]:
    """Up to ``n`` of ``coder``'s quotes per code, in reading order."""
    out: dict[str, list[Quote]] = {}
    if n <= 0:
        return out
    for q in iter_quotes(project, codebook, coder):
        for code in q.code_ids:
            bucket = out.setdefault(code, [])
            if len(bucket) < n:
                bucket.append(q)
    return out


def segments_where(project: Project, where: dict[str, set[str]]) -> set[str]:
    """Ids of the segments of the documents whose attributes match ``where``."""
    from annotator.storage.documents import segment_order

    docs = {d for d, a in document_attributes(project).items() if attributes_match(a, where)}
    return {seg for seg, doc in segment_order(project) if doc in docs}


def segments_matching(project: Project, coder: str, where: dict[str, set[str]],
                      all_of: Sequence[str]) -> list[str]:
    """Segments in reading order whose document matches ``where`` and on which ``coder`` applied
    every code of ``all_of`` (no code condition when it is empty)."""
    from annotator.storage.documents import segment_order

    keep = segments_where(project, where) if where else None
    if all_of:
        required = set(check_codes(load_codebook(project, include_archived=True), all_of))
        from annotator.storage.quotes import iter_coded_segments

        coded = {r["segment"] for r in iter_coded_segments(project, coder, text=False)
                 if required <= set(r["codes"])}
        keep = coded if keep is None else keep & coded
    return [seg for seg, _doc in segment_order(project) if keep is None or seg in keep]
