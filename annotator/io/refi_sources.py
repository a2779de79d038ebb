"""The plain-text sources of a ``.qdpx``: one per document and language, each segment one
paragraph (``speaker：text``, ``speaker: text`` in English), paragraphs separated by one blank
line, blank lines inside a segment collapsed to one line break so that paragraphs and segments
stay one to one; UTF-8, LF, no BOM, a line break at the end."""

from __future__ import annotations

import re
from itertools import accumulate

from annotator.model import SegmentRow

_BLANK_LINES = re.compile(r"\n\s*\n")


def paragraph_text(text: str) -> str:
    """A segment's text with no blank line inside (a paragraph and a segment stay one to one)."""
    if "\n" in text or "\r" in text:
        text = _BLANK_LINES.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n")).strip("\n")
    return text


def paragraphs(segments: list[SegmentRow], lang: str) -> list[str]:
    """Each segment as one paragraph of the ``lang`` source: ``speaker：text`` (``: `` in English)."""
    texts = [s[2] for s in segments] if lang == "zh" else [s[3] for s in segments]
    joined = "".join(texts)
    if "\n" in joined or "\r" in joined:
        texts = [paragraph_text(t) for t in texts]
    sep = "：" if lang == "zh" else ": "
    return [f"{s[1]}{sep}{t}" if s[1] else t for s, t in zip(segments, texts, strict=True)]


def source_text(paras: list[str]) -> tuple[str, list[int]]:
    """The source made of ``paras`` (one blank line between them, a line break at the end) and
    where each paragraph starts in it."""
    starts = [0, *accumulate(len(p) + 2 for p in paras)]
    return "\n\n".join(paras) + "\n", starts
