"""Coders' work: codes on segments, done marks, memos — every change through the event log.

Each change is one call of :func:`set_state`, which writes the new state of one coder on one
segment and an ``events`` row holding the state before and after, in one transaction. Undo and
redo apply a logged state again, so the log is a complete audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from annotator.errors import UsageError
from annotator.model import Codebook, CoderState
from annotator.safe_text import check_name
from annotator.storage.db import Project, now


def ensure_coder(project: Project, name: str) -> None:
    name = check_name(name, "coder name")
    if not name:
        raise UsageError("a coder needs a name (--coder NAME)")
    with project.write() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO coders (name, created_at) VALUES (?, ?)", (name, now())
        )


def list_coders(project: Project) -> list[str]:
    return [r[0] for r in project.execute("SELECT name FROM coders ORDER BY name")]


def get_state(project: Project, coder: str, segment: str) -> CoderState:
    conn = project.conn
    codes = frozenset(
        r[0]
        for r in conn.execute(
            "SELECT code FROM annotations WHERE coder = ? AND segment = ?", (coder, segment)
        )
    )
    done = conn.execute(
        "SELECT 1 FROM done WHERE coder = ? AND segment = ?", (coder, segment)
    ).fetchone()
    memo = conn.execute(
        "SELECT text FROM memos WHERE coder = ? AND segment = ?", (coder, segment)
    ).fetchone()
    return CoderState(codes=codes, done=bool(done), memo=memo[0] if memo else "")


def set_state(
    project: Project,
    coder: str,
    segment: str,
    state: CoderState,
    *,
    action: str = "code",
    session: str | None = None,
    detail: dict[str, Any] | None = None,
) -> int | None:
    """Make ``state`` the coder's work on ``segment``; return the event id (None if unchanged).

    Committed before it returns: whatever the caller shows afterwards is on disk.
    """
    check_name(coder, "coder name")
    with project.write() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO coders (name, created_at) VALUES (?, ?)", (coder, now())
        )
        before = get_state(project, coder, segment)
        if before == state:
            return None
        stamp = now()
        for code in before.codes - state.codes:
            conn.execute(
                "DELETE FROM annotations WHERE coder = ? AND segment = ? AND code = ?",
                (coder, segment, code),
            )
        for code in sorted(state.codes - before.codes):
            conn.execute(
                "INSERT INTO annotations (coder, segment, code, created_at) VALUES (?,?,?,?)",
                (coder, segment, code, stamp),
            )
        if state.done and not before.done:
            conn.execute(
                "INSERT INTO done (coder, segment, done_at) VALUES (?,?,?)", (coder, segment, stamp)
            )
        elif before.done and not state.done:
            conn.execute("DELETE FROM done WHERE coder = ? AND segment = ?", (coder, segment))
        if state.memo != before.memo:
            if state.memo:
                conn.execute(
                    "INSERT INTO memos (coder, segment, text, updated_at) VALUES (?,?,?,?)"
                    " ON CONFLICT(coder, segment) DO UPDATE SET text = excluded.text,"
                    " updated_at = excluded.updated_at",
                    (coder, segment, state.memo, stamp),
                )
            else:
                conn.execute("DELETE FROM memos WHERE coder = ? AND segment = ?", (coder, segment))
        cur = conn.execute(
            "INSERT INTO events (at, coder, session, action, segment, before, after, detail)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                stamp,
                coder,
                session,
                action,
                segment,
                json.dumps(before.to_json(), ensure_ascii=False),
                json.dumps(state.to_json(), ensure_ascii=False),
                json.dumps(detail, ensure_ascii=False) if detail else None,
            ),
        )
        conn.execute("UPDATE coders SET last_segment = ? WHERE name = ?", (segment, coder))
        return cur.lastrowid


def check_segment(project: Project, segment: str) -> None:
    if not project.execute("SELECT 1 FROM segments WHERE id = ?", (segment,)).fetchone():
        raise UsageError(f"no segment with id {segment!r} (see 'annotator segments')")


def with_code(codebook: Codebook, state: CoderState, code_id: str, on: bool) -> CoderState:
    """``state`` with ``code_id`` switched on or off, marked done.

    In a single-choice facet switching a code on replaces the facet's current code.
    """
    code = codebook.code(code_id)
    if code is None:
        raise UsageError(f"no code {code_id!r} in the codebook (see 'annotator codebook show')")
    codes = set(state.codes)
    if on:
        facet = codebook.facet(code.facet)
        if facet is not None and not facet.multiple:
            codes -= {c.id for c in facet.codes}
        codes.add(code_id)
    else:
        codes.discard(code_id)
    return CoderState(frozenset(codes), True, state.memo)


def toggle_code(
    project: Project, codebook: Codebook, coder: str, segment: str, code_id: str,
    *, session: str | None = None,
) -> tuple[CoderState, int | None]:
    """Switch one code on or off (the coding screen's code keys)."""
    with project.write():
        state = get_state(project, coder, segment)
        new = with_code(codebook, state, code_id, code_id not in state.codes)
        event = set_state(project, coder, segment, new, action="toggle", session=session,
                          detail={"code": code_id})
    return new, event


def tag(
    project: Project,
    codebook: Codebook,
    coder: str,
    segment: str,
    codes: Iterable[str],
    *,
    remove: bool = False,
    none: bool = False,
    session: str | None = None,
) -> CoderState:
    """Apply (or remove) codes and mark the segment done; ``none`` marks it done with no code."""
    codes = list(dict.fromkeys(codes))
    if none and remove:
        raise UsageError("--none (done, no code) and --remove (remove the codes named) exclude"
                         " each other; use one of them")
    if none and codes:
        raise UsageError("--none marks a segment done with no code; do not name codes with it")
    if not none and not codes:
        raise UsageError("name at least one code, or use --none")
    check_segment(project, segment)
    per_facet: dict[str, list[str]] = {}
    for code_id in codes:
        code = codebook.code(code_id)
        if code is None:
            raise UsageError(f"no code {code_id!r} in the codebook (see 'annotator codebook show')")
        per_facet.setdefault(code.facet, []).append(code_id)
    if not remove:
        for facet_id, ids in per_facet.items():
            facet = codebook.facet(facet_id)
            if facet is not None and not facet.multiple and len(ids) > 1:
                raise UsageError(
                    f"facet {facet_id!r} takes one code per segment; got {', '.join(ids)}"
                )
    with project.write():
        state = get_state(project, coder, segment)
        if remove and not state.codes & set(codes):
            return state  # nothing to remove: no decision made, the segment is not marked done
        if none:
            new = CoderState(frozenset(), True, state.memo)
        else:
            new = state
            for code_id in codes:
                new = with_code(codebook, new, code_id, not remove)
        set_state(project, coder, segment, new, action="tag", session=session)
    return new


def set_memo(project: Project, coder: str, segment: str, text: str, *, session: str | None = None) -> int | None:
    with project.write():
        state = get_state(project, coder, segment)
        return set_state(
            project, coder, segment, CoderState(state.codes, state.done, text.strip()),
            action="memo", session=session,
        )


def event_states(project: Project, event_id: int) -> tuple[str, str, CoderState, CoderState]:
    row = project.execute(
        "SELECT coder, segment, before, after FROM events WHERE id = ?", (event_id,)
    ).fetchone()
    if row is None or row[2] is None:
        raise UsageError(f"no change {event_id} in the event log")
    return row[0], row[1], CoderState.from_json(json.loads(row[2])), CoderState.from_json(json.loads(row[3]))


def undo(project: Project, event_id: int, *, session: str | None = None) -> tuple[str, CoderState]:
    """Put back the state before event ``event_id``; returns (segment, state now)."""
    coder, segment, before, _after = event_states(project, event_id)
    set_state(project, coder, segment, before, action="undo", session=session, detail={"event": event_id})
    return segment, before


def redo(project: Project, event_id: int, *, session: str | None = None) -> tuple[str, CoderState]:
    """Apply event ``event_id``'s state again; returns (segment, state now)."""
    coder, segment, _before, after = event_states(project, event_id)
    set_state(project, coder, segment, after, action="redo", session=session, detail={"event": event_id})
    return segment, after


def coder_states(
    project: Project, coders: Iterable[str] | None = None, *, document: str | None = None
) -> dict[str, dict[str, CoderState]]:
    """segment id → coder → state, for every segment a coder has touched (codes, done or memo);
    only ``coders``' work when given, only ``document``'s segments when given."""
    filters, params = [], []
    if document is not None:
        filters.append("s.document = ?")
        params.append(document)
    if coders is not None:
        wanted = list(coders)
        filters.append(f"t.coder IN ({', '.join('?' for _ in wanted)})")
        params.extend(wanted)
    where = f" WHERE {' AND '.join(filters)}" if filters else ""
    slots: dict[str, dict[str, dict[str, Any]]] = {}
    for table, column in (("annotations", "t.code"), ("done", "1"), ("memos", "t.text")):
        for seg, coder, value in project.execute(
            f"SELECT t.segment, t.coder, {column} FROM {table} t JOIN segments s ON s.id = t.segment{where}",
            params,
        ):
            slot = slots.setdefault(seg, {}).setdefault(coder, {"codes": set(), "done": False, "memo": ""})
            if table == "annotations":
                slot["codes"].add(value)
            elif table == "done":
                slot["done"] = True
            else:
                slot["memo"] = value
    return {seg: {c: CoderState(frozenset(v["codes"]), v["done"], v["memo"]) for c, v in per.items()}
            for seg, per in slots.items()}


def done_segments(project: Project, coder: str) -> set[str]:
    return {r[0] for r in project.execute("SELECT segment FROM done WHERE coder = ?", (coder,))}


def last_segment(project: Project, coder: str) -> str | None:
    row = project.execute("SELECT last_segment FROM coders WHERE name = ?", (coder,)).fetchone()
    return row[0] if row else None


def set_last_segment(project: Project, coder: str, segment: str, *, wait: bool = True) -> None:
    """Remember ``segment`` as where ``coder`` left off (``wait``: see :meth:`Project.write`)."""
    with project.write(wait=wait) as conn:
        conn.execute(
            "INSERT INTO coders (name, created_at, last_segment) VALUES (?,?,?)"
            " ON CONFLICT(name) DO UPDATE SET last_segment = excluded.last_segment",
            (coder, now(), segment),
        )


def done_code_sets(
    project: Project, coders: Iterable[str] | None = None, *, document: str | None = None
) -> dict[str, dict[str, frozenset[str]]]:
    """segment → coder → codes, only for coders who marked the segment done (the input of
    agreement: a segment a coder never finished is missing for that coder, not "no code")."""
    return {
        seg: {c: st.codes for c, st in per.items() if st.done}
        for seg, per in coder_states(project, coders, document=document).items()
        if any(st.done for st in per.values())
    }


def iter_annotations(project: Project) -> Iterator[tuple[str, str, str, str]]:
    """Every annotation as (coder, segment, code, created_at)."""
    for r in project.execute("SELECT coder, segment, code, created_at FROM annotations"):
        yield r[0], r[1], r[2], r[3]
