"""Pieces filed under groups: what a group gives back is what was filed under it, in order,
whether it stayed in memory or went to temporary files; the files are closed and gone after."""

from __future__ import annotations

import errno
import os
import resource
import tempfile
from pathlib import Path
from typing import Any

import pytest

from annotator.io import group_spool
from annotator.io.group_spool import filed


def pieces(n: int, groups: int) -> list[tuple[str, list[int]]]:
    """``n`` pieces of varied length and script, each in one to three of ``groups``."""
    return [(f"{i} 第{i}段 {'x' * (i * 37 % 3000)} é\n", sorted({i % groups, i * 7 % groups, i * 13 % groups}))
            for i in range(n)]


def whole(spool: group_spool.GroupSpool, groups: int) -> list[bytes]:
    return [b"".join(spool.read(g)) for g in range(groups)]


def expected(items: list[tuple[str, list[int]]], groups: int) -> list[bytes]:
    return [b"".join(text.encode() for text, held in items if g in held) for g in range(groups)]


def open_files() -> set[str]:
    return {os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
            if os.path.exists(f"/proc/self/fd/{fd}")}


@pytest.fixture()
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("budget", [group_spool.BUDGET, 0, 100_000])
def test_each_group_gives_back_its_pieces_in_order_in_memory_or_on_disk(
        budget: int, monkeypatch: pytest.MonkeyPatch, temp_dir: Path) -> None:
    monkeypatch.setattr(group_spool, "BUDGET", budget)
    monkeypatch.setattr(group_spool, "CHUNK", 1000)  # chunks that split characters
    items = pieces(2000, 7)
    before = open_files()
    spool = filed(items, 7, lambda text: text)
    assert spool.sizes == [sum(g in held for _t, held in items) for g in range(7)]
    assert whole(spool, 7) == expected(items, 7)
    assert whole(spool, 7) == expected(items, 7)  # read again: the same
    spool.close()
    assert open_files() - before == set() and list(temp_dir.iterdir()) == []


def test_many_groups_on_disk_do_not_hold_a_file_each(
        monkeypatch: pytest.MonkeyPatch, temp_dir: Path) -> None:
    """A matrix page with thousands of non-empty cells (a column per document) whose quotes go
    to disk: the number of files a process may open (256 on macOS, often 1024 on Linux) is
    not a limit on the page."""
    monkeypatch.setattr(group_spool, "BUDGET", 0)
    groups = 400
    items = [("y" * 6000, [g]) for _ in range(4) for g in range(groups)]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(map(int, os.listdir("/proc/self/fd"))) + 100, hard), hard))
    try:
        spool = filed(items, groups, lambda text: text)
        try:
            assert whole(spool, groups) == expected(items, groups)
        finally:
            spool.close()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_failure_while_filing_closes_every_file(monkeypatch: pytest.MonkeyPatch, temp_dir: Path) -> None:
    monkeypatch.setattr(group_spool, "BUDGET", 0)
    before = open_files()

    def items() -> Any:
        yield from pieces(500, 5)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        filed(items(), 5, lambda text: text)
    assert open_files() - before == set() and list(temp_dir.iterdir()) == []


def test_a_full_disk_under_the_temporary_files_names_their_folder(
        monkeypatch: pytest.MonkeyPatch, temp_dir: Path) -> None:
    monkeypatch.setattr(group_spool, "BUDGET", 0)
    real = tempfile.TemporaryFile

    class Full:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._file = real(*args, **kwargs)

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name: str) -> Any:
            return getattr(self._file, name)

    monkeypatch.setattr(tempfile, "TemporaryFile", Full)
    with pytest.raises(OSError) as raised:
        filed(pieces(500, 5), 5, lambda text: text)
    assert raised.value.errno == errno.ENOSPC and str(temp_dir) in str(raised.value.filename)
