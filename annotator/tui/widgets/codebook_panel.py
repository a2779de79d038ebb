"""The codebook panel: facets, codes, keys, labels and which codes are applied.

Each code is a link: clicking it runs the screen's ``toggle_code`` action.
"""

from __future__ import annotations

from collections.abc import Hashable

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual

from annotator.model import Code, Codebook, CoderState
from annotator.tui.i18n import t
from annotator.tui.markup import escape
from annotator.tui.widgets.frames import FramedStatic, draw

ON_MARK = "●"
OFF_MARK = "·"
LABEL_CELLS = 22
CODER_CELLS = 7
KEPT = 256  # markup lines, contents and heights kept per panel


def _link(code: Code, body: str) -> str:
    return f"[@click=screen.toggle_code({code.id!r})]{body}[/]"


def _chip(code: Code, lang: str, on: bool) -> str:
    color = code.color or "yellow"
    key = escape(f"[{code.key}]") if code.key else "   "
    label = escape(code.label.get(lang) or code.id)
    if on:
        return _link(code, f"[b reverse {color}]{key}{ON_MARK}{label}[/]")
    # the off mark, not a space, joins key and label: a line never breaks between them
    return _link(code, f"[b {color}]{key}[/]{OFF_MARK if code.key else ' '}{label}")


def blind_markup(codebook: Codebook, lang: str, state: CoderState) -> str:
    """One paragraph per facet with its codes flowing; applied codes reversed in their colour."""
    return "\n".join(blind_lines(codebook, lang, state))


def blind_lines(codebook: Codebook, lang: str, state: CoderState) -> list[str]:
    """The paragraphs of :func:`blind_markup`, one markup line each."""
    if not codebook.codes:
        return [escape(t(lang, "codebook_empty"))]
    lines = []
    for facet in codebook.facets:
        kind = t(lang, "multiple" if facet.multiple else "single")
        space = "" if lang == "zh" else " "  # the full-width bracket brings its own space
        head = (f"[b]{escape(facet.label.get(lang) or facet.id)}[/]{space}"
                f"[dim]{escape(t(lang, 'facet_kind', kind=kind))}[/]")
        chips = "  ".join(_chip(c, lang, c.id in state.codes) for c in facet.codes)
        lines.append(f"{head}  {chips}")
    return lines


def _fit(text: str, cells: int) -> str:
    return set_cell_size(text, cells) if cell_len(text) != cells else text


def _fit_label(text: str, cells: int) -> str:
    """``text`` in ``cells`` cells, ending with "…" where it is cut."""
    if cell_len(text) <= cells:
        return _fit(text, cells)
    return set_cell_size(text, cells - 1) + "…"


def label_cells(codebook: Codebook, lang: str, coders: int, width: int) -> int:
    """The lead grid's label column: the longest label where the width allows, at least
    ``LABEL_CELLS``."""
    longest = max((cell_len(" " + (c.label.get(lang) or c.id)) for c in codebook.codes), default=0)
    room = width - 4 - coders * CODER_CELLS - 2
    return max(LABEL_CELLS, min(longest, room))


def lead_markup(codebook: Codebook, lang: str, states: dict[str, CoderState],
                cells: int = LABEL_CELLS) -> str:
    """One line per code, one column per coder (this coder first), ● where applied."""
    return "\n".join(lead_lines(codebook, lang, states, cells))


def lead_lines(codebook: Codebook, lang: str, states: dict[str, CoderState],
               cells: int = LABEL_CELLS) -> list[str]:
    """The lines of :func:`lead_markup`, one markup line each; labels take ``cells`` cells
    (a longer one ends with "…")."""
    if not codebook.codes:
        return [escape(t(lang, "codebook_empty"))]
    coders = list(states)
    head = " " * (4 + cells) + "".join(
        escape(_fit(" " + c, CODER_CELLS)) for c in coders
    )
    done = " " * (4 + cells) + "".join(
        escape(_fit(" " + (t(lang, "done_mark") if states[c].done else "-"), CODER_CELLS))
        for c in coders
    )
    lines = [f"[b]{head}[/]", f"[dim]{done}[/]"]
    for facet in codebook.facets:
        lines.append(f"[b]{escape(facet.label.get(lang) or facet.id)}[/]")
        for code in facet.codes:
            color = code.color or "yellow"
            key = escape(f"[{code.key}]") if code.key else "   "
            label = escape(_fit_label(" " + (code.label.get(lang) or code.id), cells))
            marks = "".join(
                _fit(f"   {ON_MARK if code.id in states[c].codes else OFF_MARK}", CODER_CELLS)
                for c in coders
            )
            mine = code.id in states[coders[0]].codes
            body = f"[b {color}]{key}[/]{label}" if not mine else f"[b reverse {color}]{key}{label}[/]"
            lines.append(_link(code, body) + f"[{color}]{marks}[/]")
    return lines


