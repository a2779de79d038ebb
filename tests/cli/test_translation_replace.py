"""Adding a translation to a document that already has one asks for --replace, as documents do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()
ZH = "A：我们社区的减负工作做了很多。\n\nB：上级来检查。\n"
EN = "A: Our community has done a lot of burden reduction.\n\nB: The higher level inspects.\n"
EN2 = "A: We did much to reduce burdens.\n\nB: Superiors come to inspect.\n"


def _english(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT en FROM segments ORDER BY position")]


def test_a_second_translation_needs_replace(tmp_path: Path) -> None:
    for name, text in (("int01.zh.txt", ZH), ("a.en.txt", EN), ("b.en.txt", EN2)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "study.db"
    assert runner.invoke(app, ["import", str(db), str(tmp_path / "int01.zh.txt")]).exit_code == 0
    first = runner.invoke(app, ["import", str(db), "-d", "int01", "-t", str(tmp_path / "a.en.txt")])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["import", str(db), "-d", "int01", "-t", str(tmp_path / "b.en.txt")])
    assert again.exit_code == 1
    assert again.stderr.strip() == ("annotator: error: document 'int01' already has English text"
                                    " (2 of 2 segments); add --replace to overwrite it with this translation")
    assert _english(db) == ["Our community has done a lot of burden reduction.", "The higher level inspects."]
    forced = runner.invoke(app, ["import", str(db), "-d", "int01", "-t", str(tmp_path / "b.en.txt"),
                                 "--replace"])
    assert forced.exit_code == 0, forced.output
    assert _english(db) == ["We did much to reduce burdens.", "Superiors come to inspect."]
