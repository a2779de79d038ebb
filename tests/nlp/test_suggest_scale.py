"""The suggestion engine's large-project machinery on real project files: segments read on
demand through a read-only connection, examples kept flat, the codebook's text cached on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import annotator.nlp.suggest as suggest_module
from annotator.application.suggesting import suggester_for_project
from annotator.errors import ProjectError
from annotator.nlp.suggest import Suggester
from annotator.storage.db import open_project
from annotator.storage.segment_reader import SegmentReader

ROWS = [
    ("上个月区里来检查了三次，每次都要准备迎检材料。",
     "Last month the district came to inspect three times, and each time we prepared materials."),
    ("痕迹主义没有根本改变，每件事都要拍照、填表、做台账。",
     "Trace-leaving formalism has not changed; we photograph everything and fill in ledgers."),
    ("居民打电话来问垃圾什么时候清运。", "A resident called to ask when the rubbish would be collected."),
    ("社区只有五个人，却要对接二十多个部门。",
     "The community has five people but works with more than twenty departments."),
    ("网格员上报的问题要靠几个部门处理，居民等不到结果。",
     "Grid workers report problems that need several departments, and residents wait."),
]


def _project(tmp_path: Path) -> tuple[Path, list[str]]:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts

    source = tmp_path / "t.jsonl"
    with source.open("w", encoding="utf-8") as f:
        for zh, en in ROWS:
            f.write(json.dumps({"document": "T", "zh": zh, "en": en}, ensure_ascii=False) + "\n")
    path = tmp_path / "p.db"
    create_project(path)
    with open_project(path) as project:
        import_transcripts(project, [source])
        ids = [r[0] for r in project.execute("SELECT id FROM segments ORDER BY position")]
    return path, ids


def _tag(path: Path, segment: str, codes: list[str]) -> None:
    """The coder's codes on ``segment`` become ``codes`` (none: done without a code)."""
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import get_state, tag

    with open_project(path) as project:
        codebook = load_codebook(project)
        old = sorted(get_state(project, "ann", segment).codes)
        if old:
            tag(project, codebook, "ann", segment, old, remove=True)
        tag(project, codebook, "ann", segment, codes, none=not codes)


def _models(s: Suggester) -> dict[str, tuple[np.ndarray, ...]]:
    """Each facet's counts by term (ids differ between builds only through new terms)."""
    n = len(s.vocab)
    return {f: (m.counts[:n].copy(), m.totals[:n].copy(), m.code_terms.copy(),
                m.code_examples.copy(), np.array([m.all_terms, m.examples]))
            for f, m in s.models.items()}


@pytest.fixture()
def project(tmp_path: Path) -> tuple[Path, list[str]]:
    return _project(tmp_path)


def test_built_in_a_worker_used_elsewhere_after_the_project_is_closed(
    project: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, ids = project
    built: list[Suggester] = []

    def worker() -> None:
        with open_project(path) as p:
            built.append(suggester_for_project(p, coder="ann"))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    s = built[0]
    monkeypatch.setattr(suggest_module, "CACHED_SEGMENTS", 2)
    expected = {seg: s.suggest(seg, top=10) for seg in ids}
    for seg in [*ids, *reversed(ids)]:  # read again once they have left the cache
        assert s.suggest(seg, top=10) == expected[seg]
        assert len(s._cache) <= 2
    assert s.segment_ids == ids
    # the suggester's own connection cannot write to the project
    reader = s._source
    assert isinstance(reader, SegmentReader) and reader._conn is not None
    with pytest.raises(Exception, match="readonly"):
        reader._conn.execute("DELETE FROM segments")
    s.close()
    with pytest.raises(ProjectError):
        s.suggest("nope-not-cached")


def test_recoding_a_segment_coded_at_start_equals_a_fresh_load(
    project: tuple[Path, list[str]]
) -> None:
    path, ids = project
    _tag(path, ids[0], ["latency", "feedback_gap"])
    _tag(path, ids[1], ["integration", "trace_formalism"])
    with open_project(path) as p:
        s = suggester_for_project(p, coder="ann")
    assert s.examples == 2
    s.learn(ids[0], frozenset({"adaptation", "rights_mismatch"}))  # coded at the start
    s.learn(ids[2], frozenset({"latency"}))  # coded afterwards
    s.learn(ids[1], frozenset())  # no longer an example
    _tag(path, ids[0], ["adaptation", "rights_mismatch"])
    _tag(path, ids[2], ["latency"])
    _tag(path, ids[1], [])
    with open_project(path) as p:
        fresh = suggester_for_project(p, coder="ann")
    assert fresh.examples == s.examples == 2
    got, want = _models(s), _models(fresh)
    for facet in want:
        for a, b in zip(got[facet], want[facet], strict=True):
            assert np.allclose(a, b), facet
    # the calibration is fitted at the build, on the coded segments of that moment (and the
    # codebook's examples), not at every key: with it held equal, the scores are equal
    s.calibration, s.relation_weight = fresh.calibration, fresh.relation_weight
    for seg in ids:
        assert s.suggest(seg, top=10) == fresh.suggest(seg, top=10)


@pytest.mark.slow  # two fresh Python processes loading spaCy and jieba
def test_codebook_text_is_cached_on_disk_for_the_next_process(
    project: tuple[Path, list[str]], tmp_path: Path
) -> None:
    path, ids = project
    home = tmp_path / "home"
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    code = (
        "import json, sys\n"
        "from annotator.application.suggesting import suggester_for_project\n"
        "from annotator.storage.db import open_project\n"
        f"with open_project({str(path)!r}) as p:\n"
        "    s = suggester_for_project(p)\n"
        f"r = [s.suggest(seg, top=10).as_json() for seg in {ids!r}]\n"
        "print(json.dumps([r, [m for m in ('spacy', 'jieba') if m in sys.modules]]))\n"
    )

    def run() -> tuple[object, list[str]]:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, check=True)
        result, loaded = json.loads(done.stdout)
        return result, loaded

    first, loaded_first = run()
    assert loaded_first and (home / "codebook-terms.json").exists()
    second, loaded_second = run()
    assert second == first and loaded_second == []  # neither jieba nor spaCy needed
    # a cache made by another tokeniser is not used
    data = json.loads((home / "codebook-terms.json").read_text(encoding="utf-8"))
    data["fingerprint"] = "another tokeniser"
    (home / "codebook-terms.json").write_text(json.dumps(data), encoding="utf-8")
    shutil.rmtree(home / "engines")  # the engine kept by the first run needs no codebook text
    third, loaded_third = run()
    assert third == first and loaded_third
