"""A big import streams: rows are written while the file is still being read, in batches of
the same size whatever the size of its documents (many small documents are not held back until
the end of the file)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import annotator.application.transcripts as transcripts
from annotator.application.transcripts import BATCH, import_transcripts
from annotator.io.transcripts import Turn
from annotator.storage.db import open_project


def test_small_documents_are_written_as_they_are_read(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    turns = 3 * BATCH
    rows = ["document,speaker,zh,en"] + [f"D{i // 2:05d},A,减负第{i}次,Turn {i}." for i in range(turns)]
    (tmp_path / "many.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    read = [0]
    real = transcripts.read_turns

    def counted(*args: object, **kw: object) -> Iterator[Turn]:
        for turn in real(*args, **kw):  # type: ignore[arg-type]
            read[0] += 1
            yield turn

    monkeypatch.setattr(transcripts, "read_turns", counted)
    read_at_write: list[int] = []
    with open_project(tmp_path / "p.db", create=True) as p:
        summary = import_transcripts(p, [tmp_path / "many.csv"],
                                     progress=lambda _n: read_at_write.append(read[0]))
        assert summary.segments == turns and len(summary.documents) == turns // 2
    assert read_at_write[:3] == [BATCH, 2 * BATCH, 3 * BATCH]
