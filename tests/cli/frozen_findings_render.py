"""Today's renderers of quotes and matrices, frozen as they were before the quotes were read
in one stream and the matrices counted in SQL: what the commands write must stay byte for byte
what these write from the same quotes held in memory (tests compare the two)."""

# ruff: noqa
from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.application.findings import code_title, facet_codes
from annotator.errors import UsageError
from annotator.io.matrix_render import Matrix as _Matrix
from annotator.io.quotes_render import Quote, QuoteGroup
from annotator.io.read_common import clean_text
from annotator.model import Codebook

@dataclass(frozen=True)
class Matrix(_Matrix):
    #: (row index, column index) → the quotes the cell counts
    cells: dict[tuple[int, int], list[Quote]] = field(default_factory=dict, compare=False)


def clock(seconds: float) -> str:
    """``seconds`` as m:ss or h:mm:ss."""
    whole = int(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def where(quote: Quote) -> str:
    """Where the quote stands: document, segment, speaker, time or paragraph, attributes."""
    place = f"{clock(quote.start)}" if quote.start is not None else f"¶{quote.position}"
    parts = [quote.document, quote.segment, place]
    if quote.speaker:
        parts.insert(2, quote.speaker)
    attrs = ", ".join(f"{k}: {v}" for k, v in quote.attributes.items() if k != "title")
    return " · ".join(parts) + (f" ({attrs})" if attrs else "")


def _codes_line(quote: Quote) -> str:
    return "; ".join(f"{facet}: {', '.join(ids)}" for facet, ids in quote.codes.items() if ids)


def _cell(m: Matrix, i: int, j: int, percent: list[list[float]] | None) -> str:
    value = str(m.counts[i][j])
    return f"{value} ({percent[i][j]:g}%)" if percent is not None else value


def _column_keys(quote: Quote, cols: str, col_codes: set[str]) -> set[str]:
    if cols == "document":
        return {quote.document}
    if cols.startswith("attr:"):
        value = quote.attributes.get(cols[5:])
        return {NO_VALUE if value in (None, "") else str(value)}
    return quote.code_ids & col_codes


NO_VALUE = "(none)"
"""The column of documents that lack the attribute a matrix is split by."""


def iter_json_lines(quotes: Iterable[Quote]) -> Iterator[str]:
    """One JSON object per segment (each segment once, in reading order), line by line."""
    seen: set[str] = set()
    for q in quotes:
        if q.segment not in seen:
            seen.add(q.segment)
            yield json.dumps(q.to_json(), ensure_ascii=False) + "\n"


def render_json_lines(quotes: Iterable[Quote]) -> str:
    return "".join(iter_json_lines(quotes))


def render_table(groups: Sequence[QuoteGroup], *, width: int = 100) -> str:
    return "".join(iter_table(groups, width=width))


def iter_table(groups: Sequence[QuoteGroup], *, width: int = 100) -> Iterator[str]:
    """Plain text for a terminal: the Chinese and English columns side by side, wrapped; a
    piece per quote."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = StringIO()
    console = Console(file=buffer, width=max(width, 40), color_system=None, highlight=False,
                      emoji=False, markup=False, legacy_windows=False)
    for group in groups:
        console.print(Text(f"{clean_text(group.title)}  ({len(group.quotes)})"))
        for q in group.quotes:
            table = Table(show_header=False, box=None, padding=(0, 2, 0, 2), expand=True)
            table.add_column("zh", ratio=1, overflow="fold")
            table.add_column("en", ratio=1, overflow="fold")
            table.add_row(Text(clean_text(q.zh)), Text(clean_text(q.en)))
            console.print(Text("  " + clean_text(where(q))))
            console.print(table)
            if q.memo:
                console.print(Text("  memo: " + clean_text(q.memo)))
            yield _taken(buffer)
        console.print()
    yield _taken(buffer)


def _taken(buffer: Any) -> str:
    """What ``buffer`` (a StringIO) holds, leaving it empty."""
    text: str = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _md(text: str) -> str:
    text = clean_text(text).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(line.replace("<", "&lt;") for line in text.splitlines())


def render_markdown(groups: Sequence[QuoteGroup], *, title: str = "Quotes") -> str:
    return "".join(iter_markdown(groups, title=title))


def iter_markdown(groups: Sequence[QuoteGroup], *, title: str = "Quotes") -> Iterator[str]:
    """The Markdown page, a piece per quote (pieces joined with nothing between them)."""
    yield f"# {_md(title)}\n"
    for group in groups:
        yield f"\n## {_md(group.title)} ({len(group.quotes)})\n\n| 中文 | English |\n| --- | --- |"
        for q in group.quotes:
            memo = f"<br>memo: {_md(q.memo)}" if q.memo else ""
            yield (f"\n| {_md(q.zh)} | {_md(q.en)} |"
                   f"\n| *{_md(where(q))}* | *{_md(_codes_line(q))}*{memo} |")
        yield "\n"


_CSS = """body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.4rem .6rem;vertical-align:top;text-align:left}
td.where{color:#555;font-size:.9em}td.memo{color:#555;font-style:italic}th{background:#f3f3f3}
td.n{text-align:right}a{color:#0645ad;text-decoration:none}"""


def _h(text: str) -> str:
    return html.escape(clean_text(text)).replace("\n", "<br>")


def html_quote_tables(groups: Sequence[QuoteGroup]) -> str:
    """The quote tables alone (an HTML fragment), each group under an anchor."""
    return "\n".join(_html_parts(groups))


def _html_parts(groups: Sequence[QuoteGroup]) -> Iterator[str]:
    """The quote tables' lines: a group's heading and table head, then each quote's rows."""
    for group in groups:
        yield (f'<h2 id="{html.escape(group.anchor)}">{_h(group.title)}'
               f" ({len(group.quotes)})</h2>\n<table><tr><th>中文</th><th>English</th></tr>")
        for q in group.quotes:
            memo = (f'\n<tr><td class="memo" colspan="2">memo: {_h(q.memo)}</td></tr>'
                    if q.memo else "")
            yield (f'<tr><td lang="zh">{_h(q.zh)}</td><td lang="en">{_h(q.en)}</td></tr>'
                   f'\n<tr><td class="where">{_h(where(q))}</td>'
                   f'<td class="where">{_h(_codes_line(q))}</td></tr>{memo}')
        yield "</table>"


def _page_head(title: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_h(title)}</title>'
            f"<style>{_CSS}</style></head><body><h1>{_h(title)}</h1>\n")


PAGE_TAIL = "\n</body></html>\n"


def html_page(title: str, body: str) -> str:
    return _page_head(title) + body + PAGE_TAIL


def render_html(groups: Sequence[QuoteGroup], *, title: str = "Quotes") -> str:
    return "".join(iter_html(groups, title=title))


def iter_html(groups: Sequence[QuoteGroup], *, title: str = "Quotes") -> Iterator[str]:
    """The HTML page, a piece per quote."""
    yield _page_head(title)
    for n, part in enumerate(_html_parts(groups)):
        yield part if n == 0 else "\n" + part
    yield PAGE_TAIL


def _docx_text(text: str) -> str:
    # XML 1.0 forbids most control characters; python-docx would raise on them
    return "".join(ch for ch in clean_text(text) if ch in "\t\n" or ord(ch) >= 0x20)


def write_docx(groups: Sequence[QuoteGroup], out: Path, *, title: str = "Quotes") -> None:
    """A Word document: a heading per group, a two-column table (中文 | English) per group."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(_docx_text(title), level=1)
    for group in groups:
        doc.add_heading(_docx_text(f"{group.title} ({len(group.quotes)})"), level=2)
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, ("中文", "English"), strict=True):
            cell.paragraphs[0].add_run(name).bold = True
        for q in group.quotes:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = _docx_text(q.zh), _docx_text(q.en)
            meta = table.add_row().cells
            merged = meta[0].merge(meta[1])
            line = where(q) + (f" — {_codes_line(q)}" if q.codes else "")
            run = merged.paragraphs[0].add_run(_docx_text(line))
            run.italic, run.font.size = True, Pt(8)
            if q.memo:
                merged.add_paragraph().add_run(_docx_text("memo: " + q.memo)).font.size = Pt(8)
    doc.save(str(out))


def render_matrix_html(m: Matrix, percent: list[list[float]] | None = None) -> str:
    """The matrix, each non-empty cell a link to its quotes further down the page."""
    e = html.escape
    parts = [f"<p>{e(clean_text(m.caption))}</p>", "<table><tr><th></th>"]
    parts += [f'<th title="{e(t)}">{e(clean_text(c))}</th>' for c, t in zip(m.cols, m.col_titles or m.cols, strict=True)]
    parts.append("</tr>")
    groups = []
    for i, r in enumerate(m.rows):
        title = (m.row_titles or m.rows)[i]
        parts.append(f'<tr><th title="{e(title)}">{e(clean_text(r))}</th>')
        for j in range(len(m.cols)):
            text = _cell(m, i, j, percent)
            if m.counts[i][j]:
                anchor = f"cell-{i}-{j}"
                col_title = (m.col_titles or m.cols)[j]
                groups.append(QuoteGroup(f"{title} × {col_title}", anchor, m.cells.get((i, j), [])))
                text = f'<a href="#{anchor}">{e(text)}</a>'
            parts.append(f'<td class="n">{text}</td>')
        parts.append("</tr>")
    parts.append("</table>")
    parts.append(html_quote_tables(groups))
    return html_page(f"Matrix {m.row_facet} × {m.col_spec}", "\n".join(parts))


def build_matrix(
    quotes: Iterable[Quote], codebook: Codebook, *, rows: str, cols: str, coder: str,
    count: str = "segments", documents: dict[str, dict[str, Any]] | None = None,
    keep_cells: bool = True,
) -> Matrix:
    """Rows: the codes of facet ``rows``; columns: the codes of a facet, every document
    (``document``) or every value of a document attribute (``attr:NAME``). A cell counts the
    coder's segments (or, with ``count='documents'``, the documents holding such segments)
    that carry the row code and fall in the column. ``documents`` (id → attributes) lists the
    documents that may form columns, coded or not.

    ``quotes`` are read once, as they come: only the counts are kept (and, with
    ``keep_cells``, each cell's quotes, which the HTML matrix links to).
    """
    if count not in ("segments", "documents"):
        raise UsageError(f"--count must be segments or documents, not {count!r}")
    row_ids = facet_codes(codebook, rows)
    documents = documents or {}
    facet_cols: list[str] | None = None
    if cols.startswith("attr:"):
        name = cols[5:].strip()
        if not name:
            raise UsageError("--cols attr:NAME needs an attribute name")
        cols = f"attr:{name}"
    elif cols != "document":
        facet_cols = facet_codes(codebook, cols)
    tally = _Tally(set(row_ids), cols, set(facet_cols or ()), count, keep_cells)
    for q in quotes:
        tally.add(q)
    if facet_cols is not None:
        col_ids = facet_cols
    elif cols == "document":
        col_ids = list(documents) or sorted(tally.documents)
    else:
        values = {NO_VALUE if a.get(name) in (None, "") else str(a.get(name)) for a in documents.values()}
        values |= tally.keys
        col_ids = sorted(values - {NO_VALUE}) + ([NO_VALUE] if NO_VALUE in values else [])
    counts = [[tally.size(r, c) for c in col_ids] for r in row_ids]
    cells = {(i, j): found for i, r in enumerate(row_ids) for j, c in enumerate(col_ids)
             if (found := tally.cells.get((r, c)))}
    return Matrix(rows=row_ids, cols=col_ids, counts=counts, coder=coder, count=count,
                  row_titles=[code_title(codebook, r) for r in row_ids],
                  col_titles=[code_title(codebook, c) if codebook.code(c) else c for c in col_ids],
                  row_facet=rows, col_spec=cols, cells=cells)


class _Tally:
    """A matrix's cells counted as quotes come: (row code, column key) → segments, or the set
    of their documents; the quotes themselves only when kept."""

    def __init__(self, row_ids: set[str], cols: str, col_codes: set[str], count: str,
                 keep_cells: bool) -> None:
        self.row_ids, self.cols, self.col_codes = row_ids, cols, col_codes
        self.by_documents, self.keep_cells = count == "documents", keep_cells
        self.segments: dict[tuple[str, str], int] = {}
        self.cell_documents: dict[tuple[str, str], set[str]] = {}
        self.cells: dict[tuple[str, str], list[Quote]] = {}
        self.documents: set[str] = set()  # of every quote
        self.keys: set[str] = set()  # the column keys of every quote

    def add(self, q: Quote) -> None:
        self.documents.add(q.document)
        keys = _column_keys(q, self.cols, self.col_codes)
        self.keys |= keys
        for key in keys:
            for code in q.code_ids & self.row_ids:
                cell = (code, key)
                self.segments[cell] = self.segments.get(cell, 0) + 1
                if self.by_documents:
                    self.cell_documents.setdefault(cell, set()).add(q.document)
                if self.keep_cells:
                    self.cells.setdefault(cell, []).append(q)

    def size(self, row: str, col: str) -> int:
        if self.by_documents:
            return len(self.cell_documents.get((row, col), ()))
        return self.segments.get((row, col), 0)


