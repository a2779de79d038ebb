"""``annotator memo`` / ``memos``: memos on segments, documents and codes, logged, listed in one place."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.findings_fixtures import run, sql


def test_memos_on_segment_document_and_code_are_listed_and_logged(demo_project: Path) -> None:
    db = demo_project
    for args in (["A20230321-002", "--coder", "li", "overtime every night"],
                 ["--document", "B20230512", "--coder", "li", "interview cut short"],
                 ["--code", "trace_formalism", "--coder", "wang", "photos as evidence"]):
        code, out = run("memo", db, *args)
        assert code == 0 and "saved" in out, out
    code, out = run("memos", db, "--format", "json")
    assert code == 0, out
    listed = [json.loads(line) for line in out.splitlines()]
    assert [(m["kind"], m["target"], m["coder"], m["text"]) for m in listed] == [
        ("document", "B20230512", "li", "interview cut short"),
        ("code", "trace_formalism", "wang", "photos as evidence"),
        ("segment", "A20230321-002", "li", "overtime every night")]
    assert sql(db, "SELECT text FROM memos WHERE coder = 'li' AND segment = 'A20230321-002'") == [
        ("overtime every night",)]
    actions = [r[0] for r in sql(db, "SELECT action FROM events WHERE coder IN ('li', 'wang') ORDER BY id")]
    assert actions == ["memo", "document_memo", "code_memo"]
    code, out = run("memos", db, "--coder", "wang", "--format", "md")
    assert "photos as evidence" in out and "overtime" not in out


def test_clear_removes_a_memo_and_keeps_the_codes(demo_project: Path) -> None:
    db = demo_project
    before = sql(db, "SELECT code FROM annotations WHERE segment = 'A20230321-001' ORDER BY code")
    assert run("memo", db, "A20230321-001", "--coder", "paper", "a note")[0] == 0
    code, out = run("memo", db, "A20230321-001", "--coder", "paper", "--clear")
    assert code == 0 and "removed" in out, out
    assert sql(db, "SELECT count(*) FROM memos") == [(0,)]
    assert sql(db, "SELECT code FROM annotations WHERE segment = 'A20230321-001' ORDER BY code") == before
    assert run("memo", db, "--document", "A20230321", "--coder", "li", "x")[0] == 0
    assert run("memo", db, "--document", "A20230321", "--coder", "li", "--clear")[0] == 0
    assert sql(db, "SELECT count(*) FROM notes") == [(0,)]


def test_bad_memo_commands_are_one_line_errors(demo_project: Path) -> None:
    for args in (["A20230321-001", "x"], ["NOPE-1", "x", "--coder", "li"],
                 ["--code", "nope", "x", "--coder", "li"], ["A20230321-001", "--coder", "li"],
                 ["A20230321-001", "x", "--coder", "li", "--clear"],
                 ["--document", "A20230321", "--code", "adaptation", "x", "--coder", "li"]):
        code, out = run("memo", demo_project, *args)
        assert code == 1 and len(out.strip().splitlines()) == 1 and "Traceback" not in out, (args, out)
    code, out = run("memos", demo_project, "--coder", "nobody")
    assert code == 1 and "no coder" in out


def test_document_and_code_memos_and_the_re_decide_queue_survive_a_jsonl_round_trip(
        demo_project: Path, tmp_path: Path) -> None:
    db = demo_project
    assert run("memo", db, "--document", "B20230512", "--coder", "li", "cut short")[0] == 0
    assert run("memo", db, "--code", "adaptation", "--coder", "li", "about fit")[0] == 0
    assert run("codebook", "split", db, "integration", "coordination", "platforms")[0] == 0
    export = tmp_path / "all.jsonl"
    code, out = run("export", db, "--format", "jsonl", "-o", export)
    assert code == 0, out
    copy = tmp_path / "copy.db"
    code, out = run("import", copy, export)
    assert code == 0, out
    for table in ("notes", "redecide", "archived_annotations"):
        query = f"SELECT * FROM {table} ORDER BY 1, 2, 3"
        if table == "archived_annotations":
            query = "SELECT coder, segment, code, reason FROM archived_annotations ORDER BY 1, 2, 3"
        assert sql(copy, query) == sql(db, query) != []


def test_document_and_code_memos_come_along_in_a_team_merge(demo_project: Path, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    lead = demo_project
    with sqlite3.connect(lead) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "li.db"
    shutil.copy(lead, copy)
    assert run("memo", copy, "--document", "A20230321", "--coder", "li", "long pauses")[0] == 0
    assert run("memo", copy, "--code", "adaptation", "--coder", "li", "fit")[0] == 0
    assert run("memo", lead, "--code", "adaptation", "--coder", "li", "fit of duties")[0] == 0
    code, out = run("merge", lead, copy)
    assert code == 0 and "1 document and code memo merged, 1 that differ kept" in out, out
    assert sql(lead, "SELECT kind, target, text FROM notes ORDER BY 1") == [
        ("code", "adaptation", "fit of duties"), ("document", "A20230321", "long pauses")]
    code, out = run("merge", lead, copy, "--prefer", "source")
    assert code == 0, out
    assert sql(lead, "SELECT text FROM notes WHERE kind = 'code'") == [("fit",)]


def test_an_export_of_one_coder_restores_that_coders_memos_queue_and_sample_and_every_round(
        demo_master: Path, tmp_path: Path) -> None:
    from tests.cli.findings_fixtures import build

    db = build(demo_master, tmp_path)
    for coder in ("li", "wang"):
        assert run("memo", db, "--document", "B20230512", "--coder", coder, f"note of {coder}")[0] == 0
    assert run("sample", db, "--share", "0.5", "--coders", "li,wang", "--seed", "2")[0] == 0
    assert run("round", db, "mark", "first")[0] == 0
    code, out = run("codebook", "split", db, "rights_mismatch", "rights_gap", "rights_excess")
    assert code == 0, out
    export = tmp_path / "li.jsonl"
    code, out = run("export", db, "--format", "jsonl", "--coder", "li", "-o", export)
    assert code == 0, out
    copy = tmp_path / "copy.db"
    code, out = run("import", copy, export)
    assert code == 0, out
    queued = len(sql(db, "SELECT 1 FROM redecide WHERE coder = 'li'"))
    assumed = len(sql(db, "SELECT 1 FROM sample_assignments WHERE coder = 'li'"))
    assert (f"1 document and code memo, {queued} queued to decide again,"
            f" {assumed} sample assignments, 1 round") in out, out
    for table, order in (("notes", "kind, target, coder"), ("redecide", "coder, segment, code"),
                         ("sample_assignments", "segment, coder")):
        query = f"SELECT * FROM {table} ORDER BY {order}"
        li_only = [r for r in sql(db, query) if "li" in r]
        assert sql(copy, query) == li_only != [], table
        assert len(sql(db, query)) > len(li_only), table  # the other coders' rows stayed behind
    assert sql(copy, "SELECT * FROM rounds") == sql(db, "SELECT * FROM rounds") != []
