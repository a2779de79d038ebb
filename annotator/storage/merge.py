"""Team merge: bring coders' work from their copies of a project into the lead's file.

Every source must hold the same transcripts as the target for the documents it has (segments
matched by id and text); otherwise the merge is refused naming the documents that differ. Codes a
source uses must exist (unarchived) in the target's codebook. For each coder and segment:

* the source has nothing new (same state, or nothing there) → nothing happens, so merging twice
  changes nothing;
* the target has nothing → the source's work is written;
* both differ → if one side's state appears in the other's event history, the newer side wins
  (a coder who kept working after an earlier merge); otherwise it is a conflict. Conflicts refuse
  the whole merge, listed, unless ``prefer`` says which side wins.

Writes go through ``set_state(..., action="merge")`` so the event log stays complete (the spans
of the annotations taken come along), and all
sources merge in one transaction: a refusal keeps nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from annotator.errors import UsageError
from annotator.model import CoderState
from annotator.plural import plural
from annotator.storage.db import Project, open_project

Prefer = Literal["source", "target"] | None


@dataclass(frozen=True)
class Conflict:
    source: str
    coder: str
    segment: str
    target: CoderState
    incoming: CoderState

    def line(self) -> str:
        def show(s: CoderState) -> str:
            parts = [", ".join(sorted(s.codes)) or "no code", "done" if s.done else "open"]
            if s.memo:
                parts.append(f"memo {s.memo[:20]!r}")
            return "; ".join(parts)

        return f"{self.segment} {self.coder}: target [{show(self.target)}] vs {self.source} [{show(self.incoming)}]"


@dataclass
class MergeReport:
    written: dict[str, int] = field(default_factory=dict)  # source → states written
    unchanged: dict[str, int] = field(default_factory=dict)
    kept_target: dict[str, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    coders: set[str] = field(default_factory=set)
    notes: dict[str, tuple[int, int]] = field(default_factory=dict)  # source → (written, kept as in the target)

    def lines(self) -> list[str]:
        out = []
        for src in self.written:
            out.append(f"{src}: {plural(self.written[src], 'coder-segment state')} merged,"
                       f" {self.unchanged.get(src, 0)} already there,"
                       f" {self.kept_target.get(src, 0)} kept as in the target")
        for src, (written, kept) in self.notes.items():
            if written or kept:
                out.append(f"{src}: {plural(written, 'document and code memo')} merged"
                           + (f", {kept} that differ kept as in the target (--prefer source takes"
                              " theirs)" if kept else ""))
        if self.conflicts:
            out.append(f"{plural(len(self.conflicts), 'conflict')} resolved by --prefer")
        out.append(f"coders: {', '.join(sorted(self.coders)) or 'none'}")
        return out


def _key(state: CoderState) -> str:
    return json.dumps(state.to_json(), ensure_ascii=False, sort_keys=True)


def _history(project: Project, coders: set[str]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for coder, seg, before, after in project.execute(
        "SELECT coder, segment, before, after FROM events WHERE coder IS NOT NULL AND segment IS NOT NULL"
    ):
        if coder not in coders:
            continue
        slot = out.setdefault((coder, seg), set())
        for raw in (before, after):
            if raw:
                slot.add(_key(CoderState.from_json(json.loads(raw))))
    return out


def _documents(project: Project) -> dict[str, list[tuple[str, str, str]]]:
    docs: dict[str, list[tuple[str, str, str]]] = {}
    for doc, sid, zh, en in project.execute(
        "SELECT document, id, zh, en FROM segments ORDER BY document, position"
    ):
        docs.setdefault(doc, []).append((sid, zh, en))
    return docs


def check_compatible(target: Project, source: Project, name: str) -> None:
    theirs = _documents(source)
    ours = _documents(target)
    differ = sorted(d for d in theirs if ours.get(d) != theirs[d])
    if differ:
        detail = ", ".join(f"{d} ({'not in the target' if d not in ours else 'segments differ'})"
                           for d in differ[:10])
        raise UsageError(f"{name} holds transcripts that differ from the target's: {detail}"
                         f"{', ...' if len(differ) > 10 else ''}; merge only copies of the same project")
    target_codes = {r[0] for r in target.execute("SELECT id FROM codes WHERE archived = 0")}
    used = {r[0] for r in source.execute("SELECT DISTINCT code FROM annotations")}
    unknown = sorted(used - target_codes)
    if unknown:
        raise UsageError(f"{name} uses codes the target's codebook does not have: {', '.join(unknown)};"
                         " update the target's codebook first ('annotator codebook set')")


def merge_projects(target: Project, sources: Iterable[Path], *, prefer: Prefer = None,
                   coders: Iterable[str] | None = None, session: str | None = None) -> MergeReport:
    """Merge ``sources`` into ``target`` (see the module doc); raises ``UsageError`` on refusal."""
    from annotator.storage.coding import coder_states, get_state, set_state
    from annotator.storage.memos import merge_notes
    from annotator.storage.spans import add_spans, segment_spans

    wanted = set(coders) if coders else None
    report = MergeReport()
    paths = list(sources)
    if not paths:
        raise UsageError("name at least one project file to merge from")
    for p in paths:
        if p.resolve() == target.path.resolve():
            raise UsageError("cannot merge a project into itself", path=p)
    opened: list[tuple[str, Project]] = []
    try:
        for p in paths:
            src = open_project(p)
            opened.append((str(p), src))
            check_compatible(target, src, str(p))
        target_coders = {r[0] for r in target.execute("SELECT name FROM coders")}
        with target.write():
            for name, src in opened:
                src_states = coder_states(src, wanted)
                src_coders = {c for per in src_states.values() for c in per}
                src_coders |= {r[0] for r in src.execute("SELECT name FROM coders")
                               if wanted is None or r[0] in wanted}
                src_hist = _history(src, src_coders)
                tgt_hist = _history(target, src_coders & (target_coders | src_coders))
                keys = {(c, s) for s, per in src_states.items() for c in per}
                keys |= {k for k in src_hist if k[0] in src_coders}
                report.written.setdefault(name, 0)
                for coder, seg in sorted(keys):
                    incoming = src_states.get(seg, {}).get(coder, CoderState())
                    current = get_state(target, coder, seg)
                    if incoming == current:
                        report.unchanged[name] = report.unchanged.get(name, 0) + 1
                        continue
                    if incoming == CoderState() and (coder, seg) not in src_hist:
                        continue
                    if current == CoderState():
                        take = True
                    elif _key(current) in src_hist.get((coder, seg), set()):
                        take = True  # the source went on from the target's state
                    elif _key(incoming) in tgt_hist.get((coder, seg), set()):
                        take = False  # the target went on from the source's state
                    else:
                        report.conflicts.append(Conflict(name, coder, seg, current, incoming))
                        take = prefer == "source"
                    if take:
                        set_state(target, coder, seg, incoming, action="merge", session=session,
                                  detail={"source": name})
                        add_spans(target, segment_spans(src, coder, seg))
                        report.written[name] += 1
                        report.coders.add(coder)
                    else:
                        report.kept_target[name] = report.kept_target.get(name, 0) + 1
                report.notes[name] = merge_notes(target, src, wanted, prefer)  # document and code memos
            if report.conflicts and prefer is None:
                shown = "; ".join(c.line() for c in report.conflicts[:5])
                more = f" (and {len(report.conflicts) - 5} more)" if len(report.conflicts) > 5 else ""
                raise UsageError(
                    f"{len(report.conflicts)} conflicting coder-segment states, nothing merged: {shown}{more};"
                    " choose a side with --prefer source or --prefer target")
    finally:
        for _name, src in opened:
            src.close()
    return report
