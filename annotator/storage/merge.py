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

Writes are those of ``set_state(..., action="merge")``, made for all the states taken at once
(:mod:`annotator.storage.coding_batch`), so the event log stays complete (the spans of the
annotations taken come along), and all sources merge in one transaction: a refusal keeps nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from annotator.errors import UsageError
from annotator.model import CoderState
from annotator.plural import plural
from annotator.storage.db import Project, open_project
from annotator.storage.merge_diff import SRC, differing_documents, find_changed, source_reader, states_of
from annotator.storage.work_stream import (
    Key,
    iter_documents,
    iter_event_keys,
    iter_states,
    logged_states,
    merge_join,
)

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
    prefer: Prefer = None

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


def _differing_documents(target: Project, source: Project) -> list[tuple[str, bool]]:
    """(document, whether the target has it) for each source document whose segments differ,
    comparing the two files one document at a time."""
    ours = iter_documents(target)
    mine = next(ours, None)
    differ: list[tuple[str, bool]] = []
    for doc, segments in iter_documents(source):
        while mine is not None and mine[0] < doc:
            mine = next(ours, None)
        if mine is None or mine[0] != doc:
            differ.append((doc, False))
        elif mine[1] != segments:
            differ.append((doc, True))
    return differ


def codes_used(project: Project) -> Iterator[str]:
    """Every code some annotation of ``project`` applies, in order: one step of the code index
    per distinct code (a loose index scan), not a walk over every annotation."""
    step = "SELECT min(code) FROM annotations WHERE code > ?"
    code = project.execute("SELECT min(code) FROM annotations").fetchone()[0]
    while code is not None:
        yield code
        code = project.execute(step, (code,)).fetchone()[0]


def check_compatible(target: Project, source: Project, name: str, path: Path | None = None) -> None:
    """Refuse a source whose transcripts or codes do not fit the target; ``path``: read both
    files through one reader (see :mod:`annotator.storage.merge_diff`)."""
    if path is None:
        differ = _differing_documents(target, source)
    else:
        with source_reader(target, path) as reader:
            differ = differing_documents(reader)
    if differ:
        detail = ", ".join(f"{d} ({'segments differ' if there else 'not in the target'})"
                           for d, there in differ[:10])
        raise UsageError(f"{name} holds transcripts that differ from the target's: {detail}"
                         f"{', ...' if len(differ) > 10 else ''}; merge only copies of the same project")
    target_codes = {r[0] for r in target.execute("SELECT id FROM codes WHERE archived = 0")}
    unknown = sorted(set(codes_used(source)) - target_codes)
    if unknown:
        raise UsageError(f"{name} uses codes the target's codebook does not have: {', '.join(unknown)};"
                         " update the target's codebook first ('annotator codebook set')")


def _source_keys(src: Project, coders: list[str]) -> Iterator[tuple[Key, CoderState]]:
    """The source's work and the keys its event log knows (empty state there), in key order."""
    history = ((k, None) for k in iter_event_keys(src, coders))
    for key, state, _logged in merge_join(iter_states(src, coders), history):
        yield key, state if state is not None else CoderState()


def _changed(target: Project, src: Project, coders: list[str], name: str, report: MergeReport
             ) -> list[tuple[Key, CoderState, CoderState]]:
    """(key, the target's state, the source's) where they differ; counts the rest unchanged."""
    out: list[tuple[Key, CoderState, CoderState]] = []
    for key, incoming, current in merge_join(_source_keys(src, coders), iter_states(target, coders)):
        if incoming is None:
            continue  # work only the target has
        current = current or CoderState()
        if incoming == current:
            report.unchanged[name] = report.unchanged.get(name, 0) + 1
        else:
            out.append((key, current, incoming))
    return out


def _changed_in_sql(target: Project, path: Path, coders: list[str], name: str, report: MergeReport,
                    taken: set[Key]) -> list[tuple[Key, CoderState, CoderState]]:
    """What :func:`_changed` gives, the two files compared by SQL: only the keys whose work may
    differ (and those this merge has already written) are read into Python and compared."""
    with source_reader(target, path) as reader:
        count, keys = find_changed(reader, coders, taken)
        incoming = states_of(reader, SRC, keys)
    current = states_of(target.conn, "main", keys)
    out = [(key, mine, theirs) for key, mine, theirs in zip(keys, current, incoming, strict=True)
           if mine != theirs]
    if count - len(out):
        report.unchanged[name] = report.unchanged.get(name, 0) + count - len(out)
    return out


def merge_projects(target: Project, sources: Iterable[Path], *, prefer: Prefer = None,
                   coders: Iterable[str] | None = None, session: str | None = None) -> MergeReport:
    """Merge ``sources`` into ``target`` (see the module doc); raises ``UsageError`` on refusal.

    SQLite compares the two files (a reader of the target with the source attached, see
    :mod:`annotator.storage.merge_diff`); only the states that differ are read into Python, and
    only their event history. A source that can only be opened read-only is instead walked in
    (coder, segment) order beside the target.
    """
    from annotator.storage.memos import merge_notes

    wanted = set(coders) if coders else None
    report = MergeReport(prefer=prefer)
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
            with src.snapshot():
                check_compatible(target, src, str(p), None if src.read_only else p)
        taken: set[Key] = set()
        with target.write():
            for (name, src), path in zip(opened, paths, strict=True):
                report.written.setdefault(name, 0)
                with src.snapshot():
                    src_coders = [r[0] for r in src.execute("SELECT name FROM coders ORDER BY name")
                                  if wanted is None or r[0] in wanted]
                    changed = (_changed(target, src, src_coders, name, report) if src.read_only
                               else _changed_in_sql(target, path, src_coders, name, report, taken))
                    decisions = [(key, current, incoming,
                                  _take(target, src, key, current, incoming, name, report))
                                 for key, current, incoming in changed]
                    _write(target, src, decisions, name, report, session)
                taken.update(key for key, _c, _i, take in decisions if take)
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


def _write(target: Project, src: Project, decisions: list[tuple[Key, CoderState, CoderState, bool]],
           name: str, report: MergeReport, session: str | None) -> None:
    """Write the states taken from the source, with their events and their annotations' spans;
    count them and those kept as in the target."""
    from annotator.storage.coding_batch import set_states
    from annotator.storage.spans import add_spans, segment_spans

    taken = [(coder, seg, current, incoming) for (coder, seg), current, incoming, take in decisions if take]
    set_states(target, taken, action="merge", session=session, detail={"source": name})
    if src.execute("SELECT 1 FROM annotation_spans LIMIT 1").fetchone() is not None:
        for coder, seg, _current, _incoming in taken:
            add_spans(target, segment_spans(src, coder, seg))
    report.written[name] += len(taken)
    report.coders.update(coder for coder, *_rest in taken)
    if len(taken) < len(decisions):
        report.kept_target[name] = report.kept_target.get(name, 0) + len(decisions) - len(taken)


def _take(target: Project, src: Project, key: Key, current: CoderState, incoming: CoderState,
          name: str, report: MergeReport) -> bool:
    """Whether the source's state replaces the target's (a conflict is recorded when neither
    went on from the other; then ``prefer`` decides, later)."""
    if current == CoderState():
        return True
    if _key(current) in logged_states(src, key):
        return True  # the source went on from the target's state
    if _key(incoming) in logged_states(target, key):
        return False  # the target went on from the source's state
    report.conflicts.append(Conflict(name, key[0], key[1], current, incoming))
    return report.prefer == "source"
