"""Document attributes from a CSV file: a ``document`` column and one column per attribute."""

from __future__ import annotations

import csv
from pathlib import Path

from annotator.errors import ImportFormatError
from annotator.io.encoding import open_text
from annotator.io.read_common import clean_text

DOCUMENT_COLUMNS = ("document", "doc", "id", "document_id")


def read_attributes_csv(path: Path) -> dict[str, dict[str, str | None]]:
    """document id → attribute → value; an empty cell removes the attribute.

    Errors name the file and line: no document column, an empty or repeated document id,
    a row longer than the header, a repeated column name.
    """
    out: dict[str, dict[str, str | None]] = {}
    lines_of: dict[str, int] = {}
    with open_text(path) as lines:
        reader = csv.reader(lines, strict=True)
        header: list[str] | None = None
        doc_name = ""
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise ImportFormatError(f"malformed row: {exc}", path=path, line=line) from None
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header, doc_name = _header(row, path, line)
                continue
            if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
                raise ImportFormatError(f"row has {len(row)} fields but the header has {len(header)}",
                                        path=path, line=line)
            values = dict(zip(header, [clean_text(c).strip() for c in row], strict=False))
            doc = values.pop(doc_name, "") or ""
            if not doc:
                raise ImportFormatError("no document id in this row", path=path, line=line)
            if doc in out:
                raise ImportFormatError(f"document {doc!r} again (first on line {lines_of[doc]})",
                                        path=path, line=line)
            out[doc] = {k: (v or None) for k, v in values.items()}
            lines_of[doc] = line
    if header is None:
        raise ImportFormatError("empty file: expected a header with a 'document' column", path=path, line=1)
    return out


def _header(row: list[str], path: Path, line: int) -> tuple[list[str], str]:
    names = [clean_text(c).strip() for c in row]
    lowered = [n.lower() for n in names]
    doc_col = next((lowered.index(c) for c in DOCUMENT_COLUMNS if c in lowered), None)
    if doc_col is None:
        raise ImportFormatError("no 'document' column in the header", path=path, line=line)
    seen: set[str] = set()
    for name in names:
        if not name:
            raise ImportFormatError("a column without a name in the header", path=path, line=line)
        if name in seen:
            raise ImportFormatError(f"column {name!r} twice in the header", path=path, line=line)
        seen.add(name)
    return names, names[doc_col]
