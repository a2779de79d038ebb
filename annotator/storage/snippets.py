"""Short previews of segments, for outlines and lists."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.storage.db import Project

#: Characters of each language kept in a snippet.
ZH_CHARS = 40
EN_CHARS = 60


def segment_snippets(project: Project, ids: Sequence[str]) -> list[tuple[str, str, str, str]]:
    """(id, speaker or '', start of zh, start of en) of the segments ``ids`` that exist, in no
    particular order."""
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    rows = project.execute(
        f"SELECT id, coalesce(speaker, ''), substr(zh, 1, {ZH_CHARS}), substr(en, 1, {EN_CHARS})"
        f" FROM segments WHERE id IN ({marks})",
        list(ids),
    )
    return [(r[0], r[1], r[2] or "", r[3] or "") for r in rows]
