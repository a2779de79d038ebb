"""Snapshots of the coding screen in both UI languages, from 60×16 (the footer without the
palette key, no character cut) to 160×48.

Deterministic: a fixed project copy, codebook-keyword suggestions (no learned model), no clock
and no text cursor on the main screen. Regenerate with ``pytest --snapshot-update`` only after
looking at the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotator.tui.app import make_app


async def _settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("j", "j", "3", "d")  # a segment with highlights and codes applied
    await pilot.pause()


@pytest.mark.parametrize("ui", ["en", "zh"])
@pytest.mark.parametrize("size", [(60, 16), (80, 24), (160, 48)], ids=["60x16", "80x24", "160x48"])
def test_main_screen(snap_compare: Any, demo_db: Path, ui: str, size: tuple[int, int]) -> None:
    app = make_app(demo_db, coder="snap", ui=ui, suggester="keywords")
    assert snap_compare(app, terminal_size=size, run_before=_settle)


def test_lead_screen(snap_compare: Any, demo_db: Path) -> None:
    app = make_app(demo_db, coder="lead", lead=True, ui="en", suggester="keywords")
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settle)
