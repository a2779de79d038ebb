"""Quotes rendered for reading and for a paper: terminal table, Markdown, HTML, JSON lines (Word:
``docx_quotes``).

Each quote is one coded segment with its Chinese and English text side by side, its document,
speaker, position or time, the document's attributes and the coder's memo. The renderers take
the quotes from the caller and never open a project. Each format is a stream of pieces: from
groups of quotes held by the caller (``iter_*``), or (``iter_*_filed``) from the quotes in
reading order, each with the groups it belongs to, rendered once and filed under its groups
(``group_spool``), so a large project's quotes need never be held at once nor read once per
group.
"""

from __future__ import annotations

import itertools
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.io.clean_text import clean_text
from annotator.io.group_spool import filed


@dataclass(slots=True)
class Quote:
    """One coded segment as quoted (not to be changed once made: quotes with the same codes or
    document share their ``codes`` and ``attributes``; a plain slotted class, quick to make in
    bulk)."""

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
    place = clock(quote.start) if quote.start is not None else f"¶{quote.position}"
    speaker = f" · {quote.speaker}" if quote.speaker else ""
    attrs = _attributes_text(quote.attributes)
    line = f"{quote.document} · {quote.segment}{speaker} · {place}"
    return f"{line} ({attrs})" if attrs else line


def _codes_line(quote: Quote) -> str:
    return _codes_text(quote.codes)


class _PerObject:
    """``make(obj)``, made once per object while it is in use: quotes share their ``codes``
    (all quotes with the same codes) and ``attributes`` (a document's quotes), and never change
    them. The objects are kept (so their ids are not reused), a few thousand at most."""

    def __init__(self, make: Callable[[Any], str]) -> None:
        self._make = make
        self._made: dict[int, tuple[object, str]] = {}

    def __call__(self, obj: Any) -> str:
        found = self._made.get(id(obj))
        if found is None or found[0] is not obj:
            if len(self._made) >= 4096:
                self._made.clear()
            found = self._made[id(obj)] = (obj, self._make(obj))
        return found[1]


_attributes_text = _PerObject(
    lambda attributes: ", ".join(f"{k}: {v}" for k, v in attributes.items() if k != "title"))
_codes_text = _PerObject(
    lambda codes: "; ".join(f"{facet}: {', '.join(ids)}" for facet, ids in codes.items() if ids))
_codes_markdown = _PerObject(lambda codes: _md(_codes_text(codes)))
_codes_html = _PerObject(lambda codes: _h(_codes_text(codes)))


def iter_json_lines(quotes: Iterable[Quote]) -> Iterator[str]:
    """One JSON object per segment (each segment once, in reading order), line by line."""
    seen: set[str] = set()
    line = JsonLines()
    for q in quotes:
        if q.segment not in seen:
            seen.add(q.segment)
            yield line(q)


class JsonLines:
    """A quote's JSON line, as ``json.dumps(quote.to_json(), ensure_ascii=False)`` writes it,
    made field by field: the codes and attributes, shared by many quotes, encoded once each."""

    def __init__(self) -> None:
        self._once = _PerObject(lambda value: json.dumps(value, ensure_ascii=False))

    def __call__(self, q: Quote) -> str:
        s = _json_string
        if not (type(q.segment) is type(q.document) is type(q.zh) is type(q.en) is type(q.memo)
                is str and (q.speaker is None or type(q.speaker) is str)):
            return json.dumps(q.to_json(), ensure_ascii=False) + "\n"
        return (f'{{"segment": {s(q.segment)}, "document": {s(q.document)}, "speaker": '
                f'{"null" if q.speaker is None else s(q.speaker)}, "zh": {s(q.zh)}, "en": {s(q.en)},'
                f' "codes": {self._once(q.codes)}, "attributes": {self._once(q.attributes)},'
                f' "memo": {s(q.memo)}}}\n')


_json_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def render_json_lines(quotes: Iterable[Quote]) -> str:
    return "".join(iter_json_lines(quotes))


def render_table(groups: Sequence[QuoteGroup], *, width: int = 100) -> str:
    return "".join(iter_table(groups, width=width))


def iter_table(groups: Sequence[QuoteGroup], *, width: int = 100) -> Iterator[str]:
    """Plain text for a terminal: the Chinese and English columns side by side, wrapped; a
    piece per quote."""
    layout = TableLayout(width)
    for group in groups:
        yield layout.head(group.title, len(group.quotes))
        for q in group.quotes:
            yield layout.quote(q)
        yield "\n"


