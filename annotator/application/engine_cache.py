"""A built suggestion engine kept and found again, so that a large project's engine starts in
seconds instead of learning from every annotation at every start.

The engine is pickled into a file of the user's data folder (``engines/<token>.engine``;
the user's own file: a project file never carries code to run), and the project records
which file holds the engine of which learner, under which stamp (the engine's code, the
codebook, the corpus counts' state), and up to which point of the project's learning log
(:mod:`annotator.storage.engine_snapshots`). Loading it relearns the segments whose
annotations changed since: the counts come out as a fresh build's (only the calibration,
fitted on the latest examples, may see them in another order).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
import re
import secrets
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from annotator.config import data_dir
from annotator.errors import AnnotatorError
from annotator.files import atomic_path
from annotator.model import Codebook
from annotator.stale_temps import remove_stale_like
from annotator.storage import engine_snapshots as snapshots
from annotator.storage.db import Project
from annotator.storage.engine_snapshots import SnapshotRecord
from annotator.storage.term_counts import CountsState

if TYPE_CHECKING:
    from annotator.nlp.suggest import SegmentSource, Suggester

#: Engine files kept in the data folder at most (the oldest go first).
KEPT_FILES = 8
#: Examples changed since a kept engine was built that loading it relearns at most, one by one
#: (about as long as a first engine takes to learn from the latest coded segments); more (coded
#: data arriving in bulk, e.g. a merge) and the engine is built again.
RELEARN_AT_MOST = 10_000
_TOKEN = re.compile(r"[0-9a-f]{32}")


def learner_key(coder: str | None, calibrate: bool) -> str:
    """Whose annotations the engine learns from (``coder``, or everyone's)."""
    return json.dumps({"coder": coder, "calibrate": calibrate}, sort_keys=True)


def engine_stamp(codebook: Codebook, counts: CountsState) -> str:
    """What a kept engine must have been built under: this code and tokeniser, this codebook,
    these segments (the corpus counts' state)."""
    return json.dumps({"code": _code_fingerprint(), "codebook": _digest(repr(codebook)),
                       "segments": [counts.changes, counts.upto, counts.n_docs, counts.pending]}, sort_keys=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _code_fingerprint() -> str:
    import annotator.nlp

    folder = Path(annotator.nlp.__file__).parent
    h = hashlib.sha256(f"{sys.version}|{np.__version__}".encode())
    for path in sorted(folder.glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    for dist in ("jieba", "spacy", "spacy-lookups-data"):  # the codebook's text tokenised
        try:
            h.update(f"{dist} {metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist} -".encode())
    return h.hexdigest()


def _folder() -> Path:
    return data_dir() / "engines"


def _file(token: str) -> Path | None:
    return _folder() / f"{token}.engine" if _TOKEN.fullmatch(token) else None


def start_logging(project: Project, learner: str) -> int:
    """Make sure annotation changes are logged for ``learner`` from now on; the log's point
    before the engine reads the annotations (changes after it are relearned on loading)."""
    if snapshots.snapshot_record(project, learner) is None:
        with contextlib.suppress(AnnotatorError):  # a read-only project: nothing is kept
            snapshots.keep_record(project, learner, SnapshotRecord("", snapshots.log_position(project), ""))
    return snapshots.log_position(project)


def kept_engine_exists(project: Project, learner: str, stamp: str, coder: str | None = None) -> bool:
    """Whether an engine is kept for ``learner`` (learning from ``coder``, or everyone) under
    ``stamp`` and few enough examples changed since (it would be loaded)."""
    record = snapshots.snapshot_record(project, learner)
    path = _file(record.token) if record is not None and record.stamp == stamp else None
    return (path is not None and path.is_file() and record is not None
            and snapshots.changed_count(project, record.seq, coder) <= RELEARN_AT_MOST)


def load_engine(project: Project, learner: str, stamp: str, coder: str | None,
                source: Callable[[], SegmentSource]) -> Suggester | None:
    """The engine kept for ``learner`` under ``stamp``, brought up to date; None if none (or
    more than :data:`RELEARN_AT_MOST` examples changed since)."""
    record = snapshots.snapshot_record(project, learner)
    if record is None or record.stamp != stamp:
        return None
    path = _file(record.token)
    if path is None or not path.is_file():
        return None
    changed = snapshots.changed_since(project, record.seq, coder)
    if len(changed) > RELEARN_AT_MOST:
        return None
    try:
        with path.open("rb") as f:
            engine: Suggester = pickle.load(f)
    except Exception:  # an unreadable file: built again
        return None
    engine.attach(source())
    for who, segment in changed:
        engine.learn_as(who, segment, snapshots.codes_of(project, who, segment))
    if changed and engine.calibration is not None:
        engine.calibrate()
    return engine


def keep_engine(project: Project, learner: str, stamp: str, seq: int, engine: Suggester) -> None:
    """Keep ``engine`` (built from the annotations up to log point ``seq``) for the next start;
    a project or data folder that cannot be written only means building again next time."""
    token = secrets.token_hex(16)
    path = _file(token)
    assert path is not None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # an engine process killed while writing (or a full disk) left a partial file named
        # for another token: removed once its process is gone, as this one is on any error
        remove_stale_like(path.parent, _TOKEN.pattern + r"\.engine")
        with atomic_path(path, suffix=".partial") as partial, partial.open("wb") as f:
            pickle.dump(engine, f, protocol=5)
    except (OSError, AnnotatorError):
        return
    try:
        old = snapshots.keep_record(project, learner, SnapshotRecord(stamp, seq, token))
    except AnnotatorError:
        path.unlink(missing_ok=True)
        return
    old_path = _file(old) if old else None
    if old_path is not None:
        old_path.unlink(missing_ok=True)
    _trim()


def _trim() -> None:
    """Keep the newest :data:`KEPT_FILES` engine files."""
    with contextlib.suppress(OSError):
        files = sorted(_folder().glob("*.engine"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEPT_FILES:]:
            old.unlink(missing_ok=True)
