"""Pieces shared by the transcript readers: raw turns, cleaning, times, speaker prefixes.

A reader yields ``RawTurn`` objects; ``transcripts.read_turns`` assigns the language of
single-language text and turns them into ``Turn``. Nothing here knows about file formats.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import ImportFormatError
from annotator.io.clean_text import clean_text as clean_text  # where it was

MAX_TURN_CHARS = 1_000_000
"""A turn longer than this is almost certainly a missing paragraph break: an error."""


@dataclass(slots=True)
class RawTurn:
    """A turn as read, before the language of ``text`` is known."""

    line: int
    text: str | None = None  # single-language text, language still to be decided
    zh: str = ""
    en: str = ""
    speaker: str | None = None
    start: float | None = None
    end: float | None = None
    document: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.text or self.zh or self.en)


# --- cleaning (clean_text: annotator.io.clean_text) -----------------------------------------


def _is_cjk(char: str) -> bool:
    """CJK ideographs, kana, CJK punctuation and full-width forms: joined without spaces."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


def join_lines(parts: list[str]) -> str:
    """Join the lines of a paragraph: Chinese without a space, anything else with one."""
    if not parts:
        return ""
    out = [parts[0]]
    previous = parts[0]
    for part in parts[1:]:
        if not (_is_cjk(previous[-1]) or _is_cjk(part[0])):
            out.append(" ")
        out.append(part)
        previous = part
    return "".join(out)


# --- times ---------------------------------------------------------------------------------

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,9}))?")


def clock_seconds(text: str) -> float:
    """``hh:mm:ss(.ms)``, ``mm:ss(.ms)`` (``,`` also as decimal mark) → seconds."""
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a time: {text!r}")
    hours, minutes, seconds, fraction = match.groups()
    if (hours is not None and int(minutes) >= 60) or int(seconds) >= 60:
        raise ValueError(f"not a time: {text!r}")
    value = float(int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds))
    if fraction:
        value += float("0." + fraction)
    return float(value)


