"""Every key of the coding screen, checked on the project file through a second connection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import last_segment, tag
from annotator.storage.db import open_project
from annotator.tui.i18n import t
from annotator.tui.screens.coding import CodingScreen
from annotator.tui.widgets.segment_text import SegmentText

from .conftest import app_for, drive, query, screen, settle, state_on_disk, text_of

A1, A2, A3 = "A20230321-001", "A20230321-002", "A20230321-003"



def test_navigation_keys_and_resume(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        assert screen(app).session.current == A1
        assert "1 / 11" in text_of(app, "#seginfo")
        await pilot.press("j", "down", "n")
        assert screen(app).session.pos == 3
        assert "4 / 11" in text_of(app, "#seginfo")
        await pilot.press("k", "up")
        assert screen(app).session.current == A2
        await pilot.press("p", "p")  # stops at the first segment
        assert screen(app).session.current == A1
        assert t("en", "msg_first") in text_of(app, "#status")
        await pilot.press("j", "q")

    drive(app_for(demo_db), steps)
    with open_project(demo_db) as p:
        assert last_segment(p, "t") == A2

    async def resumed(app: Any, pilot: Any) -> None:
        assert screen(app).session.current == A2
        assert "2 / 11" in text_of(app, "#seginfo")

    drive(app_for(demo_db), resumed)


def test_code_keys_toggle_commit_and_replace_in_single_choice(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("1")
        assert state_on_disk(demo_db, "t", A1).codes == {"adaptation"}
        assert state_on_disk(demo_db, "t", A1).done
        await pilot.press("2")  # the dimension facet takes one code: 2 replaces 1
        assert state_on_disk(demo_db, "t", A1).codes == {"goal_attainment"}
        await pilot.press("r", "c")  # burdens: several
        assert state_on_disk(demo_db, "t", A1).codes == {"goal_attainment", "rights_mismatch",
                                                         "unfixed_matters"}
        await pilot.press("r")  # off again
        assert state_on_disk(demo_db, "t", A1).codes == {"goal_attainment", "unfixed_matters"}
        assert "1/11" in text_of(app, "#progress")
        assert "Goal attainment" in text_of(app, "#codebook")

    drive(app_for(demo_db), steps)
    rows = query(demo_db, "SELECT action, session FROM events WHERE coder = 't'")
    assert [r[0] for r in rows] == ["toggle"] * 5
    assert len({r[1] for r in rows}) == 1 and rows[0][1]


def test_x_marks_done_with_no_code_and_u_skips_done(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("1", "x")
        assert state_on_disk(demo_db, "t", A1).codes == frozenset()
        assert state_on_disk(demo_db, "t", A1).done
        await pilot.press("j", "x", "k")
        await pilot.press("u")  # A1 and A2 are done: the next open one is A3
        assert screen(app).session.current == A3

    drive(app_for(demo_db), steps)


def test_enter_applies_the_top_suggestion(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("j", "j")
        sugg = screen(app).suggestions
        assert sugg is not None and sugg.segment == A3
        top = sugg.codes[0].code
        await pilot.press("enter")
        assert state_on_disk(demo_db, "t", A3).codes == {top}
        await pilot.press("enter")  # the next suggestion not yet applied
        assert state_on_disk(demo_db, "t", A3).codes == {top, sugg.codes[1].code}

    drive(app_for(demo_db), steps)


def test_undo_and_redo_every_change_of_the_session(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("1", "j", "r")
        await pilot.press("ctrl+z")
        assert state_on_disk(demo_db, "t", A2).codes == frozenset()
        assert not state_on_disk(demo_db, "t", A2).done
        await pilot.press("ctrl+z")  # goes back to A1 and undoes there
        assert screen(app).session.current == A1
        assert state_on_disk(demo_db, "t", A1) == state_on_disk(demo_db, "nobody", A1)
        await pilot.press("ctrl+z")
        assert t("en", "msg_nothing_undo") in text_of(app, "#status")
        await pilot.press("ctrl+y", "ctrl+y")
        assert state_on_disk(demo_db, "t", A1).codes == {"adaptation"}
        assert state_on_disk(demo_db, "t", A2).codes == {"rights_mismatch"}
        assert screen(app).session.current == A2

    drive(app_for(demo_db), steps)
    actions = [r[0] for r in query(demo_db, "SELECT action FROM events WHERE coder = 't' ORDER BY id")]
    assert actions == ["toggle", "toggle", "undo", "undo", "redo", "redo"]


def test_zh_ui_labels(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        assert "已完成 0/11" in text_of(app, "#progress")
        assert "环境适应" in text_of(app, "#codebook")
        await pilot.press("x")
        assert t("zh", "msg_none") in text_of(app, "#status")

    drive(app_for(demo_db, ui="zh"), steps)


def test_lead_mode_shows_every_coder_and_filters_disagreement(demo_db: Path) -> None:
    with open_project(demo_db) as p:
        codebook = load_codebook(p)
        tag(p, codebook, "b", A1, ["goal_attainment"])  # paper coded A1 differently
        paper = json.dumps(sorted(state_on_disk(demo_db, "paper", A2).codes))
        tag(p, codebook, "b", A2, json.loads(paper))  # agrees on A2

    async def steps(app: Any, pilot: Any) -> None:
        panel = text_of(app, "#codebook")
        assert "paper" in panel and " b" in panel
        await pilot.press("f", "end", "enter")  # the last option: coders disagree
        await settle(app, pilot)
        view = screen(app).session.view
        assert view is not None
        assert [screen(app).session.order[i] for i in view.indices] == [A1]
        await pilot.press("1")  # the lead's decision is stored as the lead
        assert state_on_disk(demo_db, "lead", A1).codes == {"adaptation"}
        # another program writes; R re-reads
        with open_project(demo_db) as p:
            tag(p, load_codebook(p), "c", A1, ["latency"])
        await pilot.press("R")
        assert " c" in text_of(app, "#codebook")

    drive(app_for(demo_db, coder="lead", lead=True), steps, size=(120, 40))


def test_blind_mode_shows_only_this_coders_codes(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        assert "paper" not in text_of(app, "#codebook")
        assert "●" not in text_of(app, "#codebook")

    drive(app_for(demo_db), steps)


def test_adjudicate_opens_only_disagreeing_segments(demo_db: Path) -> None:
    from annotator.application.filters import disagreeing_keys

    with open_project(demo_db) as p:
        tag(p, load_codebook(p), "b", A3, ["latency"])
        only = disagreeing_keys(p, exclude="judge")  # row ids, as `annotator adjudicate` gives them
        assert only.tolist() == [p.execute("SELECT rowid FROM segments WHERE id = ?", (A3,)).fetchone()[0]]

    async def steps(app: Any, pilot: Any) -> None:
        assert screen(app).session.order == [A3]
        assert "1 / 1" in text_of(app, "#seginfo")
        await pilot.press("4")
        assert state_on_disk(demo_db, "judge", A3).codes == {"latency"}

    drive(app_for(demo_db, coder="judge", lead=True, only=only), steps)


def test_empty_project_shows_a_message_and_keys_do_nothing(tmp_path: Path) -> None:
    from annotator.application.projects import create_project

    path = tmp_path / "empty.db"
    create_project(path)

    async def steps(app: Any, pilot: Any) -> None:
        assert "import" in app.screen.query_one(SegmentText).plain
        await pilot.press("j", "1", "x", "u", "ctrl+z")
        assert isinstance(app.screen, CodingScreen)

    drive(app_for(path), steps)
    assert query(path, "SELECT count(*) FROM events WHERE coder = 't'") == [(0,)]


def test_q_quits(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("q")
        await pilot.pause()
        assert app._exit

    drive(app_for(demo_db), steps)


def test_suggestion_engine_is_built_after_first_paint_and_learns(demo_db: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("annotator.nlp.suggest") is None:
        import pytest

        pytest.skip("the suggestion engine is not in this checkout")

    async def steps(app: Any, pilot: Any) -> None:
        from annotator.tui.suggest_process import RemoteSuggester
        from tests.tui.conftest import wait_for_engine

        # built in another process (keys work meanwhile); the segment's suggestions then arrive
        await wait_for_engine(app, pilot)
        assert isinstance(screen(app).suggester, RemoteSuggester)  # built in its own process
        sugg = screen(app).suggestions
        assert sugg is not None and sugg.segment == A1 and sugg.codes
        assert t("en", "suggestions") in text_of(app, "#suggestions")
        top = sugg.codes[0].code
        await pilot.press("enter")
        assert top in state_on_disk(demo_db, "t", A1).codes

    drive(app_for(demo_db, suggester="auto"), steps)
