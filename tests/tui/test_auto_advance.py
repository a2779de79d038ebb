"""``code --auto-advance``: a code key moves on once every single-choice facet has a code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .conftest import app_for, drive, screen, state_on_disk, text_of

A1, A2 = "A20230321-001", "A20230321-002"


def test_a_code_key_moves_on_once_every_single_choice_facet_has_a_code(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("r")  # a burden (several allowed): the dimension is still open
        assert screen(app).session.current == A1
        await pilot.press("2")  # the dimension: answered, on to the next segment
        assert state_on_disk(demo_db, "t", A1).codes == {"rights_mismatch", "goal_attainment"}
        assert screen(app).session.current == A2
        assert "2 / 11" in text_of(app, "#seginfo")
        assert "added Goal attainment" in text_of(app, "#status")
        await pilot.press("k", "r")  # switching a code off never moves on
        assert screen(app).session.current == A1

    drive(app_for(demo_db, auto_advance=True), steps)


def test_code_keys_stay_on_the_segment_by_default(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await pilot.press("2")
        assert screen(app).session.current == A1

    drive(app_for(demo_db), steps)

