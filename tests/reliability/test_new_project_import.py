"""An import that creates its project builds it under a hidden temporary name and names it only
when it succeeded: a failed or killed import leaves no project file and nothing the next run
trips over; the file it names is a normal project (write-ahead log, checks clean); a file that
appeared at the name meanwhile is never overwritten."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.errors import ProjectError
from annotator.storage.new_file import building
from tests.reliability.reliability_helpers import REPO, annotator, env, write_transcript


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def _segments(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, zh FROM segments ORDER BY id").fetchall()
    finally:
        conn.close()


def test_the_new_project_is_a_normal_project(tmp_path: Path) -> None:
    source = write_transcript(tmp_path / "interview.txt", 30)
    project = tmp_path / "new.db"
    done = annotator("import", str(project), str(source))
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(tmp_path)) == ["interview.txt", "new.db"]
    assert _journal_mode(project) == "wal"
    mask = os.umask(0)
    os.umask(mask)
    assert project.stat().st_mode & 0o777 == 0o666 & ~mask  # as any new file, not mkstemp's 0o600
    assert len(_segments(project)) == 30
    checked = annotator("check", str(project))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_refused_import_leaves_no_file(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"  # a bad line after the first batch of segments was written
    good = '{"document": "D", "zh": "社区干部说台账太多。"}\n'
    source.write_text(good * 2500 + "{not json\n", encoding="utf-8")
    done = annotator("import", str(tmp_path / "new.db"), str(source))
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert f"{source}:2501:" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert os.listdir(tmp_path) == ["bad.jsonl"]


def test_a_file_that_appears_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with pytest.raises(ProjectError, match="appeared while the import ran"), building(path) as project:
        project.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        path.write_text("someone else's file")
    assert path.read_text() == "someone else's file"
    assert os.listdir(tmp_path) == ["new.db"]


def test_a_dead_import_s_temporary_is_removed_and_a_live_one_s_kept(tmp_path: Path) -> None:
    source = write_transcript(tmp_path / "interview.txt", 5)
    dead, alive = _dead_pid(), os.getpid()
    stale = [f".new.db.annotator-{dead}-x1.tmp", f".new.db.annotator-{dead}-x1.tmp-wal"]
    kept = f".new.db.annotator-{alive}-x2.tmp"
    for name in [*stale, kept]:
        (tmp_path / name).write_bytes(b"SQLite format 3\0")
    done = annotator("import", str(tmp_path / "new.db"), str(source))
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(tmp_path)) == sorted(["interview.txt", "new.db", kept])


def _import(project: Path, source: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "annotator", "import", str(project), str(source)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(),
                            cwd=REPO)


def _temporaries(folder: Path) -> list[str]:
    return [n for n in os.listdir(folder) if n.startswith(".new.db.annotator-")]


@pytest.mark.slow  # imports killed with SIGKILL at random moments
def test_a_killed_import_leaves_no_project_and_the_next_one_succeeds(tmp_path: Path) -> None:
    source = write_transcript(tmp_path / "interview.txt", 2500, seed=5)
    reference = tmp_path / "ref" / "new.db"
    reference.parent.mkdir()
    started = time.monotonic()
    assert annotator("import", str(reference), str(source), timeout=300).returncode == 0
    duration = time.monotonic() - started
    full = _segments(reference)
    folder = tmp_path / "out"
    folder.mkdir()
    project = folder / "new.db"
    rng = random.Random(3)
    killed_while_writing = 0
    for attempt in range(12):  # four kills, then more (sooner) until two came while writing
        if attempt >= 4 and killed_while_writing >= 2:
            break
        proc = _import(project, source)
        while proc.poll() is None and not _temporaries(folder):  # the import has begun writing
            time.sleep(0.01)
        time.sleep(rng.uniform(0, duration * (0.4 if attempt < 2 else 1.0 if attempt < 4 else 0.1)))
        if proc.poll() is None:
            killed_while_writing += bool(_temporaries(folder))
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        if project.exists():  # killed after naming it: then it is whole
            assert _segments(project) == full
            project.unlink()
        assert not [n for n in os.listdir(folder) if not n.startswith(".")]
    assert killed_while_writing >= 2, "the imports ended before the kills; the test proves nothing"
    done = annotator("import", str(project), str(source), timeout=300)
    assert done.returncode == 0, done.stderr
    assert os.listdir(folder) == ["new.db"]  # the killed imports' temporaries are gone
    assert _segments(project) == full


@pytest.mark.slow  # mounts a small file system
def test_a_new_project_that_does_not_fit_leaves_nothing(tmp_path: Path) -> None:
    from tests.reliability.test_disk_full_and_read_only import _mounted

    source = write_transcript(tmp_path / "interview.txt", 3000, seed=2)
    disk = tmp_path / "disk"
    disk.mkdir()
    with _mounted(disk, "-t", "tmpfs", "-o", "size=1m", "tmpfs"):
        done = annotator("import", str(disk / "new.db"), str(source), timeout=300)
        left = os.listdir(disk)
    assert done.returncode == 1, done.stdout
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert "disk is full" in done.stderr, done.stderr
    assert left == []


@pytest.mark.slow  # a real import killed with SIGKILL
def test_a_command_opening_a_project_removes_what_a_killed_import_left(tmp_path: Path) -> None:
    source = write_transcript(tmp_path / "interview.txt", 2500, seed=5)
    folder = tmp_path / "out"
    folder.mkdir()
    study = folder / "study.db"
    assert annotator("init", str(study)).returncode == 0
    proc = _import(folder / "new.db", source)
    while proc.poll() is None and not _temporaries(folder):  # the import has begun writing
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the import ended before the kill; the test proves nothing"
    assert _temporaries(folder)  # what the killed import left
    done = annotator("stats", str(study))
    assert done.returncode == 0, done.stderr
    assert _temporaries(folder)  # changed a moment ago: perhaps another machine's import
    hour_ago = time.time() - 3600
    for name in _temporaries(folder):
        os.utime(folder / name, (hour_ago, hour_ago))
    dead = _dead_pid()
    kept = {  # not a dead import's project: another shape of name, a live process, an export
        f".new.db.annotator-{dead}-abcd1234.tmp.bak": b"SQLite format 3\0",
        f".other.db.annotator-{os.getpid()}-abcd1234.tmp": b"SQLite format 3\0",
        f".out.csv.annotator-{dead}-abcd1234.tmp": b"segment,coder\n",
    }
    for name, content in kept.items():
        (folder / name).write_bytes(content)
    done = annotator("stats", str(study))
    assert done.returncode == 0, done.stderr
    assert sorted(n for n in os.listdir(folder) if n.startswith(".")) == sorted(kept)
