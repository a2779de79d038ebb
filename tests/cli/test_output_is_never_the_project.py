"""Every command that writes a file refuses to write it over the project (or the files SQLite
keeps beside it): ``-o study.db`` once replaced a project with quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.cli_helpers import run

COMMANDS = {
    "export csv": ["export", "{db}", "-f", "csv", "-o", "{out}"],
    "export qdpx": ["export", "{db}", "-f", "qdpx", "-o", "{out}"],
    "agree": ["agree", "{db}", "-o", "{out}"],
    "memos": ["memos", "{db}", "-o", "{out}"],
    "codebook export": ["codebook", "export", "{db}", "-o", "{out}"],
    "codebook export qdc": ["codebook", "export", "{db}", "-f", "qdc", "-o", "{out}"],
    "backup": ["backup", "{db}", "-o", "{out}"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_a_command_never_writes_its_output_over_the_project(project: Path, name: str, suffix: str) -> None:
    target = Path(f"{project}{suffix}")
    if not target.exists():
        target.write_bytes(b"")
    before = target.read_bytes()
    out = target.parent / ".." / target.parent.name / target.name  # the same file, named otherwise
    args = [a.format(db=project, out=out) for a in COMMANDS[name]]
    code, text = run(*args)
    lines = text.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "project" in lines[0] and "Traceback" not in text, text
    assert target.read_bytes() == before
    assert run("stats", project)[0] == 0
