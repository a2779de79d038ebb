"""Suggested codes, ranked, each with the words that support it."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.markup import escape

from annotator.model import Codebook
from annotator.tui.i18n import t
from annotator.tui.widgets.frames import FramedStatic
from annotator.tui.widgets.steady import update_steady


def enter_target(codebook: Codebook, suggestions: Any | None, applied: frozenset[str]) -> str | None:
    """The suggestion ``enter`` applies: the best one not applied yet that adds a code without
    replacing the answer of a single-choice facet (None when there is none)."""
    taken = {code.facet for code in codebook.codes if code.id in applied}
    for s in suggestions.codes if suggestions else ():
        code = codebook.code(s.code)
        if code is None or s.code in applied:
            continue
        facet = codebook.facet(code.facet)
        if facet is not None and not facet.multiple and code.facet in taken:
            continue
        return s.code
    return None


def suggestion_markup(codebook: Codebook, lang: str, suggestions: Any | None, applied: frozenset[str],
                      *, top: int = 3) -> str:
    if suggestions is None:
        return f"[dim]{escape(t(lang, 'suggestions_loading'))}[/]"
    items = []
    target = enter_target(codebook, suggestions, applied)
    for s in suggestions.codes[:top]:
        code = codebook.code(s.code)
        if code is None:
            continue
        color = code.color or "yellow"
        key = escape(f"[{code.key}]") if code.key else ""
        mark = "●" if s.code in applied else ("·" if key else " ")  # key and label stay together
        words = ", ".join(s.evidence[:4])
        evidence = f" [dim]({escape(words)})[/]" if words else ""
        first = "⏎" if s.code == target else ""  # what enter applies (joined to its chip)
        label = escape(code.label.get(lang) or code.id)
        items.append(
            f"[@click=screen.apply_code({s.code!r})]{first}[b {color}]{key}[/]{mark}{label}[/]"
            f"{evidence}"
        )
    if not items:
        return f"[dim]{escape(t(lang, 'suggestions_none'))}[/]"
    return f"[b]{escape(t(lang, 'suggestions'))}:[/] " + "  ".join(items)


class SuggestionPanel(FramedStatic):
    """The ranked suggestions for the current segment; click one to apply it. Its drawn frames
    are kept per markup, and the screen prepares the neighbours' ahead of time."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parsed: dict[str, Content] = {}
        self._shown: str | None = None
        self._content: Content | None = None

    def show(self, markup: str) -> None:
        """Show ``markup`` (parsed once per distinct markup); a repaint when the size stays."""
        if markup == self._shown:
            return
        content = self._parse(markup)
        self._shown = self._shown_key = markup
        update_steady(self, content, self._content)
        self._content = content

    def prepare_markup(self, markup: str) -> None:
        """Draw ``markup`` ahead of time (see :meth:`FramedStatic.prepare`)."""
        self.prepare(markup, lambda: self._parse(markup))

    def _parse(self, markup: str) -> Content:
        content = self._parsed.get(markup)
        if content is None:
            if len(self._parsed) > 256:
                self._parsed.clear()
            content = self._parsed[markup] = Content.from_markup(markup)
        return content
