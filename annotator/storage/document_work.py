"""Segments in reading order with the coders' work on them, one document at a time.

Exports stream the project through these: memory holds one document's work, never the
whole project's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from annotator.model import CoderState, Segment
from annotator.storage.coding import coder_states
from annotator.storage.db import Project
from annotator.storage.documents import SEGMENT_COLUMNS

Work = dict[str, dict[str, CoderState]]
"""segment → coder → state."""
Created = dict[tuple[str, str, str], str]
"""(coder, segment, code) → when the code was applied."""


def _coder_filter(coders: Sequence[str] | None, alias: str) -> tuple[str, list[Any]]:
    if coders is None:
        return "", []
    return f" AND {alias}.coder IN ({', '.join('?' for _ in coders)})", list(coders)


def document_work(project: Project, document: str, coders: Sequence[str] | None = None) -> Work:
    """segment → coder → state for the segments of ``document`` (only ``coders`` when given)."""
    return coder_states(project, coders, document=document)


def document_created(project: Project, document: str, coders: Sequence[str] | None = None) -> Created:
    """When each code on ``document``'s segments was applied."""
    where, params = _coder_filter(coders, "a")
    return {(r[0], r[1], r[2]): r[3] for r in project.execute(
        "SELECT a.coder, a.segment, a.code, a.created_at FROM segments s"
        f" JOIN annotations a ON a.segment = s.id WHERE s.document = ?{where}", [document, *params])}


def document_segments(project: Project, document: str) -> Iterator[Segment]:
    """``document``'s segments in order, streamed."""
    for r in project.execute(
        f"SELECT {SEGMENT_COLUMNS} FROM segments s WHERE s.document = ? ORDER BY s.position", (document,)
    ):
        yield Segment(id=r[0], document=r[1], position=r[2], speaker=r[3], start=r[4], end=r[5],
                      zh=r[6], en=r[7])


def document_ids_in_order(project: Project) -> list[str]:
    return [r[0] for r in project.execute("SELECT id FROM documents ORDER BY position")]


def segments_with_work(project: Project, coders: Sequence[str] | None = None, *,
                       created: bool = False) -> Iterator[tuple[Segment, dict[str, CoderState], Created]]:
    """Every segment in reading order with its coders' work (and, with ``created``, when each
    code was applied), one document in memory at a time."""
    for doc in document_ids_in_order(project):
        work = document_work(project, doc, coders)
        when = document_created(project, doc, coders) if created else {}
        for seg in document_segments(project, doc):
            yield seg, work.get(seg.id, {}), when


WorkLine = tuple[str, str, bool, list[str], str]
"""(segment, coder, done, codes, memo or "")."""


def work_in_reading_order(project: Project, coder: str | None = None) -> Iterator[WorkLine]:
    """Every coder's (or ``coder``'s) work, one row per (segment, coder) with any, in reading
    order (documents, then segments, by position; coders by name): one query, whose keys SQLite
    sorts (spilling to a temporary file past its cache, never the whole work in memory), and
    no segment's text read."""
    only, params = ("", []) if coder is None else (" WHERE coder = ?", [coder] * 3)
    keys = " UNION ".join(f"SELECT segment, coder FROM {table}{only}"
                          for table in ("annotations", "done", "memos"))
    for seg, name, done, codes, memo in project.execute(
        "SELECT s.id, k.coder,"
        " EXISTS (SELECT 1 FROM done d WHERE d.coder = k.coder AND d.segment = s.id),"
        " (SELECT group_concat(a.code, char(31)) FROM annotations a"
        "  WHERE a.coder = k.coder AND a.segment = s.id),"
        " (SELECT m.text FROM memos m WHERE m.coder = k.coder AND m.segment = s.id)"
        f" FROM ({keys}) k JOIN segments s ON s.id = k.segment JOIN documents doc ON doc.id = s.document"
        " ORDER BY doc.position, s.position, k.coder", params):
        yield seg, name, bool(done), codes.split("\x1f") if codes else [], memo or ""
