"""End to end in a real terminal: tag by key, SIGKILL the process, the tag is on disk and on screen
after reopening."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import state_on_disk

TMUX = "/usr/bin/tmux"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow,  # a real terminal and a killed process
              pytest.mark.skipif(not Path(TMUX).exists() and not shutil.which("tmux"),
                                 reason="tmux is not installed")]


def tmux(*args: str) -> str:
    out = subprocess.run([TMUX, *args], capture_output=True, text=True, check=False)
    return out.stdout


def start(name: str, db: Path, home: Path) -> None:
    command = (f"cd {ROOT} && ANNOTATOR_HOME={home} exec {sys.executable} -m annotator code {db}"
               " --coder t --ui en")
    for _ in range(50):  # a tmux server whose last session just ended may refuse it: try again
        tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", command)
        if subprocess.run([TMUX, "has-session", "-t", name], capture_output=True, check=False).returncode == 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"tmux could not start session {name}")


def wait_for(name: str, ok: Callable[[str], bool], timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", name)
        if ok(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"the screen never showed what was expected:\n{screen}")


def test_tag_survives_sigkill_and_shows_after_reopening(demo_db: Path, tmp_path: Path) -> None:
    name = f"annotator-test-{uuid.uuid4().hex[:8]}"
    home = tmp_path / "home"
    start(name, demo_db, home)
    try:
        wait_for(name, lambda s: "1 / 11" in s)
        tmux("send-keys", "-t", name, "3")
        wait_for(name, lambda s: "added Integration" in s)
        pid = int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())
        os.kill(pid, signal.SIGKILL)
    finally:
        tmux("kill-session", "-t", name)
    state = state_on_disk(demo_db, "t", "A20230321-001")
    assert state.codes == {"integration"} and state.done

    start(name, demo_db, home)
    try:
        screen = wait_for(name, lambda s: "[3]●Integration" in s and "1 / 11" in s)
        assert "done 1/11" in screen
        screen = wait_for(name, lambda s: "Suggested:" in s and "loading" not in s)  # NLP loaded
        assert "Building prefix dict" not in screen and "Traceback" not in screen
        tmux("send-keys", "-t", name, "q")
        deadline = time.monotonic() + 10
        while name in tmux("list-sessions", "-F", "#{session_name}") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        tmux("kill-session", "-t", name)
