"""Lead mode shows work that other programs commit: on the refresh key and on its own timer."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from annotator.tui.app import make_app
from annotator.tui.screens.coding import LEAD_REFRESH_S, CodingScreen
from annotator.tui.widgets.codebook_panel import CODER_CELLS, ON_MARK

from .conftest import drive

A1 = "A20230321-001"
OTHER = "other"


def mark_of(panel_text: str, coder: str, label: str) -> str:
    """The mark in ``coder``'s column on the line of the code labelled ``label``."""
    lines = panel_text.splitlines()
    header = lines[0]
    column = header.index(" " + coder)  # each coder's column starts with a space
    line = next(x for x in lines if label in x)
    return line[column : column + CODER_CELLS].strip()


def tag_elsewhere(path: Path, coder: str, segment: str, codes: list[str]) -> None:
    """Another program (its own connection) codes a segment and commits."""
    with open_project(path) as p:
        tag(p, load_codebook(p), coder, segment, codes)


def panel(app: Any) -> str:
    return str(app.screen.query_one("#codebook").render())


def test_refresh_key_shows_another_coders_new_code(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.session.current == A1
        assert OTHER not in panel(app)
        tag_elsewhere(demo_db, OTHER, A1, ["latency"])
        await pilot.press("R")
        assert mark_of(panel(app), OTHER, "Latency") == ON_MARK
        assert mark_of(panel(app), "lead", "Latency") != ON_MARK  # the lead's own column
        tag_elsewhere(demo_db, OTHER, A1, ["adaptation"])  # single choice: replaces latency
        await pilot.press("R")
        assert mark_of(panel(app), OTHER, "Adaptation") == ON_MARK
        assert mark_of(panel(app), OTHER, "Latency") != ON_MARK

    drive(make_app(demo_db, coder="lead", lead=True, ui="en", suggester="keywords"), steps,
          size=(120, 40))


def test_lead_screen_rereads_on_its_own_timer(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        tag_elsewhere(demo_db, OTHER, A1, ["rights_mismatch"])
        deadline = time.monotonic() + LEAD_REFRESH_S * 3
        while OTHER not in panel(app) and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert mark_of(panel(app), OTHER, "Mismatch of rights") == ON_MARK

    drive(make_app(demo_db, coder="lead", lead=True, ui="en", suggester="keywords"), steps,
          size=(120, 40))
