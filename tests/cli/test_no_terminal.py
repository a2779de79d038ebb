"""Without an interactive terminal the coding screen refuses in one line instead of drawing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    with open(os.devnull) as devnull:
        return subprocess.run([sys.executable, "-m", "annotator", *args], stdin=devnull,
                              capture_output=True, text=True, timeout=120, env=env)


def test_code_without_a_terminal_says_so_and_exits_1(demo_project: Path, tmp_path: Path) -> None:
    done = _run(["code", str(demo_project), "--coder", "me"], tmp_path)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "interactive terminal" in lines[0]
    assert done.stdout == ""  # no escape codes
    assert "Traceback" not in done.stderr


def test_a_bad_project_is_still_named_first(tmp_path: Path) -> None:
    done = _run(["code", str(tmp_path / "nope.db"), "--coder", "me"], tmp_path)
    assert done.returncode == 1 and "no such project file" in done.stderr


def test_demo_without_a_terminal_builds_the_project_and_says_where(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    done = _run(["demo", "--db", str(db)], tmp_path)
    assert done.returncode == 1
    assert db.exists()
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("annotator: error:") and "interactive terminal" in lines[-1]
    assert f"annotator code {db}" in lines[-1]
    assert done.stdout == ""
