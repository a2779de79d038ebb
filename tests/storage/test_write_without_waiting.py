"""A write that asks not to wait gives way at once to another program writing the project."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from annotator.errors import ProjectBusy
from annotator.storage.coding import last_segment, set_last_segment
from annotator.storage.db import open_project


def test_a_write_that_does_not_wait_gives_way_and_keeps_the_busy_timeout(demo_project: Path) -> None:
    other = sqlite3.connect(demo_project, isolation_level=None)
    with open_project(demo_project) as project:
        other.execute("BEGIN IMMEDIATE")
        start = time.monotonic()
        with pytest.raises(ProjectBusy):
            set_last_segment(project, "t", "A20230321-002", wait=False)
        assert time.monotonic() - start < 0.5
        assert not project.conn.in_transaction
        timeout = project.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        assert timeout == int(project.busy_timeout * 1000)  # later writes wait as before
        other.execute("ROLLBACK")
        set_last_segment(project, "t", "A20230321-002", wait=False)
        assert last_segment(project, "t") == "A20230321-002"
    other.close()
