"""A built suggestion engine is kept and found again: loaded, it relearns the segments whose
annotations changed since, and suggests what a fresh build suggests; a changed codebook, new
segments or a copy of the project never reuse an engine built for something else."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotator.application import engine_cache
from annotator.application.demo import PAPER_CODER
from annotator.application.suggesting import suggester_for_project
from annotator.nlp.suggest import Suggester
from annotator.storage import engine_snapshots
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import get_state, tag
from annotator.storage.db import open_project
from annotator.storage.documents import segment_order
from annotator.storage.segment_reader import SegmentReader
from annotator.storage.training import annotation_rows, segment_term_chunks


def _fresh(p: object, coder: str | None, calibrate: bool) -> Suggester:
    """Built from every row, as before engines were kept."""
    return Suggester.build(load_codebook(p), segment_term_chunks(p), annotation_rows(p, coder),  # type: ignore[arg-type]
                           SegmentReader.of(p), learner=coder or "", calibrate=calibrate)  # type: ignore[arg-type]


def _same_counts(a: Suggester, b: Suggester) -> None:
    assert a.examples == b.examples
    assert a.vocab.terms == b.vocab.terms
    for facet, model in a.models.items():
        other = b.models[facet]
        n = min(len(model.totals), len(other.totals))
        assert np.allclose(model.counts[:n], other.counts[:n])
        assert np.allclose(model.code_examples, other.code_examples)


def _loaded(p: object, coder: str | None, calibrate: bool) -> Suggester | None:
    learner = engine_cache.learner_key(coder, calibrate)
    from annotator.storage.term_counts import counts_state

    stamp = engine_cache.engine_stamp(load_codebook(p), counts_state(p))  # type: ignore[arg-type]
    return engine_cache.load_engine(p, learner, stamp, coder, lambda: SegmentReader.of(p))  # type: ignore[arg-type]


@pytest.mark.parametrize("coder", [PAPER_CODER, None], ids=["coder", "everyone"])
def test_a_kept_engine_relearns_what_changed_and_suggests_as_a_fresh_build(
        demo_project: Path, coder: str | None) -> None:
    with open_project(demo_project) as p:
        ids = [s for s, _d in segment_order(p)]
        assert _loaded(p, coder, False) is None  # nothing kept yet
        first = suggester_for_project(p, coder=coder, calibrate=False)
        first.close()
        codebook = load_codebook(p)
        codes = [c.id for c in codebook.codes]
        tag(p, codebook, PAPER_CODER, ids[0], [codes[-1]])  # changed after the engine was kept
        tag(p, codebook, PAPER_CODER, ids[1], get_state(p, PAPER_CODER, ids[1]).codes, remove=True)
        tag(p, codebook, "another", ids[2], [codes[0], codes[-1]])
        changed = engine_snapshots.changed_since(
            p, engine_snapshots.snapshot_record(p, engine_cache.learner_key(coder, False)).seq, coder)
        assert (PAPER_CODER, ids[0]) in changed and ((("another", ids[2]) in changed) is (coder is None))
        kept = _loaded(p, coder, False)
        assert kept is not None
        fresh = _fresh(p, coder, False)
        _same_counts(kept, fresh)
        for seg in ids[:40]:
            assert kept.suggest(seg) == fresh.suggest(seg)
        # calibrated: the same counts, and a calibration fitted again
        suggester_for_project(p, coder=coder).close()
        tag(p, codebook, PAPER_CODER, ids[3], [codes[1]])
        calibrated = suggester_for_project(p, coder=coder)
        _same_counts(calibrated, _fresh(p, coder, True))
        assert calibrated.calibration is not None
        for s in (kept, fresh, calibrated):
            s.close()


def test_a_changed_codebook_or_new_segments_build_again(demo_project: Path, tmp_path: Path) -> None:
    import json

    from annotator.application.transcripts import import_transcripts

    with open_project(demo_project) as p:
        suggester_for_project(p, coder=PAPER_CODER).close()
        assert _loaded(p, PAPER_CODER, True) is not None
        source = tmp_path / "more.jsonl"
        source.write_text(json.dumps({"document": "more", "zh": "社区减负很难。",
                                      "en": "Reducing burdens is hard."}, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        import_transcripts(p, [source])
        assert _loaded(p, PAPER_CODER, True) is None  # other segments: another corpus
        again = suggester_for_project(p, coder=PAPER_CODER)
        again.close()
        assert _loaded(p, PAPER_CODER, True) is not None
        with p.write() as conn:
            conn.execute("UPDATE codes SET definition_en = definition_en || ' (revised)'"
                         " WHERE id = (SELECT min(id) FROM codes)")
        assert _loaded(p, PAPER_CODER, True) is None  # another codebook


def test_the_log_is_kept_only_from_the_oldest_engine_on(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        ids = [s for s, _d in segment_order(p)]
        codebook = load_codebook(p)
        code = codebook.codes[0].id
        tag(p, codebook, PAPER_CODER, ids[0], [code])
        assert engine_snapshots.log_position(p) == 0  # nothing logged while no engine is kept
        suggester_for_project(p, coder=PAPER_CODER).close()
        tag(p, codebook, PAPER_CODER, ids[1], [code])
        assert engine_snapshots.log_position(p) > 0
        suggester_for_project(p, coder=PAPER_CODER).close()  # relearned, not kept again
        suggester_for_project(p, coder=None).close()  # another learner: built and kept
        assert engine_snapshots.log_start(p) > 0


def test_a_kept_engine_with_many_examples_changed_since_is_built_again(
        demo_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.application.suggesting import engine_is_kept

    with open_project(demo_project) as p:
        ids = [s for s, _d in segment_order(p)]
        suggester_for_project(p, coder=PAPER_CODER).close()
        codebook = load_codebook(p)
        codes = [c.id for c in codebook.codes]
        tag(p, codebook, PAPER_CODER, ids[0], [codes[-1]])
        tag(p, codebook, PAPER_CODER, ids[1], [codes[0]])
        monkeypatch.setattr(engine_cache, "RELEARN_AT_MOST", 2)
        assert engine_is_kept(p, coder=PAPER_CODER)
        loaded = _loaded(p, PAPER_CODER, True)
        assert loaded is not None  # two changed: relearned
        loaded.close()
        monkeypatch.setattr(engine_cache, "RELEARN_AT_MOST", 1)
        assert _loaded(p, PAPER_CODER, True) is None  # more: built again
        assert not engine_is_kept(p, coder=PAPER_CODER)


def test_keeping_an_engine_leaves_no_partial_file_and_removes_those_of_killed_processes(
        demo_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Engine files are named for a random token, so a partial one left by an engine process
    killed mid-write (tens of megabytes on a large project) is never overwritten: the next engine
    kept removes it once its process is gone. A write that fails (a full disk) leaves nothing."""
    import os
    import pickle
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    folder = engine_cache._folder()
    folder.mkdir(parents=True, exist_ok=True)
    dead = folder / f".{'a' * 32}.engine.annotator-{child.pid}-x1y2z3w4.partial"
    alive = folder / f".{'b' * 32}.engine.annotator-{os.getpid()}-x1y2z3w4.partial"
    for f in (dead, alive):
        f.write_bytes(b"x")
    with open_project(demo_project) as p:
        suggester_for_project(p, calibrate=False).close()
        assert not dead.exists() and alive.exists()
        assert list(folder.glob("*.engine"))

        def full_disk(*_args: object, **_kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(pickle, "dump", full_disk)
        tag(p, load_codebook(p), PAPER_CODER, segment_order(p)[0][0], [load_codebook(p).codes[0].id])
        suggester_for_project(p, coder="someone else", calibrate=False).close()
    assert sorted(f.name for f in folder.iterdir() if f.name.endswith(".partial")) == [alive.name]
