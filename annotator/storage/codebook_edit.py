"""The codebook evolving with the analysis: rename, merge and split codes in a coded project.

Each edit is one transaction and one ``codebook_*`` event holding what it did, so
:func:`undo_last_edit` can put the previous state back. Every change to a coder's work goes
through ``coding.set_state`` (its own logged event), and every annotation stays recoverable:
an annotation that cannot simply move (a duplicate after a merge, a code split in two) is kept
in ``archived_annotations``; the segments of a split code wait in the ``redecide`` queue for
their coders to decide again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import UsageError
from annotator.model import CoderState
from annotator.plural import plural
from annotator.storage.db import Project, now

EDITS = ("codebook_rename", "codebook_merge", "codebook_split")
MOVED = 100_000  # archived codes sort after the live ones (as codebook_store does)


@dataclass
class EditResult:
    event: int
    changed: int = 0  # (coder, segment) pairs whose work changed
    archived: int = 0  # annotations kept in archived_annotations
    queued: int = 0  # (coder, segment) pairs queued for re-decision
    #: (facet, segment, coder) where a single-choice facet now holds two codes
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)


def _code(project: Project, code_id: str, *, live: bool = True) -> dict[str, Any]:
    row = project.execute("SELECT * FROM codes WHERE id = ?", [code_id]).fetchone()
    if row is None:
        raise UsageError(f"no code {code_id!r} in the codebook (see 'annotator codebook show')")
    cols = [d[1] for d in project.execute("PRAGMA table_info(codes)")]
    code = dict(zip(cols, row, strict=True))
    if live and code["archived"]:
        raise UsageError(f"code {code_id!r} is archived; bring it back with 'annotator codebook set' first")
    return code


def _new_id(project: Project, code_id: str) -> str:
    from annotator.codebook import ID_RE

    if not ID_RE.match(code_id):
        raise UsageError(f"{code_id!r} is not a code id (letters, digits, _ . -; at most 64)")
    if project.execute("SELECT 1 FROM codes WHERE id = ?", (code_id,)).fetchone():
        raise UsageError(f"code {code_id!r} exists already (to join two codes use 'annotator codebook merge')")
    return code_id


def _insert_code(project: Project, row: dict[str, Any]) -> None:
    cols = list(row)
    project.execute(f"INSERT INTO codes ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                    [row[c] for c in cols])


def _holders(project: Project, code_id: str) -> list[tuple[str, str, str]]:
    """(coder, segment, created_at) of every annotation with the code."""
    return project.execute(
        "SELECT coder, segment, created_at FROM annotations WHERE code = ? ORDER BY segment, coder",
        (code_id,)).fetchall()


def _change(project: Project, coder: str, segment: str, *, remove: frozenset[str] | set[str] = frozenset(),
            add: frozenset[str] | set[str] = frozenset(), done: bool | None = None, action: str,
            event: int) -> CoderState:
    from annotator.storage.coding import get_state, set_state

    state = get_state(project, coder, segment)
    new = CoderState((state.codes - remove) | add, state.done if done is None else done, state.memo)
    set_state(project, coder, segment, new, action=action, detail={"codebook_event": event})
    return state


def _archive(project: Project, coder: str, segment: str, code: dict[str, Any], created: str,
             reason: str) -> int:
    cur = project.execute(
        "INSERT INTO archived_annotations (coder, segment, code, facet, created_at, archived_at,"
        " reason) VALUES (?,?,?,?,?,?,?)", (coder, segment, code["id"], code["facet"], created, now(), reason))
    return int(cur.lastrowid or 0)


@contextmanager
def _edit(project: Project, action: str, detail: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    """One transaction and its codebook event; coders' resume points are left where they were."""
    with project.write() as conn:
        resume = conn.execute("SELECT name, last_segment FROM coders").fetchall()
        cur = conn.execute("INSERT INTO events (at, action, detail) VALUES (?, ?, ?)",
                           (now(), action, json.dumps(detail, ensure_ascii=False)))
        event = int(cur.lastrowid or 0)
        yield event, detail
        conn.execute("UPDATE events SET detail = ? WHERE id = ?",
                     (json.dumps(detail, ensure_ascii=False), event))
        conn.executemany("UPDATE coders SET last_segment = ? WHERE name = ?", [(s, n) for n, s in resume])


def _rename(project: Project, old: str, new: str, *, action: str, event: int) -> int:
    row = _code(project, old, live=False)
    project.execute("UPDATE codes SET key = NULL WHERE id = ?", (old,))
    _insert_code(project, {**row, "id": new})
    pairs = _holders(project, old)
    for coder, segment, _created in pairs:
        _change(project, coder, segment, remove={old}, add={new}, action=action, event=event)
    project.execute("UPDATE archived_annotations SET code = ? WHERE code = ?", (new, old))
    project.execute("UPDATE redecide SET code = ? WHERE code = ?", (new, old))
    project.execute("UPDATE notes SET target = ? WHERE kind = 'code' AND target = ?", (new, old))
    project.execute("DELETE FROM codes WHERE id = ?", (old,))
    return len(pairs)


