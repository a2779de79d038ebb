"""The SQL comparison behind ``merge`` (both files read by SQLite at once) finds exactly what a
walk of both files' work side by side finds: differing codes, done marks and memos, a memo
emptied, work the source cleared (known from its event log), work only the target has."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.model import CoderState
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import set_memo, set_state, tag
from annotator.storage.db import open_project
from annotator.storage.merge import MergeReport, _changed, _changed_in_sql, _differing_documents
from annotator.storage.merge_diff import differing_documents, source_reader
from tests.interchange_fixtures import coded_project


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


@pytest.fixture
def pair(base: Path, tmp_path: Path) -> tuple[Path, Path]:
    lead, copy = tmp_path / "lead.db", tmp_path / "copy.db"
    shutil.copy(coded_project(base), lead)
    shutil.copy(lead, copy)
    with open_project(copy) as p:
        cb = load_codebook(p)
        tag(p, cb, "wang", "B20230512-001", ["latency", "feedback_gap"])  # new work
        set_memo(p, "wang", "astral-001", "@lead see this")  # a memo only
        set_state(p, "wang", "astral-002", CoderState(frozenset(), True, ""))  # done, no code
        set_state(p, "wang", "astral-002", CoderState())  # ... and cleared again: only the log knows
        set_memo(p, "zhao", "C20230623-001", "")  # an empty memo equals none
    with open_project(lead) as p:
        cb = load_codebook(p)
        tag(p, cb, "wang", "astral-002", ["integration"])  # the copy's log knows this key
        tag(p, cb, "li", "astral-003", ["latency"])  # only the target has it
    return lead, copy


def test_sql_and_streamed_comparisons_agree(pair: tuple[Path, Path]) -> None:
    lead, copy = pair
    with open_project(lead) as target, open_project(copy) as src, target.write():
        coders = [r[0] for r in src.execute("SELECT name FROM coders ORDER BY name")]
        walked, in_sql = MergeReport(), MergeReport()
        streamed = _changed(target, src, coders, "copy", walked)
        found = _changed_in_sql(target, copy, coders, "copy", in_sql, set())
        assert found == streamed
        assert in_sql.unchanged == walked.unchanged
        assert {key for key, _t, _s in found} >= {("wang", "B20230512-001"), ("wang", "astral-001"),
                                                 ("wang", "astral-002")}


def test_sql_sees_what_this_merge_already_wrote(pair: tuple[Path, Path]) -> None:
    lead, copy = pair
    with open_project(lead) as target, open_project(copy) as src, target.write():
        coders = [r[0] for r in src.execute("SELECT name FROM coders ORDER BY name")]
        key = src.execute("SELECT coder, segment FROM annotations WHERE coder != 'wang'"
                          " ORDER BY 1, 2 LIMIT 1").fetchone()
        # an earlier source of the same merge changed work both files agreed on (uncommitted)
        set_state(target, key[0], key[1], CoderState(frozenset(), True, "changed"))
        walked, in_sql = MergeReport(), MergeReport()
        streamed = _changed(target, src, coders, "copy", walked)
        assert (tuple(key), ) == tuple(k for k, t, _s in streamed if t.memo == "changed")
        assert _changed_in_sql(target, copy, coders, "copy", in_sql, {tuple(key)}) == streamed
        assert in_sql.unchanged == walked.unchanged


def test_documents_that_differ_are_found_as_by_a_walk(pair: tuple[Path, Path]) -> None:
    lead, copy = pair
    with open_project(copy) as p, p.write() as conn:
        conn.execute("UPDATE segments SET en = en || '!' WHERE id = 'C20230623-001'")
        conn.execute("UPDATE segments SET position = position + 100 WHERE document = 'astral'")
        conn.execute("INSERT INTO documents (id, position) VALUES ('extra', 99)")
        conn.execute("INSERT INTO segments (id, document, position, zh) VALUES ('extra-001', 'extra', 1, '新')")
    with open_project(lead) as p, p.write() as conn:  # the target has one segment more
        conn.execute("INSERT INTO segments (id, document, position, zh) VALUES"
                     " ('B20230512-999', 'B20230512', 999, '多')")
    with open_project(lead) as target, open_project(copy) as src:
        with source_reader(target, copy) as reader:
            found = differing_documents(reader)
        assert found == _differing_documents(target, src)
        assert ("C20230623", True) in found and ("extra", False) in found
        assert ("B20230512", True) in found
        assert "astral" not in {doc for doc, _there in found}  # moved together: same order
