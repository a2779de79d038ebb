"""Opening the project file a second time in the same process must not drop SQLite's locks.

POSIX drops all of a process's locks on a file when any descriptor of that file is closed.
If annotator opened the project with Python's ``open()`` (say, to sniff its header) while a
connection was open, another process could then think it was the last one, checkpoint and
delete the WAL, and the open connection's next commits would be lost. Regression test for
that: a coding screen whose later changes vanished after someone read the file meanwhile.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project

READ = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('select count(*) from events').fetchone()[0]); c.close()"


def events_seen_by_another_process(path: Path) -> int:
    out = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout)


def test_commits_survive_a_reader_after_a_second_open(demo_project: Path) -> None:
    with open_project(demo_project) as main:
        codebook = load_codebook(main)
        tag(main, codebook, "kim", "A20230321-001", ["adaptation"])
        with open_project(demo_project):  # e.g. a backup or a worker thread
            pass
        before = events_seen_by_another_process(demo_project)
        tag(main, codebook, "kim", "A20230321-002", ["latency"])
        tag(main, codebook, "kim", "A20230321-003", ["integration"])
        assert events_seen_by_another_process(demo_project) == before + 2
    conn = sqlite3.connect(demo_project)
    assert conn.execute("SELECT count(*) FROM annotations WHERE coder='kim'").fetchone()[0] == 3
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
