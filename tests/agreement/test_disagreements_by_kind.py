"""The disagreement listing, computed once per kind of segment, equals a segment-by-segment walk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.report import disagreements
from annotator.agreement.report_model import Disagreement
from annotator.model import Codebook
from tests.agreement.test_report import _codebook

CODERS = ("ann", "bob", "cy")
CODES = ("A", "B", "x", "y", "z", "old")  # "old": a code the codebook does not hold

States = Mapping[str, Mapping[str, frozenset[str]]]


def _walk(book: Codebook, states: States, facet: str | None, code: str | None,
          coders: Sequence[str] | None) -> list[Disagreement]:
    """Each segment in turn: its finishing coders' codes per facet, compared as sets."""
    facets = [book.facet(facet)] if facet else list(book.facets)
    out = []
    for segment, done in states.items():
        who = [c for c in (coders if coders is not None else sorted(done)) if c in done]
        if len(who) < 2:
            continue
        for f in facets:
            assert f is not None
            ids = [c.id for c in f.codes]
            per = {c: tuple(k for k in ids if k in done[c]) for c in who}
            differs = (len({code in s for s in per.values()}) > 1 if code
                       else len(set(per.values())) > 1)
            if differs:
                out.append(Disagreement(segment, f.id, per))
    return out


states = st.dictionaries(
    st.sampled_from([f"s{i}" for i in range(30)]),
    st.dictionaries(st.sampled_from(CODERS), st.frozensets(st.sampled_from(CODES), max_size=4), max_size=3),
    max_size=30)


@settings(max_examples=300, deadline=None)
@given(states, st.sampled_from([None, "dim", "burden"]), st.sampled_from([None, "A", "y"]),
       st.sampled_from([None, ["ann", "bob"], ["cy", "ann", "bob"]]))
def test_by_kind_equals_the_walk(states: States, facet: str | None, code: str | None,
                                 coders: list[str] | None) -> None:
    book = _codebook()
    if code is not None:
        facet = book.code(code).facet  # type: ignore[union-attr]
    got = list(disagreements(book, states, facet=facet, code=code, coders=coders))
    want = _walk(book, states, facet, code, coders)
    key = {s: i for i, s in enumerate(states)}
    order = {f.id: i for i, f in enumerate(book.facets)}
    assert sorted(got, key=lambda d: (key[d.segment], order[d.facet])) == \
        sorted(want, key=lambda d: (key[d.segment], order[d.facet]))
