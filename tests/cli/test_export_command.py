"""`annotator export` as a researcher uses it: file modes on a shared drive, unknown coders,
column names, standard output, and what a .qdpx cannot carry.

Each test is a defect found by using the tool as its README describes, and failed before its fix.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from tests.cli.cli_helpers import ZH, run


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "qdpx", "qdc"])
def test_exports_are_readable_by_others_as_the_umask_allows(project: Path, fmt: str) -> None:
    """Exports were written 0600 (the temporary file's mode), so a colleague on a shared drive
    could not open them; now they get the mode any new file gets (or the replaced file's)."""
    old = os.umask(0o022)
    try:
        out = project.parent / f"out.{fmt}"
        code, text = run("export", project, "--format", fmt, "-o", out)
        assert code == 0, text
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o640)
        code, text = run("export", project, "--format", fmt, "-o", out)
        assert code == 0, text
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_jsonl_export_of_an_unknown_coder_is_refused(project: Path) -> None:
    """A mistyped --coder gave a JSONL export with nobody's work and exit 0 (csv, qdpx and spacy
    refuse it)."""
    out = project.parent / "li.jsonl"
    code, text = run("export", project, "--format", "jsonl", "-o", out, "--coder", "lii")
    assert code == 1 and "no coder 'lii' in the project (coders: li, wang)" in text
    assert not out.exists()
    code, text = run("export", project, "--format", "jsonl", "-o", out, "--coder", "li")
    assert code == 0 and text.rstrip().endswith(", 1 coder"), text


def test_csv_columns_of_facets_named_like_fixed_columns(tmp_path: Path) -> None:
    """A facet with the id 'coder' or 'memo' gave a CSV with two 'coder' (or 'memo') columns:
    Python's csv.DictReader then read the facet's codes as the coder's name."""
    import csv

    (tmp_path / "cb.yaml").write_text(
        "facets:\n  - id: coder\n    codes:\n      - id: a\n        label: {en: A}\n"
        "  - id: memo\n    multiple: true\n    codes:\n      - id: b\n        label: {en: B}\n",
        encoding="utf-8")
    (tmp_path / "int01.txt").write_text(ZH, encoding="utf-8")
    db = tmp_path / "study.db"
    assert run("init", db, "--codebook", tmp_path / "cb.yaml")[0] == 0
    assert run("import", db, tmp_path / "int01.txt")[0] == 0
    assert run("tag", db, "int01-001", "a", "b", "--coder", "li")[0] == 0
    out = tmp_path / "out.csv"
    assert run("export", db, "--format", "csv", "-o", out)[0] == 0
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        first = next(reader)
    assert len(header) == len(set(header))
    assert (first["coder"], first["facet_coder"], first["facet_memo"], first["memo"]) == (
        "li", "a", "b", "")


def test_output_dash_is_standard_output(project: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """'-o -' wrote a file named '-' in the current folder (and said "wrote -")."""
    import csv
    import io
    import json

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["export", str(project), "--format", "csv", "-o", "-"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6 and rows[0]["segment"] == "int01-001"
    assert "wrote" in result.stderr and "wrote" not in result.stdout
    result = CliRunner().invoke(app, ["export", str(project), "--format", "jsonl", "-o", "-"])
    assert result.exit_code == 0 and json.loads(result.stdout.splitlines()[0])
    result = CliRunner().invoke(app, ["export", str(project), "--format", "qdc", "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("<?xml")
    code, out = run("export", project, "--format", "qdpx", "-o", "-")
    assert code == 1 and "binary" in out
    result = CliRunner().invoke(app, ["agree", str(project), "--format", "json", "-o", "-"])
    assert result.exit_code == 0 and "facets" in json.loads(result.stdout)
    assert not (tmp_path / "-").exists()


def test_qdpx_export_says_where_done_no_code_marks_went(project: Path) -> None:
    """'done, no code applies' marks count as agreement units; REFI-QDA has no element for them,
    so the export says they travel in each coder's done-marks note."""
    assert run("tag", project, "int01-001", "--none", "--coder", "li")[0] == 0
    assert run("tag", project, "int01-001", "--none", "--coder", "wang")[0] == 0
    code, out = run("export", project, "--format", "qdpx", "-o", project.parent / "x.qdpx")
    assert code == 0, out
    assert "2 'done, no code applies' marks written as each coder's 'annotator done marks' note" in out


def test_spacy_export_per_facet_says_which_component_it_is_for(project: Path) -> None:
    out = project.parent / "d.spacy"
    code, text = run("export", project, "-f", "spacy", "--facet", "dimension", "--lang", "both",
                     "--coder", "wang", "-o", out)
    assert code == 0, text
    assert "cats for spaCy's textcat" in text and out.exists()
    code, text = run("export", project, "-f", "csv", "--facet", "dimension", "-o", project.parent / "x.csv")
    assert code == 1 and "--facet" in text and len(text.strip().splitlines()) == 1
