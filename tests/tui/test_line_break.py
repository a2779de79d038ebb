"""Chinese line breaking: no closing punctuation at a line start, no opening one at a line end."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from annotator.tui.widgets.line_break import NO_END, NO_START, break_lines

from .conftest import app_for, drive

TEXT = "2023年才过去三个月，社区就已经迎检两次了，每次迎检我们都要加班整理检查材料，压力非常大。"


def lines_of(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in break_lines(text, width)]


def test_a_full_stop_never_starts_a_line() -> None:
    # 44 characters at 86 cells: a plain character break put 。 alone on the second line
    assert lines_of(TEXT, 86) == [TEXT[:-2], "大。"]


@pytest.mark.parametrize("width", range(6, 90))
def test_rules_hold_at_every_width(width: int) -> None:
    text = TEXT + "他说：「我们（社区）很忙。」《报告》写了“减负”，可是……"
    lines = lines_of(text, width)
    assert "".join(lines) == text
    for line in lines:
        assert cell_len(line) <= width
    for before, after in pairwise(lines):
        assert after[0] not in NO_START, lines
        assert before[-1] not in NO_END, lines


def test_latin_words_stay_whole_and_spaces_at_breaks_go() -> None:
    assert lines_of("迎检 inspection 压力 pressure", 11) == ["迎检", "inspection", "压力", "pressure"]
    assert lines_of("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert lines_of("一\n\n二", 10) == ["一", "", "二"]


def test_the_coding_screen_wraps_chinese_by_these_rules(demo_db: Path) -> None:
    from rich.text import Text

    from annotator.tui.widgets.segment_text import SegmentText

    async def steps(app: Any, pilot: Any) -> None:
        widget = app.screen.query_one(SegmentText)
        for width in (88, 89):  # 86 or 87 cells inside, 88 needed: 。 alone when breaking anywhere
            strips = widget._build(width, (Text(TEXT), Text("")))
            rows = ["".join(s.text for s in strip).strip() for strip in strips]
            body = [r for r in rows if r and not r.startswith("─")]
            assert body == [TEXT[:-2], "大。"], body

    drive(app_for(demo_db, ui="zh"), steps)
