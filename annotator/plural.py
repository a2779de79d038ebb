"""Counts in English messages: ``1 segment``, ``2 segments``."""

from __future__ import annotations


def noun(count: int, word: str, many: str | None = None) -> str:
    """``word`` in the plural unless ``count`` is one (``many`` gives an irregular plural)."""
    return word if count == 1 else many or word + "s"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word``: ``plural(1, "result")`` is ``1 result``, ``plural(2, ...)``
    ``2 results``."""
    return f"{count} {noun(count, word, many)}"
