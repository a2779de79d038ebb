"""A transcript import keeps the corpus counts current in its own transaction: after it (and
after a second one) the kept counts are what counting every segment afresh gives, with nothing
left for the engine to count; an import refused midway leaves them as they were; a ``--replace``
that changes stored segments leaves them for the engine to count again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.application import transcripts
from annotator.application.corpus_counts import corpus_counts
from annotator.application.projects import create_project
from annotator.application.transcripts import import_transcripts
from annotator.errors import ImportFormatError
from annotator.nlp.keywords import CorpusCounter
from annotator.storage import term_counts
from annotator.storage.db import Project, open_project
from annotator.storage.training import segment_term_chunks

FIRST = [
    ("D1", "社区干部说台账太多。", "Cadres say the ledgers are too many."),
    ("D1", "社区干部每周参加培训，培训很多。", "Cadres attend training every week, a lot of training."),
    ("D1", "", "Only English here."),
    ("D2", "网格员上报问题很快。", ""),
    ("D2", "网格员上报问题很快。", "Grid workers report problems quickly."),
]
SECOND = [
    ("D3", "居民反映台账检查太多。", "Residents say ledger inspections are too many."),
    ("D3", "网格员每周上报。", "Grid workers report every week."),
    ("D4", "减负工作做了很多。", "Much work was done to lighten the load."),
]

Counts = tuple[dict[str, dict[str, int]], int, int]


def _source(folder: Path, name: str, rows: list[tuple[str, str, str]], bad_line: str = "") -> Path:
    source = folder / name
    source.write_text("".join(
        json.dumps({"document": d, "zh": zh, "en": en, "speaker": "A"}, ensure_ascii=False) + "\n"
        for d, zh, en in rows) + bad_line, encoding="utf-8")
    return source


def _counted_afresh(p: Project) -> Counts:
    counter = CorpusCounter()
    for rows in segment_term_chunks(p):
        counter.add([r[1] for r in rows], [r[2] for r in rows])
    return ({lang: dict(c) for lang, c in counter.counts.items() if c}, counter.n_docs, counter.terms)


def _kept(p: Project) -> Counts:
    """The counts as kept in the project (read as they are: nothing counted here)."""
    state = term_counts.counts_state(p)
    assert state.valid and state.pending == 0
    stored = {lang: dict(rows) for lang, rows in term_counts.stored_counts(p).items()}
    return ({lang: c for lang, c in stored.items() if c}, state.n_docs, state.terms)


def _raw_counts(p: Project) -> tuple[object, ...]:
    return (p.execute("SELECT * FROM term_counts_state").fetchall(),
            p.execute("SELECT * FROM term_counts ORDER BY lang, term").fetchall())


@pytest.fixture(params=[False, True], ids=["in-process", "worker-processes"])
def parallel(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(transcripts, "BATCH", 2)  # several batches per file
    return bool(request.param)


def test_imports_keep_the_counts_a_fresh_count_gives(tmp_path: Path, parallel: bool) -> None:
    path = tmp_path / "p.db"
    create_project(path)
    with open_project(path) as p:
        import_transcripts(p, [_source(tmp_path, "a.jsonl", FIRST)], parallel=parallel)
        assert _kept(p) == _counted_afresh(p)
        assert _kept(p)[1] == len(FIRST)
        import_transcripts(p, [_source(tmp_path, "b.jsonl", SECOND)], parallel=parallel)
        assert _kept(p) == _counted_afresh(p)
        assert _kept(p)[1] == len(FIRST) + len(SECOND)
        last = p.execute("SELECT max(rowid) FROM segments").fetchone()[0]
        assert term_counts.counts_state(p).upto == last
        kept = _raw_counts(p)
        corpus_counts(p)  # the engine's start: nothing left to count, nothing written
        assert _raw_counts(p) == kept


def test_an_import_refused_midway_leaves_the_counts_as_they_were(tmp_path: Path, parallel: bool) -> None:
    path = tmp_path / "p.db"
    create_project(path)
    with open_project(path) as p:
        import_transcripts(p, [_source(tmp_path, "a.jsonl", FIRST)], parallel=parallel)
        before = _raw_counts(p)
        broken = _source(tmp_path, "b.jsonl", SECOND, bad_line="{not json\n")
        with pytest.raises(ImportFormatError):
            import_transcripts(p, [broken], parallel=parallel)
        assert _raw_counts(p) == before
        assert _kept(p) == _counted_afresh(p)


def test_a_refused_first_import_leaves_the_new_project_uncounted(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    create_project(path)
    with open_project(path) as p:
        before = _raw_counts(p)
        with pytest.raises(ImportFormatError):
            import_transcripts(p, [_source(tmp_path, "a.jsonl", FIRST, bad_line="[]\n")])
        assert _raw_counts(p) == before


def test_a_replacing_import_leaves_the_counts_to_the_engine(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    create_project(path)
    changed = [(d, zh + "检查", en) for d, zh, en in FIRST[:3]]
    with open_project(path) as p:
        import_transcripts(p, [_source(tmp_path, "a.jsonl", FIRST)])
        assert _kept(p) == _counted_afresh(p)
        import_transcripts(p, [_source(tmp_path, "a.jsonl", changed)], replace=True)
        assert not term_counts.counts_state(p).valid
        kept = corpus_counts(p)
        assert ({lang: dict(c) for lang, c in kept.counts.items() if c}, kept.n_docs, kept.terms) \
            == _counted_afresh(p)
        import_transcripts(p, [_source(tmp_path, "b.jsonl", SECOND)])  # valid again: kept
        assert _kept(p) == _counted_afresh(p)


def test_counts_left_behind_are_left_to_the_engine(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    create_project(path)
    with open_project(path) as p:
        import_transcripts(p, [_source(tmp_path, "a.jsonl", FIRST)])
        with p.write() as conn:  # as after an import that did not keep them
            conn.execute("UPDATE term_counts_state SET counted_changes = NULL")
        before = _raw_counts(p)
        import_transcripts(p, [_source(tmp_path, "b.jsonl", SECOND)])
        assert _raw_counts(p) == before
        corpus_counts(p)
        assert _kept(p) == _counted_afresh(p)


def _exported(folder: Path, name: str, rows: list[tuple[str, str, str]]) -> tuple[Path, Path]:
    """A project of ``rows`` (one coder's work on it) exported as .qdpx and as JSONL."""
    from annotator.application.exporting import export_jsonl, export_qdpx
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import tag

    path = folder / f"{name}.db"
    create_project(path)
    with open_project(path) as p:
        import_transcripts(p, [_source(folder, f"{name}.jsonl", rows)])
        code = load_codebook(p).codes[0].id
        first = p.execute("SELECT id FROM segments ORDER BY rowid LIMIT 1").fetchone()[0]
        tag(p, load_codebook(p), "kim", first, [code])
        export_qdpx(p, folder / f"{name}.qdpx")
        export_jsonl(p, folder / f"{name}.export.jsonl")
    return folder / f"{name}.qdpx", folder / f"{name}.export.jsonl"


def test_qdpx_and_jsonl_imports_keep_the_counts_a_fresh_count_gives(tmp_path: Path) -> None:
    from annotator.application.importing import import_any

    qdpx, jsonl = _exported(tmp_path, "second", SECOND)
    into_new, into_existing, restored = (tmp_path / n for n in ("new.db", "existing.db", "restored.db"))
    import_any(into_new, [qdpx])
    create_project(into_existing)
    with open_project(into_existing) as p:
        import_transcripts(p, [_source(tmp_path, "a.jsonl", FIRST)])
    import_any(into_existing, [qdpx])
    import_any(restored, [jsonl])
    for path, segments in ((into_new, len(SECOND)), (into_existing, len(FIRST) + len(SECOND)),
                           (restored, len(SECOND))):
        with open_project(path) as p:
            assert _kept(p) == _counted_afresh(p)
            assert _kept(p)[1] == segments
            kept = _raw_counts(p)
            corpus_counts(p)  # the engine's start: nothing left to count, nothing written
            assert _raw_counts(p) == kept
