"""The whole project as JSON Lines, and restoring a project from such a file.

The first line is a header ``{"type": "annotator-project", "version": 1, "schema": N, ...}``;
every other line is one row of one table, ``{"type": <table>, <column>: <value>, ...}``, in an
order that satisfies the foreign keys: project, settings, facets, codes (archived ones too),
documents, segments (with their stored tokens and terms, so a restore needs no NLP), coders,
annotations, done, memos, archived_annotations, events. Columns holding JSON (keywords, extra,
attributes, the event log's states) are written as JSON values, not strings.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.errors import ImportFormatError, UsageError
from annotator.io.interchange import Summary, atomic_output
from annotator.storage.db import Project, now
from annotator.storage.migrations import SCHEMA_VERSION

HEADER_TYPE = "annotator-project"
FORMAT_VERSION = 1

TABLES: tuple[str, ...] = (
    "project", "settings", "facets", "codes", "documents", "segments", "coders",
    "annotations", "done", "memos", "archived_annotations", "events", "notes", "redecide",
)
#: columns stored as JSON text in the project file, written as JSON values in the export
JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "codes": ("keywords_zh", "keywords_en", "extra"),
    "documents": ("attributes",),
    "events": ("before", "after", "detail"),
}
#: tables whose rows belong to one coder (``coder`` or ``name`` column), filtered by ``coders``
CODER_COLUMN: dict[str, str] = {
    "coders": "name", "annotations": "coder", "done": "coder", "memos": "coder",
    "archived_annotations": "coder", "events": "coder", "notes": "coder", "redecide": "coder",
}
_ORDER: dict[str, str] = {
    "project": "key", "settings": "key", "facets": "position", "codes": "position, id",
    "documents": "position", "segments": "document, position", "coders": "name",
    "annotations": "segment, coder, code", "done": "segment, coder", "memos": "segment, coder",
    "archived_annotations": "id", "events": "id", "notes": "kind, target, coder",
    "redecide": "segment, coder, code",
}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _rows(project: Project, table: str, coders: set[str] | None) -> Iterator[dict[str, Any]]:
    cols = _columns(project.conn, table)
    if not cols:
        return
    sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"'
    params: list[Any] = []
    if coders is not None and table in CODER_COLUMN:
        col = CODER_COLUMN[table]
        sql += f' WHERE "{col}" IN ({", ".join("?" for _ in coders)})'
        if table == "events":
            sql += ' OR "coder" IS NULL'
        params = sorted(coders)
    sql += f" ORDER BY {_ORDER[table]}"
    json_cols = JSON_COLUMNS.get(table, ())
    for values in project.execute(sql, params):
        row = dict(zip(cols, values, strict=True))
        for c in json_cols:
            if isinstance(row.get(c), str):
                try:
                    row[c] = json.loads(row[c])
                except json.JSONDecodeError:
                    pass  # keep the text as it is
        yield row


def export_jsonl(project: Project, out: Path, *, coders: Iterable[str] | None = None) -> dict[str, int]:
    """Write the project (only ``coders``' work when given) to ``out``; rows per table."""
    wanted = set(coders) if coders else None
    if wanted:
        from annotator.storage.coding import list_coders

        known = list_coders(project)
        unknown = sorted(wanted - set(known))
        if unknown:
            raise UsageError(f"no coder {', '.join(map(repr, unknown))} in the project"
                             f" (coders: {', '.join(known) or 'none'})")
    counts: dict[str, int] = {}
    for table in TABLES:
        sql = f'SELECT count(*) FROM "{table}"'
        params: list[Any] = []
        if wanted is not None and table in CODER_COLUMN:
            sql += f' WHERE "{CODER_COLUMN[table]}" IN ({", ".join("?" for _ in wanted)})'
            if table == "events":
                sql += ' OR "coder" IS NULL'
            params = sorted(wanted)
        counts[table] = int(project.execute(sql, params).fetchone()[0])
    header = {
        "type": HEADER_TYPE, "version": FORMAT_VERSION, "schema": SCHEMA_VERSION,
        "exported_at": now(), "project": project.path.stem, "tables": counts,
    }
    with atomic_output(out, newline="\n") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for table in TABLES:
            for row in _rows(project, table, wanted):
                f.write(json.dumps({"type": table, **row}, ensure_ascii=False) + "\n")
    return counts


def _header(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as f:
            first = f.readline(1_000_000)
    except OSError:
        return None
    try:
        obj = json.loads(first.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return obj if isinstance(obj, dict) and obj.get("type") == HEADER_TYPE else None


def is_project_export(path: Path) -> bool:
    """True when the first line of ``path`` is an annotator project export header."""
    return _header(path) is not None


def restore_jsonl(project: Project, path: Path) -> Summary:
    """Restore an export into ``project``, which must hold no documents; all or nothing.

    The export's codebook, coders, settings and event log replace those of the (empty) project.
    """
    header = _header(path)
    if header is None:
        raise ImportFormatError("not an annotator project export (no header line)", path=path, line=1)
    if header.get("version") != FORMAT_VERSION:
        raise ImportFormatError(
            f"export format version {header.get('version')!r} is not supported (this annotator"
            f" reads version {FORMAT_VERSION})", path=path, line=1)
    schema = header.get("schema")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise ImportFormatError(
            f"exported by a newer annotator (schema {schema}, this one knows {SCHEMA_VERSION});"
            " upgrade annotator to import it", path=path, line=1)
    if project.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
        raise ImportFormatError(
            f"the project {project.path} already holds documents; restore an export into a new"
            " project file", path=path)
    conn = project.conn
    columns = {t: set(_columns(conn, t)) for t in TABLES}
    counts = dict.fromkeys(TABLES, 0)
    with project.write():
        for table in ("redecide", "notes", "events", "archived_annotations", "memos", "done", "annotations", "coders",
                      "codes", "facets", "settings"):
            conn.execute(f'DELETE FROM "{table}"')
        with path.open(encoding="utf-8-sig") as f:
            next(f)
            for lineno, line in enumerate(f, start=2):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    cut = not line.endswith("\n")  # the last line, cut off part-way
                    raise ImportFormatError(
                        "the export ends part-way through this line (an incomplete copy?)" if cut
                        else f"not JSON: {exc.msg} (column {exc.colno})", path=path, line=lineno,
                    ) from None
                if not isinstance(row, dict):
                    raise ImportFormatError("expected a JSON object", path=path, line=lineno)
                table = row.pop("type", None)
                if table not in columns:
                    raise ImportFormatError(f"unknown record type {table!r}", path=path, line=lineno)
                unknown = set(row) - columns[table]
                if unknown:
                    raise ImportFormatError(
                        f"unknown {table} field(s): {', '.join(sorted(unknown))}", path=path, line=lineno)
                for c in JSON_COLUMNS.get(table, ()):
                    if c in row and row[c] is not None and not isinstance(row[c], str):
                        row[c] = json.dumps(row[c], ensure_ascii=False,
                                            default=str if c == "extra" else None)
                    elif c in row and isinstance(row[c], str) and table != "events":
                        row[c] = json.dumps(row[c], ensure_ascii=False)
                cols = list(row)
                verb = "INSERT OR REPLACE" if table in ("project", "settings") else "INSERT"
                try:
                    conn.execute(
                        f'{verb} INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)})'
                        f' VALUES ({", ".join("?" for _ in cols)})',
                        [row[c] for c in cols],
                    )
                except sqlite3.Error as exc:
                    raise ImportFormatError(f"cannot restore this {table} row: {exc}",
                                            path=path, line=lineno) from None
                counts[table] += 1
        expected = header.get("tables")
        if isinstance(expected, dict):
            short = [f"{t} {counts.get(t, 0)}/{n}" for t, n in expected.items()
                     if isinstance(n, int) and t in counts and counts[t] != n]
            if short:
                raise ImportFormatError(
                    "the export is incomplete (rows found/expected: " + ", ".join(short) + ")",
                    path=path)
    summary = Summary()
    summary.imported.append(
        f"restored {counts['documents']} documents, {counts['segments']} segments,"
        f" {counts['codes']} codes in {counts['facets']} facets")
    summary.imported.append(
        f"{counts['coders']} coders: {counts['annotations']} annotations, {counts['done']} done marks,"
        f" {counts['memos']} memos; {counts['events']} events in the log")
    return summary
