"""When each piece of coders' work was made: annotation, done-mark and memo times, coder creation.

Read by exports that carry dates (REFI-QDA); written back by an import that brings dates along.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.model import WorkDates
from annotator.storage.db import Project


def work_dates(project: Project, coders: Iterable[str] | None = None) -> dict[tuple[str, str], WorkDates]:
    """(coder, segment) → the times of that coder's annotations, done mark and memo there."""
    wanted = set(coders) if coders is not None else None
    out: dict[tuple[str, str], WorkDates] = {}

    def slot(coder: str, seg: str) -> WorkDates | None:
        if wanted is not None and coder not in wanted:
            return None
        return out.setdefault((coder, seg), WorkDates())

    for coder, seg, code, at in project.execute("SELECT coder, segment, code, created_at FROM annotations"):
        if (w := slot(coder, seg)) is not None:
            w.codes[code] = at
    for coder, seg, at in project.execute("SELECT coder, segment, done_at FROM done"):
        if (w := slot(coder, seg)) is not None:
            w.done_at = at
    for coder, seg, at in project.execute("SELECT coder, segment, updated_at FROM memos"):
        if (w := slot(coder, seg)) is not None:
            w.memo_at = at
    return out


def coder_dates(project: Project) -> dict[str, str]:
    """coder → when the coder was first seen in the project."""
    return {r[0]: r[1] for r in project.execute("SELECT name, created_at FROM coders")}


def set_work_dates(project: Project, dates: dict[tuple[str, str, str], str]) -> None:
    """Give annotations (coder, segment, code) the creation times of the file they came from.
    Inside the caller's write transaction."""
    project.conn.executemany(
        "UPDATE annotations SET created_at = ? WHERE coder = ? AND segment = ? AND code = ?",
        [(at, c, s, code) for (c, s, code), at in sorted(dates.items())])
