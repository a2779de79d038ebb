"""The terminal table folds a text where Rich would: the line breaks found a line at a time
(by bisection over the words' ends) are ``rich._wrap.divide_line``'s, word for word."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line

from annotator.io.quotes_render import _cells, _divide

_PIECES = st.sampled_from(["a", "bb", "ccc", " ", "  ", "   ", "中", "文字", "，", "é", "-", "。",
                           "word ", "verylongword" * 3, "x" * 37, "中" * 30, "😀", "Z"])


@settings(max_examples=2000)
@given(st.lists(_PIECES, max_size=50).map("".join), st.sampled_from([1, 2, 3, 5, 10, 36, 44, 77]))
def test_breaks_are_riches(text: str, width: int) -> None:
    cells = _cells(text)
    assert cells is not None
    assert _divide(text, width, cells) == divide_line(text, width, fold=True)
