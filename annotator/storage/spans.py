"""Annotation spans: the exact part of a segment an annotation was made on, when it is less than
the whole segment (kept from sub-paragraph selections of other tools, written back on export).
Agreement and the coding screen's codes stay per segment; a span only narrows where."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.model import Span
from annotator.storage.db import Project


def add_spans(project: Project, spans: Iterable[Span]) -> int:
    """Store ``spans`` (their annotations must exist), inside the caller's write transaction;
    the number stored."""
    cur = project.conn.executemany(
        'INSERT OR IGNORE INTO annotation_spans (coder, segment, code, lang, start, "end")'
        " VALUES (?,?,?,?,?,?)",
        [(s.coder, s.segment, s.code, s.lang, s.start, s.end) for s in spans])
    return cur.rowcount


def spans_of(project: Project, coders: Iterable[str] | None = None,
             segment: str | None = None) -> dict[tuple[str, str], list[Span]]:
    """(coder, segment) → the spans of that coder's annotations there (of ``segment`` only when
    given), in text order."""
    wanted = set(coders) if coders is not None else None
    where, params = (" WHERE segment = ?", [segment]) if segment else ("", [])
    out: dict[tuple[str, str], list[Span]] = {}
    for row in project.execute(
            'SELECT coder, segment, code, lang, start, "end" FROM annotation_spans' + where
            + " ORDER BY segment, coder, lang, start, code", params):
        if wanted is None or row[0] in wanted:
            out.setdefault((row[0], row[1]), []).append(Span(*row))
    return out


def segment_spans(project: Project, coder: str, segment: str) -> list[Span]:
    """One coder's spans on one segment, in text order (what the coding screen marks)."""
    return [Span(*row) for row in project.execute(
        'SELECT coder, segment, code, lang, start, "end" FROM annotation_spans'
        " WHERE coder = ? AND segment = ? ORDER BY lang, start, code", (coder, segment))]
