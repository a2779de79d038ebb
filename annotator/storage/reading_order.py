"""The reading order of a project's segments, read a piece at a time.

Reading order is document order, then position within the document. Instead of reading every
segment's id (a million rows, seconds), the coding screen reads how many segments each document
has (an index scan) and then only the ids it shows, a window at a time; a segment's place in
the order comes from its document and position.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from annotator.storage.db import Project

#: (document, segments, first position, last position)
DocumentSpan = tuple[str, int, int, int]


def document_spans(project: Project) -> list[DocumentSpan]:
    """(document, number of segments, first and last position) of every document with
    segments, in reading order."""
    counts = {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in project.execute(
        "SELECT document, count(*), min(position), max(position) FROM segments GROUP BY document")}
    return [(doc, *counts[doc]) for (doc,) in project.execute(
        "SELECT id FROM documents ORDER BY position") if doc in counts]


def document_positions(project: Project, document: str) -> list[int]:
    """The positions of ``document``'s segments, in order."""
    return [r[0] for r in project.execute(
        "SELECT position FROM segments WHERE document = ? ORDER BY position", (document,))]


def ids_between(project: Project, document: str, first: int, last: int) -> list[tuple[int, str]]:
    """(position, id) of ``document``'s segments from position ``first`` to ``last``, in order."""
    return [(r[0], r[1]) for r in project.execute(
        "SELECT position, id FROM segments WHERE document = ? AND position BETWEEN ? AND ?"
        " ORDER BY position", (document, first, last))]


def places_of(project: Project, ids: Iterable[str]) -> list[tuple[str, str, int]]:
    """(id, document, position) of the segments ``ids`` that exist, in no particular order."""
    return [(r[0], r[1], r[2]) for r in project.execute(
        "SELECT s.id, s.document, s.position FROM json_each(?) j JOIN segments s ON s.id = j.value",
        (json.dumps(list(ids), ensure_ascii=False),))]


def done_places(project: Project, coder: str) -> list[tuple[str, str, int]]:
    """(id, document, position) of the segments ``coder`` has done."""
    return [(r[0], r[1], r[2]) for r in project.execute(
        "SELECT s.id, s.document, s.position FROM done JOIN segments s ON s.id = done.segment"
        " WHERE done.coder = ?", (coder,))]


def count_done(project: Project, coder: str, document: str | None = None) -> int:
    """How many segments (of ``document``) ``coder`` has done."""
    if document is None:
        return int(project.execute("SELECT count(*) FROM done WHERE coder = ?", (coder,)).fetchone()[0])
    return int(project.execute(
        "SELECT count(*) FROM segments s JOIN done d ON d.coder = ? AND d.segment = s.id"
        " WHERE s.document = ?", (coder, document)).fetchone()[0])
