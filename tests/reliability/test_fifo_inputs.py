"""Input paths that are FIFOs or devices are refused at once (reading a FIFO blocked forever);
a codebook label holding a lone surrogate is refused by ``codebook check`` like by ``init``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.reliability.reliability_helpers import annotator


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("args", [
    ["codebook", "check", "{fifo}"],
    ["init", "{tmp}/new.db", "--codebook", "{fifo}"],
    ["codebook", "set", "{project}", "{fifo}"],
    ["import", "{project}", "{fifo}"],
    ["import", "{tmp}/new.db", "{fifo}.qdpx"],
    ["recover", "{project}", "{fifo}"],
], ids=["check", "init", "set", "import", "qdpx", "recover"])
def test_fifo_inputs_are_refused_at_once(project: Path, tmp_path: Path, fifo: Path,
                                         args: list[str]) -> None:
    os.mkfifo(f"{fifo}.qdpx")
    argv = [a.format(fifo=fifo, tmp=tmp_path, project=project) for a in args]
    done = annotator(*argv, timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "new.db").exists()


def test_lone_surrogate_label_is_refused_by_every_codebook_command(project: Path,
                                                                    tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text('facets:\n  - id: f\n    codes:\n      - id: c\n        label: "x\\ud800"\n',
                    encoding="utf-8")
    for argv in (["codebook", "check", str(book)], ["init", str(tmp_path / "n.db"), "--codebook",
                                                     str(book)],
                 ["codebook", "set", str(project), str(book)]):
        done = annotator(*argv)
        assert done.returncode == 1 and "surrogate" in done.stderr, (argv, done.stderr)
        assert done.stderr.count("\n") == 1
