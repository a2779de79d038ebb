"""A big import whose Chinese is cut in worker processes fails as a whole when a worker dies or
raises, and stops cleanly on Ctrl-C: one line on stderr, no traceback, nothing half-written in
the project, no worker left running, the garbage collector as Python sets it up."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

import annotator.application.importing as importing
import annotator.application.transcripts as transcripts
import annotator.nlp.tokenize_pool as tokenize_pool
from annotator.cli import app
from tests.hang_guard import failing_after, killed
from tests.reliability.reliability_helpers import env

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs signals")

ZH = ["网格员每天要填很多表格，真正入户走访的时间反而少了。", "接诉即办以后，居民的诉求能很快转到社区。"]
EN = ["Grid workers fill in many forms every day.", "Requests reach the community quickly."]


def _csv(path: Path, rows: int) -> Path:
    lines = ["document,speaker,zh,en"]
    lines += [f"D{i // 1000:03d},{'AB'[i % 2]},{ZH[i % 2]}第{i}次,{EN[i % 2]} Turn {i}." for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _at_most_two_minutes() -> Iterator[None]:
    with failing_after(120, "the import hung"):
        yield


def _out_of_memory(texts: Sequence[str]) -> list[tuple[str, str]]:
    raise MemoryError("no memory left")


def _assert_left_clean() -> None:
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_threshold() == tokenize_pool.USUAL_THRESHOLD


def _segment_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM segments").fetchone()[0])


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_a_worker_killed_mid_import_leaves_no_new_project(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 10)
    monkeypatch.setattr(tokenize_pool, "_work", killed)
    db = tmp_path / "new.db"
    result = CliRunner().invoke(app, ["import", str(db), str(_csv(tmp_path / "big.csv", 5000))])
    assert result.exit_code == 1, result.output
    assert _one_line(result.stderr).startswith("annotator: error: a worker process cutting the Chinese")
    assert result.stdout == ""
    assert not db.exists() and os.listdir(tmp_path) == ["big.csv"]
    _assert_left_clean()


@pytest.mark.slow
def test_a_worker_that_raises_leaves_an_existing_project_as_it_was_and_it_imports_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "study.db"
    assert CliRunner().invoke(app, ["import", str(db), str(_csv(tmp_path / "small.csv", 30))]).exit_code == 0
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 10)
    monkeypatch.setattr(tokenize_pool, "_work", _out_of_memory)
    big = _csv(tmp_path / "big.csv", 5000)
    result = CliRunner().invoke(app, ["import", str(db), str(big), "--replace"])
    assert result.exit_code == 1, result.output
    line = _one_line(result.stderr)
    assert "failed" in line and "MemoryError: no memory left" in line and "nothing was imported" in line
    assert _segment_count(db) == 30
    _assert_left_clean()
    monkeypatch.undo()  # the same process imports again, with workers that work
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 10)
    result = CliRunner().invoke(app, ["import", str(db), str(big), "--replace"])
    assert result.exit_code == 0, result.output
    assert _segment_count(db) == 5000  # D000 replaced
    _assert_left_clean()


@pytest.mark.slow
def test_ctrl_c_mid_import_leaves_no_new_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 10)
    batches = []

    def english(texts: Sequence[str], lang: str) -> list[tuple[str, str]]:
        batches.append(len(texts))
        if len(batches) == 2:
            raise KeyboardInterrupt
        return [("", "")] * len(texts)

    monkeypatch.setattr(transcripts, "language_terms", english)
    db = tmp_path / "new.db"
    result = CliRunner().invoke(app, ["import", str(db), str(_csv(tmp_path / "big.csv", 5000))])
    assert result.exit_code == 130, result.output
    assert "interrupted" in _one_line(result.stderr)
    assert not db.exists() and os.listdir(tmp_path) == ["big.csv"]
    _assert_left_clean()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _as_a_terminal_job() -> None:
    """Ctrl-C as a terminal's job has it: a shell without job control starts a job run with
    ``&`` (a test suite run in the background) with SIGINT ignored, which its children inherit
    and Python then keeps (it installs its Ctrl-C handler only where SIGINT is not ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_big_import(tmp_path: Path) -> tuple[subprocess.Popen[str], list[int], Path]:
    source = _csv(tmp_path / "big.csv", 60_000)
    assert source.stat().st_size > importing.PARALLEL_BYTES
    db = tmp_path / "new.db"
    proc = subprocess.Popen([sys.executable, "-m", "annotator", "import", str(db), str(source)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(),
                            start_new_session=True, preexec_fn=_as_a_terminal_job)
    deadline = time.monotonic() + 60
    while not _children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert workers, "no worker started"
    time.sleep(1.0)  # the workers load jieba and cut
    return proc, workers, db


def _gone(pids: list[int]) -> bool:
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except OSError:
            continue
        if status != "Z":
            return False
    return True


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the workers in /proc")
def test_killing_a_worker_of_a_real_import_fails_it_with_one_line(tmp_path: Path) -> None:
    proc, workers, db = _start_big_import(tmp_path)
    os.kill(workers[0], signal.SIGKILL)
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 1, err
    assert _one_line(err).startswith("annotator: error: a worker process cutting the Chinese stopped")
    assert out == ""
    assert not db.exists() and os.listdir(tmp_path) == ["big.csv"]
    assert _gone(workers)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the workers in /proc")
def test_ctrl_c_on_a_real_import_stops_it_with_one_line(tmp_path: Path) -> None:
    proc, workers, db = _start_big_import(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)  # as the terminal sends it: to every process of the group
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 130, err
    assert _one_line(err) == "annotator: interrupted; nothing half-written was kept"
    assert out == ""
    assert not db.exists() and os.listdir(tmp_path) == ["big.csv"]
    assert _gone(workers)
