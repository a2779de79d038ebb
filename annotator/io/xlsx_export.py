"""Workbooks for spreadsheets: sheets of rows given by the caller, written with openpyxl.

Each sheet has a bold, frozen header row, wrapped text in the columns named for it and a filter
on the header. Text is always written as text: a cell that starts like a formula (``=``, ``+``,
``-``, ``@``) is stored as a string cell holding exactly what was written, so the spreadsheet
never runs it. Characters XML cannot hold are dropped and overlong cells cut to the 32,767
characters a spreadsheet cell holds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.files import atomic_binary

CELL_LIMIT = 32_767
#: Rows a worksheet holds (Excel's limit, the header row included); longer tables continue on
#: sheets named "segments (2)", "segments (3)", … each with the header again.
SHEET_ROWS = 1_048_576


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: Iterable[Sequence[Any]]
    #: columns whose text wraps (long Chinese and English text, memos)
    wrap: set[str] = field(default_factory=set)
    #: column name → width in characters (default 12; wrapped columns 50)
    widths: dict[str, int] = field(default_factory=dict)


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_LIMIT]


def _cell(ws: Any, value: Any, style: Any | None) -> Any:
    """``value`` as openpyxl writes it: plain values stay plain (fast); text that openpyxl would
    take for a formula, and cells with a style (``style``: a styled cell to copy it from),
    become cells of their own."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = _text(value)
        if not value.startswith("=") and style is None:
            return value
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"  # never a formula, whatever it starts with
    elif style is None:
        return value
    else:
        cell = WriteOnlyCell(ws, value)
    if style is not None:
        cell._style = copy(style._style)  # copying the style array skips openpyxl's style look-ups
    return cell


def _add_sheet(wb: Any, sheet: Sheet, rows: Iterator[Sequence[Any]], part: int) -> tuple[int, bool]:
    """One worksheet of ``sheet`` (its ``part``-th); (data rows written, whether rows are left)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    suffix = f" ({part})" if part > 1 else ""
    ws = wb.create_sheet(_text(sheet.title)[:31 - len(suffix)] + suffix)
    ws.freeze_panes = "A2"
    for i, name in enumerate(sheet.header, start=1):
        default = 50 if name in sheet.wrap else 12
        ws.column_dimensions[get_column_letter(i)].width = sheet.widths.get(name, default)
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(sheet.header), 1))}1"
    bold = Font(bold=True)
    head = []
    for name in sheet.header:
        cell = WriteOnlyCell(ws, _text(name))
        cell.data_type = "s"
        cell.font = bold
        head.append(cell)
    ws.append(head)
    wrapped = WriteOnlyCell(ws, "")
    wrapped.alignment = Alignment(wrap_text=True, vertical="top")
    styles = [wrapped if name in sheet.wrap else None for name in sheet.header]
    n = 0
    for row in rows:
        ws.append([_cell(ws, v, s) for v, s in zip(row, styles, strict=False)])
        n += 1
        if n == SHEET_ROWS - 1:
            return n, True
    return n, False


def _add_table(wb: Any, sheet: Sheet) -> int:
    """``sheet`` on as many worksheets as its rows need; the number of data rows."""
    rows = iter(sheet.rows)
    total, part, more = 0, 0, True
    while more:
        part += 1
        n, more = _add_sheet(wb, sheet, rows, part)
        total += n
        if more and (peek := next(rows, None)) is not None:
            rows = itertools.chain([peek], rows)
        else:
            more = False
    return total


def write_xlsx(out: Path, sheets: Sequence[Sheet]) -> list[int]:
    """Write the workbook atomically (rows streamed: openpyxl's write-only workbook keeps them
    in temporary files, not in memory); the number of data rows of each sheet."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    counts = [_add_table(wb, sheet) for sheet in sheets]
    with atomic_binary(out) as f:
        wb.save(f)
    return counts
