"""(The export as first written, kept as the reference the streamed export is compared to.)

One document's coded work in full (codes, done marks, memos, their times and spans), and the
languages its segments are written in: what a REFI-QDA export reads one document at a time, so
that memory holds one document, never the whole project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.model import CoderState, Span, WorkDates
from annotator.storage.db import Project


@dataclass
class DocumentWork:
    """The coders' work on one document's segments: ``states`` (segment → coder → state), when
    each piece was made (``dates``) and the narrower spans (``spans``), by (coder, segment)."""

    states: dict[str, dict[str, CoderState]] = field(default_factory=dict)
    dates: dict[tuple[str, str], WorkDates] = field(default_factory=dict)
    spans: dict[tuple[str, str], list[Span]] = field(default_factory=dict)


def _coders(coders: Sequence[str], alias: str) -> str:
    return f" AND {alias}.coder IN ({', '.join('?' for _ in coders)})"


def document_detail(project: Project, document: str, coders: Sequence[str]) -> DocumentWork:
    """``coders``' work on the segments of ``document``: states, dates and spans."""
    if not coders:
        return DocumentWork()
    params = [document, *coders]
    codes: dict[tuple[str, str], dict[str, str]] = {}  # (coder, segment) → code → when applied
    for seg, coder, code, at in project.execute(
            "SELECT a.segment, a.coder, a.code, a.created_at FROM segments s JOIN annotations a"
            f" ON a.segment = s.id WHERE s.document = ?{_coders(coders, 'a')}", params):
        got = codes.get((coder, seg))
        if got is None:
            codes[(coder, seg)] = {code: at}
        else:
            got[code] = at
    done: dict[tuple[str, str], str] = {(coder, seg): at for seg, coder, at in project.execute(
        "SELECT d.segment, d.coder, d.done_at FROM segments s JOIN done d ON d.segment = s.id"
        f" WHERE s.document = ?{_coders(coders, 'd')}", params)}
    memos: dict[tuple[str, str], tuple[str, str]] = {(coder, seg): (text, at) for seg, coder, text, at in project.execute(
        "SELECT m.segment, m.coder, m.text, m.updated_at FROM segments s JOIN memos m"
        f" ON m.segment = s.id WHERE s.document = ?{_coders(coders, 'm')}", params)}
    states: dict[str, dict[str, CoderState]] = {}
    dates: dict[tuple[str, str], WorkDates] = {}
    empty: dict[str, str] = {}
    for key in {**codes, **done, **memos}:
        coder, seg = key
        times = codes.get(key, empty)
        memo, memo_at = memos.get(key, ("", None))
        states.setdefault(seg, {})[coder] = CoderState(frozenset(times), key in done, memo)
        dates[key] = WorkDates(times or {}, done.get(key), memo_at)
    return DocumentWork(states, dates, _spans(project, document, coders))


def _spans(project: Project, document: str, coders: Sequence[str]) -> dict[tuple[str, str], list[Span]]:
    out: dict[tuple[str, str], list[Span]] = {}
    for row in project.execute(
            'SELECT x.coder, x.segment, x.code, x.lang, x.start, x."end" FROM segments s'
            " JOIN annotation_spans x ON x.segment = s.id"
            f" WHERE s.document = ?{_coders(coders, 'x')} ORDER BY x.segment, x.coder, x.lang, x.start, x.code",
            [document, *coders]):
        out.setdefault((row[0], row[1]), []).append(Span(*row))
    return out


def document_languages(project: Project, document: str) -> list[str]:
    """The languages ("zh", "en", in that order) some segment of ``document`` has text in."""
    row: Any = project.execute(
        "SELECT EXISTS (SELECT 1 FROM segments WHERE document = ? AND zh != ''),"
        " EXISTS (SELECT 1 FROM segments WHERE document = ? AND en != '')",
        (document, document)).fetchone()
    return [lg for lg, has in zip(("zh", "en"), row, strict=True) if has]
