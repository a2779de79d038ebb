"""Progress bars reach a real terminal as drawing, not as escaped text: the upgrade's index build
and a big import draw through the stream under the printable-only stderr."""

from __future__ import annotations

import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.storage import migrations

pytestmark = pytest.mark.slow  # whole processes on a pseudo-terminal

REPO = Path(__file__).resolve().parents[2]


def _on_a_terminal(*args: str, home: Path) -> str:
    main, child = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "ANNOTATOR_HOME": str(home), "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "annotator", *args], stdin=child, stdout=child,
                            stderr=child, env=env, cwd=REPO)
    os.close(child)
    out = bytearray()
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert proc.wait(timeout=300) == 0, out.decode(errors="replace")[-500:]
    return out.decode(errors="replace")


def test_the_index_build_of_an_upgrade_draws_a_bar(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, upto=5)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO documents (id, position) VALUES ('D', 1)")
    conn.executemany("INSERT INTO segments (id, document, position, zh) VALUES (?, 'D', ?, ?)",
                     [(f"D-{i}", i, "减负" * 50) for i in range(1, 20001)])
    conn.execute("COMMIT")
    conn.close()
    out = _on_a_terminal("stats", str(path), home=tmp_path / "home")
    assert "building the search index" in out
    assert "\x1b[" in out and "\\u001b" not in out


def test_a_big_import_draws_a_bar(tmp_path: Path) -> None:
    rows = ["document,speaker,zh,en"] + [f"D{i // 500},A,网格员每天要填很多表格第{i}次,Grid workers fill in"
                                         f" many forms every day (turn {i})." for i in range(40000)]
    (tmp_path / "big.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert (tmp_path / "big.csv").stat().st_size > 2_000_000
    out = _on_a_terminal("import", str(tmp_path / "p.db"), str(tmp_path / "big.csv"),
                         home=tmp_path / "home")
    assert "importing" in out and "imported 40" in out
    assert "\x1b[" in out and "\\u001b" not in out


def test_a_big_import_off_a_terminal_writes_only_its_lines(tmp_path: Path) -> None:
    """With stderr in a file, a big import draws no bar: its failure is one line with nothing
    before it (the bar's end used to leave an empty line there), its success writes nothing."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "ANNOTATOR_HOME": str(tmp_path / "home")}

    def annotator(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)],
                              capture_output=True, env=env, cwd=REPO, timeout=300)

    project = tmp_path / "p.db"
    assert annotator("init", project).returncode == 0
    (tmp_path / "noise.docx").write_bytes(os.urandom(3_000_000))  # big, and not a Word file
    failed = annotator("import", project, tmp_path / "noise.docx")
    assert failed.returncode == 1
    assert failed.stderr.decode().splitlines() == [
        f"annotator: error: {tmp_path / 'noise.docx'}: not a valid .docx file (not a ZIP archive)"]
    rows = ["document,speaker,zh,en"] + [f"D{i // 500},A,网格员每天要填很多表格第{i}次,Grid workers fill in"
                                         f" many forms every day (turn {i})." for i in range(40000)]
    (tmp_path / "big.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = annotator("import", project, tmp_path / "big.csv")
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout.decode().startswith("imported 40000 segments")


def test_adjudicate_shows_a_spinner_while_it_finds_the_disagreements(tmp_path: Path) -> None:
    """Seconds on a million segments before the screen opens: a spinner says what is going on,
    on a terminal only, and is cleared."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "ANNOTATOR_HOME": str(tmp_path / "home")}
    project = tmp_path / "p.db"
    subprocess.run([sys.executable, "-m", "annotator", "init", str(project)], check=True, env=env,
                   cwd=REPO, capture_output=True)
    out = _on_a_terminal("adjudicate", str(project), "--coder", "lead", home=tmp_path / "home")
    assert "finding the segments where coders disagree" in out and "\x1b[" in out
    assert "nothing to adjudicate" in out
    plain = subprocess.run([sys.executable, "-m", "annotator", "adjudicate", str(project), "--coder", "lead"],
                           env=env, cwd=REPO, capture_output=True, text=True)
    assert plain.returncode == 0
    assert plain.stderr == "annotator: no segment where coders disagree; nothing to adjudicate\n"


def test_long_commands_show_a_spinner_on_a_terminal_and_nothing_elsewhere(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "ANNOTATOR_HOME": str(tmp_path / "home")}
    project = tmp_path / "p.db"
    subprocess.run([sys.executable, "-m", "annotator", "init", str(project)], check=True, env=env,
                   cwd=REPO, capture_output=True)
    out = _on_a_terminal("check", str(project), home=tmp_path / "home")
    assert f"checking {project}" in out and "\x1b[" in out and "0:00:0" in out  # with the time taken
    plain = subprocess.run([sys.executable, "-m", "annotator", "check", str(project)], env=env, cwd=REPO,
                           capture_output=True, text=True)
    assert plain.returncode == 0 and plain.stderr == "" and "checking" not in plain.stdout


def test_a_spinner_shows_names_printable_and_an_inner_step_in_its_place(tmp_path: Path) -> None:
    code = ("import time; from annotator.cli.progress import stderr_status\n"
            "with stderr_status('exporting to evil\\x1b]0;owned\\x07.csv'):\n"
            "    time.sleep(0.3)\n"
            "    with stderr_status('preparing the word segmenters'):\n"
            "        time.sleep(0.3)\n"
            "    time.sleep(0.3)\n"
            "print('done')\n")
    main, child = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=child, stdout=child, stderr=child,
                            env=env, cwd=REPO)
    os.close(child)
    out = bytearray()
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert proc.wait(timeout=60) == 0
    text = out.decode(errors="replace")
    assert "\x1b]0;owned" not in text and "exporting to evil" in text  # no escape from the name
    assert "preparing the word segmenters" in text and text.rstrip().endswith("done")


def test_quotes_into_a_file_show_a_spinner_and_to_the_screen_none(demo_project: Path, tmp_path: Path) -> None:
    out = _on_a_terminal("quotes", str(demo_project), "-f", "md", "-o", str(tmp_path / "q.md"),
                         home=tmp_path / "home")
    assert "writing quotes to" in out and f"wrote {tmp_path / 'q.md'}" in out
    shown = _on_a_terminal("quotes", str(demo_project), home=tmp_path / "home")
    assert "writing quotes to" not in shown and "Adaptation" in shown
