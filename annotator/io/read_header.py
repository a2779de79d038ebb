"""The header block of a Word transcript: a title and lines such as ``访谈时间：2024年3月5日``
before the first turn, which describe the interview rather than being part of it."""

from __future__ import annotations

import re
from typing import Any

from annotator.io.read_common import clean_text, parse_header

#: Fields that describe an interview (compared in lower case).
FIELDS = {
    "标题", "题目", "时间", "日期", "访谈时间", "访谈日期", "采访时间", "采访日期", "地点", "访谈地点",
    "采访地点", "访谈方式", "时长", "访谈时长", "编号", "访谈编号", "记录人", "整理人", "转录人",
    "title", "date", "time", "place", "location", "venue", "duration", "interview date",
    "interview time", "interview location", "interview place", "interview no.", "interview id",
    "transcriber", "transcribed by", "recorded by",
}
#: Fields naming a person in the interview: also speaker labels (``访谈人：您好``), so taken as
#: a header line only in a block that already has a title or another field.
ROLE_FIELDS = {
    "访谈人", "访谈者", "访谈员", "采访人", "采访者", "访问人", "访问者", "受访人", "受访者", "被访者",
    "被访人", "访谈对象", "受访对象", "interviewer", "interviewee", "respondent", "participant",
}
_FIELD_LINE = re.compile(r"\s*([^：:]{1,20}?)\s*[：:]\s*(\S.{0,59})\s*$")
_SENTENCE_END = re.compile(r"[。？！?!…]")
MAX_TITLE = 40


def _field(text: str, *, roles: bool) -> tuple[str, str] | None:
    match = _FIELD_LINE.fullmatch(text)
    if match is None or _SENTENCE_END.search(match.group(2)):
        return None
    key = match.group(1).strip()
    known = FIELDS | ROLE_FIELDS if roles else FIELDS
    return (key, match.group(2).strip()) if key.lower() in known else None


def _is_title(text: str, style: str, following: str | None) -> bool:
    if not text or len(text) > MAX_TITLE or _SENTENCE_END.search(text) or "\n" in text:
        return False
    if parse_header(text) is not None:  # a speaker prefix or a timestamp
        return False
    if style.startswith(("Title", "Heading")):
        return True
    # a short plain line is a title when a header field or a speaker's turn follows it
    return following is not None and (_field(following, roles=True) is not None
                                      or parse_header(following) is not None)


def docx_header(document: Any) -> tuple[int, dict[str, str]]:
    """How many leading body blocks (paragraphs) form the header block, and the attributes they
    give: ``title`` for a title line, the field name for each ``field：value`` line, and
    ``header``, the block's lines as they were."""
    from docx.table import Table

    paragraphs: list[tuple[str, str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table) or len(paragraphs) > 20:
            break
        paragraphs.append((clean_text(block.text).strip(), block.style.name if block.style else ""))
    texts = [text for text, _ in paragraphs if text]
    attributes: dict[str, str] = {}
    lines: list[str] = []
    count = 0
    for index, (text, style) in enumerate(paragraphs):
        if not text:
            count += 1
            continue
        following = next((t for t, _ in paragraphs[index + 1:] if t), None)
        if not lines and _is_title(text, style, following):
            attributes["title"] = text
        elif (field := _field(text, roles=bool(lines))) is not None and field[0] not in attributes:
            attributes[field[0]] = field[1]
        else:
            break
        lines.append(text)
        count += 1
    if not lines or len(lines) == len(texts):  # nothing, or nothing but a header: all turns
        return 0, {}
    return count, {**attributes, "header": "\n".join(lines)}
