"""What an agreement report reads from a project: codebook, coders' finished work, texts,
documents and their attributes. All database reading for ``agree`` lives here, apart from the
pure computation in :mod:`annotator.agreement`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement.done_codes import DoneCodes
from annotator.agreement.report_model import Disagreement
from annotator.errors import UsageError
from annotator.model import Codebook
from annotator.storage.db import open_project as open_existing

StatesDict = dict[str, dict[str, frozenset[str]]]
IntArray = npt.NDArray[np.int64]


@dataclass
class AgreementInput:
    codebook: Codebook
    coders: list[str]
    table: DoneCodes  # the segments some chosen coder finished: who did, with which codes
    project: Path
    #: the document of each unit of ``table`` (read when asked for: --unit document, --by)
    segment_document: list[str | None] | None = None
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)  # document -> attributes
    corpus_segments: int = 0
    corpus_documents: int = 0

    @property
    def states(self) -> StatesDict:
        """segment → coder → codes, as dictionaries (small projects and listings)."""
        return self.table.to_states()

    def texts(self, segments: Iterable[str]) -> dict[str, tuple[str, str]]:
        """segment → (zh, en) of ``segments`` (those a report or listing shows)."""
        from annotator.storage.agreement_rows import segment_texts

        wanted = list(dict.fromkeys(segments))
        if not wanted:
            return {}
        with open_existing(self.project) as p:
            return segment_texts(p, wanted)


def ordered_disagreements(data: AgreementInput, facets: Sequence[str | None], code: str | None,
                          chunk: int = 2000) -> Iterator[tuple[Disagreement, str, str]]:
    """The disagreements in ``facets`` (None: every facet; each named once), segment by segment
    in the table's order, then in codebook order of their facets, each with its segment's
    Chinese and English: computed once per kind of segment, the texts read ``chunk`` at a time."""
    from annotator.agreement.report import disagreements
    from annotator.storage.agreement_rows import segment_texts

    parts = [part for f in dict.fromkeys(facets) for part in disagreements(
        data.codebook, data.table, facet=f, code=code, coders=data.coders).parts]
    position = {u: i for i, u in enumerate(data.table.units)}
    facet_at = {f.id: i for i, f in enumerate(data.codebook.facets)}
    unit = np.array([position[s] for part in parts for s in part.segments], dtype=np.int64)
    facet = np.array([facet_at[part.facet] for part in parts for _s in part.segments], dtype=np.int64)
    which = [(part, i) for part in parts for i in range(len(part.segments))]
    order = np.lexsort((facet, unit)).tolist()
    with open_existing(data.project) as p:
        for start in range(0, len(order), chunk):
            listed = [Disagreement(part.segments[i], part.facet, part.codes[part.kinds[i]])
                      for part, i in map(which.__getitem__, order[start:start + chunk])]
            texts = segment_texts(p, [d.segment for d in listed])
            for d in listed:
                yield (d, *texts.get(d.segment, ("", "")))


def _check_coders(known: list[str], coders: list[str] | None) -> None:
    if coders:
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise UsageError(f"no coder {', '.join(unknown)} in the project (coders: {', '.join(known)})")


def _round_codebook(p: Any, name: str, current: Codebook) -> Codebook:
    """The codes in use at round ``name`` (archived ones back, later additions left out)."""
    from annotator.agreement.units import restrict_codebook
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.study import round_codes

    then = round_codes(p, name)
    if then == {c.id for c in current.codes}:
        return current
    return restrict_codebook(load_codebook(p, include_archived=True), then)


def _retest_states(
    p: Any, retest: str, coders: list[str] | None, document: str | None, round_name: str | None
) -> tuple[StatesDict, list[str]]:
    """One coder at round ``retest`` (as "NAME@ROUND") and the same coder now."""
    from annotator.storage.coding import done_code_sets
    from annotator.storage.study import round_done_code_sets

    if round_name is not None:
        raise UsageError("--retest compares a round with the present; leave out --round")
    if not coders or len(coders) != 1:
        raise UsageError("--retest needs exactly one coder: --coders NAME --retest ROUND")
    coder = coders[0]
    then = round_done_code_sets(p, retest, [coder], document=document)
    now = done_code_sets(p, [coder], document=document)
    earlier = f"{coder}@{retest}"
    merged: StatesDict = {}
    for source, name in ((then, earlier), (now, coder)):
        for seg, per in source.items():
            if coder in per:
                merged.setdefault(seg, {})[name] = per[coder]
    return merged, [earlier, coder]


def current_table(p: Any, coders: list[str] | None, document: str | None) -> DoneCodes:
    """The done marks and codes of ``coders`` (every coder when None), read as integer arrays."""
    table, _keys, named = keyed_table(p, coders, document)
    return table.named(named())


def keyed_table(p: Any, coders: list[str] | None, document: str | None
                ) -> tuple[DoneCodes, IntArray, Callable[[], list[str]]]:
    """:func:`current_table` with its units not yet named: the table, each unit's segment row
    id, and what names them (the ids, picked out of the text read)."""
    from annotator.storage.agreement_rows import annotation_rows, done_rows
    from annotator.storage.coding import list_coders

    names = coders or list_coders(p)
    annotations, codes = annotation_rows(p, names, document)
    marks, ids = done_rows(p, names, document)
    rows, table = DoneCodes.from_rows(annotations, marks, names, codes)
    del annotations
    return table, marks[rows, 0], lambda: ids.pick(rows)


def _read_table(
    p: Any, coders: list[str] | None, document: str | None, round_name: str | None, retest: str | None
) -> tuple[DoneCodes, list[str] | None]:
    if retest is not None:
        states, coders = _retest_states(p, retest, coders, document, round_name)
        return DoneCodes.from_states(states, coders), coders
    if round_name is not None:
        from annotator.storage.study import round_done_code_sets

        return DoneCodes.from_states(round_done_code_sets(p, round_name, coders, document=document)), coders
    return current_table(p, coders, document), coders


def load_input(
    project: Path,
    coders: list[str] | None,
    document: str | None,
    *,
    sample: bool = False,
    round_name: str | None = None,
    retest: str | None = None,
    where: list[str] | None = None,
    with_documents: bool = False,
    facets: Sequence[str | None] = (),
    code: str | None = None,
    by: str | None = None,
    unit: str = "segment",
) -> AgreementInput:
    """Read everything ``agree`` needs, in one snapshot; ``sample`` keeps the double-coding
    sample only, ``where`` (``ATTR=VALUE`` items) the segments of documents with those attribute
    values, ``round_name`` takes the coding as it stood when that round was marked and ``retest``
    compares one coder now with the same coder at that round (intra-coder agreement).
    ``with_documents`` also reads each unit's document (for document units and ``--by``).
    ``facets``, ``code`` and ``by`` (with ``unit``) are what the caller will ask of the data:
    checked against the codebook and the documents before any coder's work is read (seconds
    on a million segments), so that a misspelt name is refused at once."""
    from annotator.storage.agreement_rows import count_segments, segment_documents
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import list_coders
    from annotator.storage.documents import check_document, list_documents

    with open_existing(project) as p, p.snapshot():
        codebook = load_codebook(p)
        if round_name is not None or retest is not None:
            codebook = _round_codebook(p, round_name or retest or "", codebook)
        _check_coders(list_coders(p), coders)
        if document:
            check_document(p, document)
        docs = list_documents(p)
        attributes = {d.id: dict(d.attributes) for d in docs if not document or d.id == document}
        _check_choices(codebook, attributes, facets, code, by, unit)
        if where:
            _check_where(where, attributes)
        table, coders = _read_table(p, coders, document, round_name, retest)
        if sample:
            from annotator.storage.study import sampled_segments

            chosen = sampled_segments(p)
            if not chosen:
                raise UsageError("no double-coding sample in the project (draw one with 'annotator sample')")
            table = table.keep_units(chosen)
        if where:  # only documents with these attribute values
            from annotator.application.findings import parse_where, segments_where

            table = table.keep_units(segments_where(p, parse_where(where)))
        unit_documents = segment_documents(p, table.units) if with_documents else None
        corpus = count_segments(p, document)
    return AgreementInput(
        codebook, coders or table.finished_coders(), table, project,
        segment_document=unit_documents,
        attributes=attributes,
        corpus_segments=corpus,
        corpus_documents=1 if document else len(docs),
    )


def _check_choices(codebook: Codebook, attributes: dict[str, dict[str, Any]], facets: Sequence[str | None],
                   code: str | None, by: str | None, unit: str) -> None:
    """Refuse an unknown facet or code (or a code outside the facet named) and a ``--by`` the
    documents cannot group by, as the report and the listing would after reading the work."""
    from annotator.agreement.report import listed_facets

    if facets or code is not None:
        for facet in facets or [None]:
            listed_facets(codebook, facet, code)
    if by is not None:
        check_by(by, unit, attributes)


def _check_where(where: list[str], attributes: dict[str, dict[str, Any]]) -> None:
    """Refuse ``--where`` filters no document meets (the agreement would have no unit), naming
    the values the documents have."""
    from annotator.application.findings import attributes_match, parse_where

    wanted = parse_where(where)
    if any(attributes_match(attrs, wanted) for attrs in attributes.values()):
        return
    shown = []
    for key in wanted:
        values = sorted({str(attrs[key]) for attrs in attributes.values() if key in attrs})
        listed = ", ".join(values[:10]) + (", ..." if len(values) > 10 else "")
        shown.append(f"{key}: {listed or 'no document has it'}")
    raise UsageError(f"no document matches --where {' '.join(where)} ({'; '.join(shown)})")


def check_by(by: str, unit: str, attributes: dict[str, dict[str, Any]]) -> None:
    """Refuse ``--by`` values that cannot group the units: an attribute no document has, or
    ``document`` when the units are documents."""
    if by == "document":
        if unit == "document":
            raise UsageError("--by document with --unit document leaves one unit per table; "
                             "use --by ATTRIBUTE")
        return
    known = sorted({k for attrs in attributes.values() for k in attrs})
    if by not in known:
        raise UsageError(f"no document attribute {by!r} (attributes: {', '.join(known) or 'none'}; "
                         "or --by document)")


def group_of(data: AgreementInput, by: str, unit: str, units: Sequence[str]) -> list[str | None]:
    """The group of each of ``units`` for ``--by document`` or ``--by ATTRIBUTE`` (None: none)."""
    check_by(by, unit, data.attributes)
    if by == "document":
        return list(data.segment_document or [None] * len(units))
    per_doc = {d: str(attrs.get(by, f"(no {by})")) for d, attrs in data.attributes.items()}
    if unit == "document":
        return [per_doc.get(u) for u in units]
    return [None if d is None else per_doc.get(d) for d in data.segment_document or [None] * len(units)]
