"""Command-line workflows of a researcher, end to end through the CLI: each test is a defect found
by using the tool as its README describes, and fails on the code before its fix."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app

ZH = "采访者：您好，请介绍一下您的工作。\n\nA：权责不匹配的问题很严重。\n\nA：拍照留痕，痕迹主义太重了。\n"
EN = ("Interviewer: Hello, please tell me about your work.\n\nA: The mismatch of rights and"
      " responsibilities is serious.\n\nA: We take photos to leave traces; trace formalism.\n")


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One bilingual interview, coded on int01-002 by li and wang (built once per module)."""
    folder = tmp_path_factory.mktemp("template")
    (folder / "int01.zh.txt").write_text(ZH, encoding="utf-8")
    (folder / "int01.en.txt").write_text(EN, encoding="utf-8")
    db = folder / "study.db"
    with pytest.MonkeyPatch.context() as mp:  # before the per-test isolated home exists
        mp.setenv("ANNOTATOR_HOME", str(tmp_path_factory.getbasetemp() / "annotator-home"))
        code, out = run("import", db, folder / "int01.zh.txt", "--translation",
                        folder / "int01.en.txt")
        assert code == 0, out
        for coder, codes in (("li", ["adaptation", "rights_mismatch"]),
                             ("wang", ["goal_attainment"])):
            code, out = run("tag", db, "int01-002", *codes, "--coder", coder)
            assert code == 0, out
    return db


@pytest.fixture()
def project(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template project in this test's folder, with its transcripts."""
    import shutil

    for name in ("int01.zh.txt", "int01.en.txt", "study.db", "study.db-wal"):
        if (template.parent / name).exists():
            shutil.copy(template.parent / name, tmp_path / name)
    return tmp_path / "study.db"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "qdpx", "qdc"])
