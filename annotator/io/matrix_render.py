"""Matrices of one coder's codes rendered as a terminal table, Markdown, CSV, HTML or JSON.

The HTML version links every non-empty cell to the quotes it counts, listed below the table
(given in reading order, each with the cells it falls in, and rendered once).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from annotator.io.clean_text import clean_text
from annotator.io.quotes_render import (
    PAGE_TAIL,
    Members,
    escape_html,
    html_page_head,
    iter_html_tables_filed,
)


@dataclass(frozen=True)
class Matrix:
    rows: list[str]
    cols: list[str]
    counts: list[list[int]]
    coder: str
    count: str = "segments"
    row_titles: list[str] = field(default_factory=list)
    col_titles: list[str] = field(default_factory=list)
    row_facet: str = ""
    col_spec: str = ""

    @property
    def caption(self) -> str:
        return (f"{self.row_facet} × {self.col_spec}: {self.count} coded by {self.coder}")


def _cell(m: Matrix, i: int, j: int, percent: list[list[float]] | None) -> str:
    value = str(m.counts[i][j])
    return f"{value} ({percent[i][j]:g}%)" if percent is not None else value


def render_json(m: Matrix, percent: list[list[float]] | None = None, of: str | None = None) -> str:
    obj: dict[str, Any] = {"rows": m.rows, "cols": m.cols, "counts": m.counts,
                           "coder": m.coder, "count": m.count}
    if percent is not None:
        obj["percent"], obj["percent_of"] = percent, of
    return json.dumps(obj, ensure_ascii=False) + "\n"


def render_csv(m: Matrix, percent: list[list[float]] | None = None, *, excel: bool = False) -> str:
    """Counts only (or percentages with ``percent``), row code ids down the first column.
    ``excel``: for a spreadsheet, a UTF-8 byte order mark first and labels that start like a
    formula (a document name or attribute value such as ``=HYPERLINK(…)``) given a leading ``'``
    (as ``export csv --excel``)."""
    from annotator.io.cell_safety import neutralise

    buffer = io.StringIO("\ufeff" if excel else "")
    buffer.seek(0, io.SEEK_END)
    w = csv.writer(buffer, lineterminator="\n")
    header = [m.row_facet or "code", *m.cols]
    w.writerow([neutralise(c) for c in header] if excel else header)
    for i, row in enumerate(m.rows):
        values = percent[i] if percent is not None else m.counts[i]
        w.writerow([neutralise(row) if excel else row, *values])
    return buffer.getvalue()


def _width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _one_line(text: str) -> str:
    """``text`` cleaned for a cell of the terminal table: line breaks and tabs as spaces."""
    text = clean_text(text)
    return text.replace("\n", " ").replace("\t", " ") if "\n" in text or "\t" in text else text


def render_table(m: Matrix, percent: list[list[float]] | None = None) -> str:
    cols = [_one_line(c) for c in m.cols]
    body = [[_one_line(r), *[_cell(m, i, j, percent) for j in range(len(cols))]]
            for i, r in enumerate(m.rows)]
    head = ["", *cols]
    widths = [max(_width(x[k]) for x in [head, *body]) for k in range(len(head))]

    def line(cells: list[str]) -> str:
        first = cells[0] + " " * (widths[0] - _width(cells[0]))
        rest = [" " * (w - _width(c)) + c for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return "\n".join([clean_text(m.caption), line(head), *[line(r) for r in body]]) + "\n"


def _md(text: str) -> str:
    return clean_text(text).replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")


def render_markdown(m: Matrix, percent: list[list[float]] | None = None) -> str:
    lines = [f"**{_md(m.caption)}**", "", "| | " + " | ".join(_md(c) for c in m.cols) + " |",
             "| --- |" + " ---: |" * len(m.cols)]
    for i, r in enumerate(m.rows):
        lines.append(f"| {_md(r)} | " + " | ".join(_cell(m, i, j, percent) for j in range(len(m.cols))) + " |")
    return "\n".join(lines) + "\n"


def iter_html(m: Matrix, percent: list[list[float]] | None = None,
              quotes: Members = ()) -> Iterator[bytes]:
    """The page (encoded): the matrix, each non-empty cell a link to its quotes further down;
    ``quotes``:
    the cells' quotes in reading order, each with the non-empty cells it falls in, numbered row
    by row (each rendered once, however many cells it is in)."""
    e = escape_html
    parts = [f"<p>{e(clean_text(m.caption))}</p>", "<table><tr><th></th>"]
    parts += [f'<th title="{e(clean_text(t))}">{e(clean_text(c))}</th>'
              for c, t in zip(m.cols, m.col_titles or m.cols, strict=True)]
    parts.append("</tr>")
    heads = []
    for i, r in enumerate(m.rows):
        title = (m.row_titles or m.rows)[i]
        parts.append(f'<tr><th title="{e(clean_text(title))}">{e(clean_text(r))}</th>')
        for j in range(len(m.cols)):
            text = _cell(m, i, j, percent)
            if m.counts[i][j]:
                anchor = f"cell-{i}-{j}"
                col_title = (m.col_titles or m.cols)[j]
                heads.append((f"{title} × {col_title}", anchor))
                text = f'<a href="#{anchor}">{e(text)}</a>'
            parts.append(f'<td class="n">{text}</td>')
        parts.append("</tr>")
    parts.append("</table>")
    yield (html_page_head(f"Matrix {m.row_facet} × {m.col_spec}") + "\n".join(parts) + "\n").encode()
    yield from iter_html_tables_filed(heads, quotes)
    yield PAGE_TAIL.encode()


def render_html(m: Matrix, percent: list[list[float]] | None = None, quotes: Members = ()) -> str:
    return b"".join(iter_html(m, percent, quotes)).decode("utf-8")
