"""(The export as first written, kept as the reference.) The plain-text sources of a document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annotator.model import Segment

_BLANK_LINES = re.compile(r"\n\s*\n")


def paragraph(segment: Segment, lang: str) -> str:
    """A segment as one paragraph of a source: ``speaker：text`` with no blank line inside."""
    text = segment.text(lang)
    if "\n" in text or "\r" in text:
        text = _BLANK_LINES.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n")).strip("\n")
    if segment.speaker:
        sep = "：" if lang == "zh" else ": "
        return f"{segment.speaker}{sep}{text}"
    return text


@dataclass
class SourceText:
    """One source: its text and each segment's [start, end) range in code points."""

    text: str
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)


def build_source(segments: list[Segment], lang: str) -> SourceText:
    parts: list[str] = []
    ranges: dict[str, tuple[int, int]] = {}
    pos = 0
    for i, seg in enumerate(segments):
        if i:
            parts.append("\n\n")
            pos += 2
        para = paragraph(seg, lang)
        ranges[seg.id] = (pos, pos + len(para))
        parts.append(para)
        pos += len(para)
    return SourceText("".join(parts) + "\n", ranges)