def iter_table_filed(heads: Heads, members: Members, *, width: int = 100) -> Iterator[bytes]:
    """The text of :func:`iter_table` (encoded), each quote rendered once however many groups
    it is in (empty groups left out)."""
    layout = TableLayout(width)
    spool = filed(members, len(heads), layout.quote)
    try:
        for n, (name, _anchor) in enumerate(heads):
            if spool.sizes[n]:
                yield layout.head(name, spool.sizes[n]).encode()
                yield from spool.read(n)
                yield b"\n"
    finally:
        spool.close()


class TableLayout:
    """The terminal text of a group's heading and of a quote, ``width`` columns wide: what Rich
    prints for a heading, the quote's place, a borderless two-column table (Chinese | English,
    each half the width, wrapped, folding what does not fit) and its memo. Rich lays the table
    out once, for its column widths; each quote's texts are wrapped by Rich's own wrapping and
    set side by side here (Rich's table layout per quote costs a hundred times more)."""

    def __init__(self, width: int) -> None:
        from io import StringIO

        from rich.console import Console
        from rich.table import Table

        self._buffer = StringIO()
        self._console = Console(file=self._buffer, width=max(width, 40), color_system=None,
                                highlight=False, emoji=False, markup=False, legacy_windows=False)
        table = _quote_table()
        self._widths = table._calculate_column_widths(self._console, self._console.options)
        self._width = self._console.width
        assert isinstance(table, Table) and len(self._widths) == 2

    def head(self, title: str, size: int) -> str:
        return self._line(f"{clean_text(title)}  ({size})")

    def quote(self, q: Quote) -> str:
        columns = [self._cell(clean_text(text), width) for text, width in
                   zip((q.zh, q.en), self._widths, strict=True)]
        height = max(len(lines) for lines in columns)
        rows = ["".join(lines[n] if n < len(lines) else " " * width
                        for lines, width in zip(columns, self._widths, strict=True))
                for n in range(height)]
        memo = self._line("  memo: " + clean_text(q.memo)) if q.memo else ""
        return self._line("  " + clean_text(where(q))) + "\n".join(rows) + "\n" + memo

    def _cell(self, text: str, width: int) -> list[str]:
        """``text`` wrapped to a cell ``width`` wide (with two spaces of padding either side)."""
        from rich.cells import cell_len

        inner = width - 4
        if not text.isprintable():  # tabs, line breaks: Rich's Text does the lot
            from rich.text import Text

            lines = Text(text).wrap(self._console, inner, justify="left", overflow="fold",
                                    tab_size=8)
            return ["  " + (plain := line.plain) + " " * (inner - cell_len(plain)) + "  "
                    for line in lines]
        cells = _cells(text)
        used = cell_len(text) if cells is None else cells[-1]
        if used <= inner:  # fits as it is
            return ["  " + text + " " * (inner - used) + "  "]
        return ["  " + line + "  " for line in _wrapped(text, inner, cells)]

    def _line(self, text: str) -> str:
        """``text`` as Rich prints it (wrapped at the console's width)."""
        from rich.cells import cell_len
        from rich.text import Text

        if text.isprintable():
            cells = _cells(text)
            if (cell_len(text) if cells is None else cells[-1]) <= self._width:  # fits as it is
                return text + "\n"
        self._console.print(Text(text))
        return _taken(self._buffer)


def _cells(text: str) -> Sequence[int] | None:
    """The cell length of each beginning of ``text`` (``[i]``: of ``text[:i]``) where every
    character takes a cell or two (no joiner, no zero-width mark: each character is then a
    grapheme); None otherwise."""
    if text.isascii():
        return range(len(text) + 1)
    widths = list(map(_CELL_WIDTHS.__getitem__, text))
    return None if 0 in widths else list(itertools.accumulate(widths, initial=0))


def _wrapped(text: str, width: int, cells: Sequence[int] | None) -> list[str]:
    """A line of printable ``text`` as ``rich.text.Text.wrap`` folds and pads it to ``width``
    cells (left-justified, folding words longer than a line), step for step with Rich's own
    functions, without making a ``Text`` per line; ``cells``: :func:`_cells` of the text, when
    each character is a grapheme (the cells are then counted from each character's width)."""
    from rich._wrap import divide_line
    from rich.cells import cell_len, set_cell_size

    breaks = divide_line(text, width, fold=True) if cells is None else _divide(text, width, cells)
    offsets = [0, *breaks, len(text)]
    out = []
    for start, end in itertools.pairwise(offsets):
        stop = end
        if end - start > width and (space := _TRAILING_SPACE.search(text, start, end)):  # rstrip_end
            stop = end - min(space.end() - space.start(), end - start - width)
        line = text[start:stop]
        used = cell_len(line) if cells is None else cells[stop] - cells[start]  # Text.truncate
        out.append(set_cell_size(line, width) if used > width else line + " " * (width - used))
    return out


