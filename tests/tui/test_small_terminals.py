"""The coding screen at 80×24 and 100×30: help reachable by key, every code of every coder
shown, footer keys not cut."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.storage.db import open_project

from .conftest import app_for, drive

A1 = "A20230321-001"


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
