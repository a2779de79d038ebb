"""Counts read as English: one segment, two segments."""

from __future__ import annotations

from annotator.plural import noun, plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert plural(1, "result") == "1 result"
    assert plural(0, "result") == "0 results"
    assert plural(2, "segment") == "2 segments"
    assert noun(1, "coder") == "coder" and noun(3, "coder") == "coders"


def test_an_irregular_plural_is_given() -> None:
    assert plural(2, "entry", "entries") == "2 entries"
    assert plural(1, "entry", "entries") == "1 entry"
