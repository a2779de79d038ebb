"""A code's coded examples (``examples:``): parsed, validated with file:line, stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.codebook import bundled_codebook_path, load_codebook, parse_codebook
from annotator.codebook_examples import coded_examples
from annotator.model import Bilingual

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
        examples:
          - 没有执法权，却要我们去查食品安全。
          - zh: 表格一个月要填三遍。
            en: The same form is filled in three times a month.
            also: [g, y]
      - id: y
        label: Y
        examples: ["The same form is filled in three times a month."]
"""


def test_examples_are_read_with_every_code_they_hold() -> None:
    codebook, problems = parse_codebook(BASE)
    assert problems == [] and codebook is not None
    found = {e.text: e.codes for e in coded_examples(codebook)}
    assert found == {
        Bilingual(zh="没有执法权，却要我们去查食品安全。"): {"x"},
        Bilingual(zh="表格一个月要填三遍。", en="The same form is filled in three times a month."): {"x", "g", "y"},
        Bilingual(en="The same form is filled in three times a month."): {"y"},
    }


def test_the_same_text_under_two_codes_is_one_example_with_both() -> None:
    text = BASE.replace('examples: ["The same form is filled in three times a month."]',
                        "examples: [没有执法权，却要我们去查食品安全。]")
    codebook, _ = parse_codebook(text)
    assert codebook is not None
    found = {e.text: e.codes for e in coded_examples(codebook)}
    assert found[Bilingual(zh="没有执法权，却要我们去查食品安全。")] == {"x", "y"}
    assert len(found) == 2


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("also: [g, y]", "also: [g, zz]", 13, "names no code of the codebook: zz"),
        ("also: [g, y]", "also: [g, a]", 13, "holds a and g, two codes of the single-choice facet 'dim'"),
        ("also: [g, y]", "also: {g: 1}", 13, "also must be a list of code ids"),
        ("            also: [g, y]", "            see: [g]", 13, "unknown field 'see'"),
        ('examples: ["The same form', 'examples: "The same form', 18, "examples must be a list"),
    ],
)
def test_a_bad_example_names_its_line(tmp_path: Path, old: str, new: str, line: int, fragment: str) -> None:
    text = BASE.replace(old, new)
    if new.startswith('examples: "'):
        text = text.replace('month."]', 'month."')
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["codebook", "check", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}:" in result.output and fragment in result.output
    assert "Traceback" not in result.output


def test_examples_survive_the_project_file(tmp_path: Path) -> None:
    from annotator.application.projects import create_project
    from annotator.storage.codebook_store import load_codebook as stored
    from annotator.storage.db import open_project

    source = tmp_path / "cb.yaml"
    source.write_text(BASE, encoding="utf-8")
    path = tmp_path / "p.db"
    create_project(path, source)
    with open_project(path) as project:
        assert coded_examples(stored(project)) == coded_examples(load_codebook(source))


def test_bundled_codebook_examples_hold_one_dimension_and_their_burden_type() -> None:
    codebook = load_codebook(bundled_codebook_path())
    examples = coded_examples(codebook)
    assert len(examples) >= 300
    dims = {c.id for c in codebook.facet("dimension").codes}  # type: ignore[union-attr]
    for e in examples:
        assert e.text.zh and e.text.en
        assert len(e.codes & dims) == 1 and len(e.codes - dims) >= 1
