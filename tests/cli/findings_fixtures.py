"""A coded project for the findings tests: the demo corpus coded by 'paper', plus two coders who
disagree with it, a 'consensus' coder, memos and document attributes that differ by document."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

LI = {
    "A20230321-001": ["adaptation", "rights_mismatch", "trace_formalism"],
    "A20230321-003": ["goal_attainment", "trace_formalism"],
    "B20230512-001": ["integration", "rights_mismatch"],
    "C20230623-001": ["goal_attainment", "inspection_pressure", "trace_formalism"],
    "D20230804-002": ["goal_attainment"],
}
WANG = {
    "A20230321-001": ["adaptation", "rights_mismatch"],
    "B20230512-002": ["goal_attainment", "activity_intensity"],
}
ROLES = {"A20230321": "party secretary", "B20230512": "grid worker", "C20230623": "grid worker"}


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def build(master: Path, folder: Path, *, consensus: bool = True) -> Path:
    """A copy of the demo project ``master`` in ``folder`` with more coders and attributes."""
    db = folder / "study.db"
    with sqlite3.connect(master) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(master, db)
    for coder, work in (("li", LI), ("wang", WANG)):
        for seg, codes in work.items():
            code, out = run("tag", db, seg, *codes, "--coder", coder)
            assert code == 0, out
    if consensus:
        for seg, codes in {**WANG, **LI}.items():
            assert run("tag", db, seg, *codes, "--coder", "consensus")[0] == 0
    for doc, role in ROLES.items():
        code, out = run("attributes", db, "set", doc, f"role={role}", "gender=f")
        assert code == 0, out
    code, out = run("memo", db, "A20230321-001", "--coder", "li", "tired, first month")
    assert code == 0, out
    return db


def sql(db: Path, query: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, params).fetchall()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
