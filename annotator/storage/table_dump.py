"""Every table's rows, as stored, for the full-fidelity JSON Lines export, and restoring them.

Rows are dicts of column → stored value (JSON columns stay JSON text). ``TABLES`` is an order
that satisfies the foreign keys.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.errors import ImportFormatError
from annotator.storage.db import Project

TABLES: tuple[str, ...] = (
    "project", "settings", "facets", "codes", "documents", "segments", "coders",
    "annotations", "annotation_spans", "done", "memos", "archived_annotations", "events", "notes",
    "redecide", "sample_assignments", "rounds",
)
#: tables whose rows belong to one coder (``coder`` or ``name`` column), filtered by ``coders``
CODER_COLUMN: dict[str, str] = {
    "coders": "name", "annotations": "coder", "annotation_spans": "coder", "done": "coder",
    "memos": "coder", "archived_annotations": "coder", "events": "coder", "notes": "coder",
    "redecide": "coder", "sample_assignments": "coder",
}
_ORDER: dict[str, str] = {
    "project": "key", "settings": "key", "facets": "position", "codes": "position, id",
    "documents": "position", "segments": "document, position", "coders": "name",
    "annotations": "segment, coder, code", "annotation_spans": "segment, coder, code, lang, start",
    "done": "segment, coder", "memos": "segment, coder",
    "archived_annotations": "id", "events": "id", "notes": "kind, target, coder",
    "redecide": "segment, coder, code", "sample_assignments": "segment, coder", "rounds": "name",
}
#: what a restore empties first: the parts of a fresh project it replaces
_REPLACED = ("rounds", "sample_assignments", "redecide", "notes", "events", "archived_annotations",
             "memos", "done", "annotation_spans", "annotations", "coders", "codes", "facets", "settings")


def _columns(project: Project, table: str) -> list[str]:
    return [r[1] for r in project.execute(f'PRAGMA table_info("{table}")')]


def table_columns(project: Project) -> dict[str, list[str]]:
    """Table → its columns, for every table of ``TABLES``."""
    return {t: _columns(project, t) for t in TABLES}


def _coder_filter(table: str, coders: set[str] | None) -> tuple[str, list[Any]]:
    if coders is None or table not in CODER_COLUMN:
        return "", []
    sql = f' WHERE "{CODER_COLUMN[table]}" IN ({", ".join("?" for _ in coders)})'
    if table == "events":
        sql += ' OR "coder" IS NULL'
    return sql, sorted(coders)


def count_rows(project: Project, coders: set[str] | None = None) -> dict[str, int]:
    """Rows per table (only ``coders``' work, and events of no coder, when given)."""
    counts: dict[str, int] = {}
    for table in TABLES:
        where, params = _coder_filter(table, coders)
        counts[table] = int(project.execute(f'SELECT count(*) FROM "{table}"{where}', params).fetchone()[0])
    return counts


def table_values(project: Project, table: str,
                 coders: set[str] | None = None) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The columns of ``table`` and its rows as tuples in a stable order, streamed."""
    cols = _columns(project, table)
    if not cols:
        return cols, iter(())
    where, params = _coder_filter(table, coders)
    sql = (f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"{where}'
           f" ORDER BY {_ORDER[table]}")
    return cols, iter(project.execute(sql, params))


def iter_table_rows(project: Project, table: str, coders: set[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of ``table`` in a stable order, streamed."""
    cols, rows = table_values(project, table, coders)
    for values in rows:
        yield dict(zip(cols, values, strict=True))


def restore_rows(project: Project, rows: Iterable[tuple[int, str, dict[str, Any]]],
                 source: Path) -> dict[str, int]:
    """Replace the codebook, coders, settings and event log of a project with no documents by
    ``rows`` of (line number, table, row); rows per table. Call inside ``project.write()``."""
    conn = project.conn
    for table in _REPLACED:
        conn.execute(f'DELETE FROM "{table}"')
    counts = dict.fromkeys(TABLES, 0)
    for lineno, table, row in rows:
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
                                    path=source, line=lineno) from None
        counts[table] += 1
    return counts
