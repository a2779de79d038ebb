"""The corpus counts kept in the project: counted once, then only the segments imported since;
counted again after segments are deleted; always what counting every segment gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.application.corpus_counts import corpus_counts
from annotator.nlp.keywords import CorpusCounter
from annotator.storage import term_counts
from annotator.storage.db import open_project
from annotator.storage.training import segment_term_chunks

ROWS = [
    ("D1", "社区干部说台账太多。", "Cadres say the ledgers are too many."),
    ("D1", "社区干部每周参加培训。", "Cadres attend training every week."),
    ("D2", "网格员上报问题很快。", "Grid workers report problems quickly."),
]
MORE = [
    ("D3", "居民反映台账检查太多。", "Residents say ledger inspections are too many."),
    ("D3", "网格员每周上报。", "Grid workers report every week."),
]


def _source(folder: Path, name: str, rows: list[tuple[str, str, str]]) -> Path:
    source = folder / name
    source.write_text("".join(
        json.dumps({"document": d, "zh": zh, "en": en, "speaker": "A"}, ensure_ascii=False) + "\n"
        for d, zh, en in rows), encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts

    folder = tmp_path_factory.mktemp("counts")
    path = folder / "counts.db"
    create_project(path)
    with open_project(path) as p:
        import_transcripts(p, [_source(folder, "a.jsonl", ROWS)])
    _source(folder, "b.jsonl", MORE)
    return path


@pytest.fixture()
def path(master: Path, tmp_path: Path) -> Path:
    shutil.copyfile(master, tmp_path / "counts.db")
    shutil.copyfile(master.parent / "b.jsonl", tmp_path / "b.jsonl")
    return tmp_path / "counts.db"


def _counted_afresh(p: object) -> tuple[dict[str, dict[str, int]], int, int]:
    counter = CorpusCounter()
    for rows in segment_term_chunks(p):  # type: ignore[arg-type]
        counter.add([r[1] for r in rows], [r[2] for r in rows])
    return _plain(counter)


def _plain(counter: CorpusCounter) -> tuple[dict[str, dict[str, int]], int, int]:
    return ({lang: dict(c) for lang, c in counter.counts.items() if c}, counter.n_docs, counter.terms)


def _forget_counts(p: object) -> None:
    """As a project imported before the import kept the counts: none valid."""
    with p.write() as conn:  # type: ignore[attr-defined]
        conn.execute("UPDATE term_counts_state SET counted_changes = NULL")


def test_counts_are_kept_and_equal_a_full_count(path: Path) -> None:
    with open_project(path) as p:
        _forget_counts(p)
        assert not term_counts.counts_state(p).valid  # nothing counted yet
        first = _plain(corpus_counts(p))
        assert first == _counted_afresh(p)
        state = term_counts.counts_state(p)
        assert state.valid and state.n_docs == len(ROWS)
        stored = {lang: dict(rows) for lang, rows in term_counts.stored_counts(p).items()}
        assert {k: v for k, v in stored.items() if v} == first[0]
        assert _plain(corpus_counts(p)) == first  # read back, the same


def test_an_import_adds_only_the_new_segments(path: Path) -> None:
    from annotator.application.transcripts import import_transcripts

    with open_project(path) as p:
        _forget_counts(p)  # counted up to the second segment only: the import leaves them
        last, rows = next(term_counts.terms_after(p, 0, chunk=2))
        counter = CorpusCounter()
        counter.add([r[0] for r in rows], [r[1] for r in rows])
        term_counts.keep_counts(p, term_counts.counts_state(p), counter.counts, upto=last,
                                n_docs=counter.n_docs, terms=counter.terms)
        before = term_counts.counts_state(p)
        assert before.valid and before.pending == 1
        import_transcripts(p, [path.parent / "b.jsonl"])
        assert term_counts.counts_state(p).upto == before.upto  # still valid, up to the old rows
        assert term_counts.counts_state(p).valid
        assert _plain(corpus_counts(p)) == _counted_afresh(p)
        assert term_counts.counts_state(p).n_docs == len(ROWS) + len(MORE)


def test_deleting_a_segment_makes_them_count_again(path: Path) -> None:
    with open_project(path) as p:
        corpus_counts(p)
        with p.write() as conn:
            seg = conn.execute("SELECT id FROM segments WHERE document = 'D2'").fetchone()[0]
            conn.execute("DELETE FROM segments WHERE id = ?", (seg,))
        assert not term_counts.counts_state(p).valid
        assert _plain(corpus_counts(p)) == _counted_afresh(p)
        assert term_counts.counts_state(p).valid


def test_changed_terms_make_them_count_again(path: Path) -> None:
    with open_project(path) as p:
        corpus_counts(p)
        with p.write() as conn:
            conn.execute("UPDATE segments SET zh_terms = '社区 社区 新词' WHERE document = 'D2'")
        assert not term_counts.counts_state(p).valid
        counts = corpus_counts(p)
        assert counts.counts["zh"]["新词"] == 1
        assert _plain(counts) == _counted_afresh(p)


def test_a_project_that_refuses_writes_is_counted_without_writing(path: Path) -> None:
    with open_project(path) as p:
        _forget_counts(p)
        p.read_only = "the file is not writable"  # as open_project marks such a file
        assert _plain(corpus_counts(p)) == _counted_afresh(p)
        assert not term_counts.counts_state(p).valid
