"""``annotator code --auto-advance`` is offered (the behaviour: tests/tui/test_auto_advance.py)."""

from __future__ import annotations

from typer.testing import CliRunner

from annotator.cli import app


def test_the_option_is_in_the_code_commands_help() -> None:
    result = CliRunner().invoke(app, ["code", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "--auto-advance" in result.output
