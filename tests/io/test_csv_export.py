"""CSV export: wide and long layouts, formula injection neutralised, BOM for Excel."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from annotator.application.exporting import export_csv
from annotator.errors import UsageError
from annotator.io.csv_export import neutralise
from annotator.storage.db import open_project
from tests.interchange_fixtures import coded_project


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


@pytest.mark.parametrize("cell", ["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx", "=cmd|' /C calc'!A0"])
def test_neutralise_dangerous(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["受访者", "a=b", "", 3, None, "1-2"])
def test_neutralise_keeps_safe(cell: object) -> None:
    assert neutralise(cell) == cell


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


def test_wide_one_row_per_segment_and_coder(base: Path, tmp_path: Path) -> None:
    with open_project(coded_project(base)) as p:
        n = export_csv(p, tmp_path / "w.csv")
        n_segments = p.execute("SELECT count(*) FROM segments").fetchone()[0]
    rows = _rows(tmp_path / "w.csv")
    assert n == len(rows) == n_segments * 2  # coders li and paper
    li2 = next(r for r in rows if r["segment"] == "astral-002" and r["coder"] == "li")
    assert li2["dimension"] == "goal_attainment"
    assert li2["burden"] == "rights_mismatch; inspection_pressure"
    assert li2["memo"] == "督查😀太多 — too many inspections" and li2["done"] == "1"
    li3 = next(r for r in rows if r["segment"] == "astral-003" and r["coder"] == "li")
    assert li3["done"] == "1" and li3["burden"] == "" and li3["zh"].startswith("还有=SUM")
    memo = next(r for r in rows if r["segment"] == "A20230321-001" and r["coder"] == "paper")
    assert memo["memo"] == "-first memo"  # for R and pandas the text stays as written


def test_excel_csv_neutralises_formulas(base: Path, tmp_path: Path) -> None:
    with open_project(coded_project(base)) as p:
        export_csv(p, tmp_path / "w.csv", excel=True)
    rows = _rows(tmp_path / "w.csv", "utf-8-sig")
    memo = next(r for r in rows if r["segment"] == "A20230321-001" and r["coder"] == "paper")
    assert memo["memo"] == "'-first memo"
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_long_and_excel_bom(base: Path, tmp_path: Path) -> None:
    with open_project(coded_project(base)) as p:
        n = export_csv(p, tmp_path / "l.csv", long=True, excel=True, coders=["li"])
    raw = (tmp_path / "l.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _rows(tmp_path / "l.csv", "utf-8-sig")
    assert n == len(rows) == 6
    assert {r["coder"] for r in rows} == {"li"}
    assert {(r["segment"], r["code"]) for r in rows} >= {("astral-001", "trace_formalism")}
    assert next(r for r in rows if r["code"] == "adaptation")["label_zh"] == "环境适应"


def test_unknown_coder_and_no_half_written_file(base: Path, tmp_path: Path) -> None:
    out = tmp_path / "w.csv"
    out.write_text("old", encoding="utf-8")
    with open_project(coded_project(base)) as p, pytest.raises(UsageError, match="no coder"):
        export_csv(p, out, coders=["nobody"])
    assert out.read_text(encoding="utf-8") == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["w.csv"]
