"""``annotator quotes`` and ``annotator matrix`` when writing fails part-way (a full disk, the
output folder removed, Ctrl-C) or the project goes away while they run: one line on stderr
naming the file and the reason, exit code 1 (130 for Ctrl-C), no traceback, nothing
half-written at the output path or beside it, no temporary file or open file left behind."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.io import group_spool
from annotator.storage.search_index import register
from tests.cli.cli_helpers import run

QUOTES = ["table", "md", "html", "docx", "json"]
MATRIX = ["table", "md", "csv", "html", "json"]
CASES = [("quotes", f) for f in QUOTES] + [("matrix", f) for f in MATRIX]


def command(kind: str, fmt: str, db: Path, out: Path | str) -> list[str | Path]:
    extra = ["--rows", "dimension", "--cols", "burden"] if kind == "matrix" else []
    return [kind, db, "--coder", "li", *extra, "-f", fmt, "-o", out]


@pytest.fixture()
def project(project: Path) -> Path:
    """The test project, li's quote long enough to go to a temporary file of the spool."""
    with contextlib.closing(sqlite3.connect(project)) as conn, conn:
        register(conn)  # the search index's triggers use annotator's function
        conn.execute("UPDATE segments SET en = ? WHERE id = 'int01-002'", ("long line " * 4000,))
    return project


