"""The real coding screen in a real terminal (tmux), killed with SIGKILL: what it showed is saved."""

from __future__ import annotations

import os
import random
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.storage.check import check_project
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import REPO, integrity

TMUX = shutil.which("tmux") or "/usr/bin/tmux"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(  # real terminals killed with SIGKILL
    not Path(TMUX).exists() or not (REPO / "annotator" / "cli" / "code.py").exists(),
    reason="needs tmux and the coding screen",
)]
HEADER = re.compile(r"^\s*(\d+) / (\d+) ·")
APPLIED = re.compile(r"\[(\w)\]●")


def _tmux(*args: str) -> str:
    return subprocess.run([TMUX, *args], capture_output=True, text=True, check=False).stdout


def _screen(session: str) -> tuple[int | None, set[str]]:
    """(segment position shown, keys shown as applied) from the terminal's current contents."""
    text = _tmux("capture-pane", "-p", "-t", session)
    position = None
    for line in text.splitlines():
        if (m := HEADER.match(line)) is not None:
            position = int(m.group(1))
            break
    return position, set(APPLIED.findall(text))


def _wait_ready(session: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "Burden" in _tmux("capture-pane", "-p", "-t", session):
            return
        time.sleep(0.1)
    raise AssertionError("the coding screen did not appear:\n" + _tmux("capture-pane", "-p", "-t", session))


def _start(session: str, project: Path) -> None:
    """The coding screen as coder 'tui' in a new tmux session, waited for."""
    home = os.environ["ANNOTATOR_HOME"]
    cmd = (f"cd {shlex.quote(str(REPO))} && ANNOTATOR_HOME={shlex.quote(home)} exec"
           f" {shlex.quote(sys.executable)} -m annotator code {shlex.quote(str(project))}"
           " --coder tui --ui en")
    _tmux("kill-session", "-t", session)
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd)
    _wait_ready(session)


def test_coding_screen_killed_keeps_everything_it_showed(project: Path) -> None:
    with open_project(project) as p:
        codebook = load_codebook(p)
        order = [r[0] for r in p.execute("SELECT id FROM segments ORDER BY position")]
    burden = codebook.facet("burden")
    assert burden is not None
    key_to_code = {c.key: c.id for c in burden.codes if c.key}
    rng = random.Random(5)
    session = f"annotator-crash-{os.getpid()}"
    shown: set[tuple[str, str]] = set()
    for _round in range(2):
        try:
            _start(session, project)
            pid = int(_tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
            for _ in range(rng.randint(6, 14)):
                position, applied = _screen(session)
                free = sorted(set(key_to_code) - applied)
                if not free or rng.random() < 0.3:
                    _tmux("send-keys", "-t", session, "j")
                else:
                    _tmux("send-keys", "-t", session, rng.choice(free))
                time.sleep(rng.uniform(0.05, 0.25))
                position, applied = _screen(session)
                if position is not None:
                    shown |= {(order[position - 1], key_to_code[k]) for k in applied if k in key_to_code}
            os.kill(pid, signal.SIGKILL)
        finally:
            _tmux("kill-session", "-t", session)
        assert integrity(project) == "ok"
    assert len(shown) >= 3, f"only {shown} shown as coded; the test proves little"
    conn = sqlite3.connect(project)
    stored = set(conn.execute("SELECT segment, code FROM annotations WHERE coder = 'tui'").fetchall())
    conn.close()
    assert shown <= stored, f"shown on screen but not saved: {sorted(shown - stored)[:5]}"
    with open_project(project) as p:
        report = check_project(p)
    assert report.ok, list(report.lines())


READER = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
          " print(c.execute(\"select count(*) from annotations where coder='tui'\").fetchone()[0]); c.close()")


def test_other_processes_reading_meanwhile_lose_nothing(project: Path) -> None:
    """Someone reads the project (sqlite3, pandas, `annotator agree`) while a coder works: every
    change shown afterwards must still reach the file (a lock bug once let the reader delete
    the WAL under the coding screen)."""
    with open_project(project) as p:
        codebook = load_codebook(p)
    burden = codebook.facet("burden")
    assert burden is not None
    keys = [c.key for c in burden.codes if c.key][:4]
    session = f"annotator-readers-{os.getpid()}"
    try:
        _start(session, project)
        for n, key in enumerate(keys, start=1):
            _tmux("send-keys", "-t", session, key)
            deadline = time.monotonic() + 10
            while key not in _screen(session)[1]:
                assert time.monotonic() < deadline, "the code never showed on screen"
                time.sleep(0.05)
            seen = subprocess.run([sys.executable, "-c", READER, str(project)],
                                  capture_output=True, text=True, check=True).stdout
            assert int(seen) == n, f"after {n} codes shown, another process sees {seen.strip()}"
        _tmux("send-keys", "-t", session, "q")
        time.sleep(1.0)
    finally:
        _tmux("kill-session", "-t", session)
    assert integrity(project) == "ok"
    conn = sqlite3.connect(project)
    stored = {r[0] for r in conn.execute("SELECT code FROM annotations WHERE coder = 'tui'")}
    conn.close()
    assert stored == {c.id for c in burden.codes if c.key in keys}
