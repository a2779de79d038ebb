"""Suggested codes, ranked, each with the words that support it."""

from __future__ import annotations

from typing import Any

from textual.content import Content

from annotator.model import Codebook
from annotator.nlp.evidence import SHOWN_CODES, SHOWN_WORDS
from annotator.tui.i18n import t
from annotator.tui.markup import escape
from annotator.tui.widgets.frames import FramedStatic
from annotator.tui.widgets.steady import update_steady


def suggestion_markup(codebook: Codebook, lang: str, suggestions: Any | None, applied: frozenset[str],
                      *, top: int = SHOWN_CODES) -> str:
    if suggestions is None:
        return f"[dim]{escape(t(lang, 'suggestions_loading'))}[/]"
    items = []
    marked = False
    for s in suggestions.codes[:top]:
        code = codebook.code(s.code)
        if code is None:
            continue
        color = code.color or "yellow"
        key = escape(f"[{code.key}]") if code.key else ""
        mark = "●" if s.code in applied else ""
        words = t(lang, "list_sep").join(s.evidence[:SHOWN_WORDS])
        space = "" if lang == "zh" else " "  # a full-width bracket brings its own space
        evidence = f"{space}[dim]{escape(t(lang, 'evidence', words=words))}[/]" if words else ""
        first = ""
        if not marked and s.code not in applied:  # what enter applies
            first, marked = "⏎ ", True
        label = escape(code.label.get(lang) or code.id)
        items.append(
            f"[@click=screen.apply_code({s.code!r})]{first}[b {color}]{key}[/]{mark} {label}[/]"
            f"{evidence}"
        )
    if not items:
        return f"[dim]{escape(t(lang, 'suggestions_none'))}[/]"
    return f"[b]{escape(t(lang, 'suggestions'))}[/] " + "  ".join(items)


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
