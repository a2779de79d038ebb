"""Segment text with codebook keywords in their code's colour and corpus keywords emphasised."""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text

from annotator.model import Codebook

DEFAULT_COLOR = "yellow"


def _spans(haystack: str, needle: str) -> Iterable[tuple[int, int]]:
    if not needle:
        return
    start = haystack.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = haystack.find(needle, start + len(needle))


def highlight(text: str, lang: str, codebook: Codebook, emphasis: Iterable[str] = ()) -> Text:
    """``text`` as Rich Text: each code's keywords in ``lang`` bold in the code's colour
    (English case-insensitive); ``emphasis`` words underlined."""
    out = Text(text)
    hay = text.lower() if lang == "en" else text
    for code in codebook.codes:
        words = code.keywords_zh if lang == "zh" else code.keywords_en
        style = Style(color=code.color or DEFAULT_COLOR, bold=True)
        for word in words:
            needle = word.lower() if lang == "en" else word
            for start, end in _spans(hay, needle):
                out.stylize(style, start, end)
    for word in emphasis:
        needle = word.lower() if lang == "en" else word
        for start, end in _spans(hay, needle):
            out.stylize(Style(underline=True, italic=lang == "en"), start, end)
    return out
