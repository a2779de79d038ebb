"""Dialogs, mouse and palette of the coding screen, checked on the project file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from annotator.storage.documents import search_segments
from annotator.tui.i18n import t
from annotator.tui.screens.coding import CodingScreen
from annotator.tui.screens.dialogs import FilterDialog, HelpDialog, MemoDialog

from .conftest import app_for, drive, screen, settle, state_on_disk, text_of

A1, A2, A3 = "A20230321-001", "A20230321-002", "A20230321-003"



def test_g_goes_to_a_number_or_an_id(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("g", "5", "enter")
        assert screen(app).session.pos == 4
        await pilot.press("g")
        app.screen.query_one(Input).value = "D20230804-002"
        await pilot.press("enter")
        assert screen(app).session.current == "D20230804-002"
        await pilot.press("g", "9", "9", "enter")
        assert screen(app).session.current == "D20230804-002"
        assert "99" in text_of(app, "#status")

    drive(app_for(demo_db), steps)


def test_slash_searches_two_character_chinese_and_results_are_navigable(small_db: Path) -> None:
    with open_project(small_db) as p:
        expected = search_segments(p, "减负")
        also = search_segments(p, "materials")
    assert expected and also

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("j", "j")
        await pilot.press("slash", "减", "负", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen(app).session.current == expected[0]
        assert screen(app).session.view is not None
        await pilot.press("escape", "slash")
        app.screen.query_one(Input).value = "materials"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen(app).session.current == also[0]
        await pilot.press("j")  # one result: stays
        assert screen(app).session.current == also[0]
        await pilot.press("escape")
        assert screen(app).session.view is None

    drive(app_for(small_db), steps)


def test_f_filters_not_done_and_has_code(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("x", "j", "3")
        await pilot.press("f")
        assert isinstance(app.screen, FilterDialog)
        await pilot.press("down", "enter")  # "not done by me"
        await settle(app, pilot)  # worked out in a worker too
        view = screen(app).session.view
        assert view is not None and len(view.indices) == 9
        assert screen(app).session.current == A3
        await pilot.press("escape", "f", "down", "down", "down", "down", "enter")  # has code 3
        await settle(app, pilot)  # the filter is worked out in a worker
        assert screen(app).session.current == A2
        view = screen(app).session.view
        assert view is not None and len(view.indices) == 1

    drive(app_for(demo_db), steps)


def test_m_memo_saved_and_escape_cancels(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("m")
        assert isinstance(app.screen, MemoDialog)
        await pilot.press(*"why", "ctrl+s")
        assert state_on_disk(demo_db, "t", A1).memo == "why"
        assert "memo" in text_of(app, "#seginfo")
        await pilot.press("m", "x", "escape")
        assert state_on_disk(demo_db, "t", A1).memo == "why"

    drive(app_for(demo_db), steps)


def test_help_lists_every_key_in_the_ui_language(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpDialog)
        text = app.screen.text
        for k in screen_keys:
            assert t("zh", k.text) in text
        codebook = load_codebook(open_project(demo_db))
        for code in codebook.codes:
            assert code.label.zh in text
        await pilot.press("escape")
        assert isinstance(app.screen, CodingScreen)

    app = app_for(demo_db, ui="zh")
    screen_keys: list[Any] = []

    async def wrapped(app: Any, pilot: Any) -> None:
        screen_keys.extend(screen(app).ui_keys)
        assert {k.action for k in screen_keys} >= {
            "next", "prev", "next_undone", "goto", "mark_none", "apply_suggestion", "search",
            "filter", "memo", "undo", "redo", "help", "quit"}
        await steps(app, pilot)

    drive(app, wrapped)


def test_mouse_click_on_a_code_toggles_it(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        panel = app.screen.query_one("#codebook")
        first = str(panel.render()).splitlines()[0]
        column = first.index("[3]")
        await pilot.click("#codebook", offset=(1 + column + 1, 1))  # padding 1, border row 1
        assert state_on_disk(demo_db, "t", A1).codes == {"integration"}

    drive(app_for(demo_db), steps, size=(120, 30))


def test_outline_click_picks_a_segment(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        outline = app.screen.query_one("#outline")
        assert outline.display
        await pilot.click("#outline", offset=(3, 5))  # heading A, 3 rows, heading B, row 5 = B-001
        assert screen(app).session.current == "B20230512-001"

    drive(app_for(demo_db), steps, size=(120, 30))


def test_o_toggles_the_outline_at_narrow_widths(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        outline = app.screen.query_one("#outline")
        assert not outline.display
        await pilot.press("o")
        assert outline.display
        await pilot.press("o")
        assert not outline.display

    drive(app_for(demo_db), steps, size=(80, 24))


def test_command_palette_runs_actions(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        names = [name for name, _key, _cb in screen(app).palette_commands()]
        for action in ("next segment", "undo", "redo", "memo", "search", "filter", "help"):
            assert any(action in n for n in names), action
        await pilot.press("ctrl+p")
        app.screen.query_one(Input).value = "latency"
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert state_on_disk(demo_db, "t", A1).codes == {"latency"}

    drive(app_for(demo_db), steps)
