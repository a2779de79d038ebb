"""The coding screen takes an automatic backup after its first paint, in a thread; a failure
is a one-line notice."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from annotator import config
from annotator.storage.backup import list_rotating
from annotator.tui.app import make_app
from annotator.tui.i18n import t
from annotator.tui.screens.coding import CodingScreen


def run(app: Any, steps: Any) -> None:
    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await steps(app, pilot)

    asyncio.run(main())


async def backup_finished(app: Any, pilot: Any) -> CodingScreen:
    screen = app.screen
    assert isinstance(screen, CodingScreen)
    deadline = time.monotonic() + 20
    while (screen.backup_thread is None or screen.backup_thread.is_alive()) \
            and time.monotonic() < deadline:
        await pilot.pause(0.05)
    await pilot.pause()  # the thread's message reaches the screen
    return screen


def test_opening_the_screen_writes_a_rotating_backup(demo_db: Path) -> None:
    before = list_rotating(demo_db)
    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        screen = await backup_finished(app, pilot)
        assert screen.backup_thread is not None and screen.backup_thread.daemon
        assert screen.backup_thread.ident != __import__("threading").get_ident()
        seen["path"] = screen.backup_path
        await pilot.press("1")  # coding goes on while and after the copy is taken

    run(make_app(demo_db, coder="t", ui="en", suggester="keywords"), steps)
    path = seen["path"]
    assert isinstance(path, Path) and path.is_file()
    assert path.parent.parent == config.data_dir() / "backups"
    assert list_rotating(demo_db) == [*before, path]
    with sqlite3.connect(path) as copy, sqlite3.connect(demo_db) as original:
        count = "SELECT count(*) FROM segments"
        assert copy.execute(count).fetchone() == original.execute(count).fetchone() == (11,)


def test_a_failed_backup_is_a_one_line_notice(demo_db: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "backups").write_text("a file where the backups folder should be")
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))

    async def steps(app: Any, pilot: Any) -> None:
        screen = await backup_finished(app, pilot)
        assert screen.backup_path is None
        status = str(screen.query_one("#status").render())
        assert status.startswith(t("en", "msg_backup_failed", error="")) and "\n" not in status
        await pilot.press("1")
        assert screen.session.state().codes == {"adaptation"}

    run(make_app(demo_db, coder="t", ui="en", suggester="keywords"), steps)


def test_with_the_engine_the_backup_waits_for_its_built_engine(demo_db: Path) -> None:
    """On two cores the copy and the engine's build at once keep the screen waiting for a
    core: the backup starts when the built engine first answers."""
    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        screen = app.screen
        seen["at_first_paint"] = screen.backup_thread
        deadline = time.monotonic() + 60
        while screen.backup_thread is None and screen.suggestions is None \
                and time.monotonic() < deadline:
            await pilot.pause(0.02)
        await pilot.pause()  # the answer that started the backup is shown after a repaint
        seen["answered"] = screen.suggestions is not None
        screen = await backup_finished(app, pilot)
        seen["path"] = screen.backup_path

    run(make_app(demo_db, coder="t", ui="en", suggester="auto"), steps)
    assert seen["at_first_paint"] is None and seen["answered"]
    assert isinstance(seen["path"], Path) and seen["path"].is_file()


def test_the_backup_waits_for_the_engine_a_bounded_time(demo_db: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.tui.screens import coding

    monkeypatch.setattr(coding, "BACKUP_WAIT_S", 0.3)
    monkeypatch.setattr(CodingScreen, "start_suggester", lambda self: None)  # no engine answers
    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        seen["at_first_paint"] = app.screen.backup_thread
        screen = await backup_finished(app, pilot)
        seen["path"] = screen.backup_path

    run(make_app(demo_db, coder="t", ui="en", suggester="auto"), steps)
    assert seen["at_first_paint"] is None
    assert isinstance(seen["path"], Path) and seen["path"].is_file()
