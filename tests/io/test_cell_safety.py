"""Formula neutralisation of exported cells: every start a spreadsheet reads as a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from annotator.io.cell_safety import neutralise

FORMULAS = [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
    "＝HYPERLINK(\"http://x\")", "＋1", "－1", "＠SUM(A1)",  # full-width, as Chinese IMEs type them
    "  =1+1", "\u3000=1+1", "\n=1+1", " \n \u3000＝1", "\u00a0@x",  # after spaces and line breaks
]
SAFE = ["采访者：我们=他们", "a=1", "", "   ", "100", 3, None, 1.5, "中文＝英文"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_formula_starts_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", SAFE)
def test_other_cells_are_kept(cell: object) -> None:
    assert neutralise(cell) == cell


def test_excel_csv_neutralises_full_width_and_indented_formulas(tmp_path: Path) -> None:
    from annotator.application.exporting import export_csv
    from annotator.application.importing import import_any
    from annotator.application.projects import create_project
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import set_memo, tag
    from annotator.storage.db import open_project

    source = tmp_path / "talk.txt"
    source.write_text("A：＝1+1\n\nB：\u3000=cmd|' /C calc'!A0\n", encoding="utf-8")
    path = tmp_path / "p.db"
    create_project(path)
    import_any(path, [source])
    with open_project(path) as p:
        codebook = load_codebook(p)
        segments = [r[0] for r in p.execute("SELECT id FROM segments ORDER BY position")]
        for seg in segments:
            tag(p, codebook, "a", seg, [codebook.codes[0].id])
            set_memo(p, "a", seg, " ＋memo")
        export_csv(p, tmp_path / "out.csv", excel=True)
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    risky = [c for c in cells if c.lstrip()[:1] in set("=+-@＝＋－＠")]
    assert not risky, risky
