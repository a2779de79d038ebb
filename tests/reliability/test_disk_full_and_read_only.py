"""A full disk and read-only projects: one line saying what happened, exit 1, nothing
half-written; a read-only project can still be read, exported, checked and backed up."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import annotator, table_digest


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def _mounted(target: Path, *args: str) -> Iterator[None]:
    if os.geteuid() != 0 or not _mount(*args, str(target)):
        pytest.skip("needs root and mount (a tmpfs or a bind mount)")
    try:
        yield
    finally:
        subprocess.run(["umount", str(target)], check=False)


def _coded(project: Path) -> None:
    with open_project(project) as p:
        codebook = load_codebook(p)
        segments = [r[0] for r in p.execute("SELECT id FROM segments ORDER BY position LIMIT 40")]
        for n, seg in enumerate(segments):
            for coder in ("a", "b"):
                tag(p, codebook, coder, seg, [codebook.codes[(n + (coder == "b")) % 3].id])
        p.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _fill(folder: Path, leave: int) -> None:
    free = shutil.disk_usage(folder).free
    with open(folder / f"filler{len(os.listdir(folder))}", "wb") as f:
        with contextlib.suppress(OSError):
            f.write(b"\0" * max(free - leave, 0))


@pytest.fixture
def full_disk(project: Path, tmp_path: Path) -> Iterator[Path]:
    """The coded project on a small tmpfs with about 40 KB left."""
    _coded(project)
    disk = tmp_path / "disk"
    disk.mkdir()
    size = project.stat().st_size + (1 << 20)
    with _mounted(disk, "-t", "tmpfs", "-o", f"size={size}", "tmpfs"):
        shutil.copy(project, disk / "p.db")
        assert annotator("check", str(disk / "p.db")).returncode == 0  # makes -wal and -shm
        _fill(disk, 40 << 10)
        yield disk / "p.db"


OUTPUTS = [["export", "{p}", "--format", "csv", "-o", "{d}/out.csv"],
           ["export", "{p}", "--format", "jsonl", "-o", "{d}/out.jsonl"],
           ["export", "{p}", "--format", "qdpx", "-o", "{d}/out.qdpx"],
           ["agree", "{p}", "--bootstrap", "0", "-o", "{d}/out.txt"],
           ["backup", "{p}", "-o", "{d}/out.db"]]


@pytest.mark.slow
@pytest.mark.parametrize("args", OUTPUTS, ids=lambda a: "-".join(a[:3:2]))
def test_output_on_a_full_disk_is_one_line(full_disk: Path, args: list[str]) -> None:
    folder = full_disk.parent
    before = set(os.listdir(folder))
    done = annotator(*[a.format(p=full_disk, d=folder) for a in args])
    if done.returncode == 0:  # it fitted after all: then it is whole
        pytest.skip("the output fitted in the space left")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert "disk is full" in done.stderr, done.stderr
    assert set(os.listdir(folder)) == before  # no temporary or half-written file left


@pytest.mark.slow
def test_tag_on_a_full_disk_says_so(full_disk: Path) -> None:
    with open_project(full_disk) as p:
        seg = p.execute("SELECT id FROM segments ORDER BY position DESC LIMIT 1").fetchone()[0]
    before = table_digest(full_disk)
    _fill(full_disk.parent, 0)
    done = annotator("tag", str(full_disk), seg, "--none", "--coder", "c")
    assert done.returncode == 1
    assert "disk is full" in done.stderr and "damaged" not in done.stderr, done.stderr
    for filler in full_disk.parent.glob("filler*"):
        filler.unlink()
    assert table_digest(full_disk) == before


@pytest.fixture
def read_only(project: Path, tmp_path: Path) -> Iterator[Path]:
    """The coded project in a folder bind-mounted read-only."""
    _coded(project)
    source, view = tmp_path / "src", tmp_path / "ro"
    source.mkdir()
    view.mkdir()
    shutil.copy(project, source / "p.db")
    with _mounted(view, "--bind", str(source)):
        if not _mount("-o", "remount,bind,ro", str(view)):
            pytest.skip("cannot remount read-only")
        yield view / "p.db"


@pytest.mark.parametrize("args", [["segments", "{p}"], ["agree", "{p}", "--bootstrap", "0"],
                                  ["export", "{p}", "--format", "csv", "-o", "{o}/x.csv"],
                                  ["check", "{p}"], ["backup", "{p}", "-o", "{o}/b.db"],
                                  ["stats", "{p}"], ["annotations", "{p}"]],
                         ids=lambda a: a[0])
def test_read_only_project_can_be_read(read_only: Path, tmp_path: Path, args: list[str]) -> None:
    done = annotator(*[a.format(p=read_only, o=tmp_path) for a in args])
    assert done.returncode == 0, done.stderr


def test_writing_a_read_only_project_says_it_is_read_only(read_only: Path) -> None:
    with open_project(read_only) as p:
        seg = p.execute("SELECT id FROM segments LIMIT 1").fetchone()[0]
    done = annotator("tag", str(read_only), seg, "--none", "--coder", "c")
    assert done.returncode == 1 and "read-only" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1


def test_init_in_a_read_only_folder_is_one_line(read_only: Path) -> None:
    done = annotator("init", str(read_only.parent / "new.db"))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
