"""Readers for prose transcripts: plain text, Markdown and Word (.docx)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.errors import ImportFormatError
from annotator.io.archive_limits import check_archive
from annotator.io.encoding import open_text
from annotator.io.read_common import RawTurn, TurnBuilder, clean_text, is_speaker_name, parse_header
from annotator.io.read_header import docx_header

_MD_HEADING = re.compile(r" {0,3}#{1,6}(?:\s|$)")
_MD_RULE = re.compile(r" {0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_QUOTE = re.compile(r"^(?:\s{0,3}>\s?)+")
_MD_BULLET = re.compile(r"^\s{0,3}[-+*]\s+")
_MD_FRONT_MATTER_END = ("---", "...")


def read_txt(path: Path) -> Iterator[RawTurn]:
    """One turn per paragraph, or per line starting with a speaker prefix or timestamp."""
    builder = TurnBuilder(path)
    with open_text(path) as lines:
        for line in lines:
            done = builder.add(lines.lineno, clean_text(line))
            if done is not None:
                yield done
    done = builder.finish()
    if done is not None:
        yield done


def read_md(path: Path) -> Iterator[RawTurn]:
    """As ``read_txt``, ignoring front matter, headings and rules; ``**A**:`` is a speaker."""
    builder = TurnBuilder(path)
    with open_text(path) as lines:
        in_front_matter = False
        for line in lines:
            text = clean_text(line).rstrip()
            if lines.lineno == 1 and text == "---":
                in_front_matter = True
                continue
            if in_front_matter:
                in_front_matter = text not in _MD_FRONT_MATTER_END
                continue
            if _MD_HEADING.match(text) or _MD_RULE.match(text):
                done = builder.paragraph_break()
            else:
                text = _MD_QUOTE.sub("", text, count=1) if text.lstrip().startswith(">") else text
                text = _MD_BULLET.sub("", text, count=1)
                done = builder.add(lines.lineno, text.rstrip("\\"))
            if done is not None:
                yield done
    done = builder.finish()
    if done is not None:
        yield done


def read_docx(path: Path) -> Iterator[RawTurn]:
    """One turn per paragraph (a speaker or timestamp alone in a paragraph joins the next), and
    one per table row, in document order.

    A table row whose first cell is a speaker name (``采访者`` | ``最近怎么样？``) is a turn of that
    speaker; other rows are their cells' text joined. A table whose first row names a ``zh`` and/or
    ``en`` column as a CSV header would (说话人 | 中文 | 英文) gives bilingual turns. Another
    first row of column names (speaker, text, 说话人, 内容, ...) is skipped. ``line`` counts the body's paragraphs and table rows
    from 1. Soft line breaks inside a paragraph that start with a speaker prefix start a new
    turn too. A header block before the first turn (a title, ``访谈时间：2024年3月5日``, ...) is
    no turn: it becomes attributes of the document (see :func:`docx_header`), carried by the
    first turn.
    """
    try:
        import docx  # python-docx; imported here because it pulls in lxml
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportFormatError("reading .docx needs python-docx", path=path) from exc
    check_archive(path)  # a zip bomb is refused before python-docx inflates it
    try:
        document = docx.Document(str(path))
        blocks = list(_docx_blocks(document))
    except Exception as exc:  # python-docx raises many kinds (zip, XML, KeyError, ...)
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ImportFormatError(f"not a valid .docx file ({reason})", path=path) from exc
    skip, header = docx_header(document)
    turns = _docx_turns(path, blocks, skip)
    first = next(turns, None)
    if first is not None:
        first.attributes = {**header, **first.attributes}
        yield first
    yield from turns


def _docx_turns(path: Path, blocks: list[tuple[str | None, str] | RawTurn], skip: int) -> Iterator[RawTurn]:
    """The turns of the body's blocks after the first ``skip`` (the header block)."""
    builder = TurnBuilder(path)
    for number, block in enumerate(blocks, start=1):
        if number <= skip:
            continue
        if isinstance(block, RawTurn):  # a row of a bilingual table
            done = builder.finish()
            if done is not None:
                yield done
            block.line = number
            yield block
            continue
        speaker, paragraph = block
        if speaker is not None:
            done = builder.paragraph_break()
            if done is not None:
                yield done
        for text in clean_text(paragraph).split("\n"):
            done = builder.add(number, text, speaker=speaker)
            if done is not None:
                yield done
        done = builder.paragraph_break()
        if done is not None:
            yield done
    done = builder.finish()
    if done is not None:
        yield done


_TABLE_HEADINGS = {"speaker", "who", "name", "role", "text", "content", "transcript", "time",
                   "说话人", "发言人", "讲话人", "角色", "内容", "文本", "原文", "时间", "姓名"}


def _docx_blocks(document: Any) -> Iterator[tuple[str | None, str] | RawTurn]:
    """For each body paragraph and table row, in document order: (speaker or None, text), or a
    finished turn for a row of a table whose first row names its columns as a CSV header would
    (speaker, zh, en, 中文, 英文, ...)."""
    from docx.table import Table

    from annotator.io.read_table import canonical_field

    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            yield None, block.text
            continue
        columns: dict[str, int] = {}
        for index, row in enumerate(block.rows):
            cells: list[str] = []
            seen: set[int] = set()
            for cell in row.cells:  # a merged cell comes back once per grid column it spans
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(clean_text(cell.text).strip())
            if index == 0:
                fields = [canonical_field(c) for c in cells]
                if all(fields) and len(set(fields)) == len(fields) and {"zh", "en"} & set(fields):
                    columns = {str(f): i for i, f in enumerate(fields)}
                    continue
                if all(c.lower() in _TABLE_HEADINGS for c in cells if c):
                    continue
            if columns:
                by_field = {name: cells[i] for name, i in columns.items() if i < len(cells)}
                turn = RawTurn(line=0, zh=by_field.get("zh", ""), en=by_field.get("en", ""),
                               speaker=by_field.get("speaker") or None)
                if not turn.is_empty():
                    yield turn
                continue
            cells = [c for c in cells if c]
            if len(cells) >= 2 and "\n" not in cells[0] and is_speaker_name(cells[0].rstrip(":："))\
                    and parse_header(cells[0]) is None:
                yield cells[0].rstrip(":："), "\n".join(cells[1:])
            else:
                yield None, "\n".join(cells)
