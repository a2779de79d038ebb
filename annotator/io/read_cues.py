"""Readers for subtitle transcripts: SubRip (.srt) and WebVTT (.vtt), one turn per cue.

A cue whose text changes speaker part-way (a ``<v B>`` tag or a ``B:`` prefix on a later
line) gives one turn per speaker, all with the cue's times.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from annotator.errors import ImportFormatError
from annotator.io.encoding import TextLines, open_text
from annotator.io.read_common import (
    RawTurn,
    TurnBuilder,
    check_times,
    clean_text,
    clock_seconds,
    join_lines,
)

_CUE_TIME = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"\s*({_CUE_TIME})\s*-->\s*({_CUE_TIME})(?:\s.*)?")
_INDEX = re.compile(r"\s*\d+\s*")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>")
_TAG = re.compile(r"<[^>\n]*>")
_ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")
_VTT_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_VTT_SKIPPED = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")

Block = list[tuple[int, str]]


def _blocks(lines: TextLines) -> Iterator[Block]:
    """Groups of consecutive non-blank lines, with their line numbers."""
    block: Block = []
    for line in lines:
        text = clean_text(line).rstrip()
        if text.strip():
            block.append((lines.lineno, text))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _cue_text(text: str) -> tuple[str | None, str]:
    """(voice, plain text) of one line of cue payload: tags stripped, entities decoded."""
    voice = _VOICE.search(text)
    speaker = None
    if voice is not None:
        speaker = clean_text(html.unescape(voice.group(1) or "")).strip() or None
    text = _ASS_OVERRIDE.sub("", _TAG.sub("", text))
    return speaker, clean_text(html.unescape(text)).strip()


class _CueReader:
    """Turns from cues; text blocks without timing continue the previous cue's last turn."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._held: RawTurn | None = None  # last turn, kept back for continuation blocks

    def cue(self, line_no: int, timing: tuple[int, str], payload: Block) -> Iterator[RawTurn]:
        timing_line, timing_text = timing
        start, end = _cue_times(timing_text, path=self.path, line=timing_line)
        builder = TurnBuilder(self.path)
        turns: list[RawTurn] = []
        for number, raw in payload:
            speaker, text = _cue_text(raw)
            done = builder.add(number, text, speaker=speaker)
            if done is not None:
                turns.append(done)
        done = builder.finish()
        if done is not None:
            turns.append(done)
        for index, turn in enumerate(turns):
            turn.start, turn.end = start, end
            if index == 0:
                turn.line = line_no
        if turns:
            yield from self._release()
            yield from turns[:-1]
            self._held = turns[-1]

    def continuation(self, block: Block, what: str) -> None:
        if self._held is None:
            raise ImportFormatError(
                f"expected {what} timing line like '00:00:01,000 --> 00:00:04,000'",
                path=self.path,
                line=block[0][0],
            )
        texts = [text for _, text in (_cue_text(raw) for _, raw in block) if text]
        held_text = self._held.text or ""
        self._held.text = join_lines([held_text, *texts]) if held_text else join_lines(texts)

    def _release(self) -> Iterator[RawTurn]:
        if self._held is not None:
            yield self._held
            self._held = None

    def finish(self) -> Iterator[RawTurn]:
        return self._release()


def _cue_times(text: str, *, path: Path, line: int) -> tuple[float, float]:
    match = _TIMING.fullmatch(text)
    if match is None:  # pragma: no cover - callers match _TIMING first
        raise ImportFormatError("malformed cue timing", path=path, line=line)
    try:
        start, end = clock_seconds(match.group(1)), clock_seconds(match.group(2))
    except ValueError as exc:
        raise ImportFormatError(f"malformed cue timing: {exc}", path=path, line=line) from None
    check_times(start, end, path=path, line=line)
    return start, end


def read_srt(path: Path) -> Iterator[RawTurn]:
    """SubRip: number line, ``00:00:01,000 --> 00:00:04,000`` line, text lines, blank."""
    cues = _CueReader(path)
    with open_text(path) as lines:
        for block in _blocks(lines):
            first_no, first = block[0]
            if _TIMING.fullmatch(first):
                yield from cues.cue(first_no, block[0], block[1:])
            elif len(block) > 1 and _INDEX.fullmatch(first) and _TIMING.fullmatch(block[1][1]):
                yield from cues.cue(first_no, block[1], block[2:])
            else:
                cues.continuation(block, "a subtitle number or a")
    yield from cues.finish()


def read_vtt(path: Path) -> Iterator[RawTurn]:
    """WebVTT: ``WEBVTT`` header, cues with optional identifiers, NOTE/STYLE/REGION skipped;
    ``<v Name>`` voice tags give the speaker, other tags are stripped."""
    cues = _CueReader(path)
    with open_text(path) as lines:
        blocks = _blocks(lines)
        header = next(blocks, None)
        if header is None or header[0][0] != 1 or not _VTT_HEADER.fullmatch(header[0][1]):
            raise ImportFormatError("not a WebVTT file: the first line must be 'WEBVTT'", path=path, line=1)
        # Header metadata runs until the first blank line; a sloppy file may start its first
        # cue there without one.
        for index, (number, text) in enumerate(header[1:], start=1):
            if _TIMING.fullmatch(text):
                yield from cues.cue(number, header[index], header[index + 1 :])
                break
        for block in blocks:
            yield from _vtt_block(cues, block)
    yield from cues.finish()


def _vtt_block(cues: _CueReader, block: Block) -> Iterator[RawTurn]:
    first_no, first = block[0]
    if _VTT_SKIPPED.fullmatch(first) and "-->" not in first:
        return
    if _TIMING.fullmatch(first):
        yield from cues.cue(first_no, block[0], block[1:])
    elif len(block) > 1 and _TIMING.fullmatch(block[1][1]):
        yield from cues.cue(first_no, block[1], block[2:])
    else:
        cues.continuation(block, "a cue")
