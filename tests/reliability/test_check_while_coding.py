"""``annotator check`` while a coder is tagging: one snapshot, so no false alarm."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.storage.check import check_project
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import REPO, env

WORKERS = Path(__file__).with_name("workers.py")
runner = CliRunner()


def _count_lines(stream: object, seen: list[int]) -> None:
    for _line in stream:  # type: ignore[attr-defined]
        seen[0] += 1


@pytest.mark.slow  # a coder process tagging while the project is checked
def test_check_reports_nothing_while_a_coder_tags(project: Path) -> None:
    proc = subprocess.Popen([sys.executable, str(WORKERS), "ack", str(project), "kim", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=REPO)
    tagged = [0]
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        reader = threading.Thread(target=_count_lines, args=(proc.stdout, tagged), daemon=True)
        reader.start()
        during: list[int] = []
        for _ in range(25):
            before = tagged[0]
            with open_project(project) as p:
                report = check_project(p)
            assert report.ok, list(report.lines())
            during.append(tagged[0] - before)
        for _ in range(3):
            result = runner.invoke(app, ["check", str(project)])
            assert result.exit_code == 0, result.output
            assert ": ok (" in result.output
    finally:
        proc.kill()
        proc.wait()
    assert sum(during) > 25, during  # the coder was committing tags while the checks ran
    with open_project(project) as p:
        assert check_project(p).ok
