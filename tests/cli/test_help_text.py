"""Every command's help names values as a reader knows them, never as Python types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()


def _commands() -> list[tuple[str, ...]]:
    group = typer.main.get_command(app)
    out: list[tuple[str, ...]] = [()]
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        out.append((name,))
        out += [(name, sub) for sub in getattr(cmd, "commands", {})]
    return out


PYTHON_TYPES = re.compile(r"<[a-z]|\{[a-z_]+\}|list\[|\b(str|int|Path|float|bool)\b")


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "annotator")
def test_help_shows_no_python_type_names(command: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*command, "--help"], prog_name="annotator")
    assert result.exit_code == 0
    leaks = PYTHON_TYPES.findall(result.stdout)
    assert not leaks, f"{' '.join(command)} --help shows {leaks}:\n{result.stdout}"


def test_arguments_and_option_values_are_named() -> None:
    text = runner.invoke(app, ["import", "--help"], prog_name="annotator").stdout
    assert "Usage: annotator import [OPTIONS] PROJECT [FILES...]" in text
    assert "--translation FILE" in text and "--document ID" in text
    text = runner.invoke(app, ["agree", "--help"], prog_name="annotator").stdout
    assert "--facet FACET" in text and "--bootstrap N" in text


def test_stats_help_promises_no_table_of_the_bundled_facets() -> None:
    text = runner.invoke(app, ["stats", "--help"]).stdout
    assert "dimension" not in text and "burden" not in text


def test_shell_completion_can_be_installed() -> None:
    text = runner.invoke(app, ["--help"]).stdout
    assert "--install-completion" in text and "--show-completion" in text


def test_disagreements_facet_repeats_like_agree_facet(demo_project: Path) -> None:
    db = str(demo_project)
    runner.invoke(app, ["tag", db, "A20230321-002", "goal_attainment", "inspection_pressure", "--coder", "li"])
    both = runner.invoke(app, ["disagreements", db, "--coders", "paper,li", "--json"])
    assert both.exit_code == 0, both.output
    facets = {line.split('"facet": "')[1].split('"')[0] for line in both.stdout.splitlines()}
    assert facets == {"dimension", "burden"}
    repeated = runner.invoke(app, ["disagreements", db, "--coders", "paper,li", "--json",
                                   "--facet", "burden", "--facet", "dimension"])
    assert repeated.exit_code == 0, repeated.output
    assert repeated.stdout == both.stdout
    one = runner.invoke(app, ["disagreements", db, "--coders", "paper,li", "--json", "--facet", "burden"])
    assert one.stdout and all('"facet": "burden"' in line for line in one.stdout.splitlines())


def test_the_shell_completes_command_names() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "_ANNOTATOR_COMPLETE": "complete_bash", "COMP_WORDS": "annotator disa",
           "COMP_CWORD": "1"}
    code = "import sys; sys.argv[0] = 'annotator'; from annotator.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["disagreements"]
