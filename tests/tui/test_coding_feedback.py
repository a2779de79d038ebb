"""What the coding screen says and does after a change: enter never replaces an answer, status
lines name the codes a change added or removed, the memo shows under the texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.tui.i18n import t

from .conftest import app_for, drive, screen, state_on_disk, text_of

A3 = "A20230321-003"


def test_enter_never_replaces_a_single_choice_answer(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("j", "j", "1")  # the coder's own answer: adaptation
        sugg = screen(app).suggestions
        assert sugg is not None and "goal_attainment" in [s.code for s in sugg.codes]
        await pilot.press("enter", "enter", "enter", "enter")
        codes = state_on_disk(demo_db, "t", A3).codes
        assert "adaptation" in codes and "goal_attainment" not in codes
        assert codes == {"adaptation", "inspection_pressure", "trace_formalism"}
        assert t("en", "msg_no_suggestion") in text_of(app, "#status")
        assert "⏎" not in text_of(app, "#suggestions")  # nothing left that enter applies

    drive(app_for(demo_db), steps)


def test_undo_redo_and_no_code_name_the_codes_they_change(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("2", "t")  # Goal attainment, Trace-leaving formalism
        await pilot.press("ctrl+z")
        status = text_of(app, "#status")
        assert "removed Trace-leaving formalism" in status, status
        await pilot.press("ctrl+y")
        assert "added Trace-leaving formalism" in text_of(app, "#status")
        await pilot.press("x")
        status = text_of(app, "#status")
        assert "removed Goal attainment, Trace-leaving formalism" in status, status
        await pilot.press("ctrl+z")
        status = text_of(app, "#status")
        assert "added Goal attainment, Trace-leaving formalism" in status, status

    drive(app_for(demo_db), steps)


def test_undo_names_the_codes_in_chinese(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("2", "ctrl+z")
        status = text_of(app, "#status")
        label = screen(app).session.codebook.code("goal_attainment").label.zh
        assert f"移除 {label}" in status and "改回未完成" in status, status

    drive(app_for(demo_db, ui="zh"), steps)


def test_the_memo_shows_under_the_texts(demo_db: Path) -> None:
    from annotator.tui.widgets.segment_text import SegmentText

    async def steps(app: Any, pilot: Any) -> None:
        texts = app.screen.query_one("#texts", SegmentText)
        await pilot.press("m")
        await pilot.pause()
        for ch in "ask about ledgers":
            await pilot.press(ch if ch != " " else "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        plain = texts.plain
        assert "ask about" in plain and "ledgers" in plain, plain
        english = screen(app).session.segment().en
        assert plain.index("ledgers") > plain.index(english)  # under both texts
        await pilot.press("j")
        assert "ledgers" not in texts.plain
        await pilot.press("k")
        assert "ledgers" in texts.plain

    drive(app_for(demo_db), steps)


def test_a_memo_with_control_characters_and_markup_shows_as_plain_text(demo_db: Path) -> None:
    from annotator.tui.widgets.segment_text import SegmentText

    async def steps(app: Any, pilot: Any) -> None:
        screen(app).session.set_memo("ask [b]x[/b] \x1b[31mred\x07")
        screen(app).show_segment()
        await pilot.pause()
        plain = app.screen.query_one("#texts", SegmentText).plain
        assert "ask [b]x[/b] [31mred" in plain and "\x1b" not in plain and "\x07" not in plain

    drive(app_for(demo_db), steps)


def test_a_code_key_that_replaces_a_single_choice_answer_says_so(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("1", "r", "2")
        status = text_of(app, "#status")
        assert "added Goal attainment, replacing Adaptation" in status, status
        await pilot.press("c")  # several allowed: nothing replaced
        assert text_of(app, "#status").endswith("added Matters not fixed")

    drive(app_for(demo_db), steps)