@pytest.fixture()
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder of temporary files (the spool's), empty, to see what is left in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setattr(group_spool, "BUDGET", 0)  # every group's quotes go to a file
    return folder


def open_files() -> set[str]:
    return {os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
            if os.path.exists(f"/proc/self/fd/{fd}")}


def assert_failed_cleanly(code: int, out: str, target: Path, temp_dir: Path, before: set[str],
                          *, exit_code: int = 1, reason: str = "") -> None:
    lines = out.strip().splitlines()
    assert code == exit_code and len(lines) == 1 and "Traceback" not in out, out
    assert reason in lines[0], out
    if exit_code == 1:
        assert str(target) in lines[0], out
    assert not target.exists()
    if target.parent.exists():
        assert [p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}")] == []
    assert list(temp_dir.iterdir()) == []
    assert open_files() - before == set()


class Full:
    """A file that takes ``room`` bytes, then fails as a full disk does."""

    def __init__(self, file: Any, room: int) -> None:
        self._file, self._room = file, room

    def write(self, data: Any) -> int:
        self._room -= len(data)
        if self._room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return int(self._file.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


@pytest.fixture()
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output files hold 64 bytes, then the disk is full (their temporary files are real)."""
    import annotator.files as files

    real = files._atomic

    @contextlib.contextmanager
    def atomic(path: Path, mode: str, **kwargs: Any) -> Iterator[Any]:
        with real(path, mode, **kwargs) as f:
            yield Full(f, 64)

    monkeypatch.setattr(files, "_atomic", atomic)


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_a_full_disk_is_one_line_naming_the_file_and_leaves_nothing(
        project: Path, tmp_path: Path, temp_dir: Path, full_disk: None, kind: str, fmt: str) -> None:
    target = tmp_path / "out" / f"findings.{fmt}"
    target.parent.mkdir()
    before = open_files()
    code, out = run(*command(kind, fmt, project, target))
    assert_failed_cleanly(code, out, target, temp_dir, before, reason="the disk is full")


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_dev_full_is_one_line_naming_it(project: Path, temp_dir: Path, kind: str, fmt: str) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    code, out = run(*command(kind, fmt, project, "/dev/full"))
    lines = out.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "Traceback" not in out, out
    assert "/dev/full: the disk is full" in lines[0]
    assert list(temp_dir.iterdir()) == []


def during_writing(monkeypatch: pytest.MonkeyPatch, act: Callable[[], None]) -> None:
    """``act()`` once the output has begun to be written."""
    import annotator.cli.findings as findings
    import annotator.io.docx_quotes as docx_quotes

    batches, body = findings.batches, docx_quotes._body

    def late_batches(pieces: Any) -> Iterator[Any]:
        for n, batch in enumerate(batches(pieces)):
            if n == 0:
                act()
            yield batch

    def late_body(*args: Any) -> Iterator[bytes]:
        for n, piece in enumerate(body(*args)):
            if n == 1:
                act()
            yield piece

    monkeypatch.setattr(findings, "batches", late_batches)
    monkeypatch.setattr(docx_quotes, "_body", late_body)


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_the_output_folder_removed_while_writing_is_one_line_naming_the_file(
        project: Path, tmp_path: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch,
        kind: str, fmt: str) -> None:
    target = tmp_path / "out" / f"findings.{fmt}"
    target.parent.mkdir()
    during_writing(monkeypatch, lambda: shutil.rmtree(target.parent))
    before = open_files()
    code, out = run(*command(kind, fmt, project, target))
    assert_failed_cleanly(code, out, target, temp_dir, before, reason="no such file or folder")


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_ctrl_c_while_writing_leaves_nothing(
        project: Path, tmp_path: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch,
        kind: str, fmt: str) -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    target = tmp_path / f"findings.{fmt}"
    during_writing(monkeypatch, interrupt)
    before = open_files()
    code, out = run(*command(kind, fmt, project, target))
    assert_failed_cleanly(code, out, target, temp_dir, before, exit_code=130, reason="interrupted")


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_the_project_removed_while_writing_still_gives_the_whole_output(
        project: Path, tmp_path: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch,
        kind: str, fmt: str) -> None:
    """The project was opened: its data is read to the end from the open file."""
    whole, target = tmp_path / f"whole.{fmt}", tmp_path / f"findings.{fmt}"
    assert run(*command(kind, fmt, project, whole))[0] == 0

    def remove() -> None:
        for path in project.parent.glob(project.name + "*"):
            path.unlink()

    during_writing(monkeypatch, remove)
    before = open_files()
    code, out = run(*command(kind, fmt, project, target))
    assert code == 0, out
    assert not project.exists() and open_files() - before == set()
    if fmt != "docx":  # a Word file holds the time it was made
        assert target.read_bytes() == whole.read_bytes()
    assert list(temp_dir.iterdir()) == []


@pytest.mark.parametrize(("kind", "fmt"), CASES)
@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_the_project_file_is_never_overwritten_by_the_output(
        project: Path, kind: str, fmt: str, suffix: str) -> None:
    target = Path(f"{project}{suffix}")
    if not target.exists():
        target.write_bytes(b"")
    before = target.read_bytes()
    code, out = run(*command(kind, fmt, project, target.parent / ".." / target.parent.name / target.name))
    lines = out.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "project" in lines[0] and "Traceback" not in out, out
    assert target.read_bytes() == before
    assert run("stats", project)[0] == 0


@pytest.mark.parametrize(("kind", "fmt"), [("quotes", "md"), ("quotes", "docx"), ("matrix", "csv")])
def test_a_project_locked_by_another_program_is_one_line_and_leaves_nothing(
        project: Path, tmp_path: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch,
        kind: str, fmt: str) -> None:
    import annotator.storage.db as db

    monkeypatch.setattr(db.open_project, "__kwdefaults__",  # not wait the usual 10 s
                        {**(db.open_project.__kwdefaults__ or {}), "busy_timeout": 0.2})
    target = tmp_path / f"findings.{fmt}"
    lock = sqlite3.connect(project, isolation_level=None)
    try:
        lock.execute("PRAGMA locking_mode = EXCLUSIVE")
        lock.execute("BEGIN EXCLUSIVE")
        lock.execute("INSERT INTO project (key, value) VALUES ('held', '1')")
        before = open_files()
        code, out = run(*command(kind, fmt, project, target))
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    lines = out.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "Traceback" not in out, out
    assert "locked" in lines[0] and str(project) in lines[0]
    assert not target.exists() and list(temp_dir.iterdir()) == []
    assert open_files() - before == set()
