"""One coder's codes crossed in a matrix: counted by the database, and, for a page that links
each cell to its quotes, those quotes read once, in reading order, with the cells they fall in.

Rows are the codes of a facet; columns the codes of a facet, every document (``document``) or
every value of a document attribute (``attr:NAME``). A cell counts the coder's segments (or,
with ``count='documents'``, the documents holding such segments) that carry the row code and
fall in the column. Always one coder's work: counts are never summed over coders.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.application.findings import (
    attributes_match,
    code_title,
    facet_codes,
    iter_quotes_with_codes,
)
from annotator.errors import UsageError
from annotator.io.matrix_render import Matrix
from annotator.io.quotes_render import Quote
from annotator.model import Codebook
from annotator.storage.attributes import document_attributes
from annotator.storage.db import Project
from annotator.storage.quotes import cell_counts

NO_VALUE = "(none)"
"""The column of documents that lack the attribute a matrix is split by."""


def count_matrix(project: Project, codebook: Codebook, *, rows: str, cols: str, coder: str,
                 count: str = "segments", where: dict[str, set[str]] | None = None) -> Matrix:
    """The matrix of ``coder``'s codes, rows × cols (``codebook``: the codes shown), over the
    documents whose attributes match ``where``; the database counts the segments per pair of
    codes (per document when documents are counted or filtered, or are the columns), the
    documents are added up here."""
    if count not in ("segments", "documents"):
        raise UsageError(f"--count must be segments or documents, not {count!r}")
    row_ids = facet_codes(codebook, rows)
    facet_cols: list[str] | None = None
    if cols.startswith("attr:"):
        name = cols[5:].strip()
        if not name:
            raise UsageError("--cols attr:NAME needs an attribute name")
        if not _is_text(name):
            from annotator.safe_text import printable

            raise UsageError(f"--cols attr:{printable(name)}: the name is not text (not UTF-8)")
        cols = f"attr:{name}"
    elif cols != "document":
        facet_cols = facet_codes(codebook, cols)
    documents = {d: a for d, a in document_attributes(project).items()
                 if not where or attributes_match(a, where)}
    key = _column_key(cols, documents)
    segments: dict[tuple[str, str], int] = {}
    holding: dict[tuple[str, str], set[str]] = {}
    by_document = bool(where) or count == "documents" or facet_cols is None
    for document, row, col, n in cell_counts(project, coder, row_ids, facet_cols,
                                             by_document=by_document):
        if document is None:  # every document's segments
            segments[(row, str(col))] = n
            continue
        if document not in documents:
            continue
        cell = (row, col if col is not None else key(document))
        segments[cell] = segments.get(cell, 0) + n
        holding.setdefault(cell, set()).add(document)
    if facet_cols is not None:
        col_ids = facet_cols
    elif cols == "document":
        col_ids = list(documents)
    else:
        values = {key(d) for d in documents}
        col_ids = sorted(values - {NO_VALUE}) + ([NO_VALUE] if NO_VALUE in values else [])
    counts = [[len(holding.get((r, c), ())) if count == "documents" else segments.get((r, c), 0)
               for c in col_ids] for r in row_ids]
    return Matrix(rows=row_ids, cols=col_ids, counts=counts, coder=coder, count=count,
                  row_titles=[code_title(codebook, r) for r in row_ids],
                  col_titles=[code_title(codebook, c) if codebook.code(c) else c for c in col_ids],
                  row_facet=rows, col_spec=cols)


def _is_text(name: str) -> bool:
    """Whether ``name`` can be written (no lone surrogate: bytes of the command line that were
    not UTF-8)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _column_key(cols: str, documents: dict[str, dict[str, Any]]) -> Any:
    """The column a document's segments fall in, when columns are documents or an attribute's
    values (columns that are codes come from the segments' codes)."""
    if cols == "document":
        return lambda document: document
    name = cols[5:]

    def value(document: str) -> str:
        found = documents.get(document, {}).get(name)
        return NO_VALUE if found in (None, "") else str(found)

    return value


def cell_quotes(project: Project, codebook: Codebook, m: Matrix,
                where: dict[str, set[str]] | None = None) -> Iterator[tuple[Quote, list[int]]]:
    """Every quote of ``m``'s coder counted in a non-empty cell of ``m``, in reading order, with
    the cells it falls in, numbered as they are read row by row (``codebook``: every code,
    archived too)."""
    numbered: dict[tuple[str, str], int] = {}
    for i, r in enumerate(m.rows):
        for j, c in enumerate(m.cols):
            if m.counts[i][j]:
                numbered[(r, c)] = len(numbered)
    rows = set(m.rows)
    documents = {d: a for d, a in document_attributes(project).items()
                 if not where or attributes_match(a, where)}
    by_codes = m.col_spec != "document" and not m.col_spec.startswith("attr:")
    key = None if by_codes else _column_key(m.col_spec, documents)
    cols = set(m.cols)
    known: dict[tuple[frozenset[str], str], list[int]] = {}  # (codes, column key) → cells
    for q, ids in iter_quotes_with_codes(project, codebook, m.coder, where):
        column = "" if key is None else key(q.document)
        held = known.get((ids, column))
        if held is None:
            if len(known) >= 10_000:
                known.clear()
            keys = ids & cols if key is None else {column}
            held = known[(ids, column)] = sorted(
                n for r in ids & rows for k in keys if (n := numbered.get((r, k))) is not None)
        if held:
            yield q, held
