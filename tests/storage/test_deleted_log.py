"""A project whose write-ahead log was deleted while a program has it open is not opened again
until that program has closed it: a new connection would make a fresh log under the old name
beside the open connections' index of the deleted one, read pages that are not there, and a
checkpoint from it would damage the project file for good (seen as "database disk image is
malformed" when a coding screen's engine process opened the file after its log was deleted)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from annotator.storage.deleted_log import index_in_use, shm_path
from annotator.storage.file_guard import ProjectFileLost, wal_path

HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("INSERT INTO settings(key, value) VALUES ('held', 'yes')")
print("open", flush=True)
sys.stdin.readline()
conn.close()
"""


def _holder(path: Path) -> subprocess.Popen[str]:
    """Another process with the project open (it has written a row through the log)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    return proc


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_another_program_holding_the_index_is_seen(demo_project: Path) -> None:
    holder = _holder(demo_project)
    try:
        assert index_in_use(shm_path(demo_project))
    finally:
        holder.communicate("\n")
    assert not shm_path(demo_project).exists()  # the last connection closed removes it


def test_opening_after_the_log_was_deleted_under_another_program_is_refused(
        demo_project: Path) -> None:
    holder = _holder(demo_project)
    try:
        os.unlink(wal_path(demo_project))
        with pytest.raises(ProjectFileLost, match=r"write-ahead log .* was deleted"):
            open_project(demo_project)
        assert not wal_path(demo_project).exists()  # no new log was made beside the index
    finally:
        holder.communicate("\n")
    with open_project(demo_project) as project:  # the holder, closing last, wrote its log back
        held = project.conn.execute("SELECT value FROM settings WHERE key = 'held'").fetchone()
    assert held == ("yes",)
    assert _integrity(demo_project) == "ok"


def test_a_second_connection_in_the_same_process_is_refused_too(demo_project: Path) -> None:
    with open_project(demo_project) as main:
        tag(main, load_codebook(main), "kim", "A20230321-001", ["adaptation"])
        os.unlink(wal_path(demo_project))
        with pytest.raises(ProjectFileLost):
            open_project(demo_project)
    assert _integrity(demo_project) == "ok"


def test_the_command_line_says_so_in_one_line(demo_project: Path) -> None:
    holder = _holder(demo_project)
    try:
        os.unlink(wal_path(demo_project))
        done = subprocess.run([sys.executable, "-m", "annotator", "stats", str(demo_project)],
                              capture_output=True, text=True, check=False)
    finally:
        holder.communicate("\n")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "was deleted while a program still has the project open" in lines[0]
    assert "Traceback" not in done.stderr


def test_a_leftover_index_nobody_holds_does_not_stop_opening(demo_project: Path) -> None:
    """After a crash the index may stay without its log; with no program holding it, SQLite
    rebuilds it, so the project opens."""
    shm_path(demo_project).write_bytes(b"\0" * 32768)
    with open_project(demo_project) as project:
        assert project.conn.execute("SELECT count(*) FROM segments").fetchone()[0] > 0
