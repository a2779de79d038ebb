"""What the command line does with a coder's work: tag, list, memos, re-decide queues.

Each operation takes an open project; the interfaces open it (``open_project``) and print.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from annotator.errors import UsageError
from annotator.model import CoderState
from annotator.storage import coding
from annotator.storage.codebook_edit import redecide_queue
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project, open_project
from annotator.storage.documents import iter_segments, segment_order
from annotator.storage.memos import all_memos, set_note

__all__ = [
    "WorkRow",
    "all_memos",
    "check_coder",
    "coder_work",
    "iter_segments",
    "list_coders",
    "open_project",
    "redecide_queue",
    "segment_order",
    "tag",
    "write_memo",
]

list_coders = coding.list_coders


def check_coder(project: Project, coder: str | None) -> None:
    """Refuse a coder name the project does not know (``None``: every coder)."""
    if coder is not None and coder not in (known := list_coders(project)):
        raise UsageError(f"no coder {coder!r} in the project (coders: {', '.join(known) or 'none'})")


def tag(project: Project, coder: str, segment: str, codes: list[str], *, remove: bool = False,
        none: bool = False) -> CoderState:
    """Apply (or remove) ``codes`` and mark the segment done for ``coder``; the new state."""
    return coding.tag(project, load_codebook(project), coder, segment, codes, remove=remove, none=none)


def check_segments(project: Project, segments: Iterable[str]) -> None:
    """Refuse the first of ``segments`` that is not in the project (one line naming it)."""
    for segment in segments:
        coding.check_segment(project, segment)


def write_memo(project: Project, coder: str, text: str, *, segment: str | None = None,
               kind: str = "", target: str = "") -> bool:
    """Set (``text`` empty: remove) ``coder``'s memo on ``segment``, or on the document or code
    ``target`` (``kind``); whether anything changed."""
    if segment is not None:
        coding.check_segment(project, segment)
        return coding.set_memo(project, coder, segment, text) is not None
    return set_note(project, kind, target, coder, text)


@dataclass
class WorkRow:
    """One coder's work on one segment, codes grouped by facet in codebook order."""
    segment: str
    coder: str
    done: bool
    codes: dict[str, list[str]]
    memo: str


def coder_work(project: Project, coder: str | None = None) -> Iterator[WorkRow]:
    """Every coder's (or ``coder``'s) work in reading order, coders by name; streamed."""
    from annotator.storage.document_work import work_in_reading_order

    codebook = load_codebook(project, include_archived=True)
    facet_of = {c.id: c.facet for c in codebook.codes}
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    facets = [f.id for f in codebook.facets]
    for seg, name, done, codes, memo in work_in_reading_order(project, coder):
        by_facet: dict[str, list[str]] = {f: [] for f in facets}
        for code in sorted(codes, key=lambda c: (order.get(c, len(order)), c)):
            by_facet.setdefault(facet_of.get(code, "?"), []).append(code)
        yield WorkRow(seg, name, done, by_facet, memo)

