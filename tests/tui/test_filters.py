"""The filter dialog's lead and sample filters: "coders disagree" counts the lead's own coding
(except while adjudicating), and "assigned to me" narrows to the coder's double-coding sample."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from annotator.storage.study import save_sample
from annotator.tui.i18n import t

from .conftest import app_for, drive, screen, settle, text_of

A1, A2, A3 = "A20230321-001", "A20230321-002", "A20230321-003"


def _viewed(app: Any) -> list[str]:
    session = screen(app).session
    assert session.view is not None
    return [session.order[i] for i in session.view.indices]


def _lead_codes_a1_against_paper(path: Path) -> None:
    with open_project(path) as p:
        tag(p, load_codebook(p), "lead", A1, ["latency"])  # the demo's coder paper did A1 otherwise


def test_the_lead_disagreeing_with_one_coder_is_a_disagreement(demo_db: Path) -> None:
    _lead_codes_a1_against_paper(demo_db)

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("f", "end", "enter")  # the last option: coders disagree
        await settle(app, pilot)
        assert _viewed(app) == [A1]

    drive(app_for(demo_db, coder="lead", lead=True), steps, size=(120, 40))


def test_adjudicating_leaves_the_decisions_out_of_the_disagreements(demo_db: Path) -> None:
    _lead_codes_a1_against_paper(demo_db)

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("f", "end", "enter")
        await settle(app, pilot)
        assert screen(app).session.view is None  # paper alone: nothing to disagree with
        assert "no segments" in text_of(app, "#status")

    drive(app_for(demo_db, coder="lead", lead=True, adjudicating=True), steps, size=(120, 40))


def test_assigned_to_me_narrows_to_the_coders_sample(demo_db: Path) -> None:
    with open_project(demo_db) as p:
        save_sample(p, {A2: ["t", "u"], A3: ["t", "u"]}, {}, replace=False)

    async def steps(app: Any, pilot: Any) -> None:
        assert ("assigned", t("en", "filter_assigned")) in screen(app).filter_options()
        await pilot.press("f", "end", "enter")  # the last option: assigned to me
        await settle(app, pilot)
        assert _viewed(app) == [A2, A3]
        assert screen(app).session.current == A2

    drive(app_for(demo_db), steps)


def test_assigned_to_me_is_offered_only_with_a_sample(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        kinds = [kind for kind, _ in screen(app).filter_options()]
        assert "assigned" not in kinds

    drive(app_for(demo_db), steps)
    drive(app_for(demo_db, ui="zh"), steps)
    assert "分配给我" in t("zh", "filter_assigned")
