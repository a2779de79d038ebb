"""Messages with a count of one read '1 segment', not '1 segments'."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()
ONE_CODE = "facets:\n  - id: theme\n    codes:\n      - id: trust\n        label: {en: Trust}\n"


def test_import_of_one_segment(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("A：只有一句话。\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(tmp_path / "p.db"), str(tmp_path / "one.txt")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "imported 1 segment in 1 document (one)"


def test_codebook_check_and_init_with_one_facet_and_code(tmp_path: Path) -> None:
    (tmp_path / "cb.yaml").write_text(ONE_CODE, encoding="utf-8")
    result = runner.invoke(app, ["codebook", "check", str(tmp_path / "cb.yaml")])
    assert result.stdout.strip().endswith("ok (1 facet, 1 code)")
    result = runner.invoke(app, ["init", str(tmp_path / "p.db"), "-c", str(tmp_path / "cb.yaml")])
    assert result.stdout.strip().endswith("with 1 facet and 1 code")


def test_one_disagreement_and_one_exported_row(tmp_path: Path) -> None:
    (tmp_path / "cb.yaml").write_text(ONE_CODE.replace("    codes:", "    multiple: true\n    codes:"),
                                      encoding="utf-8")
    (tmp_path / "one.txt").write_text("A：只有一句话。\n", encoding="utf-8")
    db = str(tmp_path / "p.db")
    assert runner.invoke(app, ["init", db, "-c", str(tmp_path / "cb.yaml")]).exit_code == 0
    assert runner.invoke(app, ["import", db, str(tmp_path / "one.txt")]).exit_code == 0
    assert runner.invoke(app, ["tag", db, "one-001", "trust", "--coder", "li"]).exit_code == 0
    assert runner.invoke(app, ["tag", db, "one-001", "--none", "--coder", "wang"]).exit_code == 0
    result = runner.invoke(app, ["disagreements", db])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "1 disagreement"
    result = runner.invoke(app, ["export", db, "-f", "csv", "--coder", "li", "-o", str(tmp_path / "out.csv")])
    assert result.stdout.strip().endswith(": 1 row")
