"""Other units of analysis and subsets of them, as pure transformations of coder states.

Document level (as MAXQDA's "code existence" per document): a coder applied a code in a document
if they applied it on any of the document's segments that are units of the segment-level report
(done by at least two of the chosen coders) and that they finished. A coder who finished none of
them is missing for the document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from annotator.model import Codebook

States = Mapping[str, Mapping[str, frozenset[str]]]


def document_states(
    states: States, segment_document: Mapping[str, str], coders: Sequence[str]
) -> dict[str, dict[str, frozenset[str]]]:
    """document -> coder -> every code the coder applied in the document's shared segments."""
    out: dict[str, dict[str, set[str]]] = {}
    for segment, per in states.items():
        if sum(c in per for c in coders) < 2 or segment not in segment_document:
            continue
        doc = out.setdefault(segment_document[segment], {})
        for coder in coders:
            if coder in per:
                doc.setdefault(coder, set()).update(per[coder])
    return {d: {c: frozenset(codes) for c, codes in per.items()} for d, per in out.items()}


def as_multi_choice(codebook: Codebook) -> Codebook:
    """The codebook with every facet multi-choice (a document holds several codes of a facet)."""
    return Codebook(tuple(replace(f, multiple=True) for f in codebook.facets))


def group_states(states: States, group_of: Mapping[str, str]) -> dict[str, dict[str, Mapping[str, frozenset[str]]]]:
    """Split ``states`` by the group of each unit (units without a group are left out)."""
    out: dict[str, dict[str, Mapping[str, frozenset[str]]]] = {}
    for unit, per in states.items():
        if unit in group_of:
            out.setdefault(group_of[unit], {})[unit] = per
    return dict(sorted(out.items()))


def restrict_codebook(codebook: Codebook, codes: frozenset[str]) -> Codebook:
    """The codebook with only ``codes`` (facets left without a code dropped)."""
    facets = (replace(f, codes=tuple(c for c in f.codes if c.id in codes)) for f in codebook.facets)
    return Codebook(tuple(f for f in facets if f.codes))
