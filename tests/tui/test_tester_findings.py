"""Defects found by driving the coding screen as a coder and a lead would; each test failed
before its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.storage.coding import last_segment
from annotator.storage.db import open_project

from .conftest import app_for, drive, screen

A1, A2, A3 = "A20230321-001", "A20230321-002", "A20230321-003"


def _position_on_disk(path: Path, coder: str = "t") -> str | None:
    with open_project(path) as p:
        return last_segment(p, coder)


def test_every_move_is_on_disk_before_the_next_key(demo_db: Path) -> None:
    """A SIGKILL right after a move must reopen where the screen was (the position used to be
    saved 0.4 s later, so a kill in between reopened on an earlier segment)."""

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("j")
        assert screen(app).session.current == A2
        assert _position_on_disk(demo_db) == A2
        await pilot.press("j")
        assert _position_on_disk(demo_db) == A3
        await pilot.press("k")
        assert _position_on_disk(demo_db) == A2
        await pilot.press("g", "1", "1", "enter")
        assert _position_on_disk(demo_db) == screen(app).session.current
        await pilot.press("u")
        assert _position_on_disk(demo_db) == screen(app).session.current
        await pilot.press("slash", *"检", "enter")
        assert _position_on_disk(demo_db) == screen(app).session.current

    drive(app_for(demo_db), steps)


def test_help_scrolls_by_key_where_the_terminal_is_short(demo_db: Path) -> None:
    """At 80×24 the help is taller than the screen: its code keys and the palette line were out
    of reach, since nothing in the dialog had the focus to scroll it."""
    from textual.containers import ScrollableContainer

    from annotator.tui.screens.dialogs import HelpDialog

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("question_mark")
        dialog = app.screen
        assert isinstance(dialog, HelpDialog)
        box = dialog.query_one(".help", ScrollableContainer)
        assert box.max_scroll_y > 0  # taller than the terminal: the case that matters
        await pilot.press("end")
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("home")
        assert box.scroll_y == 0
        await pilot.press("pagedown")
        assert box.scroll_y > 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpDialog)

    drive(app_for(demo_db), steps, size=(80, 24))


def _coded_by_others(path: Path) -> None:
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import tag

    with open_project(path) as p:
        codebook = load_codebook(p)
        tag(p, codebook, "li", A1, ["goal_attainment"])
        tag(p, codebook, "wang", A1, ["latency", "feedback_gap"])


def test_lead_view_fits_small_terminals_and_shows_every_coders_codes(demo_db: Path) -> None:
    """At 100×30 and 80×24 the lead grid (one line per code) took most of the screen and still
    hid the last codes, so what other coders applied there could not be seen."""
    from annotator.tui.widgets.codebook_panel import CodebookPanel

    _coded_by_others(demo_db)

    async def steps(app: Any, pilot: Any) -> None:
        panel = app.screen.query_one("#codebook", CodebookPanel)
        texts = app.screen.query_one("#texts")
        for size in ((100, 30), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            shown = str(panel.render())
            lines = panel.visual.get_height(panel.styles, panel.size.width)
            assert lines <= panel.size.height, f"codebook panel cut off at {size}"
            assert "Missing feedback mechanism" in shown  # the codebook's last code
            assert "li ✓ [2]Goal attainment" in shown
            assert "[4]Latency (pattern maintenance)" in shown and "[b]Missing feedback" in shown
            assert "paper ✓" in shown
            assert texts.size.height >= 6, f"texts squeezed to {texts.size.height} lines"
        await pilot.press("1")  # the lead's own code, in the lead's own codebook line
        assert "[1]●Adaptation" in str(panel.render())
        await pilot.resize_terminal(160, 48)  # room for the grid again
        await pilot.pause()
        assert "[1] Adaptation" in str(panel.render()) and "wang" in str(panel.render())
        assert panel.visual.get_height(panel.styles, panel.size.width) <= panel.size.height

    drive(app_for(demo_db, coder="lead", lead=True), steps, size=(100, 30))


def test_footer_keys_fit_at_80_columns_in_both_languages(demo_db: Path) -> None:
    """In English at 80 columns the footer ran into the palette key: "? help" was cut to "? h"
    and "q quit" was not shown at all."""
    from textual.widgets._footer import FooterKey

    for ui in ("en", "zh"):

        async def steps(app: Any, pilot: Any) -> None:
            keys = list(app.screen.query(FooterKey))
            palette = next(k for k in keys if k.has_class("-command-palette"))
            shown = [k for k in keys if k is not palette]
            assert {k.key for k in shown} >= {"question_mark", "q", "u", "x", "f", "m"}
            for key in shown:
                assert key.region.right <= palette.region.x, f"{key.key} under the palette key"
                assert key.size.width >= len(key.description), f"{key.key} cut"

        drive(app_for(demo_db, ui=ui), steps, size=(80, 24))


def test_palette_system_commands_speak_the_ui_language(demo_db: Path) -> None:
    """In the Chinese UI the command palette listed Textual's Theme, Quit, Keys and Screenshot
    in English."""

    async def steps(app: Any, pilot: Any) -> None:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"主题", "退出程序", "按键面板", "截图"} <= set(titles)
        assert not {"Theme", "Quit", "Keys", "Screenshot"} & set(titles)

    drive(app_for(demo_db, ui="zh"), steps)


def test_header_names_a_document_once_when_its_title_is_its_id(small_db: Path) -> None:
    """A transcript imported without a title has its id as title: the header read
    "talk · A · talk"."""
    from .conftest import text_of

    async def steps(app: Any, pilot: Any) -> None:
        header = text_of(app, "#seginfo")
        assert header.count("talk") == 1, header

    drive(app_for(small_db), steps)
