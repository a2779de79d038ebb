"""The whole project as JSON Lines (restored by ``annotator.io.jsonl_restore``).

The first line is a header ``{"type": "annotator-project", "version": 1, "schema": N, ...}``;
every other line is one row of one table, ``{"type": <table>, <column>: <value>, ...}``, in an
order that satisfies the foreign keys: project, settings, facets, codes (archived ones too),
documents, segments (with their stored tokens and terms, so a restore needs no NLP), coders,
annotations, done, memos, archived_annotations, events. Columns holding JSON (keywords, extra,
attributes, the event log's states) are written as JSON values, not strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.files import atomic_output

HEADER_TYPE = "annotator-project"
FORMAT_VERSION = 1

#: columns stored as JSON text in the project file, written as JSON values in the export
JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "codes": ("keywords_zh", "keywords_en", "extra"),
    "documents": ("attributes",),
    "events": ("before", "after", "detail"),
    "rounds": ("codes",),
}

Tables = Iterable[tuple[str, Iterable[dict[str, Any]]]]
"""(table, its rows as stored) in the order to write them."""


def export_header(schema: int, exported_at: str, project: str, counts: dict[str, int]) -> dict[str, Any]:
    return {"type": HEADER_TYPE, "version": FORMAT_VERSION, "schema": schema,
            "exported_at": exported_at, "project": project, "tables": counts}


def _decoded(table: str, row: dict[str, Any]) -> dict[str, Any]:
    for c in JSON_COLUMNS.get(table, ()):
        if isinstance(row.get(c), str):
            try:
                row[c] = json.loads(row[c])
            except json.JSONDecodeError:
                pass  # keep the text as it is
    return row


def write_jsonl(out: Path, header: dict[str, Any], tables: Tables) -> None:
    """Write the header line, then every row of every table, to ``out`` (atomically)."""
    with atomic_output(out, newline="\n") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for table, rows in tables:
            for row in rows:
                f.write(json.dumps({"type": table, **_decoded(table, row)}, ensure_ascii=False) + "\n")
