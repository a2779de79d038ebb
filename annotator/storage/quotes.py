"""Reading one coder's coded segments with their documents: the raw rows of quotes and matrices."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.storage.db import Project


def coders_with_codes(project: Project) -> list[str]:
    """Coders who applied at least one code, by name."""
    return [r[0] for r in project.execute("SELECT DISTINCT coder FROM annotations ORDER BY coder")]


#: One coder's coded segments in reading order, each with its codes (a JSON array) and memo:
#: the coder's codes gathered per segment first, then each segment read once.
CODED_ROWS = (
    'SELECT s.id, s.document, s.position, s.speaker, s.start, s."end", {text}'
    " coalesce(m.text, ''), k.codes"
    " FROM (SELECT segment, json_group_array(code) AS codes FROM annotations"
    " WHERE coder = ?{having} GROUP BY segment) k"
    " CROSS JOIN segments s ON s.id = k.segment JOIN documents d ON d.id = s.document"
    " LEFT JOIN memos m ON m.segment = s.id AND m.coder = ?"
    " ORDER BY d.position, s.position"
)
#: Only segments with this code too.
HAVING = " AND segment IN (SELECT segment FROM annotations WHERE coder = ? AND code = ?)"
KEYS = ("segment", "document", "position", "speaker", "start", "end", "zh", "en", "memo")


def iter_coded_rows(project: Project, coder: str, *, text: bool = True,
                    having: Iterable[str] = ()) -> Iterator[tuple[Any, ...]]:
    """Every segment ``coder`` applied a code to (``having``: every one of these codes), in
    reading order, read as the caller iterates, as tuples: segment, document, position,
    speaker, start, end, zh, en, memo (the coder's, or ""), then the codes as a JSON array (in
    no order). ``text=False``: zh and en are left empty (counts need no text)."""
    wanted = sorted(set(having))
    sql = CODED_ROWS.format(text="s.zh, s.en," if text else "'', '',", having=HAVING * len(wanted))
    params = [coder, *(x for code in wanted for x in (coder, code)), coder]
    return iter(project.execute(sql, params))


def iter_coded_segments(project: Project, coder: str, *, text: bool = True,
                        having: Iterable[str] = ()) -> Iterator[dict[str, Any]]:
    """The rows of :func:`iter_coded_rows` as dictionaries: segment, document, position,
    speaker, start, end, zh, en, memo and codes (the code ids, sorted)."""
    for *row, codes in iter_coded_rows(project, coder, text=text, having=having):
        item = dict(zip(KEYS, row, strict=True))
        item["codes"] = sorted(json.loads(codes))
        yield item


def cell_counts(project: Project, coder: str, row_codes: Sequence[str],
                col_codes: Sequence[str] | None = None, *, by_document: bool = True,
                ) -> list[tuple[str | None, str, str | None, int]]:
    """(document, row code, column code, segments): how many segments of each document
    ``coder`` applied both codes to, one of ``row_codes`` and one of ``col_codes`` (the same
    code too); without ``col_codes``, (document, row code, None, segments). Counted by the
    database, one row per non-empty combination, in no order. ``by_document=False`` (with
    ``col_codes``): over every document, the document None (no segment read)."""
    rows = ", ".join("?" * len(row_codes))
    if col_codes is None:
        return project.execute(
            "SELECT s.document, a.code, NULL, count(*) FROM annotations a"
            " CROSS JOIN segments s ON s.id = a.segment"  # CROSS: in this order
            f" WHERE a.coder = ? AND a.code IN ({rows}) GROUP BY s.document, a.code",
            (coder, *row_codes)).fetchall()
    cols = ", ".join("?" * len(col_codes))
    document = "s.document" if by_document else "NULL"
    return project.execute(
        f"SELECT {document}, r.code, c.code, count(*) FROM annotations r"  # CROSS: in this order
        " CROSS JOIN annotations c ON c.coder = r.coder AND c.segment = r.segment"
        + (" CROSS JOIN segments s ON s.id = r.segment" if by_document else "")
        + f" WHERE r.coder = ? AND r.code IN ({rows}) AND +c.code IN ({cols})"  # + : c by segment
        f" GROUP BY {document}, r.code, c.code", (coder, *row_codes, *col_codes)).fetchall()


def document_ids(project: Project) -> list[str]:
    """Document ids in project order."""
    return [r[0] for r in project.execute("SELECT id FROM documents ORDER BY position")]
