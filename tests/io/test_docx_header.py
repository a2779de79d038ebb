"""The header block of a Word transcript (title, date, place, interviewer before the first turn)
becomes document attributes, not segments, and the import says what it took."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app
from annotator.io.transcripts import read_turns

runner = CliRunner()


def make_docx(path: Path, paragraphs: list[str], *, title_style: bool = False) -> Path:
    import docx

    document = docx.Document()
    for number, text in enumerate(paragraphs):
        document.add_paragraph(text, style="Title" if title_style and number == 0 else None)
    document.save(str(path))
    return path


HEADED = ["访谈记录 02", "访谈时间：2024年3月5日", "访谈地点：某社区居委会", "访谈人：李明", "",
          "访谈人：您好，请介绍一下您的工作。", "受访者：我在社区工作了八年。"]


def test_title_and_field_lines_are_attributes_of_the_first_turn(tmp_path: Path) -> None:
    turns = list(read_turns(make_docx(tmp_path / "int02.docx", HEADED)))
    assert [(t.speaker, t.zh) for t in turns] == [
        ("访谈人", "您好，请介绍一下您的工作。"), ("受访者", "我在社区工作了八年。")]
    assert turns[0].line == 6
    assert turns[0].attributes == {
        "title": "访谈记录 02", "访谈时间": "2024年3月5日", "访谈地点": "某社区居委会", "访谈人": "李明",
        "header": "访谈记录 02\n访谈时间：2024年3月5日\n访谈地点：某社区居委会\n访谈人：李明"}


def test_import_stores_the_header_and_says_what_it_took(tmp_path: Path) -> None:
    db = tmp_path / "study.db"
    result = runner.invoke(app, ["import", str(db), str(make_docx(tmp_path / "int02.docx", HEADED))])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "imported 2 segments in 1 document (int02)"
    assert lines[1] == ("int02: the lines before the first turn are its header (document attributes,"
                        " not segments): 访谈记录 02 | 访谈时间：2024年3月5日 | 访谈地点：某社区居委会 | 访谈人：李明")
    with sqlite3.connect(db) as conn:
        title, attributes = conn.execute("SELECT title, attributes FROM documents").fetchone()
        speakers = [r[0] for r in conn.execute("SELECT speaker FROM segments ORDER BY position")]
    assert title == "访谈记录 02"
    assert json.loads(attributes)["访谈时间"] == "2024年3月5日"
    assert speakers == ["访谈人", "受访者"]


def test_a_styled_title_alone_is_a_header(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["Interview 7", "I: How are you?", "R: Fine."], title_style=True)
    turns = list(read_turns(path))
    assert [t.en for t in turns] == ["How are you?", "Fine."]
    assert turns[0].attributes["title"] == "Interview 7"


def test_a_transcript_that_starts_with_its_first_turn_has_no_header(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["访谈人：您好", "受访者：你好。", "访谈人：最近怎么样？"])
    turns = list(read_turns(path))
    assert [t.speaker for t in turns] == ["访谈人", "受访者", "访谈人"]
    assert turns[0].attributes == {}


def test_sentences_before_the_first_speaker_stay_turns(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["今天我们聊一聊社区的工作。", "时间：下午三点开始。", "A：好的。"])
    assert [t.zh for t in read_turns(path)] == ["今天我们聊一聊社区的工作。", "下午三点开始。", "好的。"]
