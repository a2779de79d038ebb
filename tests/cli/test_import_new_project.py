"""A typo in the project path of ``import`` is noticed: a new project is announced, folders are never made."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

DATA = Path(__file__).resolve().parents[1] / "data" / "transcripts"
runner = CliRunner()


def test_import_into_a_missing_project_says_it_created_one(tmp_path: Path) -> None:
    project = tmp_path / "studdy.db"
    result = runner.invoke(app, ["import", str(project), str(DATA / "interview_zh.txt")])
    assert result.exit_code == 0, result.output
    assert project.exists()
    assert f"created new project {project} with the bundled codebook" in result.stderr
    assert "created new project" not in result.stdout


def test_import_into_an_existing_project_says_nothing_of_creating(tmp_path: Path) -> None:
    project = tmp_path / "study.db"
    assert runner.invoke(app, ["init", str(project)]).exit_code == 0
    result = runner.invoke(app, ["import", str(project), str(DATA / "interview_zh.txt")])
    assert result.exit_code == 0, result.output
    assert "created" not in result.stderr


def test_import_never_creates_a_folder(tmp_path: Path) -> None:
    project = tmp_path / "nodir" / "x.db"
    result = runner.invoke(app, ["import", str(project), str(DATA / "interview_zh.txt")])
    assert result.exit_code == 1
    assert not (tmp_path / "nodir").exists()
    assert result.stderr.count("\n") == 1
    assert "no such folder" in result.stderr and str(tmp_path / "nodir") in result.stderr


def test_init_never_creates_a_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "a" / "b" / "x.db")])
    assert result.exit_code == 1 and "no such folder" in result.stderr
    assert not (tmp_path / "a").exists()
