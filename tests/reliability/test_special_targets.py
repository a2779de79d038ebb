"""``-o`` naming a FIFO or a character device: written in place, never replaced by a file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import annotator

COMMANDS = {
    "csv": ["export", "{p}", "--format", "csv", "-o", "{o}"],
    "jsonl": ["export", "{p}", "--format", "jsonl", "-o", "{o}"],
    "qdpx": ["export", "{p}", "--format", "qdpx", "-o", "{o}"],
    "qdc": ["export", "{p}", "--format", "qdc", "-o", "{o}"],
    "agree": ["agree", "{p}", "-o", "{o}"],
    "backup": ["backup", "{p}", "-o", "{o}"],
}


@pytest.fixture
def coded(project: Path) -> Path:
    with open_project(project) as p:
        codebook = load_codebook(p)
        code = codebook.codes[0].id
        segments = [r[0] for r in p.execute("SELECT id FROM segments ORDER BY position LIMIT 5")]
        for coder in ("a", "b"):
            for seg in segments:
                tag(p, codebook, coder, seg, [code])
    return project


def _left(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if not n.startswith("project.db"))


def _run(command: str, project: Path, out: Path) -> None:
    args = [a.format(p=project, o=out) for a in COMMANDS[command]]
    done = annotator(*args)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_output_to_a_fifo_reaches_its_reader(coded: Path, tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    _run(command, coded, fifo)
    reader.join(30)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and len(got[0]) > 100
    assert _left(tmp_path) == ["pipe"]  # no temporary file left beside it


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a character device needs root")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_output_to_a_character_device_keeps_the_device(coded: Path, tmp_path: Path,
                                                       command: str) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    _run(command, coded, null)
    st = os.stat(null)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert _left(tmp_path) == ["null"]


def test_output_to_dev_null_works(coded: Path) -> None:
    for command in ("csv", "backup"):
        _run(command, coded, Path(os.devnull))
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_spacy_export_to_a_device_is_refused_without_touching_its_folder(coded: Path,
                                                                          tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = annotator("export", str(coded), "--format", "spacy", "--coder", "a", "-o", str(fifo))
    assert done.returncode == 1 and "regular file" in done.stderr
    assert _left(tmp_path) == ["pipe"]
