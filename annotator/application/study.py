"""The agreement study's bookkeeping: the double-coding sample and named rounds."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.agreement.sampling import draw_sample
from annotator.errors import UsageError
from annotator.storage.db import Project
from annotator.storage.documents import list_documents, segment_order
from annotator.storage.study import list_rounds, mark_round, save_sample

__all__ = ["Sample", "check_sample_request", "list_rounds", "mark_round", "sample_segments"]


@dataclass
class Sample:
    drawn: list[tuple[str, str]]
    """(segment, its document) in reading order."""
    of: int
    """How many segments the project has."""


def _strata(project: Project, by: str, segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(segment, stratum) in reading order; the stratum is the document or an attribute value."""
    if by == "document":
        return segments
    docs = {d.id: d.attributes for d in list_documents(project)}
    known = sorted({k for attrs in docs.values() for k in attrs})
    if by not in known:
        raise UsageError(f"no document attribute {by!r} (attributes: {', '.join(known) or 'none'};"
                         " or --by document)")
    return [(s, str(docs[d].get(by, f"(no {by})"))) for s, d in segments]


def check_sample_request(coders: list[str], share: float) -> None:
    """Refuse a sample fewer than two coders would code, or a share outside (0, 1]."""
    if len(coders) < 2:
        raise UsageError("--coders needs at least two names for double coding, e.g. --coders a,b")
    if not 0.0 < share <= 1.0:
        raise UsageError(f"--share must be above 0 and at most 1, got {share}")


def sample_segments(project: Project, coders: list[str], share: float, by: str, seed: int, *,
                    replace: bool = False) -> Sample:
    """Draw a stratified sample of ``share`` of the segments (seeded) and assign every drawn
    segment to each of ``coders``."""
    check_sample_request(coders, share)
    order = segment_order(project)
    document = dict(order)
    drawn = draw_sample(_strata(project, by, order), share, seed)
    save_sample(project, {s: coders for s, _ in drawn}, dict(drawn), replace=replace)
    return Sample([(s, document[s]) for s, _ in drawn], len(order))
