"""Read transcript files into validated turns — pure parsing, no database.

``read_turns(path)`` yields ``Turn`` objects lazily (bounded memory for every format but
.docx) or raises ``ImportFormatError`` naming the file, the line and the reason. Formats:
plain text, Markdown, CSV, TSV, JSON Lines, Word (.docx), SubRip (.srt) and WebVTT (.vtt);
encodings: UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030/GBK.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import ImportFormatError
from annotator.io.read_common import RawTurn
from annotator.io.read_cues import read_srt, read_vtt
from annotator.io.read_table import read_csv, read_jsonl, read_tsv
from annotator.io.read_text import read_docx, read_md, read_txt


@dataclass(frozen=True)
class Turn:
    """One turn of talk as read from a transcript file."""

    line: int  # 1-based line / CSV row start / JSONL line / DOCX paragraph / cue start line
    zh: str = ""  # Chinese text ("" if none)
    en: str = ""  # English text ("" if none)
    speaker: str | None = None
    start: float | None = None  # seconds
    end: float | None = None
    document: str | None = None  # only from csv/tsv/jsonl rows that name their document
    attributes: dict[str, str] = field(default_factory=dict, hash=False)  # extra csv/jsonl columns


FORMATS = ("txt", "md", "csv", "tsv", "jsonl", "docx", "srt", "vtt")
LANGS = ("zh", "en")

EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".docx": "docx",
    ".srt": "srt",
    ".vtt": "vtt",
}

_READERS: dict[str, Callable[[Path], Iterator[RawTurn]]] = {
    "txt": read_txt,
    "md": read_md,
    "csv": read_csv,
    "tsv": read_tsv,
    "jsonl": read_jsonl,
    "docx": read_docx,
    "srt": read_srt,
    "vtt": read_vtt,
}

DETECT_SAMPLE_CHARS = 4096
"""Single-language files: the language is decided once, from this much text at the start."""

_DETECT_MAX_TURNS = 1000  # decide (or give up waiting for text) after this many turns

#: Han ideographs (CJK unified, extension A, compatibility, and the supplementary planes).
IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_LETTERS = re.compile(r"[^\W\d_]")


def detect_lang(text: str) -> str:
    """``"zh"`` when CJK ideographs dominate the letters of ``text``, else ``"en"``.

    One ideograph carries about as much as three Latin letters (a Chinese word is 1–2
    characters, an English word about 5 letters), so ideographs are weighted by 3:
    Chinese with English terms (``KPI考核``) is zh, English quoting a Chinese term is en.
    Text without letters is ``"en"``.
    """
    ideographs = len(IDEOGRAPHS.findall(text))
    letters = len(_LETTERS.findall(text)) - ideographs
    return "zh" if ideographs and ideographs * 3 >= letters else "en"


def detect_format(path: Path) -> str:
    """The format of ``path`` from its extension (case-insensitive)."""
    fmt = EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        known = ", ".join(EXTENSIONS)
        suffix = Path(path).suffix or "(none)"
        raise ImportFormatError(f"unknown transcript format {suffix}; expected one of {known}", path=path)
    return fmt


def read_turns(path: Path, *, fmt: str = "auto", lang: str | None = None) -> Iterator[Turn]:
    """Read the turns of a transcript file, lazily.

    ``fmt`` is one of ``FORMATS`` or ``"auto"`` (by extension). ``lang`` says which field
    (``zh``/``en``) single-language text goes to; when None it is detected once per file.
    Turns without text are skipped; a file without any turn is an error. The format, the
    language and the file's existence are checked at once; everything else as turns are
    read, so errors may come part-way through iteration.
    """
    path = Path(path)
    if fmt == "auto":
        fmt = detect_format(path)
    elif fmt not in FORMATS:
        raise ImportFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}", path=path)
    if lang is not None and lang not in LANGS:
        raise ImportFormatError(f"unknown language {lang!r}; expected zh or en", path=path)
    if not path.exists():
        raise ImportFormatError("no such file", path=path)
    if not path.is_file():
        raise ImportFormatError("not a file", path=path)
    return _turns(path, _READERS[fmt](path), lang)


def _turns(path: Path, raw_turns: Iterator[RawTurn], lang: str | None) -> Iterator[Turn]:
    count = 0
    for turn in _assign_lang(raw_turns, lang):
        count += 1
        yield turn
    if count == 0:
        raise ImportFormatError("no turns found", path=path)


def _assign_lang(raw_turns: Iterator[RawTurn], lang: str | None) -> Iterator[Turn]:
    """Put single-language text in ``lang`` or in the language detected from the start."""
    if lang is not None:
        for raw in raw_turns:
            yield _finish(raw, lang)
        return
    held: list[RawTurn] = []
    sample: list[str] = []
    size = 0
    for raw in raw_turns:
        if lang is not None:
            yield _finish(raw, lang)
            continue
        held.append(raw)
        if raw.text:
            sample.append(raw.text)
            size += len(raw.text)
        if size >= DETECT_SAMPLE_CHARS or len(held) >= _DETECT_MAX_TURNS:
            if sample:
                lang = detect_lang("\n".join(sample)[: 2 * DETECT_SAMPLE_CHARS])
            # Without a sample every held turn already has its language: "en" is unused.
            for held_turn in held:
                yield _finish(held_turn, lang or "en")
            held = []
    if held:
        final = detect_lang("\n".join(sample)[: 2 * DETECT_SAMPLE_CHARS])
        for held_turn in held:
            yield _finish(held_turn, final)


def _finish(raw: RawTurn, lang: str) -> Turn:
    zh, en = raw.zh, raw.en
    if raw.text is not None:
        if lang == "zh":
            zh = raw.text
        else:
            en = raw.text
    return Turn(
        line=raw.line,
        zh=zh,
        en=en,
        speaker=raw.speaker,
        start=raw.start,
        end=raw.end,
        document=raw.document,
        attributes=raw.attributes,
    )