def lead_rows_lines(codebook: Codebook, lang: str, states: dict[str, CoderState]) -> list[str]:
    """The compact lead view, for terminals too small for :func:`lead_lines`: this coder's
    codebook as in blind mode (keys, labels, applied codes), then one line per other coder who
    has worked on the segment with the codes they applied, and the coders who have not."""
    coders = list(states)
    lines = blind_lines(codebook, lang, states[coders[0]])
    if not codebook.codes:
        return lines
    waiting = []
    for coder in coders[1:]:
        state = states[coder]
        if not state.done and not state.codes:
            waiting.append(coder)
            continue
        chips = []
        for code in codebook.codes:
            if code.id in state.codes:
                key = escape(f"[{code.key}]") if code.key else ""
                chips.append(f"[b {code.color or 'yellow'}]{key}[/]"
                             f"{escape(code.label.get(lang) or code.id)}")
        body = "  ".join(chips) if chips else f"[dim]{escape(t(lang, 'lead_no_code'))}[/]"
        mark = "✓" if state.done else "…"
        lines.append(f"[b]{escape(coder)}[/] {mark} {body}")
    if waiting:
        lines.append(f"[dim]{escape(t(lang, 'lead_waiting', names=', '.join(waiting)))}[/]")
    return lines


def lead_grid_fits(codebook: Codebook, coders: int, size: tuple[int, int]) -> bool:
    """Whether the grid of :func:`lead_lines` fits a terminal of ``size`` (columns, rows): its
    lines unwrapped, and at most half the rows (what is left is for the texts)."""
    width, height = size
    lines = 2 + len(codebook.facets) + len(codebook.codes)
    return width >= 4 + LABEL_CELLS + coders * CODER_CELLS + 2 and lines <= (height - 3) // 2


