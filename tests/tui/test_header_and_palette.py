"""What the header and the command palette say: the UI language, a document named once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .conftest import app_for, drive, text_of


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
    async def steps(app: Any, pilot: Any) -> None:
        header = text_of(app, "#seginfo")
        assert header.count("talk") == 1, header

    drive(app_for(small_db), steps)


def test_header_names_each_document_by_its_title_as_the_coder_moves_on(demo_db: Path) -> None:
    """The title is read when a segment of its document is first shown (not every document's
    row at the start): the header follows the coder from one document into the next."""
    async def steps(app: Any, pilot: Any) -> None:
        assert "Respondent A, interview of 21 March 2023" in text_of(app, "#seginfo")
        for _ in range(3):  # the demo's first document has three segments
            await pilot.press("j")
        header = text_of(app, "#seginfo")
        assert "B20230512" in header and "Respondent B, interview of 12 May 2023" in header, header
        assert "Respondent A" not in header

    drive(app_for(demo_db), steps, size=(160, 30))
