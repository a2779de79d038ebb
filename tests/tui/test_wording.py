"""The coding screen's words: counts in English, full-width punctuation in Chinese, one case in
the palette, and the palette's prompt in the UI language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.content import Content

from annotator.model import CoderState
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from annotator.tui.i18n import t
from annotator.tui.widgets.codebook_panel import blind_lines
from annotator.tui.widgets.suggestion_panel import suggestion_markup

from .conftest import app_for, drive


def test_counts_of_one_are_singular() -> None:
    assert t("en", "msg_search", query="x", n=1) == "search “x”: 1 result (esc leaves)"
    assert t("en", "msg_search", query="x", n=2) == "search “x”: 2 results (esc leaves)"
    assert t("en", "msg_filter", label="done", n=1) == "filter: done, 1 segment (esc leaves)"


def test_chinese_panels_use_full_width_punctuation(demo_db: Path) -> None:
    from annotator.application.suggesting import suggester_for_project

    with open_project(demo_db) as p:
        codebook = load_codebook(p)
        suggestions = suggester_for_project(p).suggest("A20230321-002", top=3)
    panel = "\n".join(Content.from_markup(line).plain for line in blind_lines(codebook, "zh", CoderState()))
    assert "维度（单选）" in panel and "(" not in panel
    line = Content.from_markup(suggestion_markup(codebook, "zh", suggestions, frozenset())).plain
    assert line.startswith("建议：") and "（" in line and "(" not in line and ", " not in line
    english = Content.from_markup(suggestion_markup(codebook, "en", suggestions, frozenset())).plain
    assert english.startswith("Suggested: ") and " (" in english


def test_palette_entries_share_one_case_and_its_prompt_is_translated(demo_db: Path) -> None:
    from textual.command import CommandPalette
    from textual.widgets import Input

    async def steps(app: Any, pilot: Any) -> None:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        titles += [name for name, _key, _cb in app.screen.palette_commands()]
        assert all(title[:1] == title[:1].lower() for title in titles), titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "Search for commands…"

    drive(app_for(demo_db), steps)

    async def zh_steps(app: Any, pilot: Any) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(Input).placeholder == "搜索命令…"

    drive(app_for(demo_db, ui="zh"), zh_steps)
