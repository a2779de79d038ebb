"""`annotator import` of transcripts and exports: what it refuses, what it warns about, and the
one line it says.

Each test is a defect found by using the tool as its README describes, and failed before its fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.cli_helpers import EN, ZH, run, segments_of


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


def test_import_messages_say_what_happened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """'imported 3 segments in 1 documents'; adding a translation to a document said 'imported'."""
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path / "home"))
    (tmp_path / "int01.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "int01.en.txt").write_text(EN, encoding="utf-8")
    db = tmp_path / "study.db"
    code, out = run("import", db, tmp_path / "int01.txt")
    assert code == 0 and "imported 3 segments in 1 document (int01)" in out.splitlines(), out
    code, out = run("import", db, "--document", "int01", "--translation", tmp_path / "int01.en.txt")
    assert code == 0 and out.strip() == "added the English translation to int01 (3 segments)", out


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
    assert code == 0 and "imported 3 segments in 2 documents (a, b)" in out.splitlines(), out


def test_map_with_a_transcript_is_an_error(tmp_path: Path) -> None:
    """--map was silently ignored when importing transcripts."""
    (tmp_path / "int01.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "map.csv").write_text("theirs,ours\nx,latency\n", encoding="utf-8")
    code, out = run("import", tmp_path / "new.db", tmp_path / "int01.txt", "--map", tmp_path / "map.csv")
    assert code == 1 and "--map maps the codes of a .qdpx" in out
    assert not (tmp_path / "new.db").exists()


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
