"""Projects for the coding-screen tests: built once with the real import pipeline, copied per test
(the demo project is the session's ``demo_master`` of tests/conftest.py)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.model import CoderState
from annotator.storage.coding import get_state
from annotator.storage.db import open_project

ZH = """A：我们社区的减负工作做了很多，可是负担还是很重。

B：上级来检查，我们要准备大量台账材料。

A：群众的需求越来越多，我们没有执法权。
"""
EN = """A: Our community has done a lot of burden reduction work, but the burden is still heavy.

B: When the higher level comes to inspect, we have to prepare a lot of ledger materials.

A: The needs of the masses keep growing, and we have no law enforcement power.
"""


def _copy(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst


@pytest.fixture(scope="session")
def small_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts

    folder = tmp_path_factory.mktemp("small")
    (folder / "talk.zh.txt").write_text(ZH, encoding="utf-8")
    (folder / "talk.en.txt").write_text(EN, encoding="utf-8")
    path = folder / "small.db"
    create_project(path)
    with open_project(path) as p:
        import_transcripts(p, [folder / "talk.zh.txt"], translation=folder / "talk.en.txt",
                           lang="zh", document="talk")
        p.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture()
def demo_db(demo_master: Path, tmp_path: Path) -> Path:
    return _copy(demo_master, tmp_path / "demo.db")


@pytest.fixture()
def small_db(small_master: Path, tmp_path: Path) -> Path:
    return _copy(small_master, tmp_path / "small.db")


def state_on_disk(path: Path, coder: str, segment: str) -> CoderState:
    """What a second connection (another program) reads from the project file."""
    with open_project(path) as p:
        return get_state(p, coder, segment)


def query(path: Path, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    with open_project(path) as p:
        return [tuple(r) for r in p.execute(sql, params)]


def drive(app: Any, steps: Callable[[Any, Any], Awaitable[None]], size: tuple[int, int] = (100, 30)) -> None:
    """Run ``steps(app, pilot)`` in a headless app of ``size``, after the first paint and the
    suggester worker."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await steps(app, pilot)

    asyncio.run(main())


def app_for(path: Path, coder: str = "t", **kw: Any) -> Any:
    """The coding screen on ``path`` in English with keyword suggestions (deterministic)."""
    from annotator.tui.app import make_app

    kw.setdefault("ui", "en")
    kw.setdefault("suggester", "keywords")
    return make_app(path, coder=coder, **kw)


def screen(app: Any) -> Any:
    from annotator.tui.screens.coding import CodingScreen

    s = app.screen
    assert isinstance(s, CodingScreen)
    return s


def text_of(app: Any, selector: str) -> str:
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).render())


async def settle(app: Any, pilot: Any) -> None:
    """Wait for the workers a key started (a search or filter is computed off the event loop)
    and the repaint of their answer."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for_engine(app: Any, pilot: Any) -> Any:
    """The coding screen, once its suggestion engine (built in a process of its own) is ready
    and the segment on screen shows its suggestions."""
    s = screen(app)
    for _ in range(600):
        if s.suggester is not None and (s.session.empty or s._fetcher is None or (
                s.suggestions is not None and s.suggestions.segment == s.session.current)):
            break
        await pilot.pause(0.05)
    return s
