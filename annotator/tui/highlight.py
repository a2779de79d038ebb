"""Segment text with codebook keywords in their code's colour and corpus keywords emphasised."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.style import Style
from rich.text import Text

from annotator.model import Codebook

DEFAULT_COLOR = "yellow"
_EMPHASIS = {"zh": Style(underline=True), "en": Style(underline=True, italic=True)}


def _spans(haystack: str, needle: str) -> Iterable[tuple[int, int]]:
    if not needle:
        return
    start = haystack.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = haystack.find(needle, start + len(needle))


class Highlighter:
    """Highlights texts against one codebook; the keywords and their styles are prepared once."""

    def __init__(self, codebook: Codebook) -> None:
        self._words: dict[str, list[tuple[str, Style]]] = {"zh": [], "en": []}
        self._default = Style(color=DEFAULT_COLOR, bold=True)
        self._styles: dict[str, Style] = {}
        for code in codebook.codes:
            style = self._styles[code.id] = Style(color=code.color or DEFAULT_COLOR, bold=True)
            self._words["zh"] += [(w, style) for w in code.keywords_zh if w]
            self._words["en"] += [(w.lower(), style) for w in code.keywords_en if w]

    def __call__(self, text: str, lang: str, emphasis: Iterable[str] = (),
                 cited: Sequence[tuple[str, str]] | None = None) -> Text:
        """``text`` as Rich Text: each code's keywords in ``lang`` bold in the code's colour
        (English case-insensitive); ``emphasis`` words underlined. With ``cited`` ((word, code)
        pairs: the evidence the suggestion panel shows), exactly those words are coloured,
        each in its code's colour, instead of every codebook keyword."""
        out = Text(text)
        hay = text.lower() if lang == "en" else text
        words = self._words.get(lang, []) if cited is None else [
            (w.lower() if lang == "en" else w, self._styles.get(c, self._default)) for w, c in cited]
        for needle, style in words:
            for start, end in _spans(hay, needle):
                out.stylize(style, start, end)
        emph = _EMPHASIS.get(lang, _EMPHASIS["zh"])
        for word in emphasis:
            needle = word.lower() if lang == "en" else word
            for start, end in _spans(hay, needle):
                out.stylize(emph, start, end)
        return out


def highlight(text: str, lang: str, codebook: Codebook, emphasis: Iterable[str] = ()) -> Text:
    """``text`` highlighted against ``codebook`` (see :class:`Highlighter`, which keeps the
    prepared keywords between calls)."""
    return Highlighter(codebook)(text, lang, emphasis)