class CodebookPanel(FramedStatic):
    """Shows the codebook with this coder's (or, in lead mode, every coder's) codes.

    Each markup line (a facet's paragraph, or a code's row in lead mode) is parsed, wrapped and
    drawn once per width and kept: toggling a code draws only the lines of its facet again.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parsed: dict[str, Content] = {}  # markup line → parsed
        # (line, its number, width) → content lines
        self._wrapped: dict[tuple[str, int, int], list[Strip]] = {}
        self._final: dict[tuple[int, int], tuple[Strip, Strip]] = {}  # (id, y) → (line, drawn)
        self._final_of: Hashable = None  # the size and colours the drawn lines are for
        self._shown: tuple[str, ...] | None = None
        # blind mode: (language, codes applied) → markup lines, for this codebook
        self._lines_of: dict[tuple[str, frozenset[str]], tuple[str, ...]] = {}
        self._lines_of_codebook: Codebook | None = None
        self._joined: dict[tuple[str, ...], Content] = {}  # markup lines → their content
        self._heights: dict[tuple[tuple[str, ...], int], int] = {}  # (lines, width) → height
        self._no_blank = self._blank = Strip.blank(0)

    def show(self, codebook: Codebook, lang: str, states: dict[str, CoderState], *, lead: bool) -> None:
        lines = self._lines(codebook, lang, states, lead=lead)
        if lines == self._shown:
            return
        before = self._height(self._shown)
        after = self._height(lines)
        content = self._content(lines)
        self._shown = self._shown_key = lines
        # toggling a code only changes marks of the same width: the height stays, no layout
        self.update(content, layout=before is None or before != after)

    def prepare_codes(self, codebook: Codebook, lang: str, codes: frozenset[str]) -> None:
        """Parse and wrap ahead what :meth:`show` draws in blind mode for a coder who applied
        ``codes`` (a segment about to be shown), so that the key that shows it does not."""
        lines = self._blind_lines(codebook, lang, codes)
        if lines != self._shown:
            self._height(lines)
            self._content(lines)

    def _content(self, lines: tuple[str, ...]) -> Content:
        content = self._joined.get(lines)
        if content is None:
            if len(self._joined) > KEPT:
                self._joined.clear()
            content = self._joined[lines] = Content("\n").join([self._parse(line) for line in lines])
        return content

    def _lines(self, codebook: Codebook, lang: str, states: dict[str, CoderState], *,
               lead: bool) -> tuple[str, ...]:
        """The markup lines to show; in blind mode kept per set of applied codes (they are all
        a coder's state changes in the panel)."""
        if lead:
            size = self.app.size
            if lead_grid_fits(codebook, len(states), (size.width, size.height)):
                cells = label_cells(codebook, lang, len(states), size.width)
                return tuple(lead_lines(codebook, lang, states, cells))
            return tuple(lead_rows_lines(codebook, lang, states))
        return self._blind_lines(codebook, lang, next(iter(states.values())).codes)

    def _blind_lines(self, codebook: Codebook, lang: str, codes: frozenset[str]) -> tuple[str, ...]:
        if codebook is not self._lines_of_codebook:
            self._lines_of.clear()
            self._lines_of_codebook = codebook
        key = (lang, codes)
        lines = self._lines_of.get(key)
        if lines is None:
            if len(self._lines_of) > KEPT:
                self._lines_of.clear()
            lines = self._lines_of[key] = tuple(
                blind_lines(codebook, lang, CoderState(codes=codes)))
        return lines

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._wrapped.clear()
        self._heights.clear()
        self._final.clear()
        self._blank = self._no_blank

    def _parse(self, line: str) -> Content:
        content = self._parsed.get(line)
        if content is None:
            if len(self._parsed) > 1024:
                self._parsed.clear()
            content = self._parsed[line] = Content.from_markup(line)
        return content

    def _wrap(self, line: str, number: int, width: int) -> list[Strip]:
        """Markup line ``number`` wrapped to ``width`` (its cells carry their offset in the whole
        content, as Textual's text selection expects: hence the empty lines before it)."""
        key = (line, number, width)
        strips = self._wrapped.get(key)
        if strips is None:
            if len(self._wrapped) > 1024:
                self._wrapped.clear()
                self._final.clear()
            content = Content("\n" * number) + self._parse(line) if number else self._parse(line)
            strips = Visual.to_strips(self, content, width, None, self.visual_style)
            strips = self._wrapped[key] = strips[number:]
        return strips

    def _height(self, lines: tuple[str, ...] | None) -> int | None:
        """Lines these markup lines take at the current width (None before the first layout)."""
        width = self.scrollable_content_region.width
        if lines is None or width <= 0:
            return None
        key = (lines, width)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > KEPT:
                self._heights.clear()
            height = self._heights[key] = sum(
                len(self._wrap(line, n, width)) for n, line in enumerate(lines))
        return height

    def _draw(self, visual: Visual) -> list[Strip]:
        shown = self._shown
        if shown is None or tuple(self.styles.content_align) != ("left", "top"):
            return super()._draw(visual)
        width, height = self.size
        content = [strip for n, line in enumerate(shown)
                   for strip in self._wrap(line, n, width)][:height]
        blank = self._blank
        if blank.cell_length != width or blank is self._no_blank:
            blank = self._blank = Strip.blank(width, self.visual_style.rich_style)

        def content_line(y: int) -> Strip:
            return content[y] if y < len(content) else blank

        region = self.region
        final_of = (region.size, self.background_colors)
        if final_of != self._final_of:
            self._final.clear()
            self._final_of = final_of
        top = self.content_region.y - region.y
        out = []
        for y in range(region.height):
            row = y - top
            strip = content[row] if 0 <= row < len(content) else blank
            key = (id(strip), y)
            hit = self._final.get(key)
            if hit is None or hit[0] is not strip:
                hit = self._final[key] = (
                    strip, draw(self, content_line, Region(0, y, region.width, 1))[0])
            out.append(hit[1])
        return out
