"""Reading one coder's coded segments with their documents: the raw rows of quotes and matrices."""

from __future__ import annotations

from typing import Any

from annotator.storage.db import Project


def coders_with_codes(project: Project) -> list[str]:
    """Coders who applied at least one code, by name."""
    return [r[0] for r in project.execute("SELECT DISTINCT coder FROM annotations ORDER BY coder")]


def coded_segments(project: Project, coder: str, *, text: bool = True) -> list[dict[str, Any]]:
    """Every segment ``coder`` applied a code to, in reading order: segment, document, position,
    speaker, start, end, zh, en, codes (the code ids, sorted) and memo (the coder's, or "").
    ``text=False``: zh and en are left empty (counts need no text; it is most of the memory)."""
    codes: dict[str, list[str]] = {}
    for seg, code in project.execute(
        "SELECT segment, code FROM annotations WHERE coder = ? ORDER BY segment, code", (coder,)
    ):
        codes.setdefault(seg, []).append(code)
    rows = project.execute(
        'SELECT s.id, s.document, s.position, s.speaker, s.start, s."end",'
        + (" s.zh, s.en," if text else " '', '',") +
        " coalesce(m.text, '') FROM segments s JOIN documents d ON d.id = s.document"
        " LEFT JOIN memos m ON m.segment = s.id AND m.coder = ?"
        " WHERE s.id IN (SELECT segment FROM annotations WHERE coder = ?)"
        " ORDER BY d.position, s.position",
        (coder, coder),
    )
    keys = ("segment", "document", "position", "speaker", "start", "end", "zh", "en", "memo")
    out = []
    for row in rows:
        item = dict(zip(keys, row, strict=True))
        item["codes"] = codes.get(item["segment"], [])
        out.append(item)
    return out


def document_ids(project: Project) -> list[str]:
    """Document ids in project order."""
    return [r[0] for r in project.execute("SELECT id FROM documents ORDER BY position")]
