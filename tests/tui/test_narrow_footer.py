"""At 60 columns the footer's keys leave no room for the palette key: it used to be drawn over
them, cutting 命令面板 in the middle of a character. Where it does not fit it is hidden (ctrl+p
still opens the palette); where it fits, nothing lies under it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import app_for, drive


@pytest.mark.parametrize("ui", ["zh", "en"])
@pytest.mark.parametrize("width", [60, 66, 72, 74, 80])
def test_no_footer_key_lies_under_the_palette_key(demo_db: Path, ui: str, width: int) -> None:
    from textual.widgets._footer import FooterKey

    async def steps(app: Any, pilot: Any) -> None:
        keys = list(app.screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown = [k for k in keys if k is not palette]
        for key in shown:
            assert key.region.right <= width, f"{key.key} cut at the edge"
        if palette.display:
            assert all(k.region.right <= palette.region.x for k in shown)
            assert palette.region.right <= width
        if width >= 80:
            assert palette.display  # room enough: the palette key shows
        await pilot.press("ctrl+p")  # hidden or not, the palette opens
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)

    drive(app_for(demo_db, ui=ui), steps, size=(width, 16))
