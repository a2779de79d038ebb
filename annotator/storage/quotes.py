"""Reading one coder's coded segments with their documents: the raw rows of quotes and matrices."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from annotator.storage.db import Project


def coders_with_codes(project: Project) -> list[str]:
    """Coders who applied at least one code, by name."""
    return [r[0] for r in project.execute("SELECT DISTINCT coder FROM annotations ORDER BY coder")]


#: One coder's coded segments in reading order, each with its codes (a JSON array) and memo.
CODED_ROWS = (
    'SELECT s.id, s.document, s.position, s.speaker, s.start, s."end", {text}'
    " coalesce(m.text, ''),"
    " (SELECT json_group_array(a.code) FROM annotations a WHERE a.coder = ? AND a.segment = s.id)"
    " FROM segments s JOIN documents d ON d.id = s.document"
    " LEFT JOIN memos m ON m.segment = s.id AND m.coder = ?"
    " WHERE s.id IN (SELECT segment FROM annotations WHERE coder = ?){having}"
    " ORDER BY d.position, s.position"
)
HAVING = " AND s.id IN (SELECT segment FROM annotations WHERE coder = ? AND code = ?)"
KEYS = ("segment", "document", "position", "speaker", "start", "end", "zh", "en", "memo")


def iter_coded_segments(project: Project, coder: str, *, text: bool = True,
                        having: Iterable[str] = ()) -> Iterator[dict[str, Any]]:
    """Every segment ``coder`` applied a code to (``having``: every one of these codes), in
    reading order, read as the caller iterates: segment, document, position, speaker, start,
    end, zh, en, codes (the code ids, sorted) and memo (the coder's, or ""). ``text=False``: zh
    and en are left empty (counts need no text)."""
    wanted = sorted(set(having))
    sql = CODED_ROWS.format(text="s.zh, s.en," if text else "'', '',", having=HAVING * len(wanted))
    params = [coder, coder, coder, *(x for code in wanted for x in (coder, code))]
    for *row, codes in project.execute(sql, params):
        item = dict(zip(KEYS, row, strict=True))
        item["codes"] = sorted(json.loads(codes))
        yield item


def document_ids(project: Project) -> list[str]:
    """Document ids in project order."""
    return [r[0] for r in project.execute("SELECT id FROM documents ORDER BY position")]
