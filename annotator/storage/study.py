"""The agreement study in the project file: the double-coding sample and named rounds.

``sample_assignments`` holds which coder is to code which sampled segment; ``rounds`` names a
point in the event log (the last event id when the round was marked) and the codes in use then
(a later codebook revision may archive codes; their annotations leave no per-coder event, so a
rebuilt round is read with the codes of its time). Because every change of a
coder's work is one ``events`` row holding the state after it (see :func:`coding.set_state`),
the coding as it stood at a round is the last logged state per coder and segment up to that id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from annotator.errors import UsageError
from annotator.model import CoderState
from annotator.storage.db import Project, now


def sample_size(project: Project) -> int:
    return int(project.execute("SELECT count(DISTINCT segment) FROM sample_assignments").fetchone()[0])


def save_sample(
    project: Project, assignments: Mapping[str, Sequence[str]], strata: Mapping[str, str], *, replace: bool
) -> None:
    """Store segment -> coders as the project's double-coding sample (one sample at a time)."""
    stamp = now()
    with project.write() as conn:
        existing = sample_size(project)
        if existing and not replace:
            raise UsageError(f"the project already has a double-coding sample of {existing} segments;"
                             " add --replace to draw a new one")
        conn.execute("DELETE FROM sample_assignments")
        for segment, coders in assignments.items():
            for coder in coders:
                conn.execute(
                    "INSERT INTO sample_assignments (segment, coder, stratum, drawn_at) VALUES (?,?,?,?)",
                    (segment, coder, strata.get(segment, ""), stamp),
                )
                conn.execute("INSERT OR IGNORE INTO coders (name, created_at) VALUES (?, ?)", (coder, stamp))


def sampled_segments(project: Project) -> set[str]:
    return {r[0] for r in project.execute("SELECT DISTINCT segment FROM sample_assignments")}


def has_assignments(project: Project, coder: str) -> bool:
    """Whether the double-coding sample assigns any segment to ``coder`` (one index probe)."""
    return project.execute("SELECT EXISTS (SELECT 1 FROM sample_assignments WHERE coder = ?)",
                           (coder,)).fetchone()[0] == 1


def segments_assigned(project: Project, coder: str) -> list[str]:
    """The sampled segments assigned to ``coder``, in reading order (the "assigned to me" filter)."""
    return [
        r[0]
        for r in project.execute(
            "SELECT s.id FROM sample_assignments a JOIN segments s ON s.id = a.segment"
            " JOIN documents d ON d.id = s.document WHERE a.coder = ?"
            " ORDER BY d.position, s.position",
            (coder,),
        )
    ]


def mark_round(project: Project, name: str) -> int:
    """Name the current point of the project's history; returns the last event id it covers."""
    name = name.strip()
    if not name:
        raise UsageError("a round needs a name")
    with project.write() as conn:
        if conn.execute("SELECT 1 FROM rounds WHERE name = ?", (name,)).fetchone():
            raise UsageError(f"round {name!r} is already marked; choose another name")
        last = int(conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])
        codes = [r[0] for r in conn.execute("SELECT id FROM codes WHERE archived = 0 ORDER BY id")]
        conn.execute(
            "INSERT INTO rounds (name, last_event, marked_at, codes) VALUES (?,?,?,?)",
            (name, last, now(), json.dumps(codes, ensure_ascii=False)),
        )
    return last


def list_rounds(project: Project) -> list[tuple[str, int, str]]:
    """(name, last event id, marked at) of every round, oldest first."""
    return [
        (r[0], int(r[1]), r[2])
        for r in project.execute("SELECT name, last_event, marked_at FROM rounds ORDER BY last_event, marked_at")
    ]


def round_codes(project: Project, name: str) -> frozenset[str]:
    """The codes in use (not archived) when round ``name`` was marked."""
    round_event(project, name)
    row = project.execute("SELECT codes FROM rounds WHERE name = ?", (name,)).fetchone()
    return frozenset(json.loads(row[0]))


def round_event(project: Project, name: str) -> int:
    row = project.execute("SELECT last_event FROM rounds WHERE name = ?", (name,)).fetchone()
    if row is None:
        names = [r[0] for r in list_rounds(project)]
        raise UsageError(f"no round {name!r} (rounds: {', '.join(names) or 'none; mark one with annotator round'})")
    return int(row[0])


def states_at(
    project: Project, last_event: int, coders: Iterable[str] | None = None, *, document: str | None = None
) -> dict[str, dict[str, CoderState]]:
    """segment -> coder -> state as logged up to event ``last_event`` (the rebuild of a round)."""
    wanted = set(coders) if coders is not None else None
    doc_filter = " AND s.document = ?" if document else ""
    params: list[object] = [last_event] + ([document] if document else [])
    rows = project.execute(
        "SELECT e.coder, e.segment, e.after FROM events e JOIN ("
        "  SELECT coder, segment, max(id) AS id FROM events"
        "  WHERE id <= ? AND coder IS NOT NULL AND segment IS NOT NULL AND after IS NOT NULL"
        "  GROUP BY coder, segment) last ON last.id = e.id"
        f" JOIN segments s ON s.id = e.segment WHERE 1{doc_filter}",
        params,
    )
    out: dict[str, dict[str, CoderState]] = {}
    for coder, segment, after in rows:
        if wanted is None or coder in wanted:
            out.setdefault(segment, {})[coder] = CoderState.from_json(json.loads(after))
    return out


def round_done_code_sets(
    project: Project, name: str, coders: Iterable[str] | None = None, *, document: str | None = None
) -> dict[str, dict[str, frozenset[str]]]:
    """Like :func:`coding.done_code_sets`, for the coding as it stood at round ``name``."""
    states = states_at(project, round_event(project, name), coders, document=document)
    return {
        seg: {c: st.codes for c, st in per.items() if st.done}
        for seg, per in states.items()
        if any(st.done for st in per.values())
    }
