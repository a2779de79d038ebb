"""Workbooks for spreadsheets: sheets of rows given by the caller, streamed into the .xlsx file.

Each sheet has a bold, frozen header row, wrapped text in the columns named for it and a filter
on the header. Text is always written as text (an inline string cell): a cell that starts like a
formula (``=``, ``+``, ``-``, ``@``) holds exactly what was written and the spreadsheet never
runs it. Characters XML cannot hold are dropped and overlong cells cut to the 32,767 characters
a spreadsheet cell holds. A table longer than a worksheet's 1,048,576 rows continues on sheets
named "segments (2)", "segments (3)", … each with the header again.

The workbook is written here rather than with openpyxl: its cell objects cost about ten times
the time of writing the cell's XML, which is all a write-only sheet needs (100,000 segments by
five coders: minutes instead of a quarter of an hour). The parts are the minimal SpreadsheetML
package (ECMA-376 Part 1, §18): content types, relationships, workbook, styles and one worksheet
part per sheet, each written into the zip as its rows come, so memory does not grow with the
table. The tests read every workbook back with openpyxl (and LibreOffice where installed).
"""

from __future__ import annotations

import itertools
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from annotator.files import atomic_binary

CELL_LIMIT = 32_767
#: Rows a worksheet holds (the header row included).
SHEET_ROWS = 1_048_576
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: cell styles of styles.xml: 0 plain, 1 bold (the header), 2 wrapped at the top
_BOLD, _WRAP = 1, 2


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
    return _ILLEGAL.sub("", value)[:CELL_LIMIT]


def column_letter(i: int) -> str:
    """The spreadsheet's name of column ``i`` (1 → A, 27 → AA)."""
    letters = ""
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


class _Column:
    """How one column's cells are written (its style fixed): ``cell(value)`` is the cell's XML.
    Cells carry no reference: each row writes all its cells in order, empty ones as ``<c/>``."""

    def __init__(self, style: int) -> None:
        s = f' s="{style}"' if style else ""
        self.empty = f"<c{s}/>"
        self.number = f"<c{s}><v>"
        self.text = f'<c{s} t="inlineStr"><is><t>'
        self.spaced = f'<c{s} t="inlineStr"><is><t xml:space="preserve">'
        self.last: tuple[Any, str] = (None, self.empty)

    def cell(self, value: Any) -> str:
        kind = type(value)
        if kind is str:
            if value is self.last[0]:  # a segment's text on each of its coders' rows
                return self.last[1]
            if not value:
                return self.empty
            text = escape(_text(value))
            xml = (f"{self.spaced}{text}</t></is></c>" if text[:1].isspace() or text[-1:].isspace()
                   else f"{self.text}{text}</t></is></c>")
            self.last = (value, xml)
            return xml
        if kind is int or (kind is float and math.isfinite(value)):
            return f"{self.number}{value!r}</v></c>"
        if value is None:
            return self.empty
        if kind is bool:
            return f"{self.number}{int(value)}</v></c>"
        return self.cell(str(value))


def _worksheet_start(sheet: Sheet) -> str:
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{sheet.widths.get(name, 50 if name in sheet.wrap else 12)}"'
        ' customWidth="1"/>' for i, name in enumerate(sheet.header, start=1))
    return (f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}<sheetData>')


def _filter_ref(sheet: Sheet) -> str:
    return f"A1:{column_letter(max(len(sheet.header), 1))}1"


def _write_part(out: IO[bytes], sheet: Sheet, rows: Iterator[Sequence[Any]]) -> tuple[int, bool]:
    """One worksheet part of ``sheet``; (data rows written, whether rows are left)."""
    columns = [_Column(_WRAP if name in sheet.wrap else 0) for name in sheet.header]
    bold = _Column(_BOLD)
    buffer = [_worksheet_start(sheet), '<row r="1">', *(bold.cell(name) for name in sheet.header), "</row>"]
    n, more = 0, False
    for row in rows:
        buffer.append(f'<row r="{n + 2}">')
        buffer.extend(c.cell(v) for c, v in zip(columns, row, strict=False))
        buffer.append("</row>")
        n += 1
        if len(buffer) > 4096:
            out.write("".join(buffer).encode("utf-8"))
            buffer.clear()
        if n == SHEET_ROWS - 1:
            more = True
            break
    buffer.append(f'</sheetData><autoFilter ref="{_filter_ref(sheet)}"/></worksheet>')
    out.write("".join(buffer).encode("utf-8"))
    return n, more


def _write_sheets(z: zipfile.ZipFile, sheets: Sequence[Sheet]) -> tuple[list[int], list[tuple[str, Sheet]]]:
    """Every sheet's worksheet parts; (data rows per sheet, (worksheet name, sheet) per part)."""
    counts: list[int] = []
    parts: list[tuple[str, Sheet]] = []
    for sheet in sheets:
        rows, total, more = iter(sheet.rows), 0, True
        while more:
            suffix = f" ({len([p for p in parts if p[1] is sheet]) + 1})" if total else ""
            name = _text(sheet.title)[:31 - len(suffix)] + suffix
            with z.open(f"xl/worksheets/sheet{len(parts) + 1}.xml", "w", force_zip64=True) as out:
                n, more = _write_part(out, sheet, rows)
            parts.append((name, sheet))
            total += n
            if more and (peek := next(rows, None)) is not None:
                rows = itertools.chain([peek], rows)
            else:
                more = False
        counts.append(total)
    return counts, parts


def _package_parts(parts: list[tuple[str, Sheet]]) -> dict[str, str]:
    n = len(parts)
    sheets = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                     for i, (name, _) in enumerate(parts, start=1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted_sheet(name))}!{_absolute(_filter_ref(sheet))}</definedName>"
        for i, (name, sheet) in enumerate(parts))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, n + 1))
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
    return {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>'),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{rels}<Relationship Id="rId{n + 1}"'
            f' Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _STYLES,
    }


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    return ":".join("$" + re.sub(r"(\d+)", r"$\1", part) for part in ref.split(":"))


_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>")


def write_xlsx(out: Path, sheets: Sequence[Sheet]) -> list[int]:
    """Write the workbook atomically, streaming each sheet's rows; the number of data rows of
    each sheet."""
    with atomic_binary(out) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        counts, parts = _write_sheets(z, sheets)
        for name, text in _package_parts(parts).items():
            z.writestr(name, text)
    return counts
