"""What a JSONL project restore checks beyond JSON syntax: the same rules as every other way
in (a codebook file, a .qdpx, the coding screen), so a restored project holds nothing that
another command would refuse or trip over later."""

from __future__ import annotations

from typing import Any

from annotator.model import Codebook
from annotator.safe_text import bad_char, codebook_problem

#: columns that must hold a JSON object (or nothing)
OBJECT_COLUMNS = {"documents": ("attributes",), "codes": ("extra",)}
#: columns naming a coder: one printable line
CODER_COLUMNS = {"coders": "name", "annotations": "coder", "done": "coder", "memos": "coder",
                 "archived_annotations": "coder"}


def row_problem(row: dict[str, Any]) -> str | None:
    """Why a restored row is refused, or None (checked before it is inserted)."""
    table = row.get("type")
    for column in OBJECT_COLUMNS.get(str(table), ()):
        value = row.get(column)
        if value is not None and not isinstance(value, dict):
            return f"{table} {column} must be a JSON object, not {type(value).__name__}"
    coder = CODER_COLUMNS.get(str(table))
    if coder is not None and isinstance(row.get(coder), str):
        if problem := bad_char(row[coder]):
            return f"the coder name contains {problem}"
    return None


def codebook_problem_in(codebook: Codebook) -> str | None:
    """Why a restored codebook is refused (keys, ids, labels), or None."""
    return codebook_problem(codebook)
