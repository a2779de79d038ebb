"""Reading a JSONL export back into stored rows, with no project open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import ImportFormatError
from annotator.io.jsonl_export import export_header
from annotator.io.jsonl_restore import check_counts, checked_header, is_project_export, iter_rows

COLUMNS = {"codes": ["id", "facet", "keywords_zh", "extra"], "events": ["id", "detail"]}


def _export(path: Path, *rows: dict[str, object], schema: int = 1, tail: str = "") -> Path:
    header = export_header(schema, "2026-01-01T00:00:00.000Z", "p", {"codes": 1})
    lines = [json.dumps(header), *(json.dumps(r, ensure_ascii=False) for r in rows)]
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    return path


def test_json_values_become_the_stored_json_text(tmp_path: Path) -> None:
    path = _export(tmp_path / "x.jsonl", {"type": "codes", "id": "a", "facet": "f",
                                          "keywords_zh": ["租金"], "extra": {"n": 1}})
    assert is_project_export(path)
    (row,) = iter_rows(path, COLUMNS)
    assert row == (2, "codes", {"id": "a", "facet": "f", "keywords_zh": '["租金"]', "extra": '{"n": 1}'})


def test_unknown_field_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _export(tmp_path / "x.jsonl", {"type": "codes", "id": "a", "colour": "red"})
    with pytest.raises(ImportFormatError, match="unknown codes field") as info:
        list(iter_rows(path, COLUMNS))
    assert str(info.value).startswith(f"{path}:2: ")


def test_cut_off_last_line_says_the_export_is_incomplete(tmp_path: Path) -> None:
    path = _export(tmp_path / "x.jsonl", tail='{"type": "codes", "id": "b')
    with pytest.raises(ImportFormatError, match="ends part-way"):
        list(iter_rows(path, COLUMNS))


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = _export(tmp_path / "x.jsonl", schema=99)
    with pytest.raises(ImportFormatError, match="newer annotator"):
        checked_header(path, schema_version=2)


def test_fewer_rows_than_the_header_announces_is_refused(tmp_path: Path) -> None:
    path = _export(tmp_path / "x.jsonl")
    header = checked_header(path, schema_version=2)
    with pytest.raises(ImportFormatError, match="incomplete"):
        check_counts(path, header, {"codes": 0})
    check_counts(path, header, {"codes": 1})
