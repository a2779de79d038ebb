"""What ``annotator agree`` and ``annotator disagreements`` compute from: read from the project
here, so that ``annotator.agreement`` stays pure statistics over plain data."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from annotator.errors import UsageError
from annotator.model import Codebook
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import done_code_sets, list_coders
from annotator.storage.db import open_project
from annotator.storage.documents import check_document, iter_segments


class AgreementData(NamedTuple):
    codebook: Codebook
    #: the coders compared (those named, else every coder with a done segment)
    coders: list[str]
    #: segment → coder → the codes of a segment that coder marked done
    states: dict[str, dict[str, frozenset[str]]]
    #: segment → (zh, en) text, for the segments in ``states``
    texts: dict[str, tuple[str, str]]


def agreement_data(project_path: Path, coders: list[str] | None, document: str | None) -> AgreementData:
    """The codebook, coders, done code sets and segment texts (of ``document`` when given)."""
    with open_project(project_path) as p:
        codebook = load_codebook(p)
        known = list_coders(p)
        if coders:
            unknown = [c for c in coders if c not in known]
            if unknown:
                raise UsageError(f"no coder {', '.join(unknown)} in the project (coders: {', '.join(known)})")
        if document:
            check_document(p, document)
        states = done_code_sets(p, coders, document=document)
        texts = {s.id: (s.zh, s.en) for s in iter_segments(p, document) if s.id in states}
    chosen = coders or sorted({c for per in states.values() for c in per})
    return AgreementData(codebook, chosen, states, texts)
