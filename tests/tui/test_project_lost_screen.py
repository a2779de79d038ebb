"""The coding screen stops, without acknowledging, when its project's write-ahead log is
deleted under it, and ends with exit code 1 and the line naming the recovery file."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from textual import events

from annotator.storage.file_guard import ProjectFileLost

from .conftest import app_for, drive, screen, state_on_disk


def test_deleted_wal_stops_the_screen_with_the_recovery_file(small_db: Path) -> None:
    app = app_for(small_db)
    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        coding = screen(app)
        key = next(c.key for c in coding.session.codebook.codes if c.key)
        seen["segment"] = coding.session.current
        os.unlink(str(small_db) + "-wal")
        app.post_message(events.Key(key, key))  # pilot.press would wait for a screen that ends
        await asyncio.sleep(1.0)

    drive(app, steps)
    assert app.return_code == 1
    assert isinstance(app.failure, ProjectFileLost)
    assert "annotator recover" in str(app.failure)
    recovery = Path(str(app.failure).split(" are kept in ")[1].split("; merge")[0])
    assert recovery.exists()
    assert state_on_disk(small_db, "t", seen["segment"]).codes == frozenset()  # not acknowledged
