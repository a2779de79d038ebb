"""Other units of analysis and subsets of them, as pure transformations of coder states.

Document level (as MAXQDA's "code existence" per document): a coder applied a code in a document
if they applied it on any of the document's segments that are units of the segment-level report
(done by at least two of the chosen coders) and that they finished. A coder who finished none of
them is missing for the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from annotator.agreement.done_codes import DoneCodes
from annotator.model import Codebook


def document_states(table: DoneCodes, documents: Sequence[str | None], coders: Sequence[str]) -> DoneCodes:
    """document → coder → every code the coder applied in the document's shared segments, as a
    table whose units are the documents (in the order their first shared segment comes).
    ``documents``: the document of each unit of ``table`` (None: none)."""
    chosen = table.select(coders)
    shared = (chosen.done.sum(axis=0) >= 2) & np.fromiter(
        (d is not None for d in documents), dtype=bool, count=chosen.n_units)
    kept = np.flatnonzero(shared)
    names = list(dict.fromkeys(documents[i] for i in kept.tolist()))
    position = {d: i for i, d in enumerate(names)}
    of_unit = np.asarray([position[documents[i]] for i in kept.tolist()], dtype=np.int64)
    n_c, n_k, n_d = len(chosen.coders), len(chosen.codes), len(names)
    done = np.zeros((n_c, n_d), dtype=bool)
    present = np.zeros((n_c, n_d, n_k), dtype=bool)
    for c in range(n_c):
        done[c] = np.bincount(of_unit, weights=chosen.done[c, kept], minlength=n_d) > 0
        for k in range(n_k):
            present[c, :, k] = np.bincount(of_unit, weights=chosen.present[c, kept, k], minlength=n_d) > 0
    return DoneCodes(tuple(str(n) for n in names), chosen.coders, chosen.codes, done, present)


def as_multi_choice(codebook: Codebook) -> Codebook:
    """The codebook with every facet multi-choice (a document holds several codes of a facet)."""
    return Codebook(tuple(replace(f, multiple=True) for f in codebook.facets))


def group_states(table: DoneCodes, groups: Sequence[str | None]) -> dict[str, DoneCodes]:
    """Split ``table`` by the group of each unit (``groups``, aligned with its units; units
    without a group are left out), groups sorted by name."""
    members: dict[str, list[int]] = {}
    for u, g in enumerate(groups):
        if g is not None:
            members.setdefault(g, []).append(u)
    return {g: table.take(np.asarray(members[g], dtype=np.int64)) for g in sorted(members)}


def restrict_codebook(codebook: Codebook, codes: frozenset[str]) -> Codebook:
    """The codebook with only ``codes`` (facets left without a code dropped)."""
    facets = (replace(f, codes=tuple(c for c in f.codes if c.id in codes)) for f in codebook.facets)
    return Codebook(tuple(f for f in facets if f.codes))
