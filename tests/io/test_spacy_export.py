"""spaCy export: a DocBin with one coder's codes as doc.cats, and the same as JSONL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.application.exporting import export_spacy
from annotator.errors import UsageError
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from tests.interchange_fixtures import coded_project


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


def test_docbin_and_jsonl(base: Path, tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    with open_project(coded_project(base)) as p:
        st = export_spacy(p, tmp_path / "li.spacy", coder="li")
        n, jsonl = st.docs, st.jsonl
        with pytest.raises(UsageError, match="--coder"):
            export_spacy(p, tmp_path / "x.spacy")
    assert n == 4 and jsonl == tmp_path / "li.spacy.jsonl"
    docs = list(DocBin().from_disk(tmp_path / "li.spacy").get_docs(spacy.blank("zh").vocab))
    by_seg = {d.user_data["segment"]: d for d in docs}
    d2 = by_seg["astral-002"]
    assert d2.text.startswith("压力很大，𠀀")
    assert {c for c, v in d2.cats.items() if v == 1.0} == {
        "goal_attainment", "inspection_pressure", "rights_mismatch"}
    assert len(d2.cats) == 13 and len(d2) > 5  # jieba made words, not one token
    assert sum(by_seg["astral-003"].cats.values()) == 0.0  # done with no code: all 0.0
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [r["meta"]["segment"] for r in records] == [d.user_data["segment"] for d in docs]
    assert next(r for r in records if r["meta"]["segment"] == "astral-002")["cats"] == d2.cats


def test_english(base: Path, tmp_path: Path) -> None:
    with open_project(coded_project(base)) as p:
        st = export_spacy(p, tmp_path / "paper.spacy", coder="paper", lang="en")
        n, jsonl = st.docs, st.jsonl
    first = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])
    assert n == 12 and first["text"].startswith("I stay up late")


def test_jsonl_beside_the_docbin_never_replaces_a_project_export(base: Path, tmp_path: Path) -> None:
    """``-o study.spacy`` used to write ``study.jsonl``, silently replacing a full project export of
    that name; ``-o study.jsonl`` wrote the JSONL and then the DocBin over it."""
    export = tmp_path / "study.jsonl"
    export.write_text('{"annotator-export": 1}\n', encoding="utf-8")
    with open_project(coded_project(base)) as p:
        jsonl = export_spacy(p, tmp_path / "study.spacy", coder="li").jsonl
        jsonl2 = export_spacy(p, tmp_path / "study.jsonl", coder="li").jsonl
    assert jsonl == tmp_path / "study.spacy.jsonl"
    assert jsonl2 == tmp_path / "study.jsonl.jsonl"
    assert json.loads(jsonl2.read_text(encoding="utf-8").splitlines()[0])["meta"]["coder"] == "li"
    assert (tmp_path / "study.jsonl").read_bytes()[:4] != b'{"an'  # the DocBin itself, as asked


def test_exclusive_facet_gives_one_hot_cats_in_both_languages(base: Path, tmp_path: Path) -> None:
    with open_project(coded_project(base)) as p:
        facet = next(f for f in load_codebook(p).facets if not f.multiple)
        st = export_spacy(p, tmp_path / "d.spacy", coder="paper", lang="both", facet=facet.id)
    assert st.component == "textcat"
    records = [json.loads(line) for line in st.jsonl.read_text(encoding="utf-8").splitlines()]
    assert records and all(sum(r["cats"].values()) == 1.0 for r in records)
    assert all(set(r["cats"]) == {c.id for c in facet.codes} for r in records)
    langs = {r["meta"]["lang"] for r in records}
    assert langs == {"zh", "en"}
    per_segment = {r["meta"]["segment"] for r in records}
    assert len(records) > len(per_segment)  # the same segment once per language


def test_multi_choice_facet_for_textcat_multilabel(base: Path, tmp_path: Path) -> None:
    with open_project(coded_project(base)) as p:
        facet = next(f for f in load_codebook(p).facets if f.multiple)
        st = export_spacy(p, tmp_path / "m.spacy", coder="li", facet=facet.id)
        with pytest.raises(UsageError, match="no facet"):
            export_spacy(p, tmp_path / "x.spacy", coder="li", facet="nope")
    assert st.component == "textcat_multilabel" and st.unlabelled == 0
    records = [json.loads(line) for line in st.jsonl.read_text(encoding="utf-8").splitlines()]
    assert all(set(r["cats"]) == {c.id for c in facet.codes} for r in records)
    assert any(sum(r["cats"].values()) > 1 for r in records)
