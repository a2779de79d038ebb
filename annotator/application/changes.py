"""One coder's changes to segments as the coding screen makes them: each one committed before
it returns and logged as an event that undo and redo replay. Also what the screen reads back:
a coder's state on a segment, the coders, the last position, the codebook coded with."""

from __future__ import annotations

from annotator.model import Codebook, CoderState
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import (
    ensure_coder,
    event_states,
    get_state,
    last_segment,
    list_coders,
    redo,
    set_last_segment,
    set_memo,
    set_state,
    toggle_code,
    undo,
    with_code,
)
from annotator.storage.db import Project

__all__ = [
    "apply_code",
    "ensure_coder",
    "event_states",
    "get_state",
    "last_segment",
    "list_coders",
    "load_codebook",
    "mark_none",
    "redo",
    "set_last_segment",
    "set_memo",
    "toggle_code",
    "undo",
    "with_code",
]


def apply_code(project: Project, codebook: Codebook, coder: str, segment: str, code_id: str,
               *, session: str | None = None) -> tuple[CoderState, int | None]:
    """Switch ``code_id`` on (never off) and mark ``segment`` done for ``coder`` (applying a
    suggestion), in one transaction; the new state and the event logged."""
    with project.write():
        before = get_state(project, coder, segment)
        new = with_code(codebook, before, code_id, True)
        event = set_state(project, coder, segment, new, action="suggest", session=session,
                          detail={"code": code_id})
    return new, event


def mark_none(project: Project, coder: str, segment: str, *, session: str | None = None
              ) -> tuple[CoderState, CoderState, int | None]:
    """Mark ``segment`` done with no code for ``coder`` (the memo kept), in one transaction;
    the state before, the state after and the event logged."""
    with project.write():
        before = get_state(project, coder, segment)
        new = CoderState(frozenset(), True, before.memo)
        event = set_state(project, coder, segment, new, action="none", session=session)
    return before, new, event
