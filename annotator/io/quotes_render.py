"""Quotes rendered for reading and for a paper: terminal table, Markdown, HTML, Word, JSON lines.

Each quote is one coded segment with its Chinese and English text side by side, its document,
speaker, position or time, the document's attributes and the coder's memo. The renderers take
the quotes from the caller and never open a project. Each text format is also a stream of
pieces (``iter_*``), read group by group as the caller writes them, so a large project's quotes
need never be held at once; a group's quotes may be any sized collection that can be read more
than once.
"""

from __future__ import annotations

import html
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.io.read_common import clean_text


@dataclass(frozen=True)
class Quote:
    segment: str
    document: str
    position: int
    zh: str
    en: str
    speaker: str | None = None
    start: float | None = None
    end: float | None = None
    codes: dict[str, list[str]] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    memo: str = ""

    @property
    def code_ids(self) -> set[str]:
        return {c for ids in self.codes.values() for c in ids}

    def to_json(self) -> dict[str, Any]:
        return {"segment": self.segment, "document": self.document, "speaker": self.speaker,
                "zh": self.zh, "en": self.en, "codes": self.codes,
                "attributes": self.attributes, "memo": self.memo}


@dataclass(frozen=True)
class QuoteGroup:
    """Quotes under one heading: a code, or a cell of a facet × facet table."""

    title: str
    anchor: str
    quotes: Collection[Quote]


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

    from annotator.files import atomic_binary

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
    with atomic_binary(out) as f:
        doc.save(f)
