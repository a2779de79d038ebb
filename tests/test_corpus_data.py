"""The bundled data: codebook.yaml and the X community demo corpus, checked on the real files."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from annotator.model import RESERVED_KEYS

REPO = Path(__file__).resolve().parents[1]
CODEBOOK = REPO / "codebook.yaml"
CORPUS = REPO / "corpora" / "x-community"
PAPER_DIR = Path(__file__).resolve().parents[2] / "shared/domain"

REQUIRED_BURDENS = {
    "rights_mismatch",
    "unfixed_matters",
    "activity_intensity",
    "smart_governance",
    "trace_formalism",
    "inspection_pressure",
    "staffing_mismatch",
    "incentive_deficit",
    "feedback_gap",
}
DIMENSIONS = {"adaptation", "goal_attainment", "integration", "latency"}
BILINGUAL_FIELDS = ("label", "definition", "when_to_use", "when_not_to_use")
COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
DOC_ID = re.compile(r"^([A-Z])(\d{4})(\d{2})(\d{2})$")
CJK = re.compile(r"[\u4e00-\u9fff]")
FULLWIDTH_COLON = "\uff1a"  # the Chinese speaker prefix uses U+FF1A, not ":"


def _codebook() -> dict[str, Any]:
    data = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _codes(data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for facet in data["facets"]:
        for code in facet["codes"]:
            yield facet, code


def _facet_ids(data: dict[str, Any], facet_id: str) -> set[str]:
    (facet,) = [f for f in data["facets"] if f["id"] == facet_id]
    return {c["id"] for c in facet["codes"]}


def _rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _turns(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").strip()
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def _documents() -> list[dict[str, str]]:
    return _rows("documents.csv")


def _strip_prefix(turn: str, letter: str, sep: str) -> str:
    assert turn.startswith(letter + sep), turn[:20]
    return turn[len(letter + sep) :]


def test_codebook_facets() -> None:
    data = _codebook()
    facets = {f["id"]: f for f in data["facets"]}
    assert set(facets) == {"dimension", "burden"}
    assert facets["dimension"]["multiple"] is False
    assert facets["burden"]["multiple"] is True
    assert _facet_ids(data, "dimension") == DIMENSIONS
    assert REQUIRED_BURDENS <= _facet_ids(data, "burden")
    for facet in data["facets"]:
        assert facet["label"]["zh"] and facet["label"]["en"]


def test_codebook_ids_and_keys() -> None:
    data = _codebook()
    ids = [c["id"] for _, c in _codes(data)]
    keys = [c["key"] for _, c in _codes(data)]
    assert len(ids) == len(set(ids))
    assert all(isinstance(k, str) and len(k) == 1 for k in keys), keys
    assert len(keys) == len(set(keys))
    assert not set(keys) & RESERVED_KEYS
    assert {c["key"] for f, c in _codes(data) if f["id"] == "dimension"} == {"1", "2", "3", "4"}


def test_codebook_code_content() -> None:
    data = _codebook()
    colors = []
    for _, code in _codes(data):
        for field in BILINGUAL_FIELDS:
            for lang in ("zh", "en"):
                value = code[field][lang]
                assert isinstance(value, str) and value.strip(), (code["id"], field, lang)
            assert CJK.search(code[field]["zh"]), (code["id"], field)
        kw = code["keywords"]
        assert kw["zh"] and kw["en"], code["id"]
        assert all(isinstance(k, str) and CJK.search(k) for k in kw["zh"]), code["id"]
        assert all(isinstance(k, str) and k == k.lower() and k.strip() for k in kw["en"])
        assert len(set(kw["zh"])) == len(kw["zh"]) and len(set(kw["en"])) == len(kw["en"])
        assert isinstance(code["color"], str) and COLOR.match(code["color"]), code["id"]
        colors.append(code["color"].upper())
    assert len(colors) == len(set(colors))


def test_documents_have_parallel_files() -> None:
    docs = _documents()
    assert docs and list(docs[0]) == ["id", "title", "respondent", "date", "role", "place"]
    assert len({d["id"] for d in docs}) == len(docs)
    for doc in docs:
        match = DOC_ID.match(doc["id"])
        assert match, doc["id"]
        letter, y, m, d = match.groups()
        assert doc["respondent"] == letter
        assert date.fromisoformat(doc["date"]) == date(int(y), int(m), int(d))
        assert "Yibin" in doc["place"]
        en = _turns(CORPUS / f"{doc['id']}.en.txt")
        zh = _turns(CORPUS / f"{doc['id']}.zh.txt")
        assert en and len(en) == len(zh), doc["id"]
        for en_turn, zh_turn in zip(en, zh, strict=True):
            assert _strip_prefix(en_turn, letter, ": ").strip()
            body = _strip_prefix(zh_turn, letter, FULLWIDTH_COLON)
            assert CJK.search(body), zh_turn[:20]


def test_paper_codes_reference_corpus_and_codebook() -> None:
    data = _codebook()
    dimensions = _facet_ids(data, "dimension")
    burdens = _facet_ids(data, "burden")
    turns = {d["id"]: len(_turns(CORPUS / f"{d['id']}.en.txt")) for d in _documents()}
    rows = _rows("paper.csv")
    assert rows and list(rows[0]) == ["document", "position", "section", "dimension", "burden"]
    seen = set()
    for row in rows:
        assert row["document"] in turns, row
        position = int(row["position"])
        assert 1 <= position <= turns[row["document"]], row
        assert re.fullmatch(r"\d+(\.\d+)+", row["section"]), row
        assert row["dimension"] in dimensions, row  # exactly one dimension id
        codes = row["burden"].split(";")
        assert codes and set(codes) <= burdens and len(set(codes)) == len(codes), row
        seen.add((row["document"], position))
    assert len(seen) == len(rows)
    assert seen == {(doc, n) for doc, count in turns.items() for n in range(1, count + 1)}


def test_english_turns_are_verbatim_quotes_in_paper_order() -> None:
    if not PAPER_DIR.is_dir():
        pytest.skip(f"paper folder absent: {PAPER_DIR}")
    papers = sorted(PAPER_DIR.glob("*.txt"))
    if not papers:
        pytest.skip(f"no paper text in {PAPER_DIR}")
    paper = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in papers)
    for doc in _documents():
        letter = doc["id"][0]
        last = -1
        for turn in _turns(CORPUS / f"{doc['id']}.en.txt"):
            quote = " ".join(_strip_prefix(turn, letter, ": ").split())
            found = paper.find(quote, last + 1)
            assert found >= 0, f"{doc['id']}: not verbatim in paper: {quote[:60]}"
            assert doc["id"] in paper[found + len(quote) : found + len(quote) + 60]
            last = found


def test_readme_states_provenance() -> None:
    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert "Lichen Yang" in text
    assert "not" in text and "original interview wording" in text
    assert "5,238" in text
