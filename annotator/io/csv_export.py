"""Coded segments as CSV for spreadsheets, R and pandas.

Wide (default): one row per segment and coder — document, segment, position, speaker, start,
end, zh, en, coder, done, one column per facet holding its code ids joined by ``"; "``, memo,
then one column per document attribute.
Every segment appears once per chosen coder (``done`` says whether that coder finished it), so
the table is rectangular. Long (``long=True``): one row per annotation, with the code's facet and
labels. The text is written as it is (R and pandas read it unchanged); ``excel=True`` is for a
spreadsheet: a UTF-8 BOM, and text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return get a leading ``'`` so the spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from annotator.files import atomic_output
from annotator.io.cell_safety import neutralise
from annotator.model import Code, Codebook, CoderState, Segment


def _as_written(value: Any) -> Any:
    return value


Rows = Iterable[tuple[Segment, dict[str, CoderState], dict[tuple[str, str, str], str]]]
"""Each segment in order with coder → state and, for the long layout, (coder, segment, code) →
when the code was applied (the exporter streams them one document at a time)."""


def write_csv(out: Path, codebook: Codebook, rows: Rows, coders: list[str], *,
              attributes: dict[str, dict[str, Any]] | None = None,
              long: bool = False, excel: bool = False) -> int:
    """Write the CSV of the segments in ``rows`` with the work of ``coders``, as they come
    (``attributes``: document → its attributes, columns of the wide layout); the number of
    rows. ``codebook`` should include archived codes."""
    facets = [f.id for f in codebook.facets]
    attributes = attributes or {}
    attr_names = list(dict.fromkeys(k for a in attributes.values() for k in a))
    safe = neutralise if excel else _as_written
    with atomic_output(out, encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        csv.writer(f).writerow(_header(facets, long, attr_names))
        if long:
            return _write_long(f, codebook, rows, coders, safe)
        return _write_wide(f, codebook, rows, coders, attributes, attr_names, safe)


def _write_long(f: IO[str], codebook: Codebook, rows: Rows, coders: list[str],
                safe: Callable[[Any], Any]) -> int:
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    by_id = {c.id: c for c in codebook.codes}
    w = csv.writer(f)
    n = 0
    for seg, per, created in rows:
        for coder in coders:
            st = per.get(coder)
            for code in sorted(st.codes if st else (), key=lambda c: order.get(c, 1 << 30)):
                w.writerow(_long_row(seg, coder, code, by_id.get(code), created, safe))
                n += 1
    return n


def _write_wide(f: IO[str], codebook: Codebook, rows: Rows, coders: list[str],
                attributes: dict[str, dict[str, Any]], attr_names: list[str],
                safe: Callable[[Any], Any]) -> int:
    """A segment's cells are formatted once and joined to each coder's cells, then to its
    document's attribute cells (formatted once per document): the text of a segment is quoted
    once, not once per coder."""
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    by_id = {c.id: c for c in codebook.codes}
    facets = [f.id for f in codebook.facets]
    cells = _CsvCells(safe)
    untouched = {coder: cells.fields(_work_cells(coder, CoderState(), facets, order, by_id))
                 for coder in coders or [""]}
    document, tail, n = None, "\r\n", 0
    for seg, per, _ in rows:
        if seg.document != document:
            document = seg.document
            attrs = attributes.get(document, {})
            tail = ("," + cells.fields([_cell(attrs.get(k)) for k in attr_names]) if attr_names else "") + "\r\n"
        head = cells.fields(_segment_cells(seg)) + ","
        for coder in coders or [""]:
            st = per.get(coder)
            work = untouched[coder] if st is None else cells.fields(_work_cells(coder, st, facets, order, by_id))
            f.write(head + work + tail)
            n += 1
    return n


class _CsvCells:
    """Cells formatted as CSV fields, quoted as ``csv.writer`` quotes them (no line end: the
    writer keeps its CRLF line end, which is what makes it quote fields holding line breaks)."""

    def __init__(self, safe: Callable[[Any], Any]) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        self.safe = safe

    def fields(self, cells: list[Any]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        if len(cells) == 1 and cells[0] == "":
            return ""  # csv.writer writes a lone empty field as '""'; inside a row it is empty
        self.writer.writerow([self.safe(v) for v in cells])
        return self.buffer.getvalue()[:-2]


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _header(facets: list[str], long: bool, attr_names: list[str]) -> list[str]:
    if long:
        return ["document", "segment", "position", "speaker", "zh", "en", "coder", "facet",
                "code", "label_zh", "label_en", "created_at"]
    fixed = ["document", "segment", "position", "speaker", "start", "end", "zh", "en",
             "coder", "done"]
    # a facet named like a fixed column ('speaker', 'coder', 'memo') gets 'facet_' before
    # its id: duplicate headers make csv.DictReader and pandas drop or rename a column
    header = [*fixed, *[f"facet_{fid}" if fid in (*fixed, "memo") else fid for fid in facets], "memo"]
    # then the document attributes (respondent, role, ...), named apart from the above
    return [*header, *[f"attr_{k}" if k in header else k for k in attr_names]]


def _long_row(seg: Segment, coder: str, code: str, c: Code | None,
              created: dict[tuple[str, str, str], str], safe: Callable[[Any], Any]) -> list[Any]:
    return [safe(v) for v in [
        seg.document, seg.id, seg.position, seg.speaker or "", seg.zh, seg.en, coder,
        c.facet if c else "", code, c.label.zh if c else "", c.label.en if c else "",
        created.get((coder, seg.id, code), "")]]


def _segment_cells(seg: Segment) -> list[Any]:
    return [seg.document, seg.id, seg.position, seg.speaker or "",
            "" if seg.start is None else seg.start, "" if seg.end is None else seg.end, seg.zh, seg.en]


def _work_cells(coder: str, st: CoderState, facets: list[str], order: dict[str, int],
                by_id: dict[str, Code]) -> list[Any]:
    cells: dict[str, list[str]] = {fid: [] for fid in facets}
    for code in sorted(st.codes, key=lambda c: order.get(c, 1 << 30)):
        c = by_id.get(code)
        cells.setdefault(c.facet if c else "?", []).append(code)
    return [coder, int(st.done) if coder else "", *["; ".join(cells[fid]) for fid in facets], st.memo]
