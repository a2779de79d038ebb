"""The real coding screen in tmux: its project's write-ahead log or the project file deleted
under it. The screen stops, says so and where the session's changes are kept; merged back,
nothing the screen acknowledged is lost."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import REPO, env

TMUX = shutil.which("tmux") or "/usr/bin/tmux"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(TMUX).exists(), reason="needs tmux")]
APPLIED = re.compile(r"\[(\w)\]●")


def _tmux(*args: str) -> str:
    return subprocess.run([TMUX, *args], capture_output=True, text=True, check=False).stdout


def _pane(session: str) -> str:
    return _tmux("capture-pane", "-p", "-J", "-t", session)


def _wait(session: str, found: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = _pane(session)
        if found in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{found!r} never appeared:\n{_pane(session)}")


def _start(session: str, project: Path) -> None:
    home = os.environ["ANNOTATOR_HOME"]
    cmd = (f"cd {shlex.quote(str(REPO))} && ANNOTATOR_HOME={shlex.quote(home)}"
           f" {shlex.quote(sys.executable)} -m annotator code {shlex.quote(str(project))}"
           " --coder ww --ui en; echo EXIT=$?; sleep 60")
    _tmux("kill-session", "-t", session)
    _tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", cmd)
    _wait(session, "Burden")


def _coded(path: Path) -> set[str]:
    with open_project(path) as p:
        return {r[0] for r in p.execute("SELECT code FROM annotations WHERE coder = 'ww'")}


@pytest.mark.parametrize("victim", ["-wal", ""])
def test_file_deleted_under_the_coding_screen_loses_nothing(project: Path, tmp_path: Path,
                                                            victim: str) -> None:
    copy = tmp_path / "before.db"
    shutil.copy(project, copy)
    with open_project(project) as p:
        burden = load_codebook(p).facet("burden")
    assert burden is not None
    keys = {c.key: c.id for c in burden.codes if c.key}
    first, second = list(keys)[:2]
    session = f"annotator-lost-{os.getpid()}"
    try:
        _start(session, project)
        _tmux("send-keys", "-t", session, first)
        _wait(session, f"[{first}]●")
        _tmux("send-keys", "-t", session, "j")
        time.sleep(0.5)
        os.unlink(str(project) + victim)
        _tmux("send-keys", "-t", session, second)
        text = _wait(session, "EXIT=")
    finally:
        _tmux("kill-session", "-t", session)
    assert "EXIT=1" in text
    assert "deleted" in text and "annotator recover" in text
    recovery = Path(re.search(r"are kept in (\S+\.jsonl)", text.replace("\n", "")).group(1))
    target = project if victim else copy
    done = subprocess.run([sys.executable, "-m", "annotator", "recover", str(target), str(recovery)],
                          capture_output=True, text=True, env=env(), check=False)
    assert done.returncode == 0, done.stderr
    assert _coded(target) == {keys[first], keys[second]}
