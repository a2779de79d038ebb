"""A JSONL export restores into a fresh project with every table's content equal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.application.exporting import export_jsonl
from annotator.application.importing import import_any, restore_jsonl
from annotator.errors import ImportFormatError
from annotator.io.jsonl_restore import is_project_export
from annotator.storage.coding import set_memo
from annotator.storage.db import open_project
from annotator.storage.table_dump import TABLES
from tests.interchange_fixtures import coded_project


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


def _table(path: Path, table: str) -> list[tuple[object, ...]]:
    with open_project(path) as p:
        cols = [r[1] for r in p.execute(f'PRAGMA table_info("{table}")')]
        return sorted(tuple(r) for r in p.execute(
            f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"'))


def test_round_trip_equal_tables(base: Path, tmp_path: Path) -> None:
    src = coded_project(base)
    with open_project(src) as p:
        # an archived code and a setting make the fixture cover every table
        p.execute("INSERT INTO settings (key, value) VALUES ('backups', '3')")
        export_jsonl(p, tmp_path / "x.jsonl")
    assert is_project_export(tmp_path / "x.jsonl")
    lines = import_any(tmp_path / "new.db", [tmp_path / "x.jsonl"])
    assert any("restored 5 documents" in line for line in lines)
    for table in TABLES:
        assert _table(tmp_path / "new.db", table) == _table(src, table), table
    first = json.loads((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["type"] == "annotator-project" and first["version"] == 1


def test_restore_refuses_project_with_documents(base: Path, tmp_path: Path) -> None:
    src = coded_project(base)
    with open_project(src) as p:
        export_jsonl(p, tmp_path / "x.jsonl")
        with pytest.raises(ImportFormatError, match="already holds documents"):
            restore_jsonl(p, tmp_path / "x.jsonl")


def test_broken_line_keeps_nothing(base: Path, tmp_path: Path) -> None:
    src = coded_project(base)
    with open_project(src) as p:
        export_jsonl(p, tmp_path / "x.jsonl")
    lines = (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()
    seg = next(i for i, line in enumerate(lines) if '"type": "annotations"' in line)
    lines[seg] = lines[seg].replace('"segment": "', '"segment": "nope-')
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as info:
        import_any(tmp_path / "new.db", [tmp_path / "bad.jsonl"])
    assert info.value.line == seg + 1
    assert not (tmp_path / "new.db").exists()


def test_truncated_export_refused(base: Path, tmp_path: Path) -> None:
    src = coded_project(base)
    with open_project(src) as p:
        export_jsonl(p, tmp_path / "x.jsonl")
    lines = (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "cut.jsonl").write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="incomplete"):
        import_any(tmp_path / "new.db", [tmp_path / "cut.jsonl"])


def test_every_line_is_what_json_dumps_writes_for_its_row(base: Path, tmp_path: Path) -> None:
    path = coded_project(base)
    with open_project(path) as p:
        set_memo(p, "li", "astral-001", 'say "no" \\ 100% \t\x01 督查😀')
        with p.write():
            p.execute("UPDATE segments SET start = 1.1, \"end\" = ? WHERE id = 'astral-001'", (float("inf"),))
            p.execute("UPDATE events SET detail = '{\"a\":1}' WHERE id = 1")  # compact JSON text
            p.execute("UPDATE events SET detail = 'not json' WHERE id = 2")
        export_jsonl(p, tmp_path / "x.jsonl")
    lines = (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 100
    for line in lines:
        assert json.dumps(json.loads(line), ensure_ascii=False) == line
    rows = [json.loads(line) for line in lines[1:]]
    events = {r["id"]: r for r in rows if r["type"] == "events"}
    assert events[1]["detail"] == {"a": 1} and events[2]["detail"] == "not json"
    assert any(r["type"] == "memos" and r["text"] == 'say "no" \\ 100% \t\x01 督查😀' for r in rows)
    assert any(r["type"] == "segments" and r["end"] == float("inf") for r in rows)