class _CellWidths(dict[str, int]):
    """A character's width in cells, as Rich measures it (kept once asked)."""

    def __missing__(self, char: str) -> int:
        from rich.cells import get_character_cell_size

        width = self[char] = get_character_cell_size(char)
        return width


_CELL_WIDTHS = _CellWidths()
_TRAILING_SPACE = re.compile(r"\s+$")
_NON_SPACE = re.compile(r"\S+")  # rich._wrap's words, without the white space either side


def _divide(text: str, width: int, cells: Sequence[int]) -> list[int]:
    """``rich._wrap.divide_line(text, width, fold=True)`` where ``cells[i]`` is the cell length
    of ``text[:i]`` and each character is a grapheme (the same steps; ``chop_cells`` by cells).

    Rich takes a word onto the line while the line's cells up to the word's end (its trailing
    spaces left out) fit in ``width``; those ends only grow, so the words a line takes are found
    by bisection, a line at a time instead of a word at a time."""
    spans = [m.span() for m in _NON_SPACE.finditer(text)]
    if not spans:
        return []
    starts = [a for a, _b in spans]
    starts[0] = 0  # the first word carries the text's leading spaces
    ends = [cells[b] for _a, b in spans]  # the cell where each word ends, trailing spaces left out
    breaks: list[int] = []
    line = 0  # the cell where the current line begins
    i, n = 0, len(spans)
    while (j := bisect_right(ends, line + width, i)) < n:  # words i..j-1 fit; word j does not
        start = starts[j]
        end = starts[j + 1] if j + 1 < n else len(text)
        if ends[j] - cells[start] > width:  # longer than a line: folded
            folded = _chopped(start, end, width, cells)
            for k, (first, last) in enumerate(folded):
                if start:
                    breaks.append(start)
                if k < len(folded) - 1:
                    start += last - first
            line = cells[folded[-1][0]]
        else:  # begins a line (a word that fits is never alone on a line it does not fit)
            breaks.append(start)
            line = cells[start]
        i = j + 1
    return breaks


def _chopped(start: int, end: int, width: int, cells: Sequence[int]) -> list[tuple[int, int]]:
    """``rich.cells.chop_cells(text[start:end], width)`` as (first, last) indices of ``text``."""
    lines = []
    size, first = 0, start
    for index in range(start, end):
        char = cells[index + 1] - cells[index]
        if size + char > width:
            lines.append((first, index))
            first, size = index, 0
        size += char
    if size:
        lines.append((first, end))
    return lines


def _quote_table() -> Any:
    from rich.table import Table

    table = Table(show_header=False, box=None, padding=(0, 2, 0, 2), expand=True)
    table.add_column("zh", ratio=1, overflow="fold")
    table.add_column("en", ratio=1, overflow="fold")
    return table


