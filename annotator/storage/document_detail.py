"""One document's coded work in full (codes, done marks, memos, their times and spans), with its
segments' text, and the languages its segments are written in: what a REFI-QDA export reads one
document at a time, so that memory holds one document, never the whole project. Rows stay
tuples and plain dicts: an export of a million segments reads them all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.model import DocumentRows, Span
from annotator.storage.db import Project


def _coders(coders: Sequence[str] | None, alias: str, indexed: bool = False) -> str:
    """The filter on ``coders`` (none when every coder is wanted). Unless ``indexed``, the
    filter does not pick the table's index: reached through its segment index, one search per
    segment beats one per segment and coder."""
    if coders is None:
        return ""
    return f" AND {'' if indexed else '+'}{alias}.coder IN ({', '.join('?' for _ in coders)})"


def document_rows(project: Project, document: str, coders: Sequence[str],
                  every_coder: bool = False) -> DocumentRows:
    """``document``'s segments (id, speaker, zh, en) in order, and ``coders``' work on them
    (``every_coder``: ``coders`` are all the project's, so nobody's work is left out)."""
    segments = project.execute(
        "SELECT id, speaker, zh, en FROM segments WHERE document = ? ORDER BY position",
        (document,)).fetchall()
    if not coders:
        return DocumentRows(segments)
    chosen = None if every_coder else coders
    params = [document, *(chosen or ())]
    codes: dict[tuple[str, str], dict[str, str]] = {}  # (coder, segment) → code → when applied
    for coder, seg, code, at in project.execute(
            "SELECT a.coder, a.segment, a.code, a.created_at FROM segments s JOIN annotations a"
            f" ON a.segment = s.id WHERE s.document = ?{_coders(chosen, 'a')}", params):
        got = codes.get((coder, seg))
        if got is None:
            codes[(coder, seg)] = {code: at}
        else:
            got[code] = at
    done: dict[tuple[str, str], str] = {(coder, seg): at for coder, seg, at in project.execute(
        "SELECT d.coder, d.segment, d.done_at FROM segments s JOIN done d ON d.segment = s.id"
        f" WHERE s.document = ?{_coders(chosen, 'd')}", params)}
    memos: dict[tuple[str, str], tuple[str, str]] = {(coder, seg): (text, at) for coder, seg, text, at in project.execute(
        "SELECT m.coder, m.segment, m.text, m.updated_at FROM segments s JOIN memos m"  # no index on segment
        f" ON m.segment = s.id WHERE s.document = ?{_coders(coders, 'm', indexed=True)}", [document, *coders])}
    return DocumentRows(segments, codes, done, memos, _spans(project, document, coders))


def _spans(project: Project, document: str, coders: Sequence[str]) -> dict[tuple[str, str], list[Span]]:
    out: dict[tuple[str, str], list[Span]] = {}
    for row in project.execute(
            'SELECT x.coder, x.segment, x.code, x.lang, x.start, x."end" FROM segments s'
            " CROSS JOIN annotation_spans x ON x.segment = s.id"  # segments first: (coder, segment) searches
            f" WHERE s.document = ?{_coders(coders, 'x', indexed=True)} ORDER BY x.segment, x.coder, x.lang, x.start, x.code",
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
