"""The engine learns from the codebook's coded examples (``examples:``) as from coded segments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.application.suggesting import suggester_for_project
from annotator.storage.db import open_project

CODEBOOK = """\
facets:
  - id: topic
    codes:
      - id: water
        label: {zh: 甲类, en: Kind one}
{water}
      - id: roads
        label: {zh: 乙类, en: Kind two}
{roads}
  - id: mood
    multiple: true
    codes:
      - {id: calm, label: {zh: 平静, en: Calm}}
      - {id: angry, label: {zh: 生气, en: Angry}}
"""
WATER = """\
        examples:
          - zh: 水管又爆了，楼道里全是水。
            en: The water pipe burst again and the stairwell is flooded.
            also: [angry]
          - zh: 下雨天地下室进水，水泵抽了一夜。
            en: On rainy days the basement floods and the pump ran all night."""
ROADS = """\
        examples:
          - zh: 路面坑坑洼洼，电动车摔了好几次。
            en: The road surface is full of potholes and e-bikes have fallen several times.
          - zh: 修路的围挡占了半条街。
            en: The road works barrier takes half the street."""
SEGMENTS = [("楼上的水管漏水，地下室又进水了。", "The pipe upstairs leaks and the basement floods again."),
            ("小区门口的路面全是坑，电动车过不去。", "The road at the gate is all potholes; e-bikes cannot pass.")]


def _codebook(water: str, roads: str) -> str:
    return CODEBOOK.replace("{water}\n", water + "\n" if water else "").replace(
        "{roads}\n", roads + "\n" if roads else "")


def _project(tmp_path: Path, examples: bool) -> tuple[Path, list[str]]:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts

    codebook = tmp_path / "cb.yaml"
    codebook.write_text(_codebook(WATER if examples else "", ROADS if examples else ""), encoding="utf-8")
    source = tmp_path / "t.jsonl"
    source.write_text("".join(json.dumps({"document": "T", "zh": zh, "en": en}, ensure_ascii=False) + "\n"
                              for zh, en in SEGMENTS), encoding="utf-8")
    path = tmp_path / "p.db"
    create_project(path, codebook)
    with open_project(path) as project:
        import_transcripts(project, [source])
        ids = [r[0] for r in project.execute("SELECT id FROM segments ORDER BY position")]
    return path, ids


def _top(path: Path, segment: str) -> tuple[str, float] | None:
    with open_project(path) as project:
        engine = suggester_for_project(project, coder="ana")
    try:
        best = next((c for c in engine.suggest(segment, top=10).codes if c.facet == "topic"), None)
        return None if best is None else (best.code, best.score)
    finally:
        engine.close()


@pytest.fixture(scope="module")
def with_examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    return _project(tmp_path_factory.mktemp("examples"), True)


def test_segments_like_a_codes_examples_get_that_code_before_anything_is_coded(
        with_examples: tuple[Path, list[str]]) -> None:
    path, ids = with_examples
    assert _top(path, ids[0]) == ("water", pytest.approx(0.75, abs=0.25))
    assert _top(path, ids[1]) == ("roads", pytest.approx(0.75, abs=0.25))


def test_without_examples_the_same_codebook_has_nothing_to_suggest(tmp_path: Path) -> None:
    path, ids = _project(tmp_path, False)
    assert _top(path, ids[0]) is None


def test_an_examples_also_codes_are_learned_and_it_is_not_counted_as_the_coders(
        with_examples: tuple[Path, list[str]]) -> None:
    path, _ = with_examples
    with open_project(path) as project:
        engine = suggester_for_project(project, coder="ana")
    try:
        assert engine.coded_examples == 4 and engine.examples == 0
        mood = engine.models["mood"]
        assert mood.code_examples[mood.index["angry"]] == 1.0
        assert mood.examples == 4  # a multi-choice facet learns from every example
    finally:
        engine.close()


def test_the_kept_engine_is_not_used_once_the_examples_change(tmp_path: Path) -> None:
    from annotator.application.suggesting import engine_is_kept
    from annotator.codebook import load_codebook
    from annotator.storage.codebook_store import save_codebook

    path, _ = _project(tmp_path, True)
    with open_project(path) as project:
        suggester_for_project(project, coder="ana").close()
        assert engine_is_kept(project, coder="ana")
        fewer = tmp_path / "fewer.yaml"
        fewer.write_text(_codebook(WATER, ""), encoding="utf-8")
        save_codebook(project, load_codebook(fewer))
        assert not engine_is_kept(project, coder="ana")
