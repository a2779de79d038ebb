"""``export --format xlsx`` and ``csv --codes-as-columns``: 0/1 columns equal to the annotations;
formulas never run in a spreadsheet, and a plain CSV keeps the text as written."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from annotator.storage.search_index import register
from tests.cli.findings_fixtures import build, run, sql


@pytest.fixture(scope="module")
def db(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = build(demo_master, tmp_path_factory.mktemp("sheets"))
    import sqlite3

    with sqlite3.connect(db) as conn:
        register(conn)  # the search index's triggers use annotator's function
        conn.execute("UPDATE segments SET en = '=HYPERLINK(\"http://x\")' WHERE id = 'B20230512-001'")
        conn.execute("UPDATE segments SET en = '-2 staff left' WHERE id = 'B20230512-002'")
    assert run("memo", db, "--document", "A20230321", "--coder", "wang", "first interview")[0] == 0
    return db


def annotations(db: Path) -> set[tuple[str, str, str]]:
    return set(sql(db, "SELECT coder, segment, code FROM annotations"))


def check_code_columns(header: list[str], rows: list[list], db: Path) -> None:
    codes = [r[0] for r in sql(db, "SELECT id FROM codes WHERE archived = 0 ORDER BY position")]
    at = {name: i for i, name in enumerate(header)}
    assert set(codes) <= set(at)
    found = {(row[at["coder"]], row[at["segment"]], code) for row in rows for code in codes
             if int(row[at[code]]) == 1}
    assert found == annotations(db)
    assert all(int(row[at[c]]) in (0, 1) for row in rows for c in codes)
    n_segments = sql(db, "SELECT count(*) FROM segments")[0][0]
    n_coders = sql(db, "SELECT count(*) FROM coders")[0][0]
    assert len(rows) == n_segments * n_coders


def test_xlsx_segments_codebook_and_memos_sheets(db: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "study.xlsx"
    code, text = run("export", db, "--format", "xlsx", "-o", out)
    assert code == 0, text
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["segments", "codebook", "memos"]
    ws = wb["segments"]
    assert ws.freeze_panes == "A2"
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    header, rows = [str(h) for h in values[0]], values[1:]
    check_code_columns(header, rows, db)
    at = {name: i for i, name in enumerate(header)}
    assert {"role", "gender", "dimension", "burden", "memo"} <= set(at)
    zh_col = at["zh"] + 1
    assert ws.cell(row=2, column=zh_col).alignment.wrap_text
    li_a1 = next(r for r in rows if r[at["segment"]] == "A20230321-001" and r[at["coder"]] == "li")
    assert li_a1[at["role"]] == "party secretary" and li_a1[at["memo"]] == "tired, first month"
    # formulas are stored as text, exactly as written
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert '=HYPERLINK("http://x")' in {c.value for c in cells}
    codebook = [list(r) for r in wb["codebook"].iter_rows(values_only=True)]
    assert sorted(r[2] for r in codebook[1:]) == sorted(r[0] for r in sql(db, "SELECT id FROM codes"))
    memos = [list(r) for r in wb["memos"].iter_rows(values_only=True)][1:]
    assert ["document", "A20230321", "A20230321", "wang", "first interview"] == memos[0][:5]
    assert len(memos) == sql(db, "SELECT (SELECT count(*) FROM memos) + (SELECT count(*) FROM notes)")[0][0]


def read_csv(path: Path, encoding: str = "utf-8") -> tuple[list[str], list[list[str]]]:
    with path.open(encoding=encoding, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def test_csv_codes_as_columns_keeps_text_as_written(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "wide.csv"
    code, text = run("export", db, "--format", "csv", "--codes-as-columns", "-o", out)
    assert code == 0, text
    header, rows = read_csv(out)
    check_code_columns(header, rows, db)
    en = {r[header.index("en")] for r in rows}
    assert "-2 staff left" in en and '=HYPERLINK("http://x")' in en


def test_csv_for_excel_neutralises_formulas(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    code, text = run("export", db, "--format", "csv", "--codes-as-columns", "--excel", "-o", out)
    assert code == 0, text
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    header, rows = read_csv(out, "utf-8-sig")
    en = {r[header.index("en")] for r in rows}
    assert "'-2 staff left" in en and "-2 staff left" not in en


def test_xlsx_to_the_screen_is_refused(db: Path) -> None:
    code, out = run("export", db, "--format", "xlsx", "-o", "-")
    assert code == 1 and len(out.strip().splitlines()) == 1


def test_plain_csv_carries_the_document_attributes(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "plain.csv"
    code, text = run("export", db, "--format", "csv", "-o", out)
    assert code == 0, text
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    roles = dict(sql(db, "SELECT id, coalesce(json_extract(attributes, '$.role'), '') FROM documents"))
    assert rows and all(r["role"] == roles[r["document"]] for r in rows)
    assert {r["role"] for r in rows} >= {"party secretary", "grid worker"}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_workbook_as_the_csv_table(db: Path, tmp_path: Path) -> None:
    """A real spreadsheet program opens the workbook, and its segments sheet holds exactly the
    cells of ``csv --codes-as-columns`` (text, numbers, empty cells, formula-like text)."""
    import subprocess

    book, table = tmp_path / "study.xlsx", tmp_path / "table.csv"
    assert run("export", db, "--format", "xlsx", "-o", book)[0] == 0
    assert run("export", db, "--format", "csv", "--codes-as-columns", "-o", table)[0] == 0
    # CSV filter options: comma, double quote, UTF-8, from line 1, …, every sheet to its own file
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path / "out"), str(book)], check=True, capture_output=True, timeout=180)
    sheets = {p.stem.removeprefix("study-"): p for p in (tmp_path / "out").glob("*.csv")}
    assert set(sheets) == {"segments", "codebook", "memos"}
    assert read_csv(sheets["segments"]) == read_csv(table)
