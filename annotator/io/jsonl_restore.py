"""Reading an annotator JSON Lines export back: header checks and the rows of each table.

Rows come out as the project stores them (JSON values turned back into JSON text), checked
against the columns the project has; ``annotator.storage.table_dump`` writes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.errors import ImportFormatError
from annotator.io import restore_checks, safe_json
from annotator.io.jsonl_export import FORMAT_VERSION, HEADER_TYPE, JSON_COLUMNS

Row = tuple[int, str, dict[str, Any]]
"""(line number, table, row)."""


def read_header(path: Path) -> dict[str, Any] | None:
    """The export header of ``path``, or None when its first line is not one."""
    try:
        with path.open("rb") as f:
            first = f.readline(1_000_000)
    except OSError:
        return None
    try:
        obj = safe_json.loads(first.decode("utf-8-sig"))
    except ValueError:  # not UTF-8, not JSON, too deep, huge numbers: not our header
        return None
    return obj if isinstance(obj, dict) and obj.get("type") == HEADER_TYPE else None


def is_project_export(path: Path) -> bool:
    """True when the first line of ``path`` is an annotator project export header."""
    return read_header(path) is not None


def checked_header(path: Path, schema_version: int) -> dict[str, Any]:
    """The header of an export this annotator (knowing ``schema_version``) can restore."""
    header = read_header(path)
    if header is None:
        raise ImportFormatError("not an annotator project export (no header line)", path=path, line=1)
    if header.get("version") != FORMAT_VERSION:
        raise ImportFormatError(
            f"export format version {header.get('version')!r} is not supported (this annotator"
            f" reads version {FORMAT_VERSION})", path=path, line=1)
    schema = header.get("schema")
    if not isinstance(schema, int) or schema > schema_version:
        raise ImportFormatError(
            f"exported by a newer annotator (schema {schema}, this one knows {schema_version});"
            " upgrade annotator to import it", path=path, line=1)
    return header


def _parse_line(path: Path, lineno: int, line: str, ended: bool) -> dict[str, Any]:
    try:
        row = safe_json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(  # a last line without its line break: cut off
            "the export ends part-way through this line (an incomplete copy?)" if not ended
            else f"not JSON: {exc.msg} (column {exc.colno})", path=path, line=lineno,
        ) from None
    except ValueError as exc:  # too deep, huge numbers, lone surrogates
        raise ImportFormatError(f"not acceptable JSON: {exc}", path=path, line=lineno) from None
    if not isinstance(row, dict):
        raise ImportFormatError("expected a JSON object", path=path, line=lineno)
    if problem := restore_checks.row_problem(row):
        raise ImportFormatError(problem, path=path, line=lineno)
    return row


def _as_stored(table: str, row: dict[str, Any]) -> dict[str, Any]:
    for c in JSON_COLUMNS.get(table, ()):
        if c in row and row[c] is not None and not isinstance(row[c], str):
            row[c] = json.dumps(row[c], ensure_ascii=False, default=str if c == "extra" else None)
        elif c in row and isinstance(row[c], str) and table != "events":
            row[c] = json.dumps(row[c], ensure_ascii=False)
    return row


def iter_rows(path: Path, columns: dict[str, list[str]]) -> Iterator[Row]:
    """The rows after the header, each checked against ``columns`` (table → its columns)."""
    known = {t: set(c) for t, c in columns.items()}
    for lineno, line, ended in safe_json.text_lines(path):
        if lineno == 1 or not line.strip():
            continue
        row = _parse_line(path, lineno, line, ended)
        table = row.pop("type", None)
        if table not in known:
            raise ImportFormatError(f"unknown record type {table!r}", path=path, line=lineno)
        unknown = set(row) - known[table]
        if unknown:
            raise ImportFormatError(
                f"unknown {table} field(s): {', '.join(sorted(unknown))}", path=path, line=lineno)
        yield lineno, table, _as_stored(table, row)


def check_counts(path: Path, header: dict[str, Any], counts: dict[str, int]) -> None:
    """Refuse an export with fewer rows than its header announces."""
    expected = header.get("tables")
    if not isinstance(expected, dict):
        return
    short = [f"{t} {counts.get(t, 0)}/{n}" for t, n in expected.items()
             if isinstance(n, int) and t in counts and counts[t] != n]
    if short:
        raise ImportFormatError(
            "the export is incomplete (rows found/expected: " + ", ".join(short) + ")", path=path)
