"""Parsing JSON from files annotator did not write, without tracebacks or surprises.

``json.loads`` alone lets through what later fails far from the file: nesting deep enough to
exhaust the stack (RecursionError), integers of thousands of digits (ValueError) or beyond
SQLite's 64-bit range (OverflowError on insert), and ``\\ud800`` escapes
that decode to lone surrogates, which cannot be stored, tokenised or printed. :func:`loads`
refuses each with a :class:`JsonProblem` whose message says what was wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.errors import ImportFormatError

MAX_DEPTH = 64
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


class JsonProblem(ValueError):
    """Why a line is not acceptable JSON (one short phrase)."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 19:
        raise JsonProblem(f"a number with {len(text.lstrip('-'))} digits (too large)")
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise JsonProblem(f"the number {text} is too large")
    return value


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def check_value(value: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Raise :class:`JsonProblem` for nesting deeper than ``max_depth`` or a lone surrogate in
    any key or string."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _has_surrogate(item):
                raise JsonProblem("a lone surrogate escape (\\ud800-\\udfff), not text")
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= max_depth:
            raise JsonProblem(f"nested more than {max_depth} levels deep")
        if isinstance(item, dict):
            stack.extend((k, depth) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        else:
            stack.extend((v, depth + 1) for v in item)


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``text`` or raise :class:`JsonProblem` (``json.JSONDecodeError`` for bad syntax)."""
    try:
        value = json.loads(text, parse_int=_int)
    except RecursionError:
        raise JsonProblem(f"nested more than {max_depth} levels deep") from None
    except json.JSONDecodeError:
        raise
    except UnicodeDecodeError:
        raise JsonProblem("not UTF-8 text") from None
    except JsonProblem:
        raise
    except ValueError as exc:  # int() limits and the like
        raise JsonProblem(" ".join(str(exc).split())[:120]) from None
    check_value(value, max_depth=max_depth)
    return value


def text_lines(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, whether it ended with a line break) of a UTF-8 file, a BOM dropped.

    A line that is not UTF-8 is an ``ImportFormatError`` naming it; a last line cut off in the
    middle of a character says the file is incomplete.
    """
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            ended = raw.endswith(b"\n")
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                if not ended and exc.reason == "unexpected end of data":
                    raise ImportFormatError("the file ends part-way through a character on this"
                                            " line (an incomplete copy?)", path=path, line=number) from None
                raise ImportFormatError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at byte"
                                        f" {exc.start + 1} of the line)", path=path, line=number) from None
            yield number, text, ended
