"""A table longer than a worksheet holds continues on numbered sheets, each with its header."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.io import xlsx_export
from annotator.io.xlsx_export import Sheet, write_xlsx


@pytest.mark.parametrize(("rows", "sheets"), [(7, ["t", "t (2)", "t (3)"]), (6, ["t", "t (2)"]), (2, ["t"])])
def test_rows_beyond_a_sheet_continue_on_numbered_sheets(
    rows: int, sheets: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    monkeypatch.setattr(xlsx_export, "SHEET_ROWS", 4)  # a header and three data rows per sheet
    out = tmp_path / "t.xlsx"
    data = ([i, f"row {i}"] for i in range(rows))
    assert write_xlsx(out, [Sheet("t", ["n", "text"], data), Sheet("after", ["x"], [[1]])]) == [rows, 1]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [*sheets, "after"]
    read = []
    for name in sheets:
        values = list(wb[name].iter_rows(values_only=True))
        assert values[0] == ("n", "text") and len(values) <= 4
        read += [list(v) for v in values[1:]]
    assert read == [[i, f"row {i}"] for i in range(rows)]
