"""After a big import into an existing project the write-ahead log is copied into the project
file in view: no automatic copy while the import writes, then one with a progress bar that
ends at its total; a failed import copies nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.application.projects import create_project
from annotator.storage import checkpoint, progress
from annotator.storage.checkpoint import checkpoint_after
from annotator.storage.db import Project, open_project
from annotator.storage.file_guard import wal_path


class Recorder:
    """A progress reporter keeping what it was told."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, int]] = []
        self.advanced = 0

    @contextlib.contextmanager
    def __call__(self, what: str, total: int) -> Iterator[progress.Advance]:
        self.shown.append((what, total))

        def advance(n: int) -> None:
            assert n >= 0
            self.advanced += n

        yield advance


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    monkeypatch.setattr(checkpoint, "SHOWN_FROM", 1 << 20)
    monkeypatch.setattr(checkpoint, "POLL_S", 0.001)
    rec = Recorder()
    progress.set_reporter(rec)
    yield rec
    progress.set_reporter(None)


def _write_rows(p: Project, n: int) -> None:
    with p.write() as conn:
        conn.execute("INSERT INTO documents (id, position) VALUES ('D', 1)")
        conn.executemany("INSERT INTO segments (id, document, position, zh) VALUES (?, 'D', ?, ?)",
                         [(f"D-{i}", i, "减负" * 200) for i in range(1, n + 1)])


def test_the_log_is_copied_after_the_import_with_a_bar(tmp_path: Path, recorder: Recorder) -> None:
    path = tmp_path / "p.db"
    create_project(path)
    with open_project(path) as p:
        size = path.stat().st_size
        with checkpoint_after(p):
            _write_rows(p, 3000)
            assert path.stat().st_size == size  # held back: all of it still in the log
            assert wal_path(path).stat().st_size > 2 << 20
        assert path.stat().st_size > size + (2 << 20)
        assert p.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        busy, logged, copied = p.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0 and logged == copied  # nothing left to copy
    assert recorder.shown == [("writing the import into the project file", recorder.advanced)]
    assert recorder.advanced >= 2 << 20


def test_a_failed_import_copies_nothing(tmp_path: Path, recorder: Recorder) -> None:
    path = tmp_path / "p.db"
    create_project(path)
    with open_project(path) as p:
        size = path.stat().st_size
        with pytest.raises(ValueError), checkpoint_after(p), p.write():
            _write_rows(p, 3000)
            raise ValueError("refused")
        assert path.stat().st_size == size
        assert p.execute("SELECT count(*) FROM segments").fetchone()[0] == 0
        assert p.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert recorder.shown == []
