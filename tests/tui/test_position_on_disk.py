"""The coding screen saves where the coder is on every move, right after the move's repaint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.storage.coding import last_segment
from annotator.storage.db import open_project

from .conftest import app_for, drive, screen

A2, A3 = "A20230321-002", "A20230321-003"


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


def test_a_move_does_not_wait_for_another_program_writing_the_project(demo_db: Path) -> None:
    """Another program (the suggestion engine storing its corpus counts, a teammate's import)
    holds the write lock: keys go on without waiting for it, and the position is stored at the
    first move after the lock is released."""
    import sqlite3
    import time

    async def steps(app: Any, pilot: Any) -> None:
        other = sqlite3.connect(demo_db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            start = time.monotonic()
            await pilot.press("j", "j")
            assert time.monotonic() - start < 1.0  # waiting would take the busy timeout (10 s) and more
            assert screen(app).session.current == A3
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert _position_on_disk(demo_db) != A3  # not stored while the lock was held
        await pilot.press("j", "k")
        assert _position_on_disk(demo_db) == A3

    drive(app_for(demo_db), steps)
