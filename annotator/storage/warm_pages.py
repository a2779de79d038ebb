"""Reading a search's pages ahead, so that the coder's first search does not wait for the disk.

A search reads the full-text index's lists of the characters asked for, then the rows of the
segments found, scattered over the whole table (up to 2,000 rows for a common character). When
the project file is not in the system's file cache (the first opening after a restart), each is
a read from disk: at a million segments, a coder who had finished nothing waited 120–170 ms for
the first search of a common character and 170–230 ms for a three-character word, against
10–35 ms once those pages are in memory. Walking the index's table, then the segments', once,
by row id in steps, brings them in. Nothing is decoded (only row ids are read, and each table is
walked itself, not a smaller index of it); each step is a read transaction of its own, so no
snapshot is held between steps.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.storage import search_index
from annotator.storage.db import Project

#: Rows read per step: about 1 MB of a generated project's pages (a block of the index fills
#: a page; a segment's row, about a third of one).
STEP_ROWS = {f"{search_index.TABLE}_data": 256, "segments": 1_000}

#: The last row id of the next rows of a table after a row id (None past the end).
_STEP = "SELECT max(rowid) FROM (SELECT rowid FROM {} NOT INDEXED WHERE rowid > ? ORDER BY rowid LIMIT ?)"


def warm_search_pages(project: Project, pace: Callable[[bool], None], stop: Callable[[], bool]) -> int:
    """Read every row of the full-text index's table, then of the segments table (in row id
    order, whatever gaps the row ids have), :data:`STEP_ROWS` rows at a time, calling
    ``pace(False)`` after each step (the coding screen's waits for a pause in the keys) and
    giving up once ``stop()`` is true. Returns how many steps were read. Text too long for its row's page
    (kept on pages of its own) is left unread."""
    have = {r[0] for r in project.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    steps = 0
    for table, rows in STEP_ROWS.items():
        if table not in have:  # a project opened read-only before it could be given the index
            continue
        after = -(2**63)
        while not stop():
            after = project.execute(_STEP.format(table), (after, rows)).fetchone()[0]
            if after is None:
                break
            steps += 1
            pace(False)
    return steps
