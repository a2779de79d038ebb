"""Text that is safe to store as a name and to print to a terminal.

Names (coders, code ids, labels) are refused at the door when they hold a character that a
terminal obeys instead of showing (ESC and the other C0/C1 controls, DEL), that breaks
line-oriented output (newlines, U+2028/U+2029), that reorders what is shown (bidirectional
overrides) or that is not text at all (a lone surrogate, which cannot be stored or printed).
Whatever is printed goes through :func:`printable`, which writes such characters as
``\\uXXXX`` escapes (valid inside a JSON string, where they mean the same character).
"""

from __future__ import annotations

import io
import re
import sys
from typing import Any

from annotator.errors import UsageError

_BIDI = "\u202a-\u202e\u2066-\u2069"
#: never shown raw: C0 controls but tab/newline/carriage return, DEL, C1, surrogates, bidi
_UNPRINTABLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}]")
#: not allowed in a name or a label: all of the above and line breaks and tabs
_NOT_IN_NAME = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029{_BIDI}]")
#: not allowed in a longer text (a definition): as in names, but newlines and tabs are fine
_NOT_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> str:
    """``text`` with every character a terminal would obey written as ``\\uXXXX``."""
    return _UNPRINTABLE.sub(_escape, text)


def bad_char(text: str, *, multiline: bool = False) -> str | None:
    """A description of the first character not allowed (``U+001B``), or None."""
    found = (_NOT_IN_TEXT if multiline else _NOT_IN_NAME).search(text)
    if found is None:
        return None
    ch = found.group()
    kind = "a lone surrogate (not text)" if "\ud800" <= ch <= "\udfff" else "a control character"
    return f"{kind} U+{ord(ch):04X}"


def check_name(value: str, what: str) -> str:
    """``value`` stripped, or ``UsageError`` if it holds a character names may not hold."""
    problem = bad_char(value)
    if problem is not None:
        raise UsageError(f"{what} {printable(value)!r} contains {problem}; names may hold only"
                         " printable characters on one line")
    return value.strip()


class _SafeWriter(io.TextIOWrapper):
    """A text stream that writes :func:`printable` text."""

    def write(self, s: str) -> int:
        super().write(printable(s))
        return len(s)


def _wrap(stream: Any) -> Any:
    buffer = getattr(stream, "buffer", None)
    if buffer is None or isinstance(stream, _SafeWriter):
        return stream
    stream.flush()
    return _SafeWriter(buffer, encoding=stream.encoding, errors="backslashreplace",
                       line_buffering=stream.line_buffering, write_through=True)


def terminal_stream() -> Any:
    """The stream under a printable-only ``sys.stderr``, for the program's own escape
    sequences that carry no data (progress bars); ``sys.stderr`` itself otherwise."""
    stream = sys.stderr
    return sys.__stderr__ if isinstance(stream, _SafeWriter) and sys.__stderr__ else stream


def install_safe_streams() -> None:
    """Make ``sys.stdout`` and ``sys.stderr`` print every text through :func:`printable`."""
    sys.stdout = _wrap(sys.stdout)
    sys.stderr = _wrap(sys.stderr)


def codebook_problem(codebook: Any) -> str | None:
    """Why a codebook's ids, labels or texts cannot be stored and shown, or None.

    Checked however a codebook comes in (a YAML file, a .qdpx or .qdc, a JSONL export).
    """
    from annotator.codebook import ID_RE

    if problem := _key_problem(codebook):
        return problem
    for facet in codebook.facets:
        for code in (facet, *facet.codes):
            if not ID_RE.match(code.id):
                return f"id {printable(code.id)!r} is not a plain identifier"
            for name in ("label", "definition", "description", "when_to_use", "when_not_to_use"):
                text = getattr(code, name, None)
                for value in (text.zh, text.en) if text is not None else ():
                    problem = bad_char(value, multiline=name != "label")
                    if problem:
                        return f"{code.id}: its {name} contains {problem}"
            for word in (*getattr(code, "keywords_zh", ()), *getattr(code, "keywords_en", ())):
                if problem := bad_char(word):
                    return f"{code.id}: a keyword contains {problem}"
    return None


def _key_problem(codebook: Any) -> str | None:
    """Why a code's key cannot be a key of the coding screen, or None."""
    from annotator.model import RESERVED_KEYS

    seen: dict[str, str] = {}
    for code in codebook.codes:
        key = code.key
        if key is None:
            continue
        if not isinstance(key, str) or len(key) != 1 or key.isspace() or not key.isprintable():
            return f"{code.id}: key {printable(str(key))!r} must be a single character"
        if key in RESERVED_KEYS:
            return f"{code.id}: key {key!r} is reserved for navigation on the coding screen"
        if key in seen:
            return f"{code.id}: key {key!r} is already used by code {seen[key]}"
        seen[key] = code.id
    return None
