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
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from json.encoder import encode_basestring
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

Tables = Iterable[tuple[str, list[str], Iterable[Sequence[Any]]]]
"""(table, its columns, its rows as stored) in the order to write them."""
_BATCH = 4096  # lines written at once


def export_header(schema: int, exported_at: str, project: str, counts: dict[str, int]) -> dict[str, Any]:
    return {"type": HEADER_TYPE, "version": FORMAT_VERSION, "schema": schema,
            "exported_at": exported_at, "project": project, "tables": counts}


_encode = json.JSONEncoder(ensure_ascii=False).encode
_INF = float("inf")


def _float(value: float) -> str:
    """A float as ``json`` writes it."""
    if value != value:
        return "NaN"
    if value in (_INF, -_INF):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _value(value: Any) -> str:
    """One stored value as ``json.dumps(value, ensure_ascii=False)`` writes it."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    return _encode(value)


def _decoded(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            pass  # keep the text as it is
    return value


class _JsonText:
    """A column holding JSON text, written as the JSON value it holds (the text itself when it
    is not JSON). Event states repeat, so the last few thousand answers are remembered."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def __call__(self, value: Any) -> str:
        if not isinstance(value, str):
            return _value(value)
        got = self.seen.get(value)
        if got is None:
            try:
                got = _encode(json.loads(value))
            except json.JSONDecodeError:
                got = encode_basestring(value)  # keep the text as it is
            if len(self.seen) >= 4096:
                self.seen.clear()
            self.seen[value] = got
        return got


def _lines(table: str, columns: list[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """One JSON object a row, ``type`` first, JSON columns as JSON values: what
    ``json.dumps({"type": table, **row}, ensure_ascii=False)`` writes, made a value at a time."""
    json_columns = JSON_COLUMNS.get(table, ())
    if "type" in columns:  # the row's own "type" takes the table name's place
        for row in rows:
            yield _encode({"type": table, **{c: _decoded(v) if c in json_columns else v
                                             for c, v in zip(columns, row, strict=True)}})
        return
    template = "{" + ", ".join(f"{encode_basestring(k).replace('%', '%%')}: %s"
                               for k in ("type", *columns)) + "}"
    writers = [_JsonText() if c in json_columns else _value for c in columns]
    name = encode_basestring(table)
    if not any(isinstance(w, _JsonText) for w in writers):
        for row in rows:
            yield template % (name, *map(_value, row))
        return
    for row in rows:
        yield template % (name, *(w(v) for w, v in zip(writers, row, strict=True)))


def write_jsonl(out: Path, header: dict[str, Any], tables: Tables) -> None:
    """Write the header line, then every row of every table, to ``out`` (atomically)."""
    with atomic_output(out, newline="\n") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for table, columns, rows in tables:
            lines = _lines(table, columns, rows)
            while batch := list(islice(lines, _BATCH)):
                batch.append("")
                f.write("\n".join(batch))
