"""Where to break a text into lines of a given width, with the Chinese rules (kinsoku):
no closing punctuation (。，、；：？！）」』】》) at the start of a line and no opening
punctuation (（「『【《) at its end. Words of Latin letters or digits are not split unless
longer than a line; a space where a line breaks is dropped."""

from __future__ import annotations

import re

from rich.cells import cell_len

#: May not start a line.
NO_START = frozenset("。，、；：？！）」』】》〉〕〗〙〛”’…‥·・％,.;:?!)]}%")
#: May not end a line.
NO_END = frozenset("（「『【《〈〔〖〘〚“‘([{")
_UNITS = re.compile(r"\s+|[A-Za-z0-9\u00c0-\u024f'_\-]+|.", re.DOTALL)


def break_lines(text: str, width: int) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each line of ``text`` wrapped to ``width`` cells (a newline
    starts a new line; an empty paragraph is an empty line)."""
    out: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n"):
        out += [(start + a, start + b) for a, b in _paragraph(paragraph, max(1, width))]
        start += len(paragraph) + 1
    return out


def _paragraph(text: str, width: int) -> list[tuple[int, int]]:
    lines: list[list[tuple[int, int]]] = [[]]
    used = 0
    for match in _UNITS.finditer(text):
        a, b = match.span()
        cells = cell_len(text[a:b])
        if text[a:b].isspace():
            if lines[-1]:
                lines[-1].append((a, b))
                used += cells
            continue
        if used + cells > width and _content(text, lines[-1]):
            lines.append(_carry(text, lines[-1], (a, b)))
            used = sum(cell_len(text[x:y]) for x, y in lines[-1])
        while cells > width and used == 0:  # a word longer than a line: fold it
            cut = a + _fit(text[a:b], width)
            lines[-1].append((a, cut))
            lines.append([])
            a, cells = cut, cell_len(text[cut:b])
        lines[-1].append((a, b))
        used += cells
    return [_span(text, line) for line in lines]


def _content(text: str, line: list[tuple[int, int]]) -> bool:
    return any(not text[a:b].isspace() for a, b in line)


def _strip(text: str, line: list[tuple[int, int]]) -> None:
    while line and text[line[-1][0]:line[-1][1]].isspace():
        line.pop()


def _carry(text: str, line: list[tuple[int, int]], following: tuple[int, int]) -> list[tuple[int, int]]:
    """End the full ``line`` before ``following``; the units taken off its end to go down with
    ``following`` so that no closing mark starts the next line and no opening mark ends this one."""
    _strip(text, line)
    kept = list(line)
    carried: list[tuple[int, int]] = []
    while True:
        head = carried[0] if carried else following
        if text[head[0]] not in NO_START and text[line[-1][0]] not in NO_END:
            return carried
        if len(line) <= 1:
            break
        carried.insert(0, line.pop())
        _strip(text, line)
    line[:] = kept  # no break point keeps the rules (a run of marks): break where it is full
    return []


def _fit(word: str, width: int) -> int:
    used = 0
    for i, ch in enumerate(word):
        used += cell_len(ch)
        if used > width:
            return max(1, i)
    return len(word)


def _span(text: str, line: list[tuple[int, int]]) -> tuple[int, int]:
    words = [u for u in line if not text[u[0]:u[1]].isspace()]
    return (words[0][0], words[-1][1]) if words else (line[0][0], line[0][0]) if line else (0, 0)
