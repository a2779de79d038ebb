"""`annotator agree` and `annotator disagreements` on a real project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.agreement import cohen_kappa
from annotator.cli import app

runner = CliRunner()

# a second coder's work on the demo: (segment, codes); A20230321-003 is left unfinished
BO = [
    ("A20230321-001", ["adaptation", "rights_mismatch"]),
    ("A20230321-002", ["latency", "smart_governance"]),
    ("B20230512-001", ["adaptation", "rights_mismatch"]),
    ("B20230512-002", ["integration", "smart_governance"]),
    ("C20230623-001", ["goal_attainment", "activity_intensity"]),
]


@pytest.fixture
def coded(demo_project: Path) -> Path:
    for seg, codes in BO:
        r = runner.invoke(app, ["tag", str(demo_project), seg, *codes, "--coder", "bo"])
        assert r.exit_code == 0, r.output
    # a memo alone does not make a segment count as coded
    return demo_project


def test_json_report_matches_the_statistics(coded: Path) -> None:
    r = runner.invoke(app, ["agree", str(coded), "--format", "json", "--bootstrap", "100"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    dim = data["facets"]["dimension"]
    assert dim["units"] == 5
    paper = {"A20230321-001": "adaptation", "A20230321-002": "integration",
             "B20230512-001": "adaptation", "B20230512-002": "integration",
             "C20230623-001": "goal_attainment"}
    bo = {seg: codes[0] for seg, codes in BO}
    segs = sorted(bo)
    expected = cohen_kappa([[bo[s] for s in segs], [paper[s] for s in segs]])
    assert dim["cohen_kappa_pairwise"]["bo|paper"] == pytest.approx(expected, abs=1e-6)
    assert dim["percent_agreement"] == pytest.approx(4 / 5, abs=1e-6)
    low, high = dim["alpha_ci95"]
    assert low <= dim["krippendorff_alpha"] <= high
    # a code nobody used in these units: not computable, written as null with a note
    staff = dim and data["facets"]["burden"]["codes"]["staffing_mismatch"]
    assert staff["krippendorff_alpha"] is None and staff["note"]


def test_table_md_html_outputs(coded: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["agree", str(coded), "--bootstrap", "50"])
    assert r.exit_code == 0 and "not computable (no variation)" in r.stdout
    r = runner.invoke(app, ["agree", str(coded), "--format", "md", "--bootstrap", "0"])
    assert r.exit_code == 0 and "|" in r.stdout
    out = tmp_path / "report.html"
    r = runner.invoke(app, ["agree", str(coded), "--format", "html", "-o", str(out), "--bootstrap", "50"])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "我每天都熬夜" in html or "同时要处理的事项很多" in html  # disagreements with their text


def test_disagreements_listing(coded: Path) -> None:
    r = runner.invoke(app, ["disagreements", str(coded), "--facet", "dimension", "--json"])
    assert r.exit_code == 0
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [row["segment"] for row in rows] == ["A20230321-002"]
    assert rows[0]["codes"] == {"bo": ["latency"], "paper": ["integration"]}
    assert rows[0]["zh"] and rows[0]["en"]


def test_disagreements_print_hostile_text_as_escapes(coded: Path) -> None:
    """The listing's writes (batched, no longer a print per line) still go through the
    printable-only stream: a control character in a segment's text reaches no terminal, and a
    text longer than one batch comes out whole."""
    import contextlib
    import os
    import sqlite3
    import subprocess
    import sys

    from annotator.storage.search_index import register

    with contextlib.closing(sqlite3.connect(coded)) as conn, conn:
        register(conn)  # the search index's triggers use annotator's function
        conn.execute("UPDATE segments SET en = ? WHERE id = 'A20230321-002'",
                     ("red \x1b[31mX\x1b[0m bell \x07 \u202eRTL" + " long" * 60_000,))
    for extra in ([], ["--json"]):
        done = subprocess.run([sys.executable, "-m", "annotator", "disagreements", str(coded), *extra],
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=120, env=os.environ)
        out = done.stdout.decode("utf-8")
        assert done.returncode == 0 and "A20230321-002" in out
        assert not any(c in out for c in ("\x1b", "\x07", "\u202e")) and "\\u001b[31mX" in out
        assert out.count("long") >= 60_000  # the long text whole, across the writes


REFUSED_AT_ONCE = [
    (["agree", "--facet", "nope"], "unknown facet 'nope'"),
    (["agree", "--by", "nope"], "no document attribute 'nope'"),
    (["agree", "--by", "document", "--unit", "document"], "--by document with --unit document"),
    (["agree", "--where", "role=nobody"], "no document matches --where role=nobody (role: "),
    (["disagreements", "--facet", "nope"], "unknown facet 'nope'"),
    (["disagreements", "--code", "nope"], "unknown code 'nope'"),
    (["disagreements", "--facet", "dimension", "--code", "rights_mismatch"], "code 'rights_mismatch' is not in facet"),
]


@pytest.mark.parametrize(("args", "message"), REFUSED_AT_ONCE, ids=[" ".join(a) for a, _m in REFUSED_AT_ONCE])
def test_a_misspelt_choice_is_refused_before_the_work_is_read(
        coded: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a million segments reading every coder's work takes seconds: a facet, code, --by or
    --where that cannot be met is refused before."""
    import annotator.application.agreement as agreement

    def not_yet(*_args: object, **_kw: object) -> None:
        raise AssertionError("the coders' work was read before the choice was checked")

    monkeypatch.setattr(agreement, "_read_table", not_yet)
    r = runner.invoke(app, [args[0], str(coded), *args[1:]])
    assert r.exit_code == 1 and message in r.output, r.output


def test_agree_errors(coded: Path) -> None:
    for args in (["--coders", "bo,nobody"], ["--format", "pdf"], ["--facet", "nofacet"]):
        r = runner.invoke(app, ["agree", str(coded), *args])
        assert r.exit_code == 1, args
        assert len(r.stderr.strip().splitlines()) == 1


def test_one_coder_only_is_an_error(demo_project: Path) -> None:
    r = runner.invoke(app, ["agree", str(demo_project)])
    assert r.exit_code == 1 and "two coders" in r.stderr


def test_json_disagreements_carry_their_text_only_with_with_text(coded: Path) -> None:
    from annotator.storage.db import open_project
    from annotator.storage.documents import iter_segments

    plain = json.loads(runner.invoke(app, ["agree", str(coded), "--format", "json",
                                           "--bootstrap", "0"]).stdout)
    r = runner.invoke(app, ["agree", str(coded), "--format", "json", "--bootstrap", "0", "--with-text"])
    assert r.exit_code == 0, r.output
    listed = json.loads(r.stdout)["disagreements"]
    assert listed and all("zh" not in d for d in plain["disagreements"])
    assert [(d["segment"], d["facet"]) for d in listed] == [
        (d["segment"], d["facet"]) for d in plain["disagreements"]]
    p = open_project(coded)
    try:
        text = {s.id: (s.zh, s.en) for s in iter_segments(p)}
    finally:
        p.close()
    for d in listed:
        assert (d["zh"], d["en"]) == text[d["segment"]]