def test_exports_are_readable_by_others_as_the_umask_allows(project: Path, fmt: str) -> None:
    """Exports were written 0600 (the temporary file's mode), so a colleague on a shared drive
    could not open them; now they get the mode any new file gets (or the replaced file's)."""
    old = os.umask(0o022)
    try:
        out = project.parent / f"out.{fmt}"
        code, text = run("export", project, "--format", fmt, "-o", out)
        assert code == 0, text
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o640)
        code, text = run("export", project, "--format", fmt, "-o", out)
        assert code == 0, text
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def annotations_of(db: Path) -> set[tuple[str, str, str]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT coder, segment, code FROM annotations"))


def codes_of(db: Path) -> list[tuple[str, str, str | None, int]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT id, facet, key, archived FROM codes ORDER BY id"))


def test_qdpx_from_annotator_into_a_project_with_the_same_codebook(project: Path) -> None:
    """A teammate's project made with ``annotator init`` (the bundled codebook) got a second copy
    of every facet and code (dimension_2, adaptation_2, ... without keys) from a .qdpx exported by
    annotator, and the annotations landed on the copies."""
    qdpx = project.parent / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    other = project.parent / "other.db"
    assert run("init", other)[0] == 0
    before = codes_of(other)
    code, out = run("import", other, qdpx)
    assert code == 0, out
    assert codes_of(other) == before
    assert annotations_of(other) == annotations_of(project)


def test_qdpx_import_leaves_archived_codes_archived(project: Path, tmp_path: Path) -> None:
    """Importing any .qdpx saved the codebook with its archived codes as live ones."""
    import yaml

    from annotator.codebook import bundled_codebook_path

    cb = yaml.safe_load(bundled_codebook_path().read_text(encoding="utf-8"))
    cb["facets"][1]["codes"] = [c for c in cb["facets"][1]["codes"] if c["id"] != "feedback_gap"]
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(yaml.safe_dump(cb, allow_unicode=True), encoding="utf-8")
    assert run("codebook", "set", project, smaller)[0] == 0
    qdpx = project.parent / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    other = tmp_path / "other.db"
    assert run("init", other)[0] == 0
    assert run("codebook", "set", other, smaller)[0] == 0
    code, out = run("import", other, qdpx)
    assert code == 0, out
    assert ("feedback_gap", "burden", None, 1) in codes_of(other)


def test_the_same_qdpx_imported_twice_is_refused(project: Path, tmp_path: Path) -> None:
    """A second import of the same .qdpx silently added every document again (int01_2, ...) with
    its codings; now it is refused and the project is unchanged."""
    import sqlite3

    qdpx = tmp_path / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    other = tmp_path / "other.db"
    assert run("import", other, qdpx)[0] == 0
    before = annotations_of(other)
    code, out = run("import", other, qdpx)
    assert code == 1
    assert "study.qdpx: document 'int01' is already in the project with the same text" in out
    assert len(out.strip().splitlines()) == 1
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM documents")] == ["int01"]
    assert annotations_of(other) == before


def test_a_different_qdpx_document_of_the_same_name_is_imported_beside_with_a_warning(
    project: Path, tmp_path: Path
) -> None:
    qdpx = tmp_path / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    other = tmp_path / "other.db"
    (tmp_path / "int01.txt").write_text("A：另一个访谈。\n", encoding="utf-8")
    assert run("import", other, tmp_path / "int01.txt")[0] == 0
    code, out = run("import", other, qdpx)
    assert code == 0, out
    assert "warning: a different document 'int01' is already in the project;" \
        " this one is imported as 'int01_2'" in out


def test_tag_remove_none_is_refused_and_keeps_the_codes(project: Path) -> None:
    """``tag --remove --none`` (a coder trying to undo 'done') silently cleared every code of the
    segment; the two options exclude each other."""
    code, out = run("tag", project, "int01-002", "--remove", "--none", "--coder", "li")
    assert code == 1 and "--none" in out and "--remove" in out
    assert len(out.strip().splitlines()) == 1
    assert {c for who, _s, c in annotations_of(project) if who == "li"} == {
        "adaptation", "rights_mismatch"}


@pytest.mark.parametrize("header", ["document,speaker,zh,en,respondent,date",
                                    "document,respondent,zh,en,speaker,date"])
def test_csv_with_speaker_and_a_respondent_attribute(tmp_path: Path, header: str) -> None:
    """The README lists 'respondent' among document attributes, but a CSV with both a 'speaker'
    and a 'respondent' column was refused ("both mean 'speaker'")."""
    import json
    import sqlite3

    first = header.split(",")[1]
    values = {"speaker": "C", "respondent": "C20230623"}
    rows = [
        f"int03,{values[first]},社区工作人员太少了,There are too few workers,"
        f"{values['respondent' if first == 'speaker' else 'speaker']},2023-06-23",
    ]
    path = tmp_path / "int03.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "study.db"
    code, out = run("import", db, path)
    assert code == 0, out
    with sqlite3.connect(db) as conn:
        attrs = json.loads(conn.execute("SELECT attributes FROM documents").fetchone()[0])
        speaker = conn.execute("SELECT speaker FROM segments").fetchone()[0]
    assert speaker == "C"
    assert attrs == {"respondent": "C20230623", "date": "2023-06-23"}


def test_a_code_put_back_gets_its_archived_annotations_back(project: Path, tmp_path: Path) -> None:
    """README: removing a used code with --force archives its annotations "(recoverable)"; putting
    the code back into the codebook left them in the archive, and nothing brought them back."""
    import yaml

    from annotator.codebook import bundled_codebook_path

    full = bundled_codebook_path()
    cb = yaml.safe_load(full.read_text(encoding="utf-8"))
    cb["facets"][0]["codes"] = [c for c in cb["facets"][0]["codes"]
                                if c["id"] not in ("adaptation", "goal_attainment")]
    for c in cb["facets"][1]["codes"]:  # a code may not imply a code the codebook no longer has
        if c.get("implies", {}).get("dimension") in ("adaptation", "goal_attainment"):
            del c["implies"]
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(yaml.safe_dump(cb, allow_unicode=True), encoding="utf-8")
    before = annotations_of(project)
    code, out = run("codebook", "set", project, smaller, "--force")
    assert code == 0 and "2 annotations archived" in out, out
    # meanwhile wang chooses another code of the single-choice facet on the same segment
    assert run("tag", project, "int01-002", "latency", "--coder", "wang")[0] == 0
    code, out = run("codebook", "set", project, full)
    assert code == 0, out
    assert "back from the archive: adaptation, goal_attainment (1 annotations restored)" in out
    assert "warning: 1 archived annotations stay archived" in out
    assert annotations_of(project) == (before - {("wang", "int01-002", "goal_attainment")}) | {
        ("wang", "int01-002", "latency")}
    code, out = run("check", project)
    assert code == 0, out


def test_replace_warns_when_coded_segments_get_different_text(project: Path, tmp_path: Path) -> None:
    """--replace keeps the work by segment position; a turn inserted at the top silently moved
    every coder's codes onto the text of the turn before. The work is still kept (a typo fix must
    not lose it) but the segments whose coded text changed are named."""
    zh = tmp_path / "int01.zh.txt"
    en = tmp_path / "int01.en.txt"
    zh.write_text("A：开场白。\n\n" + ZH, encoding="utf-8")
    en.write_text("A: Opening words.\n\n" + EN, encoding="utf-8")
    code, out = run("import", project, zh, "--translation", en, "--replace")
    assert code == 0, out
    assert ("warning: 1 segment(s) with coders' work now hold different text; the work was kept,"
            " check it: int01-002") in out
    # adding the translation to an untranslated document by --replace changes no coded text
    (tmp_path / "solo.zh.txt").write_text(ZH, encoding="utf-8")
    assert run("import", project, tmp_path / "solo.zh.txt")[0] == 0
    assert run("tag", project, "solo-002", "latency", "--coder", "li")[0] == 0
    (tmp_path / "solo.en.txt").write_text(EN, encoding="utf-8")
    code, out = run("import", project, tmp_path / "solo.zh.txt", "--translation",
                    tmp_path / "solo.en.txt", "--replace")
    assert code == 0 and "warning" not in out, out


def test_import_messages_say_what_happened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """'imported 3 segments in 1 documents'; adding a translation to a document said 'imported'."""
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path / "home"))
    (tmp_path / "int01.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "int01.en.txt").write_text(EN, encoding="utf-8")
    db = tmp_path / "study.db"
    code, out = run("import", db, tmp_path / "int01.txt")
    assert code == 0 and out.strip() == "imported 3 segments in 1 document (int01)", out
    code, out = run("import", db, "--document", "int01", "--translation", tmp_path / "int01.en.txt")
    assert code == 0 and out.strip() == "added the English translation to int01 (3 segments)", out


def test_stats_with_a_code_named_done_and_many_codes(tmp_path: Path) -> None:
    """A code with the id 'done' was counted into the coder's done figure and left out of the
    codes; a coder using 80 codes got one line of thousands of characters."""
    ids = ["done", *[f"code{i:02d}" for i in range(14)]]
    codes = "\n".join(f"      - id: {cid}\n        label: {{en: {cid}}}" for cid in ids)
    (tmp_path / "cb.yaml").write_text(f"facets:\n  - id: theme\n    multiple: true\n    codes:\n{codes}\n",
                                      encoding="utf-8")
    (tmp_path / "int01.txt").write_text(ZH, encoding="utf-8")
    db = tmp_path / "study.db"
    assert run("init", db, "--codebook", tmp_path / "cb.yaml")[0] == 0
    assert run("import", db, tmp_path / "int01.txt")[0] == 0
    assert run("tag", db, "int01-001", *ids, "--coder", "li")[0] == 0
    code, out = run("stats", db)
    assert code == 0, out
    line = next(x for x in out.splitlines() if x.strip().startswith("li "))
    assert " 1/3 done " in line and "done 1" in line
    assert line.endswith(", ... (5 more codes)") and len(line) < 200


def test_jsonl_export_of_an_unknown_coder_is_refused(project: Path) -> None:
    """A mistyped --coder gave a JSONL export with nobody's work and exit 0 (csv, qdpx and spacy
    refuse it)."""
    out = project.parent / "li.jsonl"
    code, text = run("export", project, "--format", "jsonl", "-o", out, "--coder", "lii")
    assert code == 1 and "no coder 'lii' in the project (coders: li, wang)" in text
    assert not out.exists()
    code, text = run("export", project, "--format", "jsonl", "-o", out, "--coder", "li")
    assert code == 0 and "1 coders" in text, text


def test_csv_columns_of_facets_named_like_fixed_columns(tmp_path: Path) -> None:
    """A facet with the id 'coder' or 'memo' gave a CSV with two 'coder' (or 'memo') columns:
    Python's csv.DictReader then read the facet's codes as the coder's name."""
    import csv

    (tmp_path / "cb.yaml").write_text(
        "facets:\n  - id: coder\n    codes:\n      - id: a\n        label: {en: A}\n"
        "  - id: memo\n    multiple: true\n    codes:\n      - id: b\n        label: {en: B}\n",
        encoding="utf-8")
    (tmp_path / "int01.txt").write_text(ZH, encoding="utf-8")
    db = tmp_path / "study.db"
    assert run("init", db, "--codebook", tmp_path / "cb.yaml")[0] == 0
    assert run("import", db, tmp_path / "int01.txt")[0] == 0
    assert run("tag", db, "int01-001", "a", "b", "--coder", "li")[0] == 0
    out = tmp_path / "out.csv"
    assert run("export", db, "--format", "csv", "-o", out)[0] == 0
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        first = next(reader)
    assert len(header) == len(set(header))
    assert (first["coder"], first["facet_coder"], first["facet_memo"], first["memo"]) == (
        "li", "a", "b", "")


def test_annotations_of_an_unknown_coder_is_an_error(project: Path) -> None:
    """'annotations --coder lii' printed nothing and exit 0, as if li had done no work."""
    code, out = run("annotations", project, "--coder", "lii")
    assert code == 1 and "no coder 'lii' in the project (coders: li, wang)" in out
    code, out = run("annotations", project, "--coder", "li")
    assert code == 0 and out.startswith("int01-002\tli\tdone"), out


def segments_of(db: Path, document: str) -> list[tuple[str | None, str, str]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return list(conn.execute(
            "SELECT speaker, zh, en FROM segments WHERE document = ? ORDER BY position", (document,)))


def test_docx_transcripts_in_tables(tmp_path: Path) -> None:
    """Word transcripts are often a table (speaker | text, or speaker | 中文 | English): every
    table row was silently dropped, only the paragraphs around the table were imported."""
    import docx

    d = docx.Document()
    d.add_paragraph("访谈记录 2023年6月23日")
    t = d.add_table(rows=3, cols=2)
    for i, (who, text) in enumerate([("采访者", "最近工作怎么样？"), ("C", "迎检压力很大。"),
                                     ("C", "人手不够。")]):
        t.cell(i, 0).text, t.cell(i, 1).text = who, text
    d.add_paragraph("C：最后一段。")
    d.save(str(tmp_path / "table.docx"))
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    for i, row in enumerate([("说话人", "中文", "English"), ("采访者", "最近怎么样？", "How are things?"),
                             ("C", "检查太多。", "Too many inspections.")]):
        for j, value in enumerate(row):
            t.cell(i, j).text = value
    d.save(str(tmp_path / "bilingual.docx"))
    db = tmp_path / "study.db"
    code, out = run("import", db, tmp_path / "table.docx")
    assert code == 0, out
    assert segments_of(db, "table") == [
        (None, "访谈记录 2023年6月23日", ""), ("采访者", "最近工作怎么样？", ""), ("C", "迎检压力很大。", ""),
        ("C", "人手不够。", ""), ("C", "最后一段。", "")]
    code, out = run("import", db, tmp_path / "bilingual.docx")
    assert code == 0, out
    assert segments_of(db, "bilingual") == [
        ("采访者", "最近怎么样？", "How are things?"), ("C", "检查太多。", "Too many inspections.")]


@pytest.mark.parametrize("long", [False, True])
def test_importing_a_csv_export_as_a_transcript_is_refused(project: Path, long: bool) -> None:
    """'annotator import NEW.db export.csv' took annotator's own CSV export for a transcript:
    every segment once per coder, the coders' codes as document attributes."""
    out = project.parent / "export.csv"
    assert run("export", project, "--format", "csv", "-o", out, *(["--long"] if long else []))[0] == 0
    new = project.parent / "new.db"
    code, text = run("import", new, out)
    assert code == 1
    assert text.strip() == (f"annotator: error: {out}:1: this is an annotator CSV export (rows per"
                            " segment and coder), not a transcript; to bring coded work into a"
                            " project import its JSONL export or .qdpx")
    assert not new.exists()


def test_two_files_of_one_import_that_make_the_same_document(tmp_path: Path) -> None:
    """'annotator import study.db interviews/*' with int01.zh.txt and int01.en.txt (no
    --translation) concatenated both into one document int01 of ten segments."""
    (tmp_path / "int01.zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "int01.en.txt").write_text(EN, encoding="utf-8")
    db = tmp_path / "study.db"
    code, out = run("import", db, tmp_path / "int01.zh.txt", tmp_path / "int01.en.txt")
    assert code == 1
    assert out.strip() == (f"annotator: error: {tmp_path / 'int01.en.txt'}:1: document 'int01' also"
                           f" comes from {tmp_path / 'int01.zh.txt'} in this import (pair a"
                           " translation with --translation); import the files separately, or name"
                           " the documents with --document")
    assert not db.exists()
    # rows of one CSV may still spread over several documents, and a document over many rows
    (tmp_path / "two.csv").write_text("document,zh\na,一\nb,二\na,三\n", encoding="utf-8")
    code, out = run("import", db, tmp_path / "two.csv")
    assert code == 0 and out.strip() == "imported 3 segments in 2 documents (a, b)", out


def test_codebook_show_with_an_unknown_language_is_an_error(project: Path) -> None:
    code, out = run("codebook", "show", project, "--lang", "fr")
    assert code == 1 and out.strip() == "annotator: error: --lang must be zh or en, not 'fr'"
    code, out = run("codebook", "show", project, "--lang", "zh")
    assert code == 0 and "维度" in out


def test_agree_on_a_document_nobody_double_coded_says_so(project: Path, tmp_path: Path) -> None:
    (tmp_path / "int02.txt").write_text(ZH, encoding="utf-8")
    assert run("import", project, tmp_path / "int02.txt")[0] == 0
    assert run("tag", project, "int02-001", "latency", "--coder", "li")[0] == 0
    code, out = run("agree", project, "--document", "int02")
    assert code == 1
    assert out.strip() == ("annotator: error: agreement needs at least two coders who have finished"
                           " segments in document 'int02'; coders with finished segments in"
                           " document 'int02': li")


QC_DEMO = Path("/work/shared/refi-qda/samples/qc_demo.qdpx")


@pytest.mark.skipif(not QC_DEMO.exists(), reason="the shared REFI-QDA samples are not here")
def test_qdpx_with_a_map_into_a_new_project_maps_onto_the_bundled_codebook(tmp_path: Path) -> None:
    """'import NEW.db x.qdpx --map m.csv' made the new project with an empty codebook, so every
    mapped code was "a code this project does not have"."""
    mapping = tmp_path / "map.csv"
    mapping.write_text("theirs,ours\nequity,rights_mismatch\n", encoding="utf-8")
    db = tmp_path / "new.db"
    code, out = run("import", db, QC_DEMO, "--map", mapping)
    assert code == 0, out
    assert "1 of the project's codes mapped from 1 of theirs" in out
    assert {c for _w, _s, c in annotations_of(db)} == {"rights_mismatch"}


def test_map_with_a_transcript_is_an_error(tmp_path: Path) -> None:
    """--map was silently ignored when importing transcripts."""
    (tmp_path / "int01.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "map.csv").write_text("theirs,ours\nx,latency\n", encoding="utf-8")
    code, out = run("import", tmp_path / "new.db", tmp_path / "int01.txt", "--map", tmp_path / "map.csv")
    assert code == 1 and "--map maps the codes of a .qdpx" in out
    assert not (tmp_path / "new.db").exists()


def test_a_broken_yaml_map_is_one_short_line(project: Path, tmp_path: Path) -> None:
    """The message carried PyYAML's whole report: '... in "<unicode string>", line 2, column 3:'
    and the quoted source line."""
    qdpx = tmp_path / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    mapping = tmp_path / "map.yaml"
    mapping.write_text("a b c\n:::\n", encoding="utf-8")
    code, out = run("import", project, qdpx, "--map", mapping)
    assert code == 1
    assert out.strip() == f"annotator: error: {mapping}:2: not valid YAML: mapping values are not" \
        " allowed here"


def test_qdpx_round_trip_keeps_chinese_document_ids(tmp_path: Path) -> None:
    """Documents named from Chinese file names (访谈 01.txt → 访谈_01) came back from a .qdpx
    round trip as '01' (every non-ASCII letter dropped), and their segment ids with them."""
    import sqlite3

    (tmp_path / "访谈 01.txt").write_text(ZH, encoding="utf-8")
    db = tmp_path / "study.db"
    assert run("import", db, tmp_path / "访谈 01.txt")[0] == 0
    assert run("tag", db, "访谈_01-002", "rights_mismatch", "--coder", "李")[0] == 0
    qdpx = tmp_path / "study.qdpx"
    assert run("export", db, "--format", "qdpx", "-o", qdpx)[0] == 0
    new = tmp_path / "new.db"
    code, out = run("import", new, qdpx)
    assert code == 0, out
    with sqlite3.connect(new) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM documents")] == ["访谈_01"]
    assert annotations_of(new) == {("李", "访谈_01-002", "rights_mismatch")}


def test_qdpx_export_says_that_done_no_code_marks_are_not_in_it(project: Path) -> None:
    """'done, no code applies' marks count as agreement units but cannot travel in a .qdpx; the
    export dropped them without a word."""
    assert run("tag", project, "int01-001", "--none", "--coder", "li")[0] == 0
    assert run("tag", project, "int01-001", "--none", "--coder", "wang")[0] == 0
    code, out = run("export", project, "--format", "qdpx", "-o", project.parent / "x.qdpx")
    assert code == 0, out
    assert "not exported: 2 'done, no code applies' marks" in out


def test_qdpx_round_trip_into_a_new_project_keeps_the_keys(project: Path, tmp_path: Path) -> None:
    """A .qdpx from annotator restored into a new project gave codes without keys: the coding
    screen then had no key to press for any code."""
    qdpx = tmp_path / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    new = tmp_path / "new.db"
    code, out = run("import", new, qdpx)
    assert code == 0, out
    assert codes_of(new) == codes_of(project)


def test_output_dash_is_standard_output(project: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """'-o -' wrote a file named '-' in the current folder (and said "wrote -")."""
    import csv
    import io
    import json

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["export", str(project), "--format", "csv", "-o", "-"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6 and rows[0]["segment"] == "int01-001"
    assert "wrote" in result.stderr and "wrote" not in result.stdout
    result = CliRunner().invoke(app, ["export", str(project), "--format", "jsonl", "-o", "-"])
    assert result.exit_code == 0 and json.loads(result.stdout.splitlines()[0])
    result = CliRunner().invoke(app, ["export", str(project), "--format", "qdc", "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("<?xml")
    code, out = run("export", project, "--format", "qdpx", "-o", "-")
    assert code == 1 and "binary" in out
    result = CliRunner().invoke(app, ["agree", str(project), "--format", "json", "-o", "-"])
    assert result.exit_code == 0 and "facets" in json.loads(result.stdout)
    assert not (tmp_path / "-").exists()


def test_a_cut_off_jsonl_export_says_so(project: Path, tmp_path: Path) -> None:
    """A JSONL export cut part-way through a line (copy interrupted) was reported as
    'not JSON: Unterminated string starting at', with nothing after 'at'."""
    export = tmp_path / "full.jsonl"
    assert run("export", project, "--format", "jsonl", "-o", export)[0] == 0
    data = export.read_bytes()
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(data[: data.index(b"\n", len(data) // 2) + 20])
    code, out = run("import", tmp_path / "new.db", cut)
    assert code == 1
    assert "the export ends part-way through this line (an incomplete copy?)" in out
    assert not (tmp_path / "new.db").exists()


def test_a_second_interview_with_the_same_file_name(project: Path, tmp_path: Path) -> None:
    """Two interviews both saved as int01.txt (in two folders): the refusal only offered
    --replace, which would have overwritten the first interview with the second."""
    other = tmp_path / "site_b" / "int01.txt"
    other.parent.mkdir()
    other.write_text("B：另一个社区的访谈。\n", encoding="utf-8")
    code, out = run("import", project, other)
    assert code == 1 and "or --document ID to import this file as another document" in out
    code, out = run("import", project, other, "--document", "int01_b")
    assert code == 0, out


def test_removing_a_code_the_coder_does_not_have_changes_nothing(project: Path) -> None:
    """'tag --remove latency' on a segment the coder never touched marked it done with no code:
    a decision the coder never made, counted by agreement as 'no code applies'."""
    import sqlite3

    code, out = run("tag", project, "int01-003", "latency", "--remove", "--coder", "li")
    assert code == 0 and out.strip() == "int01-003 li: (no code); not done", out
    with sqlite3.connect(project) as conn:
        assert conn.execute("SELECT count(*) FROM done WHERE segment = 'int01-003'").fetchone() == (0,)
    code, out = run("tag", project, "int01-002", "rights_mismatch", "--remove", "--coder", "li")
    assert code == 0 and out.strip() == "int01-002 li: adaptation; done", out
