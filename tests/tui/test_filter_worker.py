"""The lead's filters read every coder's work (seconds on a million segments), so they are
computed off the event loop: keys keep working on what the screen shows, esc or a newer choice
drops a filter still running, and a filter that fails says so and leaves the view alone."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project

from .conftest import app_for, drive, screen, settle, state_on_disk, text_of

A1, A2 = "A20230321-001", "A20230321-002"


@pytest.fixture()
def gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The "coders disagree" filter waits for the test before computing its (real) answer."""
    import annotator.tui.session as session_module

    opened = threading.Event()
    real = session_module.disagreeing_keys

    def held(*args: Any, **kw: Any) -> Any:
        assert opened.wait(10)
        return real(*args, **kw)

    monkeypatch.setattr(session_module, "disagreeing_keys", held)
    return opened


def _lead_disagrees_on_a1(path: Path) -> None:
    with open_project(path) as p:
        tag(p, load_codebook(p), "lead", A1, ["latency"])


def _lead_app(path: Path) -> Any:
    return app_for(path, coder="lead", lead=True)


def test_keys_work_while_the_disagreement_filter_is_computed(demo_db: Path, gate: threading.Event) -> None:
    _lead_disagrees_on_a1(demo_db)

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("f", "end", "enter")  # coders disagree: held
        assert "filtering" in text_of(app, "#status")
        await pilot.press("j", "3")  # on the segment shown, at once
        assert screen(app).session.current == A2
        assert "integration" in state_on_disk(demo_db, "lead", A2).codes
        gate.set()
        await settle(app, pilot)
        view = screen(app).session.view  # the lead's new disagreement on A2 is counted
        assert view is not None and [screen(app).session.order[i] for i in view.indices] == [A1, A2]
        assert screen(app).session.current == A2  # the segment shown stays shown
        assert "2 segments" in text_of(app, "#status")

    drive(_lead_app(demo_db), steps, size=(120, 40))


def test_escape_drops_a_filter_still_being_computed(demo_db: Path, gate: threading.Event) -> None:
    _lead_disagrees_on_a1(demo_db)

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("j", "f", "end", "enter", "escape")
        assert "showing every segment" in text_of(app, "#status")
        gate.set()
        await settle(app, pilot)
        assert screen(app).session.view is None
        assert screen(app).session.current == A2
        assert "showing every segment" in text_of(app, "#status")

    drive(_lead_app(demo_db), steps, size=(120, 40))


def test_the_filter_chosen_last_is_the_one_shown(demo_db: Path, gate: threading.Event) -> None:
    _lead_disagrees_on_a1(demo_db)

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("f", "end", "enter")  # coders disagree: held
        await pilot.press("f", "down", "enter")  # not done by me: without waiting for it
        for _ in range(100):
            if screen(app).session.view is not None:
                break
            await pilot.pause(0.02)
        kept = screen(app).session.view
        assert kept is not None and kept.kind == "filter" and len(kept.indices) > 1
        gate.set()
        await settle(app, pilot)
        assert screen(app).session.view is kept

    drive(_lead_app(demo_db), steps, size=(120, 40))


def test_a_filter_that_cannot_read_the_project_says_so(demo_db: Path) -> None:
    _lead_disagrees_on_a1(demo_db)

    async def steps(app: Any, pilot: Any) -> None:
        demo_db.unlink()  # deleted under the running program
        await pilot.press("f", "end", "enter")
        await settle(app, pilot)
        assert screen(app).session.view is None
        assert text_of(app, "#status").startswith("error")

    drive(_lead_app(demo_db), steps, size=(120, 40))


def test_an_error_naming_a_hostile_file_name_is_shown_escaped(demo_db: Path) -> None:
    hostile = demo_db.with_name("demo\x1b[31m\u202e.db")
    demo_db.rename(hostile)
    _lead_disagrees_on_a1(hostile)

    async def steps(app: Any, pilot: Any) -> None:
        hostile.unlink()
        await pilot.press("f", "end", "enter")
        await settle(app, pilot)
        status = text_of(app, "#status")
        assert status.startswith("error") and "\\u001b[31m\\u202e.db" in status
        assert "\x1b" not in status and "\u202e" not in status

    drive(_lead_app(hostile), steps, size=(120, 40))


def test_the_not_done_filter_is_listed_off_the_screens_thread(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing a million places not done takes tens of milliseconds (and waits for the done
    marks to be placed): a worker does it, as it does every other filter."""
    from annotator.tui.session import CodingSession

    threads: list[threading.Thread] = []
    real = CodingSession.not_done_view

    def recorded(self: CodingSession, label: str) -> Any:
        threads.append(threading.current_thread())
        return real(self, label)

    monkeypatch.setattr(CodingSession, "not_done_view", recorded)

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("f", "down", "enter")
        await settle(app, pilot)
        view = screen(app).session.view
        assert view is not None and view.headings is not None and len(view.indices) == 11
        assert view.array.tolist() == view.indices

    drive(app_for(demo_db), steps)
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
