"""What ``annotator agree`` and ``annotator disagreements`` compute from: read from the project
here, so that ``annotator.agreement`` stays pure statistics over plain data."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from annotator.agreement.units import DoneCodes
from annotator.errors import UsageError
from annotator.model import Codebook
from annotator.storage.agreement_rows import (
    done_code_masks,
    done_coders,
    iter_done_codes,
    segment_texts_of,
)
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import list_coders
from annotator.storage.db import open_project
from annotator.storage.documents import check_document


class AgreementData(NamedTuple):
    codebook: Codebook
    #: the coders compared (those named, else every coder with a done segment)
    coders: list[str]
    #: the segments finished by at least two of ``coders``: who finished them, with which codes
    states: DoneCodes
    #: segment → (zh, en) text; empty unless asked for (see :func:`agreement_texts`)
    texts: dict[str, tuple[str, str]]


def agreement_data(project_path: Path, coders: list[str] | None, document: str | None) -> AgreementData:
    """The codebook, coders and done code sets (of ``document`` when given), read in one
    snapshot and straight into arrays: only the segments two chosen coders finished are read."""
    with open_project(project_path) as p, p.snapshot():
        codebook = load_codebook(p)
        known = list_coders(p)
        if coders:
            unknown = [c for c in coders if c not in known]
            if unknown:
                raise UsageError(f"no coder {', '.join(unknown)} in the project (coders: {', '.join(known)})")
        if document:
            check_document(p, document)
        chosen = coders or done_coders(p, None, document)
        codes = [c.id for c in codebook.codes]
        if len(codes) <= 62:  # every mark as three integers, straight into arrays
            units, marks = done_code_masks(p, chosen, codes, document)
            states = DoneCodes.from_masks(units, chosen, codes, marks)
        else:
            states = DoneCodes.from_rows(iter_done_codes(p, coders, document), chosen)
    return AgreementData(codebook, chosen, states, {})


def agreement_texts(project_path: Path, segments: Iterable[str]) -> dict[str, tuple[str, str]]:
    """segment → (zh, en) for ``segments`` (those a report shows with their text)."""
    with open_project(project_path) as p:
        return segment_texts_of(p, dict.fromkeys(segments))
