"""The segments the coding screen's filters keep: those with a code, those of the
double-coding sample assigned to a coder, and those whose coders disagree (the lead's filter
and the adjudication queue)."""

from __future__ import annotations

from annotator.storage.coding import coder_states
from annotator.storage.db import Project
from annotator.storage.documents import segment_order
from annotator.storage.study import segments_assigned
from annotator.storage.training import segments_with_code

__all__ = ["disagreeing", "disagreeing_segments", "segments_assigned", "segments_with_code"]


def disagreeing(project: Project, *, exclude: str | None = None) -> set[str]:
    """Segments done by at least two coders (other than ``exclude``) whose code sets differ."""
    out: set[str] = set()
    for seg, per in coder_states(project).items():
        sets = {st.codes for c, st in per.items() if st.done and c != exclude}
        done_by = [c for c, st in per.items() if st.done and c != exclude]
        if len(done_by) >= 2 and len(sets) > 1:
            out.add(seg)
    return out


def disagreeing_segments(project: Project, *, exclude: str | None = None) -> list[str]:
    """:func:`disagreeing`, in reading order."""
    out = disagreeing(project, exclude=exclude)
    return [s for s, _ in segment_order(project) if s in out]
