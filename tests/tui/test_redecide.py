"""After a code is split, the coding screen opened on a coder's re-decide queue shows exactly
those segments, and deciding one takes it out of the queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.storage.codebook_edit import redecide_queue, split_code
from annotator.storage.db import open_project

from .conftest import app_for, drive, query, screen


def test_the_screen_on_the_queue_and_a_decision_leaves_it(demo_db: Path) -> None:
    with open_project(demo_db) as p:
        split_code(p, "goal_attainment", "assigned_tasks", "assessment")
        queue = [item["segment"] for item in redecide_queue(p, "paper")]
    expected = [r[0] for r in query(
        demo_db, "SELECT a.segment FROM archived_annotations a JOIN segments s ON s.id = a.segment"
                 " JOIN documents d ON d.id = s.document WHERE a.coder = 'paper'"
                 " AND a.code = 'goal_attainment' ORDER BY d.position, s.position")]
    assert queue == expected and len(queue) == 5

    decided: list[str] = []

    async def steps(app: Any, pilot: Any) -> None:
        session = screen(app).session
        assert session.order == queue  # only the queue, in reading order
        decided.append(session.current)
        await pilot.press("x")  # decided: none of the new codes applies here
        await pilot.press("q")

    drive(app_for(demo_db, coder="paper", only=queue), steps)
    with open_project(demo_db) as p:
        assert [item["segment"] for item in redecide_queue(p, "paper")] == [
            s for s in queue if s not in decided]
