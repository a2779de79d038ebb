"""An import keeps the documents' segment counts that the coding screen starts from, so its
first start on a big project does not count every segment again."""

from __future__ import annotations

from pathlib import Path

from annotator.application.projects import create_project
from annotator.application.transcripts import import_transcripts
from annotator.storage import reading_order
from annotator.storage.db import open_project

TALK = "A：我们社区的减负工作做了很多。\n\nB：上级来检查，网格员要填表。\n\nA：权责不匹配。\n"


def _kept(path: Path) -> list[reading_order.DocumentSpan] | None:
    """The counts kept for the project's segments as they are now (None: none kept)."""
    with open_project(path) as project:
        kept = reading_order._kept_spans(project, reading_order._segments_stamp(project))
        order = [d for d, *_rest in reading_order.document_spans(project)]
    return None if kept is None else [(d, *kept[d]) for d in order]


def test_after_an_import_the_counts_are_kept_and_match_the_segments(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    create_project(db)
    (tmp_path / "a.txt").write_text(TALK, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TALK + TALK, encoding="utf-8")
    with open_project(db) as project:
        import_transcripts(project, [tmp_path / "a.txt"])
    assert _kept(db) == [("a", 3, 1, 3)]
    with open_project(db) as project:
        import_transcripts(project, [tmp_path / "b.txt"])
    assert _kept(db) == [("a", 3, 1, 3), ("b", 6, 1, 6)]
