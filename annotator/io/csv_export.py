"""Coded segments as CSV for spreadsheets, R and pandas.

Wide (default): one row per segment and coder — document, segment, position, speaker, start,
end, zh, en, coder, done, one column per facet holding its code ids joined by ``"; "``, memo.
Every segment appears once per chosen coder (``done`` says whether that coder finished it), so
the table is rectangular. Long (``long=True``): one row per annotation, with the code's facet and
labels. Text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a
leading ``'`` so spreadsheets never run them as formulas. ``excel=True`` writes a UTF-8 BOM.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.files import atomic_output
from annotator.model import Code, Codebook, CoderState, Segment

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell (text starting like a formula gets a ``'``)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


Rows = Iterable[tuple[Segment, dict[str, CoderState], dict[tuple[str, str, str], str]]]
"""Each segment in order with coder → state and, for the long layout, (coder, segment, code) →
when the code was applied."""


def write_csv(out: Path, codebook: Codebook, rows: Rows, coders: list[str], *,
              long: bool = False, excel: bool = False) -> int:
    """Write the CSV of the segments in ``rows`` with the work of ``coders``, as they come;
    the number of rows. ``codebook`` should include archived codes."""
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    by_id = {c.id: c for c in codebook.codes}
    facets = [f.id for f in codebook.facets]
    blank = ["" for _ in facets]
    n = 0
    cells = _CsvCells()
    untouched = {coder: cells.line([neutralise(coder), 0 if coder else "", *blank, ""])
                 for coder in coders or [""]}
    with atomic_output(out, encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(_header(facets, long))
        for seg, per, created in rows:
            if long:
                for coder in coders:
                    st = per.get(coder)
                    for code in sorted(st.codes if st else (), key=lambda c: order.get(c, 1 << 30)):
                        w.writerow(_long_row(seg, coder, code, by_id.get(code), created))
                        n += 1
                continue
            # the segment's cells are formatted once, then joined to each coder's cells
            head = cells.line(_segment_cells(seg))[:-2] + ","
            for coder in coders or [""]:
                st = per.get(coder)
                tail = untouched[coder] if st is None else cells.line(_work_cells(coder, st, facets, order, by_id))
                f.write(head + tail)
                n += 1
    return n


class _CsvCells:
    """Cells formatted as one CSV line (quoted as ``csv.writer`` quotes them, ending in CRLF)."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)

    def line(self, cells: list[Any]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()


def _header(facets: list[str], long: bool) -> list[str]:
    if long:
        return ["document", "segment", "position", "speaker", "zh", "en", "coder", "facet",
                "code", "label_zh", "label_en", "created_at"]
    fixed = ["document", "segment", "position", "speaker", "start", "end", "zh", "en",
             "coder", "done"]
    # a facet named like a fixed column ('speaker', 'coder', 'memo') gets 'facet_' before
    # its id: duplicate headers make csv.DictReader and pandas drop or rename a column
    return [*fixed, *[f"facet_{fid}" if fid in (*fixed, "memo") else fid for fid in facets], "memo"]


def _long_row(seg: Segment, coder: str, code: str, c: Code | None,
              created: dict[tuple[str, str, str], str]) -> list[Any]:
    return [neutralise(v) for v in [
        seg.document, seg.id, seg.position, seg.speaker or "", seg.zh, seg.en, coder,
        c.facet if c else "", code, c.label.zh if c else "", c.label.en if c else "",
        created.get((coder, seg.id, code), "")]]


def _segment_cells(seg: Segment) -> list[Any]:
    return [neutralise(v) for v in [
        seg.document, seg.id, seg.position, seg.speaker or "",
        "" if seg.start is None else seg.start, "" if seg.end is None else seg.end, seg.zh, seg.en]]


def _work_cells(coder: str, st: CoderState, facets: list[str], order: dict[str, int],
                by_id: dict[str, Code]) -> list[Any]:
    cells: dict[str, list[str]] = {fid: [] for fid in facets}
    for code in sorted(st.codes, key=lambda c: order.get(c, 1 << 30)):
        c = by_id.get(code)
        cells.setdefault(c.facet if c else "?", []).append(code)
    return [neutralise(v) for v in [
        coder, int(st.done) if coder else "", *["; ".join(cells[fid]) for fid in facets], st.memo]]
