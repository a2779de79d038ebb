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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

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
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    by_id = {c.id: c for c in codebook.codes}
    facets = [f.id for f in codebook.facets]
    attributes = attributes or {}
    attr_names = list(dict.fromkeys(k for a in attributes.values() for k in a))
    safe = neutralise if excel else _as_written
    n = 0
    with atomic_output(out, encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(_header(facets, long, attr_names))
        for seg, per, created in rows:
            if long:
                for coder in coders:
                    st = per.get(coder)
                    for code in sorted(st.codes if st else (), key=lambda c: order.get(c, 1 << 30)):
                        w.writerow(_long_row(seg, coder, code, by_id.get(code), created, safe))
                        n += 1
                continue
            attrs = attributes.get(seg.document, {})
            for coder in coders or [""]:
                row = _wide_row(seg, coder, per.get(coder, CoderState()), facets, order, by_id)
                w.writerow([safe(v) for v in [*row, *[_cell(attrs.get(k)) for k in attr_names]]])
                n += 1
    return n


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


def _wide_row(seg: Segment, coder: str, st: CoderState, facets: list[str], order: dict[str, int],
              by_id: dict[str, Code]) -> list[Any]:
    cells: dict[str, list[str]] = {fid: [] for fid in facets}
    for code in sorted(st.codes, key=lambda c: order.get(c, 1 << 30)):
        c = by_id.get(code)
        cells.setdefault(c.facet if c else "?", []).append(code)
    return [
        seg.document, seg.id, seg.position, seg.speaker or "",
        "" if seg.start is None else seg.start, "" if seg.end is None else seg.end,
        seg.zh, seg.en, coder, int(st.done) if coder else "",
        *["; ".join(cells[fid]) for fid in facets], st.memo]
