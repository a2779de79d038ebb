"""`implies:` between codes of different facets: parsed, validated with file:line, stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.codebook import bundled_codebook_path, load_codebook, parse_codebook

runner = CliRunner()

BASE = """\
facets:
  - id: dim
    codes:
      - {id: a, label: A}
      - {id: g, label: G}
  - id: kind
    multiple: true
    codes:
      - id: x
        label: X
        implies: {dim: a}
      - id: y
        label: Y
"""


def test_implies_is_read_into_the_code() -> None:
    codebook, problems = parse_codebook(BASE)
    assert problems == [] and codebook is not None
    x = codebook.code("x")
    assert x is not None and x.implies == (("dim", "a"),)
    assert codebook.code("y").implies == ()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("implies", "fragment"),
    [
        ("{nope: a}", "no facet 'nope'"),
        ("{dim: zz}", "facet 'dim' has no code 'zz'"),
        ("{kind: y}", "of its own facet 'kind'"),
        ("[a]", "must be a mapping"),
        ("{dim: [a, g]}", "must name one code"),
    ],
)
def test_bad_implies_names_the_line_of_implies(tmp_path: Path, implies: str, fragment: str) -> None:
    text = BASE.replace("implies: {dim: a}", f"implies: {implies}")
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["codebook", "check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:11:" in result.output and fragment in result.output and "(code x)" in result.output
    assert "Traceback" not in result.output


def test_implications_in_a_circle_are_refused() -> None:
    text = BASE.replace("      - {id: g, label: G}", "      - {id: g, label: G, implies: {kind: y}}")
    text = text.replace("        label: Y\n", "        label: Y\n        implies: {dim: g}\n")
    _codebook, problems = parse_codebook(text)
    assert any("circle: g -> y -> g" in p.message for p in problems)


def test_a_chain_reaching_two_codes_of_a_single_choice_facet_is_refused() -> None:
    text = BASE + """\
  - id: third
    codes:
      - id: t
        label: T
        implies: {kind: x, dim: g}
"""
    _codebook, problems = parse_codebook(text)
    assert [p.code for p in problems] == ["t"]
    assert "implies both 'g' and 'a'" in problems[0].message or "'a' and 'g'" in problems[0].message


def test_bundled_codebook_places_every_burden_under_a_dimension() -> None:
    codebook = load_codebook(bundled_codebook_path())
    burden = codebook.facet("burden")
    assert burden is not None
    dims = {c.id for c in codebook.facet("dimension").codes}  # type: ignore[union-attr]
    placed = {c.id: dict(c.implies)["dimension"] for c in burden.codes}
    assert set(placed) == {c.id for c in burden.codes} and set(placed.values()) <= dims
    # the two placements the paper states in so many words (sections 3.1 and 3.2)
    assert placed["rights_mismatch"] == "adaptation"
    assert placed["unfixed_matters"] == "goal_attainment"


def test_implies_survives_the_project_file(tmp_path: Path) -> None:
    from annotator.application.projects import create_project
    from annotator.storage.codebook_store import load_codebook as load_stored
    from annotator.storage.db import open_project

    path = tmp_path / "p.db"
    create_project(path)
    with open_project(path) as project:
        stored = load_stored(project)
    assert stored.code("feedback_gap").implies == (("dimension", "latency"),)  # type: ignore[union-attr]
    assert "implies" not in stored.code("feedback_gap").extra  # type: ignore[union-attr]


def test_implies_survives_a_jsonl_export_and_restore(tmp_path: Path) -> None:
    from annotator.application.exporting import export_jsonl
    from annotator.application.importing import import_any
    from annotator.application.projects import create_project
    from annotator.storage.codebook_store import load_codebook as load_stored
    from annotator.storage.db import open_project

    src = tmp_path / "p.db"
    create_project(src)
    with open_project(src) as project:
        export_jsonl(project, tmp_path / "p.jsonl")
    import_any(tmp_path / "back.db", [tmp_path / "p.jsonl"])
    with open_project(tmp_path / "back.db") as project:
        back = load_stored(project)
    assert back.code("rights_mismatch").implies == (("dimension", "adaptation"),)  # type: ignore[union-attr]
