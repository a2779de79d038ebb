"""The agreement study on a real project: sample, assignments, rounds rebuilt from the event log,
agree --sample / --round / --unit document / --by."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.storage.codebook_store import load_codebook, save_codebook
from annotator.storage.coding import done_code_sets
from annotator.storage.db import open_project
from annotator.storage.study import round_done_code_sets, sampled_segments, segments_assigned

runner = CliRunner()

# a second coder's work on the demo (the demo's coder is "paper")
BO = [
    ("A20230321-001", ["adaptation", "rights_mismatch"]),
    ("A20230321-002", ["latency", "smart_governance"]),
    ("B20230512-001", ["adaptation", "rights_mismatch"]),
    ("B20230512-002", ["integration", "smart_governance"]),
    ("C20230623-001", ["goal_attainment", "activity_intensity"]),
    ("D20230804-001", ["adaptation"]),
]


def _run(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture
def coded(demo_project: Path) -> Path:
    for seg, codes in BO:
        _run("tag", str(demo_project), seg, *codes, "--coder", "bo")
    return demo_project


def test_sample_is_stored_assigned_and_reproducible(coded: Path) -> None:
    out = _run("sample", str(coded), "--share", "0.5", "--coders", "bo,paper", "--seed", "3", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["coders"] == ["bo", "paper"] for r in rows)
    with open_project(coded) as p:
        assert sampled_segments(p) == {r["segment"] for r in rows}
        assert segments_assigned(p, "bo") == [r["segment"] for r in rows]
        assert segments_assigned(p, "nobody") == []
    # stratified by document: every document gives about half its segments
    per_doc: dict[str, int] = {}
    for r in rows:
        per_doc[r["document"]] = per_doc.get(r["document"], 0) + 1
    assert len(per_doc) >= 3
    again = runner.invoke(app, ["sample", str(coded), "--share", "0.5", "--coders", "bo,paper"])
    assert again.exit_code == 1 and "--replace" in again.stderr
    same = _run("sample", str(coded), "--share", "0.5", "--coders", "bo,paper", "--seed", "3", "--json", "--replace")
    assert same == out
    bad = runner.invoke(app, ["sample", str(coded), "--share", "0.5", "--coders", "bo"])
    assert bad.exit_code == 1 and "two names" in bad.stderr


def test_agree_on_the_sample_only(coded: Path) -> None:
    _run("sample", str(coded), "--share", "0.5", "--coders", "bo,paper", "--seed", "1")
    with open_project(coded) as p:
        chosen = sampled_segments(p)
        both = {s for s, per in done_code_sets(p).items() if {"bo", "paper"} <= set(per)}
    data = json.loads(_run("agree", str(coded), "--sample", "--format", "json", "--bootstrap", "0"))
    assert data["units"] == len(chosen & both)


def test_round_rebuilt_from_the_event_log_equals_a_snapshot(coded: Path, tmp_path: Path) -> None:
    with open_project(coded) as p:
        snapshot = done_code_sets(p)
    _run("round", str(coded), "mark", "before-revision")
    with open_project(coded) as p:
        p.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "then.db"
    shutil.copy(coded, copy)
    # the coding goes on: changed codes, a code removed, a new segment done, a new coder
    _run("tag", str(coded), "A20230321-002", "integration", "--coder", "bo")
    _run("tag", str(coded), "A20230321-001", "rights_mismatch", "--remove", "--coder", "bo")
    _run("tag", str(coded), "D20230804-002", "--none", "--coder", "bo")
    _run("tag", str(coded), "A20230321-001", "adaptation", "--coder", "cy")
    with open_project(coded) as p:  # a codebook revision archives a code bo had used
        book = load_codebook(p)
        save_codebook(p, replace(book, facets=tuple(
            replace(f, codes=tuple(c for c in f.codes if c.id != "activity_intensity")) for f in book.facets
        )), force=True)
        assert "activity_intensity" not in {c.id for c in load_codebook(p).codes}
    with open_project(coded) as p:
        assert done_code_sets(p) != snapshot
        assert round_done_code_sets(p, "before-revision") == snapshot
        assert round_done_code_sets(p, "before-revision", ["bo"]) == done_code_sets_of(snapshot, "bo")
    then = json.loads(_run("agree", str(coded), "--round", "before-revision", "--coders", "bo,paper",
                           "--format", "json", "--bootstrap", "50"))
    copied = json.loads(_run("agree", str(copy), "--coders", "bo,paper", "--format", "json", "--bootstrap", "50"))
    now = json.loads(_run("agree", str(coded), "--coders", "bo,paper", "--format", "json", "--bootstrap", "50"))
    assert then == copied and then != now
    listed = _run("round", str(coded), "list")
    assert listed.startswith("before-revision\t")
    dup = runner.invoke(app, ["round", str(coded), "mark", "before-revision"])
    assert dup.exit_code == 1 and "already" in dup.stderr
    missing = runner.invoke(app, ["agree", str(coded), "--round", "nope"])
    assert missing.exit_code == 1 and "no round 'nope'" in missing.stderr


def done_code_sets_of(states: dict[str, dict[str, frozenset[str]]], coder: str) -> dict[str, dict[str, frozenset[str]]]:
    return {s: {coder: per[coder]} for s, per in states.items() if coder in per}


def test_document_level_and_by_document(coded: Path) -> None:
    data = json.loads(_run("agree", str(coded), "--unit", "document", "--format", "json", "--bootstrap", "0"))
    assert data["unit"] == "document" and data["units"] == 4  # documents with a shared segment
    assert data["facets"]["dimension"]["multiple"] is True
    by = json.loads(_run("agree", str(coded), "--by", "document", "--format", "json", "--bootstrap", "0"))
    groups = by["by"]["groups"]
    assert by["by"]["key"] == "document" and sum(g["units"] for g in groups.values()) == by["units"]
    table = _run("agree", str(coded), "--by", "document", "--bootstrap", "0")
    assert "=== document = A20230321 ===" in table
    bad = runner.invoke(app, ["agree", str(coded), "--by", "nope"])
    assert bad.exit_code == 1 and "no document attribute 'nope'" in bad.stderr


def test_retest_compares_a_coder_with_themself_at_a_round(coded: Path) -> None:
    _run("round", str(coded), "mark", "first-pass")
    _run("tag", str(coded), "A20230321-002", "integration", "--coder", "bo")  # bo changes one mind
    data = json.loads(_run("agree", str(coded), "--coders", "bo", "--retest", "first-pass",
                           "--format", "json", "--bootstrap", "0"))
    assert data["coders"] == ["bo@first-pass", "bo"]
    assert data["units"] == len(BO)
    assert data["facets"]["dimension"]["percent_agreement"] == pytest.approx((len(BO) - 1) / len(BO))
    two = runner.invoke(app, ["agree", str(coded), "--coders", "bo,paper", "--retest", "first-pass"])
    assert two.exit_code == 1 and "exactly one coder" in two.stderr


def test_agree_warns_when_done_marks_cover_only_coded_segments(coded: Path) -> None:
    # paper marks a segment done with no code; bo never marks uncoded segments done
    _run("tag", str(coded), "C20230623-002", "--none", "--coder", "paper")
    data = json.loads(_run("agree", str(coded), "--coders", "bo,paper", "--format", "json", "--bootstrap", "0"))
    assert len(data["warnings"]) == 1 and data["warnings"][0].startswith("bo's 6 done marks all carry a code")
    assert "Warning: bo's" in _run("agree", str(coded), "--coders", "bo,paper", "--bootstrap", "0")


def test_a_sampled_segment_removed_by_a_reimport_leaves_the_sample(coded: Path) -> None:
    _run("sample", str(coded), "--share", "1", "--coders", "bo,paper", "--seed", "1")
    with open_project(coded) as p:
        before = sampled_segments(p)
        with p.write() as conn:  # what 'import --replace' does to segments beyond a shorter text
            conn.execute("DELETE FROM done WHERE segment = 'D20230804-003'")
            conn.execute("DELETE FROM annotations WHERE segment = 'D20230804-003'")
            conn.execute("DELETE FROM segments WHERE id = 'D20230804-003'")
        assert sampled_segments(p) == before - {"D20230804-003"}
