"""What the findings commands write to the screen: the quotes' UTF-8 as text, whole characters
however the pieces are cut (a temporary file is read back in chunks that may split one)."""

from __future__ import annotations

import itertools

import pytest

from annotator.cli.findings import write_encoded


def test_characters_cut_between_pieces_or_slices_reach_the_screen_whole(
        capsys: pytest.CaptureFixture[str]) -> None:
    text = "a" + "中文，😀é" * 120_000 + "z"
    data = text.encode("utf-8")
    cuts = [0, 1, 2, 3, 5, 262_145, 262_146, 700_001, len(data)]
    write_encoded((data[a:b] for a, b in itertools.pairwise(cuts)), None)
    assert capsys.readouterr().out == text
