"""What an agreement report reads from a project: codebook, coders' finished work, texts,
documents and their attributes. All database reading for ``agree`` lives here, apart from the
pure computation in :mod:`annotator.agreement`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import UsageError
from annotator.model import Codebook
from annotator.storage.db import open_project as open_existing

StatesDict = dict[str, dict[str, frozenset[str]]]


@dataclass
class AgreementInput:
    codebook: Codebook
    coders: list[str]
    states: StatesDict
    texts: dict[str, tuple[str, str]]
    segment_document: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)  # document -> attributes
    corpus_segments: int = 0
    corpus_documents: int = 0


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


def load_input(
    project: Path,
    coders: list[str] | None,
    document: str | None,
    *,
    sample: bool = False,
    round_name: str | None = None,
    retest: str | None = None,
    where: list[str] | None = None,
) -> AgreementInput:
    """Read everything ``agree`` needs; ``sample`` keeps the double-coding sample only,
    ``where`` (``ATTR=VALUE`` items) the segments of documents with those attribute values,
    ``round_name`` takes the coding as it stood when that round was marked and ``retest`` compares
    one coder now with the same coder at that round (intra-coder agreement)."""
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import done_code_sets, list_coders
    from annotator.storage.documents import check_document, iter_segments, list_documents

    with open_existing(project) as p:
        codebook = load_codebook(p)
        if round_name is not None or retest is not None:
            codebook = _round_codebook(p, round_name or retest or "", codebook)
        _check_coders(list_coders(p), coders)
        if document:
            check_document(p, document)
        if retest is not None:
            states, coders = _retest_states(p, retest, coders, document, round_name)
        elif round_name is not None:
            from annotator.storage.study import round_done_code_sets

            states = round_done_code_sets(p, round_name, coders, document=document)
        else:
            states = done_code_sets(p, coders, document=document)
        if sample:
            from annotator.storage.study import sampled_segments

            chosen = sampled_segments(p)
            if not chosen:
                raise UsageError("no double-coding sample in the project (draw one with 'annotator sample')")
            states = {s: per for s, per in states.items() if s in chosen}
        if where:  # only documents with these attribute values
            from annotator.application.findings import parse_where, segments_where

            keep = segments_where(p, parse_where(where))
            states = {s: per for s, per in states.items() if s in keep}
        segments = list(iter_segments(p, document))
        docs = list_documents(p)
    texts = {s.id: (s.zh, s.en) for s in segments if s.id in states}
    chosen_coders = coders or sorted({c for per in states.values() for c in per})
    return AgreementInput(
        codebook, chosen_coders, states, texts,
        segment_document={s.id: s.document for s in segments},
        attributes={d.id: dict(d.attributes) for d in docs if not document or d.id == document},
        corpus_segments=len(segments),
        corpus_documents=1 if document else len(docs),
    )


def group_of(data: AgreementInput, by: str, unit: str) -> dict[str, str]:
    """unit id -> group name for ``--by document`` or ``--by ATTRIBUTE``."""
    if by == "document":
        if unit == "document":
            raise UsageError("--by document with --unit document leaves one unit per table; "
                             "use --by ATTRIBUTE")
        return dict(data.segment_document)
    known = sorted({k for attrs in data.attributes.values() for k in attrs})
    if by not in known:
        raise UsageError(f"no document attribute {by!r} (attributes: {', '.join(known) or 'none'}; "
                         "or --by document)")
    per_doc = {d: str(attrs.get(by, f"(no {by})")) for d, attrs in data.attributes.items()}
    if unit == "document":
        return per_doc
    return {s: per_doc[d] for s, d in data.segment_document.items() if d in per_doc}
