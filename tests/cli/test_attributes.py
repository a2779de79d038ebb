"""``annotator attributes``: document attributes set, imported from CSV and listed; bad input refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.findings_fixtures import run, sql


@pytest.fixture
def db(demo_project: Path) -> Path:
    return demo_project


def attributes(db: Path) -> dict[str, dict]:
    return {d: json.loads(a) for d, a in sql(db, "SELECT id, attributes FROM documents")}


def test_set_adds_changes_and_removes_and_is_logged(db: Path) -> None:
    before = attributes(db)
    code, out = run("attributes", db, "set", "A20230321", "gender=f", "role=party secretary", "place=")
    assert code == 0, out
    after = attributes(db)
    assert after["A20230321"]["gender"] == "f" and after["A20230321"]["role"] == "party secretary"
    assert "place" not in after["A20230321"] and after["B20230512"] == before["B20230512"]
    logged = sql(db, "SELECT before, after FROM events WHERE action = 'attributes'")
    assert [(json.loads(b), json.loads(a)) for b, a in logged] == [
        (before["A20230321"], after["A20230321"])]


def test_import_from_csv_and_list(db: Path, tmp_path: Path) -> None:
    table = tmp_path / "people.csv"
    table.write_text("gender,document,age\nm,B20230512,41\nf,C20230623,\n", encoding="utf-8")
    code, out = run("attributes", db, "import", table)
    assert code == 0 and "2 documents" in out, out
    code, out = run("attributes", db, "list", "--json")
    listed = {r["document"]: r["attributes"] for r in map(json.loads, out.splitlines())}
    assert listed == attributes(db)
    assert listed["B20230512"]["age"] == "41" and "age" not in listed["C20230623"]
    assert listed["C20230623"]["gender"] == "f"


@pytest.mark.parametrize("content, reason", [
    ("name,age\nA,1\n", ":1: no 'document' column"),
    ("document,age\nA20230321,1\nA20230321,2\n", ":3: document 'A20230321' again"),
    ("document,age\nA20230321,1,9\n", ":2: row has 3 fields"),
    ("document,age\nNOPE,1\n", "no document 'NOPE'"),
])
def test_bad_csv_is_one_line_naming_file_and_line_and_changes_nothing(
        db: Path, tmp_path: Path, content: str, reason: str) -> None:
    before = attributes(db)
    table = tmp_path / "bad.csv"
    table.write_text(content, encoding="utf-8")
    code, out = run("attributes", db, "import", table)
    assert code == 1 and reason in out and len(out.strip().splitlines()) == 1, out
    assert attributes(db) == before


def test_bad_set_is_refused(db: Path) -> None:
    for args in (["set", "A20230321"], ["set", "A20230321", "novalue"], ["drop"], ["list", "x"]):
        code, out = run("attributes", db, *args)
        assert code == 1 and len(out.strip().splitlines()) == 1, out


def test_agreement_filtered_by_attribute_counts_only_those_documents(
        demo_master: Path, tmp_path: Path) -> None:
    from tests.cli.findings_fixtures import build

    db = build(demo_master, tmp_path)
    code, out = run("agree", db, "--coders", "li,paper", "--where", "role=grid worker",
                    "--format", "json", "--bootstrap", "0")
    assert code == 0, out
    units = sql(db, "SELECT count(*) FROM segments s JOIN documents d ON d.id = s.document"
                " WHERE json_extract(d.attributes, '$.role') = 'grid worker'"
                " AND s.id IN (SELECT segment FROM done WHERE coder = 'li')"
                " AND s.id IN (SELECT segment FROM done WHERE coder = 'paper')")[0][0]
    report = json.loads(out)
    assert report["facets"]["dimension"]["units"] == units == 2
    code, out = run("agree", db, "--coders", "li,paper", "--format", "json", "--bootstrap", "0")
    assert json.loads(out)["facets"]["dimension"]["units"] > units


def test_coding_screen_filters_by_attribute_and_codes(demo_master: Path, tmp_path: Path) -> None:
    from annotator.application.findings import segments_matching
    from annotator.storage.db import open_project
    from tests.cli.findings_fixtures import build

    db = build(demo_master, tmp_path)
    with open_project(db) as p:
        found = segments_matching(p, "li", {"role": {"party secretary"}}, ["goal_attainment", "trace_formalism"])
    expected = [r[0] for r in sql(
        db, "SELECT s.id FROM segments s JOIN documents d ON d.id = s.document"
            " WHERE json_extract(d.attributes, '$.role') = 'party secretary'"
            " AND (SELECT count(*) FROM annotations a WHERE a.segment = s.id AND a.coder = 'li'"
            " AND a.code IN ('goal_attainment', 'trace_formalism')) = 2 ORDER BY d.position, s.position")]
    assert found == expected == ["A20230321-003"]
    code, out = run("code", db, "--coder", "li", "--all-of", "latency,adaptation")
    assert code == 0 and "no segment matches" in out