def _taken(buffer: Any) -> str:
    """What ``buffer`` (a StringIO) holds, leaving it empty."""
    text: str = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _md(text: str) -> str:
    if _MD_PLAIN.search(text) is None:  # nothing to clean, escape or break: most texts
        return text
    text = clean_text(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    if "\n" in text or "\u2028" in text or "\u2029" in text:  # what splitlines splits at, cleaned
        return "<br>".join(text.splitlines())
    return text


_MD_PLAIN = re.compile("[\x00-\x1f\x7f-\xa0\ufeff\\\\|<\u2028\u2029]")
"""What ``_md`` changes: what ``clean_text`` does, what it escapes, line breaks."""


def render_markdown(groups: Sequence[QuoteGroup], *, title: str = "Quotes") -> str:
    return "".join(iter_markdown(groups, title=title))


def iter_markdown(groups: Sequence[QuoteGroup], *, title: str = "Quotes") -> Iterator[str]:
    """The Markdown page, a piece per quote (pieces joined with nothing between them)."""
    yield markdown_title(title)
    for group in groups:
        yield markdown_group_head(group.title, len(group.quotes))
        for q in group.quotes:
            yield markdown_quote(q)
        yield "\n"


def markdown_title(title: str) -> str:
    return f"# {_md(title)}\n"


def markdown_group_head(title: str, size: int) -> str:
    return f"\n## {_md(title)} ({size})\n\n| 中文 | English |\n| --- | --- |"


def markdown_quote(q: Quote) -> str:
    memo = f"<br>memo: {_md(q.memo)}" if q.memo else ""
    return (f"\n| {_md(q.zh)} | {_md(q.en)} |"
            f"\n| *{_md(where(q))}* | *{_codes_markdown(q.codes)}*{memo} |")


Heads = Sequence[tuple[str, str]]
"""The groups of a page: (title, anchor) of each, in the order shown."""
Members = Iterable[tuple[Quote, Sequence[int]]]
"""Quotes in reading order, each with the groups (numbers in ``Heads``) it belongs to."""


def iter_markdown_filed(heads: Heads, members: Members, *, title: str = "Quotes") -> Iterator[bytes]:
    """The Markdown page of :func:`iter_markdown` (encoded), each quote rendered once however
    many groups it is in (empty groups left out)."""
    yield markdown_title(title).encode()
    spool = filed(members, len(heads), markdown_quote)
    try:
        for n, (name, _anchor) in enumerate(heads):
            if spool.sizes[n]:
                yield markdown_group_head(name, spool.sizes[n]).encode()
                yield from spool.read(n)
                yield b"\n"
    finally:
        spool.close()


_CSS = """body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.4rem .6rem;vertical-align:top;text-align:left}
td.where{color:#555;font-size:.9em}td.memo{color:#555;font-style:italic}th{background:#f3f3f3}
td.n{text-align:right}a{color:#0645ad;text-decoration:none}"""


def escape_html(text: str) -> str:
    """``html.escape(text)`` (without importing ``html``, whose entity table is slow to load)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def _h(text: str) -> str:
    if _HTML_PLAIN.search(text) is None:  # nothing to clean, escape or break: most texts
        return text
    return escape_html(clean_text(text)).replace("\n", "<br>")


_HTML_PLAIN = re.compile("[\x00-\x1f\x7f-\xa0\ufeff&<>\"']")
"""What ``_h`` changes: what ``clean_text`` does, what it escapes, line breaks."""


def html_quote_tables(groups: Sequence[QuoteGroup]) -> str:
    """The quote tables alone (an HTML fragment), each group under an anchor."""
    return "\n".join(_html_parts(groups))


def _html_parts(groups: Sequence[QuoteGroup]) -> Iterator[str]:
    """The quote tables' lines: a group's heading and table head, then each quote's rows."""
    for group in groups:
        yield html_group_head(group.title, group.anchor, len(group.quotes))
        for q in group.quotes:
            yield html_quote(q)
        yield "</table>"


def html_group_head(title: str, anchor: str, size: int) -> str:
    return (f'<h2 id="{escape_html(anchor)}">{_h(title)}'
            f" ({size})</h2>\n<table><tr><th>中文</th><th>English</th></tr>")


def html_quote(q: Quote) -> str:
    memo = (f'\n<tr><td class="memo" colspan="2">memo: {_h(q.memo)}</td></tr>'
            if q.memo else "")
    return (f'<tr><td lang="zh">{_h(q.zh)}</td><td lang="en">{_h(q.en)}</td></tr>'
            f'\n<tr><td class="where">{_h(where(q))}</td>'
            f'<td class="where">{_codes_html(q.codes)}</td></tr>{memo}')


def iter_html_tables_filed(heads: Heads, members: Members) -> Iterator[bytes]:
    """What :func:`html_quote_tables` makes of the non-empty groups (encoded), each quote
    rendered once however many groups it is in, in pieces."""
    spool = filed(members, len(heads), lambda q: "\n" + html_quote(q))
    try:
        first = True
        for n, (name, anchor) in enumerate(heads):
            if spool.sizes[n]:
                yield (("" if first else "\n") + html_group_head(name, anchor, spool.sizes[n])).encode()
                yield from spool.read(n)
                yield b"\n</table>"
                first = False
    finally:
        spool.close()


def html_page_head(title: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_h(title)}</title>'
            f"<style>{_CSS}</style></head><body><h1>{_h(title)}</h1>\n")


PAGE_TAIL = "\n</body></html>\n"


def html_page(title: str, body: str) -> str:
    return html_page_head(title) + body + PAGE_TAIL


def render_html(groups: Sequence[QuoteGroup], *, title: str = "Quotes") -> str:
    return "".join(iter_html(groups, title=title))


def iter_html(groups: Sequence[QuoteGroup], *, title: str = "Quotes") -> Iterator[str]:
    """The HTML page, a piece per quote."""
    yield html_page_head(title)
    for n, part in enumerate(_html_parts(groups)):
        yield part if n == 0 else "\n" + part
    yield PAGE_TAIL


def iter_html_filed(heads: Heads, members: Members, *, title: str = "Quotes") -> Iterator[bytes]:
    """The HTML page of :func:`iter_html` (encoded), each quote rendered once however many
    groups it is in (empty groups left out)."""
    yield html_page_head(title).encode()
    yield from iter_html_tables_filed(heads, members)
    yield PAGE_TAIL.encode()
