"""A big import is tokenised in worker processes: the rows stored are those of an import in one
process, and a bad row part-way through still leaves nothing behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.application.importing import import_any
from annotator.application.projects import create_project
from annotator.application.transcripts import import_transcripts
from annotator.errors import ImportFormatError
from annotator.storage.db import open_project

pytestmark = pytest.mark.slow  # starts worker processes

ZH = ["网格员每天要填很多表格，真正入户走访的时间反而少了。", "接诉即办以后，居民的诉求能很快转到社区。",
      "痕迹主义并没有根本改变，减负还要继续。"]
EN = ["Grid workers fill in many forms every day.", "Requests reach the community quickly.",
      "Formalism has not changed; the burden must be cut."]


def _csv(path: Path, rows: int, bad_at: int | None = None) -> Path:
    lines = ["document,speaker,zh,en"]
    for i in range(rows):
        zh = ZH[i % 3] + f"第{i}次" if i != bad_at else ""
        en = EN[i % 3] + f" Turn {i}." if i != bad_at else ""
        lines.append(f"D{i // 700:02d},{'AB'[i % 2]},{zh},{en}" if i != bad_at else "D00,A,\"x")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, zh, en, zh_tokens, en_tokens, zh_terms, en_terms FROM"
                            " segments ORDER BY id").fetchall()


def test_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    source = _csv(tmp_path / "big.csv", 5000)
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    for db, parallel in ((here, False), (there, True)):
        create_project(db)
        with open_project(db) as p:
            assert import_transcripts(p, [source], parallel=parallel).segments == 5000
    assert _rows(here) == _rows(there)
    with open_project(there) as p:
        from annotator.storage.documents import search_segments

        assert len(search_segments(p, "减负", limit=5000)) == len(range(2, 5000, 3))


def test_a_bad_row_late_in_a_parallel_import_leaves_no_file(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import annotator.application.importing as importing

    monkeypatch.setattr(importing, "PARALLEL_BYTES", 10)
    source = _csv(tmp_path / "bad.csv", 6000, bad_at=5500)
    db = tmp_path / "new.db"
    with pytest.raises(ImportFormatError) as err:
        import_any(db, [source])
    assert "bad.csv" in str(err.value)
    assert not db.exists()
