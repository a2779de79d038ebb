"""Coders' work and event-log keys streamed in (coder, segment) order, for merge-joins.

Two projects (or a project and its event log) are compared by walking such streams side by
side: memory holds one row of each, never a project's whole work.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any, TypeVar

from annotator.model import CoderState
from annotator.storage.db import Project

Key = tuple[str, str]
"""(coder, segment)."""
T = TypeVar("T")
U = TypeVar("U")

_SEP = "\x1f"


def _only(coders: Sequence[str] | None, column: str) -> tuple[str, list[Any]]:
    if coders is None:
        return "", []
    return f" WHERE {column} IN ({', '.join('?' for _ in coders)})", list(coders)


def states_sql(where: str = "") -> str:
    """The query of every (coder, segment) with work: coder, segment, its codes joined by
    ``\x1f``, done (0/1) and memo, in key order; ``where`` filters the keys ``k``."""
    return (
        "SELECT k.coder, k.segment,"
        " (SELECT group_concat(a.code, char(31)) FROM annotations a"
        "  WHERE a.coder = k.coder AND a.segment = k.segment),"
        " EXISTS (SELECT 1 FROM done d WHERE d.coder = k.coder AND d.segment = k.segment),"
        " (SELECT m.text FROM memos m WHERE m.coder = k.coder AND m.segment = k.segment)"
        " FROM (SELECT coder, segment FROM annotations UNION SELECT coder, segment FROM done"
        f"  UNION SELECT coder, segment FROM memos) k{where} ORDER BY k.coder, k.segment"
    )


def row_state(codes: str | None, done: Any, memo: str | None) -> CoderState:
    """The state of one row of :func:`states_sql`."""
    return CoderState(frozenset(codes.split(_SEP)) if codes else frozenset(), bool(done), memo or "")


def iter_states(project: Project, coders: Sequence[str] | None = None) -> Iterator[tuple[Key, CoderState]]:
    """((coder, segment), state) for every coder's work (of ``coders``), in key order."""
    where, params = _only(coders, "k.coder")
    for coder, seg, codes, done, memo in project.execute(states_sql(where), params):
        yield (coder, seg), row_state(codes, done, memo)


def iter_event_keys(project: Project, coders: Sequence[str] | None = None) -> Iterator[Key]:
    """Every (coder, segment) the event log holds a change for, in key order."""
    where, params = _only(coders, "coder")
    cond = " AND " if where else " WHERE "
    rows = project.execute(
        f"SELECT DISTINCT coder, segment FROM events{where}{cond}coder IS NOT NULL"
        " AND segment IS NOT NULL ORDER BY coder, segment", params)
    yield from ((r[0], r[1]) for r in rows)


def logged_states(project: Project, key: Key) -> set[str]:
    """Every state (as canonical JSON) the event log shows ``key`` in, before or after a change."""
    import json

    out: set[str] = set()
    for before, after in project.execute(
        "SELECT before, after FROM events WHERE coder = ? AND segment = ?", key
    ):
        for raw in (before, after):
            if raw:
                state = CoderState.from_json(json.loads(raw))
                out.add(json.dumps(state.to_json(), ensure_ascii=False, sort_keys=True))
    return out


def merge_join(left: Iterator[tuple[Key, T]], right: Iterator[tuple[Key, U]]
               ) -> Iterator[tuple[Key, T | None, U | None]]:
    """Walk two streams sorted by key side by side: (key, left value, right value)."""
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            assert a is not None
            yield a[0], a[1], None
            a = next(left, None)
        elif a is None or b[0] < a[0]:
            yield b[0], None, b[1]
            b = next(right, None)
        else:
            yield a[0], a[1], b[1]
            a, b = next(left, None), next(right, None)


def iter_documents(project: Project) -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    """(document, its segments as (id, zh, en) in order), one document at a time, by document id."""
    rows = project.execute("SELECT document, id, zh, en FROM segments ORDER BY document, position")
    for doc, group in groupby(rows, key=lambda r: r[0]):
        yield doc, [(r[1], r[2], r[3]) for r in group]
