"""The project file: migrations, coding through the event log, undo/redo, clear errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.application.projects import create_project
from annotator.errors import ProjectError, UsageError
from annotator.model import CoderState
from annotator.storage import migrations
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import (
    coder_states,
    get_state,
    redo,
    set_memo,
    tag,
    toggle_code,
    undo,
)
from annotator.storage.db import open_project


def test_migrations_from_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with open_project(path, create=True) as p:
        assert p.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert p.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
        assert p.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert p.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        cols = p.db["segments"].columns_dict
        assert {"id", "document", "position", "speaker", "start", "end", "zh", "en",
                "zh_tokens", "en_tokens"} <= set(cols)
        assert set(p.db["annotations"].columns_dict) == {"coder", "segment", "code", "created_at"}
        assert {"events", "done", "memos", "coders", "codes", "facets", "documents"} <= set(
            p.db.table_names()
        )


def test_older_schema_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, upto=1)
    conn.execute("INSERT INTO project (key, value) VALUES ('name', 'old')")
    conn.close()
    with open_project(path) as p:
        assert p.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert p.execute("SELECT value FROM project WHERE key='name'").fetchone()[0] == "old"
        assert "settings" in p.db.table_names()


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        ("missing", "no such project file"),
        ("text", "not a SQLite file"),
        ("other_sqlite", "another program"),
        ("newer", "newer annotator"),
        ("empty", "empty file"),
    ],
)
def test_files_that_cannot_be_opened_get_one_line(tmp_path: Path, setup: str, fragment: str) -> None:
    path = tmp_path / "p.db"
    if setup == "text":
        path.write_text("hello")
    elif setup == "other_sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    elif setup == "newer":
        create_project(path)
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    elif setup == "empty":
        path.write_bytes(b"")
    with pytest.raises(ProjectError) as info:
        open_project(path)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_tag_single_choice_replaces_and_multi_accumulates(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        cb = load_codebook(p)
        seg = "A20230321-001"
        tag(p, cb, "ann", seg, ["adaptation", "rights_mismatch"])
        tag(p, cb, "ann", seg, ["latency", "trace_formalism"])
        st = get_state(p, "ann", seg)
        assert st.codes == {"latency", "rights_mismatch", "trace_formalism"}
        assert st.done
        tag(p, cb, "ann", seg, ["trace_formalism"], remove=True)
        assert get_state(p, "ann", seg).codes == {"latency", "rights_mismatch"}
        tag(p, cb, "ann", seg, [], none=True)
        assert get_state(p, "ann", seg) == CoderState(frozenset(), True, "")


@pytest.mark.parametrize(
    ("codes", "kw", "fragment"),
    [
        (["nope"], {}, "no code 'nope'"),
        (["adaptation", "latency"], {}, "takes one code"),
        ([], {}, "at least one code"),
        (["adaptation"], {"none": True}, "--none"),
    ],
)
def test_tag_refuses_bad_requests(demo_project: Path, codes: list[str], kw: dict[str, bool], fragment: str) -> None:
    with open_project(demo_project) as p:
        cb = load_codebook(p)
        before = p.execute("SELECT count(*) FROM events").fetchone()[0]
        with pytest.raises(UsageError) as info:
            tag(p, cb, "ann", "A20230321-001", codes, **kw)
        assert fragment in str(info.value)
        assert p.execute("SELECT count(*) FROM events").fetchone()[0] == before


def test_unknown_segment(demo_project: Path) -> None:
    with open_project(demo_project) as p, pytest.raises(UsageError, match="no segment"):
        tag(p, load_codebook(p), "ann", "nope-001", ["adaptation"])


def test_event_log_undo_redo(demo_project: Path) -> None:
    seg = "B20230512-001"
    with open_project(demo_project) as p:
        cb = load_codebook(p)
        _st, e1 = toggle_code(p, cb, "ann", seg, "adaptation", session="s1")
        _st, e2 = toggle_code(p, cb, "ann", seg, "feedback_gap", session="s1")
        assert e1 and e2 and e2 > e1
        assert get_state(p, "ann", seg).codes == {"adaptation", "feedback_gap"}
        undo(p, e2, session="s1")
        assert get_state(p, "ann", seg).codes == {"adaptation"}
        undo(p, e1, session="s1")
        assert get_state(p, "ann", seg) == CoderState()
        redo(p, e1, session="s1")
        redo(p, e2, session="s1")
        assert get_state(p, "ann", seg).codes == {"adaptation", "feedback_gap"}
        rows = p.execute(
            "SELECT action, before, after FROM events WHERE coder='ann' ORDER BY id"
        ).fetchall()
        assert [r[0] for r in rows] == ["toggle", "toggle", "undo", "undo", "redo", "redo"]
        # replaying the log's last 'after' gives the current state
        assert CoderState.from_json(json.loads(rows[-1][2])) == get_state(p, "ann", seg)


def test_memo_and_blind_states(demo_project: Path) -> None:
    seg = "C20230623-001"
    with open_project(demo_project) as p:
        set_memo(p, "ann", seg, "  看一下这个  ")
        assert get_state(p, "ann", seg).memo == "看一下这个"
        assert not get_state(p, "ann", seg).done  # a memo alone is not a decision
        states = coder_states(p, ["ann"])
        assert set(states[seg]) == {"ann"}  # only the coder asked for
        assert "paper" in coder_states(p)[seg]


def test_changes_are_committed_when_the_call_returns(demo_project: Path) -> None:
    with open_project(demo_project) as p, open_project(demo_project) as other:
        cb = load_codebook(p)
        toggle_code(p, cb, "ann", "D20230804-001", "latency")
        assert other.execute(
            "SELECT code FROM annotations WHERE coder='ann' AND segment='D20230804-001'"
        ).fetchall() == [("latency",)]


def test_lock_held_too_long_is_a_clear_error(demo_project: Path) -> None:
    blocker = sqlite3.connect(demo_project, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with open_project(demo_project, busy_timeout=0.05) as p:
            with pytest.raises(ProjectError, match="locked by another program"):
                tag(p, load_codebook(p), "ann", "A20230321-001", ["adaptation"])
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
