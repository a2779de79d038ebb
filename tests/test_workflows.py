"""Command-line workflows of a researcher, end to end through the CLI: each test is a defect found
by using the tool as its README describes, and fails on the code before its fix."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app

ZH = "采访者：您好，请介绍一下您的工作。\n\nA：权责不匹配的问题很严重。\n\nA：拍照留痕，痕迹主义太重了。\n"
EN = ("Interviewer: Hello, please tell me about your work.\n\nA: The mismatch of rights and"
      " responsibilities is serious.\n\nA: We take photos to leave traces; trace formalism.\n")


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path / "home"))
    (tmp_path / "int01.zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "int01.en.txt").write_text(EN, encoding="utf-8")
    db = tmp_path / "study.db"
    code, out = run("import", db, tmp_path / "int01.zh.txt", "--translation", tmp_path / "int01.en.txt")
    assert code == 0, out
    for coder, codes in (("li", ["adaptation", "rights_mismatch"]), ("wang", ["goal_attainment"])):
        code, out = run("tag", db, "int01-002", *codes, "--coder", coder)
        assert code == 0, out
    return db


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
