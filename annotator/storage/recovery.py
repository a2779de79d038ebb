"""Recovery files: a coding session's changes kept safe when its project file was lost.

When the project file or its write-ahead log is deleted or replaced under an open coding
screen (see :mod:`annotator.storage.file_guard`), the session's changes are still readable
through the open connection. They are written, one line per segment, to a recovery file that
``annotator recover PROJECT RECOVERY_FILE`` merges back into the project.

The file is JSON lines: a header ``{"annotator": "recovery", "version": 1, ...}``, then
``{"coder": ..., "segment": ..., "codes": [...], "done": ..., "memo": ...}`` per segment, the
coder's state on that segment after the session's last change to it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.errors import UsageError
from annotator.model import Codebook, CoderState
from annotator.storage.db import Project, now

MAGIC = "recovery"
VERSION = 1

Change = tuple[str, str, CoderState]  # coder, segment, state after


def session_changes(project: Project, session: str) -> dict[tuple[str, str], CoderState]:
    """(coder, segment) → state after the session's last change to it, from the event log."""
    out: dict[tuple[str, str], CoderState] = {}
    for coder, segment, after in project.execute(
        "SELECT coder, segment, after FROM events WHERE session = ? ORDER BY id", (session,)
    ):
        if after is not None:
            out[coder, segment] = CoderState.from_json(json.loads(after))
    return out


def recovery_path(project_path: Path, session: str) -> Path:
    """Beside the project when its folder is still there, else in annotator's data folder."""
    stamp = now().replace(":", "").replace("-", "").replace(".", "")
    name = f"{project_path.stem}.recovery-{stamp}-{session[:8]}.jsonl"
    folder = project_path.parent
    if folder.is_dir() and os.access(folder, os.W_OK):
        return folder / name
    from annotator.config import data_dir

    other = data_dir() / "recovery"
    other.mkdir(parents=True, exist_ok=True)
    return other / name


def write_recovery(project: Project, session: str, extra: Iterable[Change] = (),
                   path: Path | None = None) -> tuple[Path, int]:
    """Write the session's changes (and ``extra`` ones not committed) to a recovery file.

    Returns the file and how many segments it holds. ``path`` rewrites an earlier one.
    """
    changes = session_changes(project, session)
    for coder, segment, state in extra:
        changes[coder, segment] = state
    path = path or recovery_path(project.path, session)
    lines = [json.dumps({"annotator": MAGIC, "version": VERSION, "project": str(project.path),
                         "session": session, "written_at": now()}, ensure_ascii=False)]
    lines += [json.dumps({"coder": c, "segment": s, **st.to_json()}, ensure_ascii=False)
              for (c, s), st in changes.items()]
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path, len(changes)


def _bad(path: Path, line: int, reason: str) -> UsageError:
    return UsageError(f"not a recovery file line: {reason}", path=path, line=line)


def _parse_line(path: Path, n: int, text: str) -> Change:
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _bad(path, n, f"not JSON ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise _bad(path, n, "not a JSON object")
    coder, segment, codes = data.get("coder"), data.get("segment"), data.get("codes", [])
    if not isinstance(coder, str) or not coder.strip() or not isinstance(segment, str):
        raise _bad(path, n, "needs \"coder\" and \"segment\" strings")
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise _bad(path, n, "\"codes\" must be a list of code ids")
    memo = data.get("memo", "")
    if not isinstance(memo, str) or not isinstance(data.get("done", False), bool):
        raise _bad(path, n, "\"done\" must be true or false and \"memo\" a string")
    return coder, segment, CoderState(frozenset(codes), bool(data.get("done")), memo)


def read_recovery(path: Path) -> list[Change]:
    """The changes in a recovery file; ``UsageError`` naming the line for anything else."""
    from annotator.special_files import regular_file_problem

    if problem := regular_file_problem(path):
        raise UsageError(problem, path=path)
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise UsageError("no such recovery file", path=path) from None
    except UnicodeDecodeError:
        raise UsageError("not a recovery file (not UTF-8 text)", path=path) from None
    lines = text.splitlines()
    try:
        header = json.loads(lines[0]) if lines else None
    except (ValueError, RecursionError):
        header = None
    if not isinstance(header, dict) or header.get("annotator") != MAGIC:
        raise UsageError("not an annotator recovery file (no recovery header)", path=path, line=1)
    if header.get("version") != VERSION:
        raise UsageError(f"recovery file version {header.get('version')!r} is not known",
                         path=path, line=1)
    return [_parse_line(path, n, line) for n, line in enumerate(lines[1:], start=2) if line.strip()]


@dataclass
class Merged:
    applied: int = 0
    unchanged: int = 0


def _check(project: Project, codebook: Codebook, path: Path, changes: list[Change]) -> None:
    segments = {r[0] for r in project.execute("SELECT id FROM segments")}
    for n, (_coder, segment, state) in enumerate(changes, start=2):
        if segment not in segments:
            raise UsageError(f"no segment {segment!r} in the project", path=path, line=n)
        for code in sorted(state.codes):
            if codebook.code(code) is None:
                raise UsageError(f"no code {code!r} in the project's codebook", path=path, line=n)


def merge_recovery(project: Project, path: Path) -> Merged:
    """Make each coder's state on each segment in the recovery file the project's, in one
    transaction (all or nothing); states already there count as unchanged."""
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import set_state

    changes = read_recovery(path)
    _check(project, load_codebook(project, include_archived=True), path, changes)
    merged = Merged()
    with project.write():
        for coder, segment, state in changes:
            event = set_state(project, coder.strip(), segment, state, action="recover",
                              detail={"file": Path(path).name})
            if event is None:
                merged.unchanged += 1
            else:
                merged.applied += 1
    return merged
