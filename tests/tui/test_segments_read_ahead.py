"""After its first paint the coding screen reads a search's pages ahead in a thread of its own
(so that a first search does not wait for the disk), paced as the backup is, and stops when the
screen closes."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.application import segments
from annotator.storage import warm_pages
from annotator.storage.db import open_project
from annotator.storage.search_index import TABLE
from annotator.tui.app import make_app

INDEX = f"{TABLE}_data"


def spy(monkeypatch: pytest.MonkeyPatch, step_wait: float = 0.0) -> dict[str, Any]:
    """Record the calls of the real read-ahead (each of its steps waiting ``step_wait`` more)."""
    seen: dict[str, Any] = {"steps": 0}
    real = warm_pages.warm_search_pages

    def recorded(project: Any, pace: Callable[[bool], None], stop: Callable[[], bool]) -> int:
        seen["thread"] = threading.current_thread()

        def paced(long: bool) -> None:
            seen["steps"] += 1
            pace(long)
            time.sleep(step_wait)

        seen["returned"] = real(project, paced, stop)
        seen["stopped"] = stop()
        return int(seen["returned"])

    monkeypatch.setattr(segments, "warm_search_pages", recorded)
    return seen


def run(app: Any, steps: Any) -> None:
    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await steps(app, pilot)

    asyncio.run(main())


def test_the_rows_are_read_ahead_after_the_first_paint(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(warm_pages.STEP_ROWS, "segments", 2)
    monkeypatch.setitem(warm_pages.STEP_ROWS, INDEX, 10**9)
    seen = spy(monkeypatch)

    async def steps(app: Any, pilot: Any) -> None:
        deadline = time.monotonic() + 20
        while "returned" not in seen and time.monotonic() < deadline:
            await pilot.pause(0.05)
        await pilot.press("1")  # the screen codes on

    run(make_app(demo_db, coder="t", ui="en", suggester="keywords"), steps)
    with open_project(demo_db) as p:
        rows = p.execute("SELECT count(*) FROM segments").fetchone()[0]
    assert seen["returned"] == seen["steps"] == 1 + math.ceil(rows / 2)  # the index, then the segments
    assert seen["thread"] is not threading.main_thread() and seen["thread"].daemon
    assert seen["stopped"] is False


def test_closing_the_screen_stops_the_reading(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(warm_pages.STEP_ROWS, "segments", 1)
    monkeypatch.setitem(warm_pages.STEP_ROWS, INDEX, 1)
    seen = spy(monkeypatch, step_wait=0.2)

    async def steps(app: Any, pilot: Any) -> None:
        deadline = time.monotonic() + 20
        while not seen["steps"] and time.monotonic() < deadline:
            await pilot.pause(0.02)

    run(make_app(demo_db, coder="t", ui="en", suggester="keywords"), steps)
    assert not seen["thread"].is_alive()  # ended (its connection closed) as the screen closed
    assert seen["stopped"] is True
    with open_project(demo_db) as p:
        assert seen["returned"] < p.execute(f"SELECT count(*) FROM {INDEX}").fetchone()[0]
