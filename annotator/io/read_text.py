"""Readers for prose transcripts: plain text, Markdown and Word (.docx)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from annotator.errors import ImportFormatError
from annotator.io.encoding import open_text
from annotator.io.read_common import RawTurn, TurnBuilder, clean_text

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
    """One turn per paragraph (a speaker or timestamp alone in a paragraph joins the next).

    ``line`` is the paragraph number, counting every paragraph of the body from 1. Soft
    line breaks inside a paragraph that start with a speaker prefix start a new turn too.
    """
    try:
        import docx  # python-docx; imported here because it pulls in lxml
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportFormatError("reading .docx needs python-docx", path=path) from exc
    try:
        document = docx.Document(str(path))
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
    except Exception as exc:  # python-docx raises many kinds (zip, XML, KeyError, ...)
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ImportFormatError(f"not a valid .docx file ({reason})", path=path) from exc
    builder = TurnBuilder(path)
    for number, paragraph in enumerate(paragraphs, start=1):
        for text in clean_text(paragraph).split("\n"):
            done = builder.add(number, text)
            if done is not None:
                yield done
        done = builder.paragraph_break()
        if done is not None:
            yield done
    done = builder.finish()
    if done is not None:
        yield done