def parse_seconds(value: object) -> float | None:
    """A csv/jsonl time value → seconds; None if empty. Raises ``ValueError`` if invalid."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if ":" in text:
            seconds = clock_seconds(text)
        else:
            try:
                seconds = float(text)
            except ValueError:
                raise ValueError(f"not a time: {value!r}") from None
    else:
        raise ValueError(f"not a time: {value!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"not a time: {value!r}")
    return seconds


def check_times(start: float | None, end: float | None, *, path: Path, line: int) -> None:
    if start is not None and end is not None and end < start:
        raise ImportFormatError(f"end time {end:g}s is before start time {start:g}s", path=path, line=line)


# --- speaker prefixes and timestamps at the start of a line --------------------------------

_TIME_BRACKETED = re.compile(rf"[\[(（]\s*({_TS})(?:\s*(?:-->|[-–—~～])\s*({_TS}))?\s*[\])）]\s*[:：]?\s*")
_TIME_BARE = re.compile(
    rf"(\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?)(?:\s*(?:-->|[-–—~～])\s*({_TS}))?"
    r"(?:\s+|$)"
)
_SPEAKER_EMPHASIS = re.compile(r"(\*\*|__|\*|_)([^*_:：\n]{1,30}?)\s*([:：])?\s*\1(?:\s*([:：]))?\s*")
_SPEAKER_BRACKET = re.compile(r"\[([^\[\]:：\n]{1,30})\](?:\s*[:：]\s*|\s+|$)")
_SPEAKER_PLAIN = re.compile(rf"([^:：\n]{{1,30}}?)(?:\s*[\[(（]\s*({_TS})\s*[\])）])?\s*(?:：\s*|:(?:\s+|$))")
# "Speaker 1  0:03" alone on a line (otter.ai and similar exports)
_SPEAKER_THEN_TIME = re.compile(rf"([^:：\n]{{1,30}}?)\s+[\[(（]?({_TS})[\])）]?\s*[:：]?\s*$")

_OPENING_QUOTES = ("“", "「", "『")
_SENTENCE_PUNCTUATION = set('。，,.!?！？;；、…"“”「」『』<>《》=/\\|')
_TITLE_ABBREVIATION = re.compile(r"\b[A-Z][a-z]{0,3}\.(?=\s)")
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def is_speaker_name(name: str) -> bool:
    """Whether ``name`` looks like a speaker label rather than the start of a sentence."""
    if not name or len(name) > 30 or not any(c.isalpha() for c in name):
        return False
    # "Dr. Wang" / "Mrs. Li" are fine; other full stops mean a sentence.
    if any(c in _SENTENCE_PUNCTUATION for c in _TITLE_ABBREVIATION.sub("", name)):
        return False
    if len(_IDEOGRAPH.findall(name)) > 12:
        return False
    words = name.split()
    # "Respondent 2", "Village Party Secretary Wang", "Mr de Vries" — but not
    # "The main point is this", whose words are mostly lower case.
    return not (len(words) > 1 and sum(w[0].islower() for w in words) >= 2)


@dataclass(slots=True)
class Header:
    """What a line starts with: speaker and/or timestamps, and the rest of the line."""

    speaker: str | None
    start: float | None
    end: float | None
    rest: str


def _times(first: str | None, second: str | None) -> tuple[float | None, float | None]:
    try:
        start = clock_seconds(first) if first else None
        end = clock_seconds(second) if second else None
    except ValueError:
        return None, None
    return start, end


def _match_time(line: str, pos: int) -> tuple[float | None, float | None, int] | None:
    for pattern in (_TIME_BRACKETED, _TIME_BARE):
        match = pattern.match(line, pos)
        if match:
            start, end = _times(match.group(1), match.group(2))
            if start is not None:
                return start, end, match.end()
    return None


def _match_speaker(line: str, pos: int) -> tuple[str, float | None, float | None, int] | None:
    match = _SPEAKER_EMPHASIS.match(line, pos)
    if match and (match.group(3) or match.group(4)):
        name = match.group(2).strip()
        if is_speaker_name(name):
            return name, None, None, match.end()
    match = _SPEAKER_BRACKET.match(line, pos)
    if match:
        name = match.group(1).strip()
        if is_speaker_name(name):
            return name, None, None, match.end()
    match = _SPEAKER_PLAIN.match(line, pos)
    # 他说：“……” is reported speech, not a speaker label.
    if match and not ("：" in match.group(0) and line.startswith(_OPENING_QUOTES, match.end())):
        name = match.group(1).strip()
        if is_speaker_name(name):
            start, _ = _times(match.group(2), None)
            return name, start, None, match.end()
    match = _SPEAKER_THEN_TIME.match(line, pos)
    if match:
        name = match.group(1).strip()
        start, _ = _times(match.group(2), None)
        if start is not None and is_speaker_name(name):
            return name, start, None, match.end()
    return None


def parse_header(line: str) -> Header | None:
    """Split a speaker prefix and/or a leading timestamp off a (stripped) line.

    Accepted: ``A：``, ``A:``, ``[A]``, ``**A**:``, ``**A：**``, ``采访者：``,
    ``Respondent 2:``, ``Interviewer (00:01:02):``, ``Speaker 1  0:03`` (alone on a line),
    each optionally preceded or followed by ``[00:01:02]``, ``[01:02]``, ``(00:01:02)``,
    ``00:01:02`` or a range ``[00:01:02 - 00:01:09]``. None if the line has neither.
    """
    head = line[:80]
    if ":" not in head and "：" not in head and not line.startswith(("[", "(", "（")):
        return None  # fast path: every header has a colon or starts with a bracket
    speaker: str | None = None
    start: float | None = None
    end: float | None = None
    pos = 0
    timed = _match_time(line, pos)
    if timed:
        start, end, pos = timed
    named = _match_speaker(line, pos)
    if named:
        speaker, named_start, _, pos = named
        if start is None:
            start = named_start
    if start is None:
        timed = _match_time(line, pos)
        if timed:
            start, end, pos = timed
    if speaker is None and start is None:
        return None
    return Header(speaker, start, end, line[pos:].strip())


class TurnBuilder:
    """Assemble turns from lines of text (txt, md, docx, subtitle cue text).

    ``add`` a line; a line that begins with a speaker prefix or a timestamp starts a new
    turn, other lines continue the current one. ``paragraph_break`` ends the current turn,
    unless it has no text yet (a speaker or timestamp alone on its line waits for its
    text). Each method returns the turn it completed, if any.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._turn: RawTurn | None = None
        self._parts: list[str] = []
        self._size = 0

    def add(self, line_no: int, text: str, *, speaker: str | None = None) -> RawTurn | None:
        """Add a line (already cleaned). ``speaker`` forces a new turn by that speaker."""
        text = text.strip()
        if speaker is not None and self._turn is not None and self._turn.speaker == speaker:
            header: Header | None = None  # the same voice goes on
        elif speaker is not None:
            header = Header(speaker, None, None, text)
        elif not text:
            return self.paragraph_break()
        else:
            header = parse_header(text)
        if header is None:
            if self._turn is None:
                self._turn = RawTurn(line=line_no)
            self._append(text, line_no)
            return None
        current = self._turn
        if current is not None and not self._parts and _compatible(current, header):
            current.speaker = current.speaker or header.speaker
            if current.start is None:
                current.start, current.end = header.start, header.end
            self._append(header.rest, line_no)
            return None
        done = self._close()
        self._turn = RawTurn(line=line_no, speaker=header.speaker, start=header.start, end=header.end)
        self._append(header.rest, line_no)
        return done

    def paragraph_break(self) -> RawTurn | None:
        if self._turn is not None and not self._parts:
            return None
        return self._close()

    def finish(self) -> RawTurn | None:
        return self._close()

    def _append(self, text: str, line_no: int) -> None:
        if not text:
            return
        self._size += len(text) + 1
        if self._size > MAX_TURN_CHARS:
            first = self._turn.line if self._turn is not None else line_no
            raise ImportFormatError(
                f"turn starting at line {first} is longer than "
                f"{MAX_TURN_CHARS:,} characters; separate turns with blank lines",
                path=self.path,
                line=line_no,
            )
        self._parts.append(text)

    def _close(self) -> RawTurn | None:
        turn, parts = self._turn, self._parts
        self._turn, self._parts, self._size = None, [], 0
        if turn is None or not parts:
            return None
        turn.text = join_lines(parts)
        return turn


def _compatible(pending: RawTurn, header: Header) -> bool:
    """Whether a header line can complete a turn that so far has only a header."""
    if pending.speaker and header.speaker and pending.speaker != header.speaker:
        return False
    return not (pending.start is not None and header.start is not None)
