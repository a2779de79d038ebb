"""``annotator code`` / ``adjudicate``: clear one-line errors before any screen is drawn."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()


def test_missing_project_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["code", str(tmp_path / "nope.db"), "--coder", "t"])
    assert result.exit_code == 1
    assert "no such project file" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_newer_project_is_refused_with_a_clear_message(demo_db: Path) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    result = runner.invoke(app, ["code", str(demo_db), "--coder", "t"])
    assert result.exit_code == 1
    assert "newer annotator" in result.output
    assert "Traceback" not in result.output


def test_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("hello")
    result = runner.invoke(app, ["adjudicate", str(path), "--coder", "lead"])
    assert result.exit_code == 1
    assert "not an annotator project" in result.output


def test_coder_and_ui_are_checked(demo_db: Path) -> None:
    result = runner.invoke(app, ["code", str(demo_db)])
    assert result.exit_code == 1 and "--coder" in result.output
    result = runner.invoke(app, ["code", str(demo_db), "--coder", "t", "--ui", "fr"])
    assert result.exit_code == 1 and "--ui" in result.output


def test_adjudicate_with_nothing_to_decide(demo_db: Path) -> None:
    result = runner.invoke(app, ["adjudicate", str(demo_db), "--coder", "lead"])
    assert result.exit_code == 0
    assert "nothing to adjudicate" in result.output


def test_adjudicate_refuses_a_bad_coder_name_before_reading_the_work(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import annotator.application.filters as filters

    def not_yet(*_args: object, **_kw: object) -> None:
        raise AssertionError("the coders' work was read before the name was checked")

    monkeypatch.setattr(filters, "disagreeing_keys", not_yet)
    result = runner.invoke(app, ["adjudicate", str(demo_db), "--coder", "judge\x1b[31m"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "control character U+001B" in result.output and "\x1b" not in result.output


def test_command_module_imports_no_textual() -> None:
    code = "import sys, annotator.cli; assert 'textual' not in sys.modules, 'textual'; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
