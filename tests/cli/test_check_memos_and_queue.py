"""``annotator check`` and ``import --replace`` with document and code memos and the re-decide queue."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.cli_helpers import run


def _sql(db: Path, query: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query).fetchall()


def test_replace_that_removes_a_queued_segment_drops_it_from_the_queue(project: Path) -> None:
    code, out = run("codebook", "split", project, "rights_mismatch", "rights_gap", "rights_excess")
    assert code == 0, out
    assert _sql(project, "SELECT coder, segment FROM redecide") == [("li", "int01-002")]
    short = project.parent / "int01.zh.txt"
    short.write_text("采访者：您好，请介绍一下您的工作。\n", encoding="utf-8")
    code, out = run("import", project, short, "--replace")
    assert code == 0, out
    assert _sql(project, "SELECT count(*) FROM segments") == [(1,)]
    assert _sql(project, "SELECT * FROM redecide") == []
    code, out = run("check", project)
    assert code == 0, out


def test_check_finds_memos_and_queued_segments_on_what_no_longer_exists(project: Path) -> None:
    assert run("memo", project, "--document", "int01", "--coder", "li", "long pauses")[0] == 0
    assert run("memo", project, "--code", "adaptation", "--coder", "li", "fit")[0] == 0
    code, out = run("check", project)
    assert code == 0, out
    conn = sqlite3.connect(project, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE notes SET target = 'int99' WHERE kind = 'document'")
    conn.execute("UPDATE notes SET target = 'gone_code' WHERE kind = 'code'")
    conn.execute("INSERT INTO redecide VALUES ('li', 'int01-009', 'adaptation', 'x', '2025-01-01')")
    conn.execute("INSERT INTO redecide VALUES ('li', 'int01-001', 'no_such_code', 'x', '2025-01-01')")
    conn.close()
    code, out = run("check", project)
    assert code == 1
    orphans = [line for line in out.splitlines() if line.startswith("orphan:")]
    assert orphans == [
        "orphan: notes: li's memo on missing document int99",
        "orphan: notes: li's memo on missing code gone_code",
        "orphan: redecide: li on missing segment int01-009",
        "orphan: redecide: li on int01-001 has unknown code no_such_code",
    ], out
