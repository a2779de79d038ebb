"""The reads the suggestion engine and the coding screen get from storage: annotations and
terms streamed, snippets, the segments a code is on, and a read-only segment reader."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.errors import ProjectError
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from annotator.storage.documents import segment_order
from annotator.storage.segment_reader import SegmentReader
from annotator.storage.snippets import segment_snippets
from annotator.storage.training import (
    annotation_columns,
    annotation_rows,
    code_ids,
    coded_term_chunks,
    segment_term_chunks,
    segments_with_code,
    term_columns,
)

ROWS = [
    ("D1", "社区干部说台账太多。", "Cadres say the ledgers are too many."),
    ("D1", "社区干部每周参加培训。", "Cadres attend training every week."),
    ("D2", "网格员上报问题很快。", "Grid workers report problems quickly."),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[str]]:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts

    folder = tmp_path_factory.mktemp("reads")
    source = folder / "t.jsonl"
    source.write_text("".join(
        json.dumps({"document": d, "zh": zh, "en": en, "speaker": "A"}, ensure_ascii=False) + "\n"
        for d, zh, en in ROWS), encoding="utf-8")
    path = folder / "reads.db"
    create_project(path)
    with open_project(path) as p:
        import_transcripts(p, [source])
        ids = [seg for seg, _doc in segment_order(p)]
        codebook = load_codebook(p)
        codes = [codebook.facets[0].codes[0].id, codebook.facets[1].codes[0].id]
        tag(p, codebook, "ann", ids[0], [codes[0]])
        tag(p, codebook, "bob", ids[1], [codes[0], codes[1]])
    return path, ids, codes


def test_annotations_stream_for_everyone_or_one_coder(project: tuple[Path, list[str], list[str]]) -> None:
    path, ids, codes = project
    with open_project(path) as p:
        everyone = sorted(annotation_rows(p))
        ann = sorted(annotation_rows(p, "ann"))
    assert everyone == sorted([("ann", ids[0], codes[0]), ("bob", ids[1], codes[0]),
                               ("bob", ids[1], codes[1])])
    assert ann == [("ann", ids[0], codes[0])]


def test_terms_stream_in_chunks_and_by_document(project: tuple[Path, list[str], list[str]]) -> None:
    path, ids, _codes = project
    with open_project(path) as p:
        chunks = list(segment_term_chunks(p, chunk=2))
        docs = [len(zh) for zh, _en in term_columns(p, "D1")], [len(zh) for zh, _en in term_columns(p, chunk=2)]
    assert [len(c) for c in chunks] == [2, 1]
    assert [r[0] for c in chunks for r in c] == ids
    assert all(r[1] and "台账" in r[1].split(" ") for r in chunks[0][:1])
    assert docs == ([2], [2, 1])


def test_segments_with_a_code_by_anyone_or_one_coder(project: tuple[Path, list[str], list[str]]) -> None:
    path, ids, codes = project
    with open_project(path) as p:
        assert sorted(segments_with_code(p, codes[0])) == ids[:2]
        assert segments_with_code(p, codes[0], "ann") == [ids[0]]
        assert segments_with_code(p, codes[1], "ann") == []


def test_snippets_start_each_text(project: tuple[Path, list[str], list[str]]) -> None:
    path, ids, _codes = project
    with open_project(path) as p:
        got = {s[0]: s[1:] for s in segment_snippets(p, [ids[2], "nope"])}
        assert segment_snippets(p, []) == []
    assert got == {ids[2]: ("A", ROWS[2][1], ROWS[2][2])}


def test_segment_reader_reads_never_writes_and_closes(project: tuple[Path, list[str], list[str]]) -> None:
    path, ids, _codes = project
    reader = SegmentReader(path)
    row = reader.row(ids[0])
    assert row is not None and row[0] == ROWS[0][1] and row[2] and "台账" in row[2]
    assert reader.row("nope") is None
    assert reader.ids() == ids
    with pytest.raises(sqlite3.OperationalError), reader._lock:  # opened read-only
        assert reader._conn is not None
        reader._conn.execute("DELETE FROM segments")
    reader.close()
    with pytest.raises(ProjectError, match="closed"):
        reader.row(ids[0])


def test_annotations_come_a_coder_at_a_time_by_segment_even_with_separators_in_ids(tmp_path: Path) -> None:
    from annotator.application.projects import create_project

    path = tmp_path / "ids.db"
    create_project(path)
    raw = sqlite3.connect(path)  # ids no import makes, written as they stand
    codes = [r[0] for r in raw.execute("SELECT id FROM codes ORDER BY rowid")]
    first, second = codes[0], codes[1]
    raw.executemany("INSERT INTO annotations (coder, segment, code, created_at) VALUES (?, ?, ?, '')", [
        ("bob", "s2", first), ("bob", "s1", second), ("bob", "s1", first), ("ann", "s3", first),
        ("cy", "a\x1eb", first), ("cy", "a", second)])
    raw.commit()
    raw.close()
    with open_project(path) as p:
        assert code_ids(p) == codes
        got = [(c, s.tolist(), n.tolist()) for c, s, n in annotation_columns(p, [second, first])]
        bob = [(c, s.tolist(), n.tolist()) for c, s, n in annotation_columns(p, [first], "bob")]
    pairs = [(c, s, sorted(zip(s, n, strict=True))) for c, s, n in got]  # within a segment, any order
    assert pairs == [
        ("ann", ["s3"], [("s3", 1)]), ("bob", ["s1", "s1", "s2"], [("s1", 0), ("s1", 1), ("s2", 1)]),
        ("cy", ["a", "a\x1eb"], [("a", 0), ("a\x1eb", 1)])]
    assert bob[0][0] == "bob" and bob[0][1] == ["s1", "s1", "s2"]
    assert sorted(zip(bob[0][1], bob[0][2], strict=True)) == [("s1", 0), ("s1", 1), ("s2", 0)]  # 1: not listed


def test_coded_segments_terms_are_those_of_each_coded_segment_once(
        project: tuple[Path, list[str], list[str]]) -> None:
    path, ids, _codes = project
    with open_project(path) as p:
        everyone = sorted(r[0] for c in coded_term_chunks(p, chunk=1) for r in c)
        bob = [r[0] for c in coded_term_chunks(p, "bob") for r in c]
        terms = {r[0]: r[1] for c in segment_term_chunks(p) for r in c}
        coded = {r[0]: r[1] for c in coded_term_chunks(p) for r in c}
    assert everyone == sorted(ids[:2]) and bob == [ids[1]]
    assert coded == {seg: terms[seg] for seg in ids[:2]}
