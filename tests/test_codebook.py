"""The codebook loader and `annotator codebook check`: every problem with file, line and code."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.codebook import bundled_codebook_path, check_codebook, load_codebook
from annotator.errors import CodebookError

runner = CliRunner()

MINIMAL = """\
facets:
  - id: theme
    codes:
      - id: trust
        label: {en: Trust}
      - id: fear
        label: {zh: 恐惧}
"""


def write(tmp_path: Path, text: str, name: str = "cb.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_codebook_is_valid() -> None:
    codebook = load_codebook(bundled_codebook_path())
    dims = codebook.facet("dimension")
    burden = codebook.facet("burden")
    assert dims is not None and not dims.multiple
    assert [c.id for c in dims.codes] == ["adaptation", "goal_attainment", "integration", "latency"]
    assert burden is not None and burden.multiple
    assert {"rights_mismatch", "trace_formalism", "feedback_gap"} <= {c.id for c in burden.codes}


def test_minimal_codebook_needs_only_ids_and_labels(tmp_path: Path) -> None:
    codebook = load_codebook(write(tmp_path, MINIMAL))
    theme = codebook.facet("theme")
    assert theme is not None and theme.multiple is False
    assert codebook.code("fear") is not None
    assert codebook.code("fear").label.get("en") == "恐惧"  # falls back to the other language
    assert codebook.code("trust").key is None


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("facets:\n  - id: a\n    codes:\n      - id: x\n        label: {en: X}\n        colour: red\n", 6, "unknown field 'colour'"),
        ("facets:\n  - id: a\n    codes:\n      - id: x\n        label: {en: X}\n      - id: x\n        label: {en: Y}\n", 6, "duplicate code id"),
        ("facets:\n  - id: a\n    codes:\n      - id: x\n        key: j\n        label: {en: X}\n", 5, "reserved by the coding screen"),
        ("facets:\n  - id: a\n    codes:\n      - id: x\n        key: '1'\n        label: {en: X}\n      - id: y\n        key: '1'\n        label: {en: Y}\n", 8, "already used by code x"),
        ("facets:\n  - id: a\n    codes:\n      - id: x\n        key: '1'\n", 4, "missing label"),
        ("facets:\n  - id: a\n    codes:\n      - id: x\n        label: {en: X}\n        color: blue\n", 6, "#RRGGBB"),
        ("facets:\n  - id: a\n    multiple: maybe\n    codes:\n      - id: x\n        label: {en: X}\n", 3, "true or false"),
        ("facets:\n  - id: a\n    codes:\n      - id: x\n        label: {en: X}\n        label: {en: Y}\n", 6, "duplicate key 'label'"),
        ("facets: [\n", 2, "not valid YAML"),
        ("facets:\n  - id: a\n    codes:\n      - !!python/object/apply:os.system ['echo hi']\n", 4, "not allowed"),
    ],
)
def test_problems_name_line_and_reason(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text)
    _codebook, problems = check_codebook(path)
    assert problems, "expected a problem"
    assert any(p.line == line and fragment in p.message for p in problems), problems
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert str(info.value).startswith(f"{path}:")


def test_problem_names_the_code(tmp_path: Path) -> None:
    path = write(tmp_path, "facets:\n  - id: a\n    codes:\n      - id: xcode\n        key: q\n        label: {en: X}\n")
    _cb, problems = check_codebook(path)
    assert problems[0].code == "xcode"
    assert "xcode" in problems[0].format(str(path))


@pytest.mark.slow  # YAML nested 5,000 deep
def test_deeply_nested_yaml_is_a_clean_error(tmp_path: Path) -> None:
    path = write(tmp_path, "facets: " + "[" * 5000 + "]" * 5000 + "\n")
    _cb, problems = check_codebook(path)
    assert problems and "nested too deeply" in problems[0].message


def test_cli_check_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "facets:\n  - id: a\n    codes:\n      - id: x\n        key: j\n        label: {en: X}\n"
        "      - id: x\n        label: {en: Y}\n        extra: 1\n",
    )
    result = runner.invoke(app, ["codebook", "check", str(path)])
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 3
    assert all(f"{path}:" in ln for ln in lines)
    assert "Traceback" not in result.output


def test_cli_check_ok(tmp_path: Path) -> None:
    result = runner.invoke(app, ["codebook", "check", str(write(tmp_path, MINIMAL))])
    assert result.exit_code == 0
    assert "ok" in result.stdout


def test_cli_check_missing_and_binary_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["codebook", "check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "no such file" in result.stderr
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"facets:\x00\x01")
    result = runner.invoke(app, ["codebook", "check", str(binary)])
    assert result.exit_code == 1 and "NUL" in result.stderr
