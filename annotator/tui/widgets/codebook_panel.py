"""The codebook panel: facets, codes, keys, labels and which codes are applied.

Each code is a link: clicking it runs the screen's ``toggle_code`` action.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.markup import escape
from textual.widgets import Static

from annotator.model import Code, Codebook, CoderState
from annotator.tui.i18n import t
from annotator.tui.widgets.steady import update_steady

ON_MARK = "●"
OFF_MARK = "·"
LABEL_CELLS = 22
CODER_CELLS = 7


def _link(code: Code, body: str) -> str:
    return f"[@click=screen.toggle_code({code.id!r})]{body}[/]"


def _chip(code: Code, lang: str, on: bool) -> str:
    color = code.color or "yellow"
    key = escape(f"[{code.key}]") if code.key else "   "
    label = escape(code.label.get(lang) or code.id)
    if on:
        return _link(code, f"[b reverse {color}]{key}{ON_MARK}{label}[/]")
    return _link(code, f"[b {color}]{key}[/] {label}")


def blind_markup(codebook: Codebook, lang: str, state: CoderState) -> str:
    """One paragraph per facet with its codes flowing; applied codes reversed in their colour."""
    if not codebook.codes:
        return escape(t(lang, "codebook_empty"))
    lines = []
    for facet in codebook.facets:
        kind = t(lang, "multiple" if facet.multiple else "single")
        head = f"[b]{escape(facet.label.get(lang) or facet.id)}[/] [dim]({escape(kind)})[/]"
        chips = "  ".join(_chip(c, lang, c.id in state.codes) for c in facet.codes)
        lines.append(f"{head}  {chips}")
    return "\n".join(lines)


def _fit(text: str, cells: int) -> str:
    return set_cell_size(text, cells) if cell_len(text) != cells else text


def lead_markup(codebook: Codebook, lang: str, states: dict[str, CoderState]) -> str:
    """One line per code, one column per coder (this coder first), ● where applied."""
    if not codebook.codes:
        return escape(t(lang, "codebook_empty"))
    coders = list(states)
    head = " " * (4 + LABEL_CELLS) + "".join(
        escape(_fit(" " + c, CODER_CELLS)) for c in coders
    )
    done = " " * (4 + LABEL_CELLS) + "".join(
        escape(_fit(" " + (t(lang, "done_mark") if states[c].done else "-"), CODER_CELLS))
        for c in coders
    )
    lines = [f"[b]{head}[/]", f"[dim]{done}[/]"]
    for facet in codebook.facets:
        lines.append(f"[b]{escape(facet.label.get(lang) or facet.id)}[/]")
        for code in facet.codes:
            color = code.color or "yellow"
            key = escape(f"[{code.key}]") if code.key else "   "
            label = escape(_fit(" " + (code.label.get(lang) or code.id), LABEL_CELLS))
            marks = "".join(
                _fit(f"   {ON_MARK if code.id in states[c].codes else OFF_MARK}", CODER_CELLS)
                for c in coders
            )
            mine = code.id in states[coders[0]].codes
            body = f"[b {color}]{key}[/]{label}" if not mine else f"[b reverse {color}]{key}{label}[/]"
            lines.append(_link(code, body) + f"[{color}]{marks}[/]")
    return "\n".join(lines)


class CodebookPanel(Static):
    """Shows the codebook with this coder's (or, in lead mode, every coder's) codes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parsed: dict[str, Content] = {}  # markup → parsed, per set of applied codes
        self._shown: str | None = None
        self._content: Content | None = None

    def show(self, codebook: Codebook, lang: str, states: dict[str, CoderState], *, lead: bool) -> None:
        if lead:
            markup = lead_markup(codebook, lang, states)
        else:
            markup = blind_markup(codebook, lang, next(iter(states.values())))
        if markup == self._shown:
            return
        content = self._parsed.get(markup)
        if content is None:
            if len(self._parsed) > 256:
                self._parsed.clear()
            content = self._parsed[markup] = Content.from_markup(markup)
        self._shown = markup
        # toggling a code only changes marks of the same width: the height stays, no layout
        update_steady(self, content, self._content)
        self._content = content
