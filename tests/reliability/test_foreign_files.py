"""Files from elsewhere: older schemas upgrade, newer ones and non-projects get a clear message."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.storage import migrations
from annotator.storage.check import check_project
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import integrity

runner = CliRunner()
COMMANDS = [["check"], ["segments"], ["stats"], ["backup"], ["codebook", "show"],
            ["tag", "--coder", "kim", "seg-1", "c1"]]


def _run(command: list[str], path: Path) -> object:
    args = [*command[:2], str(path), *command[2:]] if command[0] == "codebook" else [
        command[0], str(path), *command[1:]]
    if command[0] == "tag":
        args = ["tag", str(path), "seg-1", "c1", "--coder", "kim"]
    return runner.invoke(app, args)


def _assert_one_line_error(result: object, *needles: str) -> None:
    assert isinstance(getattr(result, "exception", None), SystemExit), repr(getattr(result, "exception", None))
    assert getattr(result, "exit_code", None) == 1
    stderr = getattr(result, "stderr", "")
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def _version_1_project(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    assert migrations.apply(conn, upto=1) == 1
    stamp = "2025-01-01T00:00:00.000Z"
    conn.executescript(f"""
        BEGIN;
        INSERT INTO facets (id, position, multiple, label_en) VALUES ('f', 0, 0, 'Facet');
        INSERT INTO codes (id, facet, position, key, label_en) VALUES ('c1', 'f', 0, '1', 'One');
        INSERT INTO codes (id, facet, position, key, label_en) VALUES ('c2', 'f', 1, '2', 'Two');
        INSERT INTO documents (id, position, title) VALUES ('doc', 1, 'Doc');
        INSERT INTO segments (id, document, position, zh, en) VALUES ('seg-1', 'doc', 1, '你好', 'Hello');
        INSERT INTO segments (id, document, position, zh, en) VALUES ('seg-2', 'doc', 2, '再见', 'Bye');
        INSERT INTO coders (name, created_at) VALUES ('kim', '{stamp}');
        INSERT INTO annotations VALUES ('kim', 'seg-1', 'c1', '{stamp}');
        INSERT INTO done VALUES ('kim', 'seg-1', '{stamp}');
        INSERT INTO events (at, coder, action, segment, before, after) VALUES ('{stamp}', 'kim', 'tag',
            'seg-1', '{json.dumps({"codes": [], "done": False, "memo": ""})}',
            '{json.dumps({"codes": ["c1"], "done": True, "memo": ""})}');
        COMMIT;
    """)
    conn.close()


def test_an_older_project_opens_and_upgrades_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _version_1_project(path)
    conn = sqlite3.connect(path)
    rows_before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                   for t in ("codes", "segments", "annotations", "done", "events")}
    conn.close()
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.stderr + result.stdout
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    for table, rows in rows_before.items():
        assert conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() == rows
    conn.close()
    with open_project(path) as p:  # the upgraded file works: settings exist, tagging goes on
        p.execute("SELECT count(*) FROM settings").fetchone()
    assert runner.invoke(app, ["tag", str(path), "seg-2", "c2", "--coder", "kim"]).exit_code == 0
    with open_project(path) as p:
        assert check_project(p).ok


def test_a_project_from_a_newer_annotator_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    _version_1_project(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.close()
    original = path.read_bytes()
    for command in COMMANDS:
        _assert_one_line_error(_run(command, path), "newer annotator")
    assert path.read_bytes() == original


def _text_file(path: Path) -> None:
    path.write_text("采访者：这不是项目文件。\n", encoding="utf-8")


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('dumplings')")
    conn.commit()
    conn.close()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize(
    ("make", "needle"),
    [(_text_file, "not an annotator project"), (_other_sqlite, "another program"),
     (_empty, "empty file")],
    ids=["text-file", "other-sqlite", "empty"],
)
def test_files_that_are_not_projects(make: object, needle: str, tmp_path: Path) -> None:
    path = tmp_path / "thing.db"
    make(path)  # type: ignore[operator]
    original = path.read_bytes()
    for command in COMMANDS:
        _assert_one_line_error(_run(command, path), needle)
    assert path.read_bytes() == original


def test_a_truncated_project_gets_a_clear_message(project: Path) -> None:
    data = project.read_bytes()
    project.write_bytes(data[: len(data) // 3])
    for command in COMMANDS:
        _assert_one_line_error(_run(command, project))


def _schema_pages(project: Path) -> set[int]:
    """The pages holding the schema (left readable: the file must still open as a project)."""
    conn = sqlite3.connect(str(project))
    try:
        return {r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'")}
    finally:
        conn.close()


def _corrupt(project: Path) -> None:
    schema = _schema_pages(project)
    data = bytearray(project.read_bytes())
    page = 4096
    for start in range(page * 3, len(data), page * 2):  # scribble over every other page
        if start // page + 1 not in schema:
            data[start + 100 : start + 400] = b"\xa5" * 300
    project.write_bytes(bytes(data))
    assert integrity(project) != "ok"


def test_check_reports_a_corrupt_project(project: Path) -> None:
    _corrupt(project)
    result = runner.invoke(app, ["check", str(project)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert "integrity:" in result.stdout
    assert result.stderr.strip().splitlines()[-1].startswith("annotator: ")


@pytest.mark.parametrize("command", [
    pytest.param(c, id=c[0] if c[0] != "codebook" else "codebook-show",
                 marks=[])
    for c in COMMANDS[1:]
])
def test_other_commands_on_a_corrupt_project_fail_cleanly(command: list[str], project: Path) -> None:
    _corrupt(project)
    result = _run(command, project)
    exc = getattr(result, "exception", None)
    assert isinstance(exc, SystemExit | None), repr(exc)
    if getattr(result, "exit_code", 0):
        _assert_one_line_error(result)
