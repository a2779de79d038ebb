"""Memos on documents and codes (the ``notes`` table), and every memo of a project in one list.

Segment memos live with the coder's work on the segment (``memos``, changed through
``coding.set_memo``); document and code memos are kept here. Every change is in the event log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from annotator.errors import UsageError
from annotator.model import TargetNote
from annotator.storage.db import Project, now

KINDS = ("segment", "document", "code")


def _check_target(project: Project, kind: str, target: str) -> None:
    table = {"document": "documents", "code": "codes"}[kind]
    if not project.execute(f"SELECT 1 FROM {table} WHERE id = ?", (target,)).fetchone():
        hint = "annotator attributes PROJECT list" if kind == "document" else "annotator codebook show"
        raise UsageError(f"no {kind} {target!r} in the project (see '{hint}')")


def set_note(project: Project, kind: str, target: str, coder: str, text: str) -> bool:
    """Make ``text`` the coder's memo on a document or code (empty text removes it); logged.
    Returns whether anything changed."""
    if kind not in ("document", "code"):
        raise UsageError(f"memos on {kind!r}: documents and codes only")
    text = text.strip()
    with project.write() as conn:
        _check_target(project, kind, target)
        conn.execute("INSERT OR IGNORE INTO coders (name, created_at) VALUES (?, ?)", (coder, now()))
        row = conn.execute("SELECT text FROM notes WHERE kind = ? AND target = ? AND coder = ?",
                           (kind, target, coder)).fetchone()
        before = row[0] if row else ""
        if before == text:
            return False
        stamp = now()
        if text:
            conn.execute(
                "INSERT INTO notes (kind, target, coder, text, updated_at) VALUES (?,?,?,?,?)"
                " ON CONFLICT(kind, target, coder) DO UPDATE SET text = excluded.text,"
                " updated_at = excluded.updated_at", (kind, target, coder, text, stamp))
        else:
            conn.execute("DELETE FROM notes WHERE kind = ? AND target = ? AND coder = ?",
                         (kind, target, coder))
        conn.execute(
            "INSERT INTO events (at, coder, action, before, after, detail) VALUES (?,?,?,?,?,?)",
            (stamp, coder, f"{kind}_memo", json.dumps({"memo": before}, ensure_ascii=False),
             json.dumps({"memo": text}, ensure_ascii=False),
             json.dumps({kind: target}, ensure_ascii=False)))
    return True


def add_notes(project: Project, notes: Iterable[TargetNote], detail: dict[str, Any]) -> int:
    """Add imported memos on documents and codes, inside the caller's write transaction: a text
    the coder already has there is kept once, another is appended after a blank line; logged.
    The number of memos changed."""
    conn, changed = project.conn, 0
    for n in notes:
        text = n.text.strip()
        if not text:
            continue
        conn.execute("INSERT OR IGNORE INTO coders (name, created_at) VALUES (?, ?)", (n.coder, now()))
        row = conn.execute("SELECT text FROM notes WHERE kind = ? AND target = ? AND coder = ?",
                           (n.kind, n.target, n.coder)).fetchone()
        before = row[0] if row else ""
        if text == before or text in before.split("\n\n"):
            continue
        after = f"{before}\n\n{text}" if before else text
        stamp = now()
        conn.execute("INSERT INTO notes (kind, target, coder, text, updated_at) VALUES (?,?,?,?,?)"
                     " ON CONFLICT(kind, target, coder) DO UPDATE SET text = excluded.text,"
                     " updated_at = excluded.updated_at", (n.kind, n.target, n.coder, after, stamp))
        conn.execute(
            "INSERT INTO events (at, coder, action, before, after, detail) VALUES (?,?,?,?,?,?)",
            (stamp, n.coder, f"{n.kind}_memo", json.dumps({"memo": before}, ensure_ascii=False),
             json.dumps({"memo": after}, ensure_ascii=False),
             json.dumps({n.kind: n.target, **detail}, ensure_ascii=False)))
        changed += 1
    return changed


def all_memos(project: Project, coder: str | None = None) -> list[dict[str, Any]]:
    """Every memo (of ``coder`` when given): documents first, then codes in codebook order, then
    segments in reading order. Keys: kind, target, document, coder, text, updated_at."""
    who = " AND n.coder = ?" if coder else ""
    params: tuple[Any, ...] = (coder,) if coder else ()
    docs = project.execute(
        "SELECT 'document', n.target, n.target, n.coder, n.text, n.updated_at FROM notes n"
        f" JOIN documents d ON d.id = n.target WHERE n.kind = 'document'{who}"
        " ORDER BY d.position, n.coder", params).fetchall()
    codes = project.execute(
        "SELECT 'code', n.target, NULL, n.coder, n.text, n.updated_at FROM notes n"
        f" LEFT JOIN codes c ON c.id = n.target WHERE n.kind = 'code'{who}"
        " ORDER BY c.position, n.target, n.coder", params).fetchall()
    segments = project.execute(
        "SELECT 'segment', n.segment, s.document, n.coder, n.text, n.updated_at FROM memos n"
        " JOIN segments s ON s.id = n.segment JOIN documents d ON d.id = s.document"
        f" WHERE 1{who} ORDER BY d.position, s.position, n.coder", params).fetchall()
    keys = ("kind", "target", "document", "coder", "text", "updated_at")
    return [dict(zip(keys, r, strict=True)) for r in [*docs, *codes, *segments]]


def merge_notes(target: Project, source: Project, coders: set[str] | None,
                prefer: str | None) -> tuple[int, int]:
    """Bring a coder's copy's document and code memos into ``target`` (inside its transaction):
    a memo the target lacks is added; where both differ the target's stays unless ``prefer`` is
    ``'source'``. Returns (memos written, memos that differ and were kept as in the target)."""
    written = kept = 0
    ours = {(k, t, c): text for k, t, c, text in target.execute("SELECT kind, target, coder, text FROM notes")}
    for kind, tgt, coder, text in source.execute("SELECT kind, target, coder, text FROM notes ORDER BY 1, 2, 3"):
        if coders is not None and coder not in coders:
            continue
        current = ours.get((kind, tgt, coder))
        if current == text:
            continue
        if current is not None and prefer != "source":
            kept += 1
            continue
        exists = target.execute(f"SELECT 1 FROM {'documents' if kind == 'document' else 'codes'}"
                                " WHERE id = ?", (tgt,)).fetchone()
        if exists:
            set_note(target, kind, tgt, coder, text)
            written += 1
    return written, kept
