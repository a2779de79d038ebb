"""Importing transcripts into a project through the CLI: pairing, encodings, atomicity, tokens."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()

ZH = "A：我们社区现在最大的问题还是权责不匹配。\n\nB：痕迹主义并没有根本改变，减负越减越负。\n\nA：网格员每天都要填表。\n"
EN = "A: Our biggest problem is still the mismatch of rights and responsibilities.\n\nB: Trace-ism has not really changed; the Workers are tired.\n\nA: Grid workers fill in forms every day.\n"


def tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    out = {
        t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
        for t in ("documents", "segments", "annotations", "done", "codes")
    }
    conn.close()
    return out


def invoke(*args: str) -> object:
    return runner.invoke(app, [str(a) for a in args])


def test_bilingual_pair_with_tokens(tmp_path: Path) -> None:
    (tmp_path / "int1.zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "int1.en.txt").write_text(EN, encoding="utf-8")
    db = tmp_path / "p.db"
    r = invoke("import", db, tmp_path / "int1.zh.txt", "--translation", tmp_path / "int1.en.txt")
    assert r.exit_code == 0, r.output
    assert "imported 3 segments" in r.stdout
    r = invoke("segments", db, "--json")
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["int1-001", "int1-002", "int1-003"]
    assert rows[1]["speaker"] == "B"
    assert rows[1]["zh"].startswith("痕迹主义") and rows[1]["en"].startswith("Trace-ism")
    conn = sqlite3.connect(db)
    zh_tokens, en_terms = conn.execute(
        "SELECT zh_tokens, en_terms FROM segments WHERE id='int1-001'"
    ).fetchone()
    assert "权责不匹配" in zh_tokens.split()  # codebook term kept whole by jieba
    assert "mismatch" in en_terms.split()
    en_terms2 = conn.execute("SELECT en_terms FROM segments WHERE id='int1-002'").fetchone()[0]
    assert "worker" in en_terms2.split()  # "Workers" → lemma "worker"


def test_turn_count_mismatch_names_both_counts(tmp_path: Path) -> None:
    (tmp_path / "a.zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "a.en.txt").write_text(EN.rsplit("\n\n", 1)[0], encoding="utf-8")
    db = tmp_path / "p.db"
    r = invoke("import", db, tmp_path / "a.zh.txt", "--translation", tmp_path / "a.en.txt")
    assert r.exit_code == 1
    assert "3 turns" in r.stderr and "has 2" in r.stderr
    assert not db.exists()  # the project the command would have created is not left behind


def test_gbk_and_utf16_files(tmp_path: Path) -> None:
    (tmp_path / "g.txt").write_bytes(ZH.encode("gbk"))
    (tmp_path / "u.txt").write_bytes(EN.encode("utf-16"))
    db = tmp_path / "p.db"
    r = invoke("import", db, tmp_path / "g.txt", tmp_path / "u.txt")
    assert r.exit_code == 0, r.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT zh FROM segments WHERE id='g-002'").fetchone()[0].startswith("痕迹主义")
    assert conn.execute("SELECT en FROM segments WHERE id='u-003'").fetchone()[0].startswith("Grid")


def test_error_in_third_of_three_files_keeps_nothing(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert invoke("init", db).exit_code == 0
    before = tables(db)
    (tmp_path / "one.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "two.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "three.jsonl").write_text('{"zh": "好"}\n{"zh": "坏"\n', encoding="utf-8")
    r = invoke("import", db, tmp_path / "one.txt", tmp_path / "two.txt", tmp_path / "three.jsonl")
    assert r.exit_code == 1
    line = r.stderr.strip()
    assert "three.jsonl:2:" in line and "\n" not in line and "Traceback" not in r.output
    assert tables(db) == before


def test_existing_document_needs_replace(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    f = tmp_path / "doc.txt"
    f.write_text(ZH, encoding="utf-8")
    assert invoke("import", db, f).exit_code == 0
    assert invoke("tag", db, "doc-003", "latency", "--coder", "ann").exit_code == 0
    r = invoke("import", db, f)
    assert r.exit_code == 1 and "--replace" in r.stderr
    # replace with a shorter transcript: the extra segment's work is archived, the rest kept
    f.write_text(ZH.split("\n\n")[0] + "\n\n" + ZH.split("\n\n")[1], encoding="utf-8")
    assert invoke("tag", db, "doc-001", "adaptation", "--coder", "ann").exit_code == 0
    r = invoke("import", db, f, "--replace")
    assert r.exit_code == 0, r.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 2
    assert conn.execute("SELECT code FROM annotations").fetchall() == [("adaptation",)]
    assert conn.execute("SELECT code FROM archived_annotations").fetchall() == [("latency",)]


def test_translation_added_later(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    (tmp_path / "m.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "m.en.txt").write_text(EN, encoding="utf-8")
    assert invoke("import", db, tmp_path / "m.txt").exit_code == 0
    r = invoke("import", db, "--document", "m", "--translation", tmp_path / "m.en.txt")
    assert r.exit_code == 0, r.output
    conn = sqlite3.connect(db)
    en, terms = conn.execute("SELECT en, en_terms FROM segments WHERE id='m-003'").fetchone()
    assert en.startswith("Grid workers") and "form" in terms.split()


def test_csv_with_documents_and_attributes(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    f = tmp_path / "t.csv"
    f.write_text(
        "document,speaker,zh,en,role\n"
        "d1,A,减负,Burden reduction,worker\n"
        "d1,B,留痕,Leaving traces,worker\n"
        "d2,C,考核,Assessment,resident\n",
        encoding="utf-8-sig",
    )
    r = invoke("import", db, f)
    assert r.exit_code == 0, r.output
    conn = sqlite3.connect(db)
    docs = dict(conn.execute("SELECT id, attributes FROM documents").fetchall())
    assert set(docs) == {"d1", "d2"}
    assert json.loads(docs["d2"])["role"] == "resident"
    assert conn.execute("SELECT id FROM segments ORDER BY id").fetchall() == [
        ("d1-001",), ("d1-002",), ("d2-001",)]


def test_cli_tag_and_annotations_json(demo_project: Path) -> None:
    r = invoke("tag", demo_project, "A20230321-002", "integration", "smart_governance", "--coder", "ann")
    assert r.exit_code == 0, r.output
    r = invoke("tag", demo_project, "A20230321-003", "--none", "--coder", "ann")
    assert r.exit_code == 0
    r = invoke("annotations", demo_project, "--coder", "ann", "--json")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert rows == [
        {"segment": "A20230321-002", "coder": "ann",
         "codes": {"dimension": ["integration"], "burden": ["smart_governance"]}, "done": True},
        {"segment": "A20230321-003", "coder": "ann", "codes": {"dimension": [], "burden": []},
         "done": True},
    ]


def test_cli_user_errors_are_one_line(demo_project: Path, tmp_path: Path) -> None:
    for args in (
        ("tag", demo_project, "nope-1", "latency", "--coder", "a"),
        ("tag", demo_project, "A20230321-001", "nocode", "--coder", "a"),
        ("tag", demo_project, "A20230321-001", "adaptation", "latency", "--coder", "a"),
        ("segments", tmp_path / "missing.db"),
        ("segments", demo_project, "--document", "nodoc"),
        ("import", demo_project, tmp_path / "missing.txt"),
    ):
        r = invoke(*args)
        assert r.exit_code == 1, args
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "Traceback" not in r.output


def test_init_and_codebook_show(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    assert invoke("init", db).exit_code == 0
    r = invoke("codebook", "show", db)
    assert "[1] adaptation" in r.stdout
    assert invoke("init", db).exit_code == 1  # never overwrites


def test_stats(demo_project: Path) -> None:
    r = invoke("stats", demo_project)
    assert r.exit_code == 0
    assert "11/11 done" in r.stdout and "dimension × burden" in r.stdout
