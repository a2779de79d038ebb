"""A big transcript import loads only spaCy's English in the importing process: its Chinese is
cut in worker processes, which load jieba themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotator.application.importing as importing
from annotator.application.importing import languages_tokenised_here


def test_only_big_transcripts_leave_the_chinese_to_the_workers(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    csv = tmp_path / "big.csv"
    csv.write_text("document,speaker,zh,en\nD1,A,我们社区,Our community\n", encoding="utf-8")
    assert languages_tokenised_here([csv]) == ("zh", "en")
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 10)
    assert languages_tokenised_here([csv]) == ("en",)
    assert languages_tokenised_here([csv], tmp_path / "t.en.txt") == ("zh", "en")
    qdpx = tmp_path / "p.qdpx"
    qdpx.write_bytes(b"x" * 100)
    assert languages_tokenised_here([qdpx]) == ("zh", "en")