def rename_code(project: Project, old: str, new: str) -> EditResult:
    """Give code ``old`` the id ``new``: its annotations (archived ones too) and memos follow."""
    with _edit(project, "codebook_rename", {"old": old, "new": new}) as (event, _detail):
        _code(project, old)
        _new_id(project, new)
        changed = _rename(project, old, new, action="rename", event=event)
    return EditResult(event, changed=changed)


def merge_codes(project: Project, source: str, into: str) -> EditResult:
    """Move every annotation of ``source`` to ``into`` and archive ``source``.

    A segment that already carries ``into`` keeps its ``source`` annotation in the archive. Where
    ``into``'s facet takes one code and the segment already holds another of its codes, the move
    is made, listed as a conflict and queued for re-decision: never resolved silently.
    """
    if source == into:
        raise UsageError("merge two different codes")
    from annotator.storage.coding import get_state

    with _edit(project, "codebook_merge", {"from": source, "into": into}) as (event, detail):
        src, dst = _code(project, source), _code(project, into)
        single = not project.execute("SELECT multiple FROM facets WHERE id = ?", (dst["facet"],)).fetchone()[0]
        siblings = {r[0] for r in project.execute("SELECT id FROM codes WHERE facet = ?", (dst["facet"],))}
        result, moves = EditResult(event), []
        for coder, segment, created in _holders(project, source):
            codes = get_state(project, coder, segment).codes
            move: dict[str, Any] = {"coder": coder, "segment": segment, "created_at": created}
            if into in codes:
                move["archived_id"] = _archive(project, coder, segment, src, created, f"merged into {into}")
                result.archived += 1
                _change(project, coder, segment, remove={source}, action="merge", event=event)
            else:
                if single and codes & siblings - {source}:
                    result.conflicts.append((dst["facet"], segment, coder))
                    move["queued"] = _queue(project, coder, segment, into, f"merged from {source}: two codes"
                                            f" in single-choice facet {dst['facet']}")
                    result.queued += move["queued"]
                _change(project, coder, segment, remove={source}, add={into}, action="merge", event=event)
            moves.append(move)
            result.changed += 1
        detail.update(moves=moves, key=src["key"], position=src["position"])
        project.execute("UPDATE codes SET archived = 1, key = NULL, position = position + ? WHERE id = ?",
                        (MOVED, source))
    return result


def _queue(project: Project, coder: str, segment: str, code: str, reason: str) -> int:
    cur = project.execute("INSERT OR IGNORE INTO redecide (coder, segment, code, reason, queued_at)"
                          " VALUES (?,?,?,?,?)", (coder, segment, code, reason, now()))
    return cur.rowcount


def split_code(project: Project, code_id: str, first: str, second: str) -> EditResult:
    """Replace ``code_id`` by two new codes in its facet. Its annotations go to the archive and
    their segments to the re-decide queue (no longer marked done for those coders)."""
    if first == second:
        raise UsageError("split into two different codes")
    with _edit(project, "codebook_split", {"code": code_id, "into": [first, second]}) as (event, detail):
        row = _code(project, code_id)
        _new_id(project, first)
        _new_id(project, second)
        project.execute("UPDATE codes SET position = position + 2 WHERE position > ?", (row["position"],))
        for k, new in enumerate((first, second), start=1):
            labels = {f"label_{lang}": f"{row[f'label_{lang}'] or code_id} ({new})" for lang in ("zh", "en")}
            _insert_code(project, {**row, **labels, "id": new, "key": None, "position": row["position"] + k})
        result, moves = EditResult(event), []
        reason = f"split into {first}, {second}: to re-decide"
        for coder, segment, created in _holders(project, code_id):
            archived = _archive(project, coder, segment, row, created, reason)
            queued = _queue(project, coder, segment, code_id, f"split into {first} or {second}")
            before = _change(project, coder, segment, remove={code_id}, done=False, action="split", event=event)
            moves.append({"coder": coder, "segment": segment, "archived_id": archived,
                          "queued": queued, "done": before.done})
            result.changed, result.archived, result.queued = result.changed + 1, result.archived + 1, result.queued + queued
        detail.update(moves=moves, key=row["key"], position=row["position"])
        project.execute("UPDATE codes SET archived = 1, key = NULL, position = position + ? WHERE id = ?",
                        (MOVED, code_id))
    return result


