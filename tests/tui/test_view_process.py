"""On a large project the lead's "coders disagree" filter is worked out by a child process, so
that its numpy steps never hold the screen's interpreter lock while keys wait: the child's
answer is the screen's own, a cancelled child is stopped, and a child that cannot run leaves the
filter to the screen's worker."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from annotator.application.filters import disagreeing_keys
from annotator.application.reading_order import positions_of_keys
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from annotator.tui import view_process
from annotator.tui.view_process import Cancelled, ChildFailed, disagreeing_groups_apart

from .conftest import app_for, drive, screen, settle

A1, A2 = "A20230321-001", "A20230321-002"


def _disagree(path: Path) -> None:
    with open_project(path) as p:
        codebook = load_codebook(p)
        tag(p, codebook, "lead", A1, ["latency"])
        tag(p, codebook, "lead", A2, ["adaptation"])


def _flat(groups: Any) -> set[tuple[str, int]]:
    return {(document, int(position)) for document, positions in groups for position in positions}


def test_the_child_finds_what_the_screens_own_thread_finds(demo_db: Path) -> None:
    _disagree(demo_db)
    with open_project(demo_db) as p:
        for exclude in (None, "lead", "paper"):
            here = _flat(positions_of_keys(p, disagreeing_keys(p, exclude=exclude).tolist()))
            assert _flat(disagreeing_groups_apart(demo_db, exclude)) == here
    assert len(_flat(disagreeing_groups_apart(demo_db, None))) >= 2


def test_a_cancelled_child_is_stopped(demo_db: Path) -> None:
    start = time.monotonic()
    with pytest.raises(Cancelled):
        disagreeing_groups_apart(demo_db, None, cancelled=lambda: True)
    assert time.monotonic() - start < 5


def test_a_child_that_fails_says_why(tmp_path: Path) -> None:
    with pytest.raises(ChildFailed):
        disagreeing_groups_apart(tmp_path / "missing.db", None)


@pytest.mark.parametrize("python", ["real", "missing"])
def test_the_screens_filter_shows_the_childs_answer_or_its_own(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch, python: str) -> None:
    import annotator.tui.session as session_module

    _disagree(demo_db)
    monkeypatch.setattr(session_module, "APART_FROM", 0)  # the demo worked out apart too
    if python == "missing":  # the screen's worker works it out
        monkeypatch.setattr(view_process.sys, "executable", str(Path("/nonexistent/python")))
    else:  # only the child can answer

        def not_here(*_args: Any, **_kwargs: Any) -> Any:
            raise AssertionError("worked out on the screen's side")

        monkeypatch.setattr(session_module, "disagreeing_keys", not_here)

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("f", "end", "enter")  # the last option: coders disagree
        await settle(app, pilot)
        session = screen(app).session
        assert session.view is not None
        assert [session.order[i] for i in session.view.indices] == [A1, A2]

    drive(app_for(demo_db, coder="lead", lead=True), steps, size=(120, 40))
