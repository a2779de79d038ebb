"""Every command explains itself, and the README's command reference names every command."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[tuple[str, ...]]:
    group = typer.main.get_command(app)
    out: list[tuple[str, ...]] = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            out += [(name, sub) for sub in cmd.commands]
        else:
            out.append((name,))
    return out


COMMANDS = _commands()


def test_all_commands_present() -> None:
    names = {c[0] for c in COMMANDS}
    assert {"init", "import", "segments", "tag", "annotations", "stats", "demo", "code", "agree",
            "disagreements", "adjudicate", "suggest", "keywords", "export", "merge", "backup",
            "check", "codebook"} <= names


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_command_has_help(command: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    group = typer.main.get_command(app)
    cmd = group.commands[command[0]]  # type: ignore[attr-defined]
    if len(command) == 2:
        cmd = cmd.commands[command[1]]
    assert cmd.help, f"{command} has no help text"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_readme_names_command(command: tuple[str, ...]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"annotator {command[0]}" in readme


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("annotator ")


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["tag"], "annotator tag --help"),
        (["tag", "p.db", "--bogus"], "annotator tag --help"),
        (["nocommand"], "annotator --help"),
        (["codebook", "check"], "annotator codebook check --help"),
    ],
)
def test_usage_errors_are_one_line_exit_1(args: list[str], hint: str) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error:") and hint in lines[0]
    assert "Traceback" not in done.stderr


def test_no_arguments_shows_the_help() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "annotator"], capture_output=True, text=True)
    assert done.returncode == 0 and "Commands:" in done.stdout
