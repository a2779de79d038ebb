"""Segment text with codebook keywords in their code's colour, corpus keywords emphasised and
the parts of the segment an annotation was made on (imported narrower selections) marked.

Which keywords stand where is the matcher's answer (:meth:`annotator.nlp.lexicon.Lexicon.locate`
on the matches a suggestion cites); this module only styles the spans.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text

from annotator.model import Codebook
from annotator.nlp.lexicon import find_all

DEFAULT_COLOR = "yellow"
_EMPHASIS = {"zh": Style(underline=True), "en": Style(underline=True, italic=True)}


class Highlighter:
    """Styles texts for one codebook; each code's style is prepared once."""

    def __init__(self, codebook: Codebook) -> None:
        self._styles = {c.id: Style(color=c.color or DEFAULT_COLOR, bold=True)
                        for c in codebook.codes}
        self._default = Style(color=DEFAULT_COLOR, bold=True)
        self._selected = {c.id: Style(color=c.color or DEFAULT_COLOR, reverse=True)
                          for c in codebook.codes}

    def __call__(self, text: str, lang: str, keywords: Iterable[tuple[int, int, str]] = (),
                 emphasis: Iterable[str] = (), selected: Iterable[tuple[int, int, str]] = ()) -> Text:
        """``text`` as Rich Text: each ``selected`` part (start, end, code: an annotation made on
        part of the segment) on the code's colour; each ``keywords`` span bold in the code's
        colour; ``emphasis`` words underlined (English case-insensitive)."""
        out = Text(text)
        for start, end, code in selected:
            out.stylize(self._selected.get(code, Style(reverse=True)), start, end)
        for start, end, code in keywords:
            out.stylize(self._styles.get(code, self._default), start, end)
        hay = text.lower() if lang == "en" else text
        emph = _EMPHASIS.get(lang, _EMPHASIS["zh"])
        for word in emphasis:
            needle = word.lower() if lang == "en" else word
            for start, end in find_all(hay, needle):
                out.stylize(emph, start, end)
        return out
