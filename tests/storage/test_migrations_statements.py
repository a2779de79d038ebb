"""Migrations run statement by statement, so a statement may hold semicolons of its own."""

from __future__ import annotations

import sqlite3

from annotator.storage.migrations import _run


def test_a_trigger_body_with_semicolons_runs_as_one_statement() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("BEGIN")
    _run(conn, [
        "CREATE TABLE t (x TEXT)",
        "CREATE TABLE log (x TEXT)",
        """CREATE TRIGGER t_log AFTER INSERT ON t BEGIN
               INSERT INTO log VALUES (new.x || ';');
               INSERT INTO log VALUES ('second');
           END""",
    ])
    conn.execute("INSERT INTO t VALUES ('a')")
    conn.execute("COMMIT")
    assert [r[0] for r in conn.execute("SELECT x FROM log ORDER BY rowid")] == ["a;", "second"]
