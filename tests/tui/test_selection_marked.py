"""An annotation made on part of a segment (a narrower selection imported from another tool) is
marked on the coding screen over exactly that part, in its code's colour."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.style import Style

from annotator.model import CoderState, Span
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import set_state
from annotator.storage.db import open_project
from annotator.storage.spans import add_spans
from annotator.tui.highlight import DEFAULT_COLOR
from tests.tui.conftest import app_for, drive


def test_narrow_selection_is_marked_over_its_text(small_db: Path) -> None:
    with open_project(small_db) as p:
        zh = p.execute("SELECT zh FROM segments WHERE id = 'talk-001'").fetchone()[0]
        start = zh.index("负担还是很重")
        set_state(p, "t", "talk-001", CoderState(frozenset({"inspection_pressure"}), True))
        with p.write():
            add_spans(p, [Span("t", "talk-001", "inspection_pressure", "zh", start, start + 6)])
        color = load_codebook(p).code("inspection_pressure").color  # type: ignore[union-attr]

    async def steps(app: Any, pilot: Any) -> None:
        from annotator.tui.widgets.segment_text import SegmentText

        texts = app.screen.query_one(SegmentText)
        zh_text = texts._texts[0]
        marked = [s for s in zh_text.spans if getattr(s.style, "reverse", False)]
        assert [(s.start, s.end) for s in marked] == [(start, start + 6)]
        assert zh_text.plain[marked[0].start:marked[0].end] == "负担还是很重"
        assert marked[0].style == Style(color=color or DEFAULT_COLOR, reverse=True)
        en_text = texts._texts[1]
        assert not [s for s in en_text.spans if getattr(s.style, "reverse", False)]

    drive(app_for(small_db, coder="t"), steps)