def last_edit(project: Project) -> tuple[int, str, dict[str, Any]] | None:
    """The latest rename, merge or split not undone yet: (event id, action, detail)."""
    undone = {json.loads(r[0]).get("event") for r in project.execute(
        "SELECT detail FROM events WHERE action = 'codebook_undo'")}
    marks = ", ".join("?" for _ in EDITS)
    for eid, action, raw in project.execute(
            f"SELECT id, action, detail FROM events WHERE action IN ({marks}) ORDER BY id DESC", EDITS):
        if eid not in undone:
            return int(eid), str(action), json.loads(raw)
    return None


def undo_last_edit(project: Project) -> str:
    """Put back the state before the latest rename, merge or split; a line saying which."""
    with project.write() as conn:
        found = last_edit(project)
        if found is None:
            raise UsageError("no rename, merge or split to undo")
        eid, action, detail = found
        with _edit(project, "codebook_undo", {"event": eid, "undid": action}) as (event, _d):
            if action == "codebook_rename":
                _code(project, detail["new"])
                if conn.execute("SELECT 1 FROM codes WHERE id = ?", (detail["old"],)).fetchone():
                    raise UsageError(f"cannot undo: a code {detail['old']!r} exists again")
                _rename(project, detail["new"], detail["old"], action="undo", event=event)
                return f"renamed {detail['new']} back to {detail['old']}"
            if action == "codebook_merge":
                _undo_merge(project, detail, event)
                return f"{detail['from']} is back, with its annotations (merge into {detail['into']} undone)"
            _undo_split(project, detail, event)
            return f"{detail['code']} is back, with its annotations ({', '.join(detail['into'])} removed)"


def _unarchive(project: Project, code_id: str, key: str | None, position: int) -> None:
    taken = key and project.execute("SELECT 1 FROM codes WHERE key = ? AND archived = 0", (key,)).fetchone()
    project.execute("UPDATE codes SET archived = 0, position = ?, key = ? WHERE id = ?",
                    (position, None if taken else key, code_id))


def _undo_merge(project: Project, detail: dict[str, Any], event: int) -> None:
    source, into = detail["from"], detail["into"]
    _unarchive(project, source, detail.get("key"), detail["position"])
    for move in detail["moves"]:
        coder, segment = move["coder"], move["segment"]
        if "archived_id" in move:
            project.execute("DELETE FROM archived_annotations WHERE id = ?", (move["archived_id"],))
            _change(project, coder, segment, add={source}, action="undo", event=event)
        else:
            _change(project, coder, segment, remove={into}, add={source}, action="undo", event=event)
        if move.get("queued"):
            project.execute("DELETE FROM redecide WHERE coder = ? AND segment = ? AND code = ?",
                            (coder, segment, into))


def _undo_split(project: Project, detail: dict[str, Any], event: int) -> None:
    code_id, new = detail["code"], detail["into"]
    marks = ", ".join("?" for _ in new)
    used = project.execute(f"SELECT count(*) FROM annotations WHERE code IN ({marks})", new).fetchone()[0]
    if used:
        raise UsageError(f"cannot undo the split: {', '.join(new)} already carry {plural(used, 'annotation')}"
                         " (merge them back into one code instead)")
    memos = project.execute(f"SELECT count(*) FROM notes WHERE kind = 'code' AND target IN ({marks})",
                            new).fetchone()[0]
    if memos:
        raise UsageError(f"cannot undo the split: {', '.join(new)} have {plural(memos, 'memo')}"
                         " (remove them with 'annotator memo PROJECT --code CODE --coder NAME --clear')")
    project.execute(f"DELETE FROM codes WHERE id IN ({marks})", new)
    project.execute("UPDATE codes SET position = position - 2 WHERE position > ? AND id != ?",
                    (detail["position"], code_id))
    _unarchive(project, code_id, detail.get("key"), detail["position"])
    for move in detail["moves"]:
        coder, segment = move["coder"], move["segment"]
        project.execute("DELETE FROM archived_annotations WHERE id = ?", (move["archived_id"],))
        if move.get("queued"):
            project.execute("DELETE FROM redecide WHERE coder = ? AND segment = ? AND code = ?",
                            (coder, segment, code_id))
        _change(project, coder, segment, add={code_id}, done=move["done"], action="undo", event=event)


def redecide_queue(project: Project, coder: str | None = None) -> list[dict[str, str]]:
    """Segments waiting for their coder to decide again (not yet marked done again), in reading
    order: coder, segment, code, reason."""
    who = " AND r.coder = ?" if coder else ""
    rows = project.execute(
        "SELECT r.coder, r.segment, r.code, r.reason FROM redecide r JOIN segments s ON s.id = r.segment"
        " JOIN documents d ON d.id = s.document WHERE NOT EXISTS (SELECT 1 FROM done x"
        f" WHERE x.coder = r.coder AND x.segment = r.segment){who}"
        " ORDER BY d.position, s.position, r.coder", (coder,) if coder else ())
    return [dict(zip(("coder", "segment", "code", "reason"), r, strict=True)) for r in rows]
