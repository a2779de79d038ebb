"""A .qdpx becomes an import plan with no project open: documents, segments, codes, coders' work."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.errors import ImportFormatError
from annotator.io.refi_import import ImportTarget, plan_qdpx, read_qdpx
from annotator.model import Bilingual, Code, Codebook, Facet

NS = "urn:QDA-XML:project:1.0"
U1 = "11111111-1111-1111-1111-111111111111"
C_PARENT = "22222222-2222-2222-2222-222222222222"
C_CHILD = "33333333-3333-3333-3333-333333333333"
SRC = "44444444-4444-4444-4444-444444444444"
NOTE = "55555555-5555-5555-5555-555555555555"
TEXT = "Ann: We moved here in 2019.\n\nBob: The rent kept rising."


def _qde(extra_selection: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Study" origin="OtherTool 1.0">
  <Users><User guid="{U1}" name="mei"/></Users>
  <CodeBook><Codes>
    <Code guid="{C_PARENT}" name="Housing" isCodable="false">
      <Code guid="{C_CHILD}" name="Rent" isCodable="true" color="#ff0000"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{SRC}" name="interview 1.txt" plainTextPath="internal://{SRC}.txt">
      <PlainTextSelection guid="66666666-6666-6666-6666-666666666666" startPosition="34"
          endPosition="49" creatingUser="{U1}">
        <Coding guid="77777777-7777-7777-7777-777777777777" creatingUser="{U1}">
          <CodeRef targetGUID="{C_CHILD}"/>
        </Coding>
        <NoteRef targetGUID="{NOTE}"/>
      </PlainTextSelection>
      {extra_selection}
    </TextSource>
    <PictureSource guid="88888888-8888-8888-8888-888888888888" name="map.png"/>
  </Sources>
  <Notes><Note guid="{NOTE}" name="n"><PlainTextContent>rent worry</PlainTextContent></Note></Notes>
</Project>
"""


def _qdpx(path: Path, qde: str, text: str = TEXT) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
        z.writestr(f"sources/{SRC}.txt", text)
    return path


def _target(codebook: Codebook | None = None, docs: dict[str, list[tuple[str, str]]] | None = None
            ) -> ImportTarget:
    codebook = codebook or Codebook(facets=())
    docs = docs or {}
    return ImportTarget(codebook, codebook, set(docs), lambda d: docs.get(d, []))


def test_text_source_becomes_one_document_with_a_segment_per_paragraph(tmp_path: Path) -> None:
    plan = plan_qdpx(read_qdpx(_qdpx(tmp_path / "s.qdpx", _qde())), _target(), mark_done=False)
    assert [d.id for d in plan.documents] == ["interview_1"]
    assert [(s.id, s.speaker, s.en) for s in plan.segments] == [
        ("interview_1-001", "Ann", "We moved here in 2019."),
        ("interview_1-002", "Bob", "The rent kept rising."),
    ]
    assert sorted(tmp_path.iterdir()) == [tmp_path / "s.qdpx"]  # no project file anywhere


def test_codable_child_becomes_a_code_labelled_with_its_path(tmp_path: Path) -> None:
    plan = plan_qdpx(read_qdpx(_qdpx(tmp_path / "s.qdpx", _qde())), _target(), mark_done=False)
    assert plan.codebook is not None
    (facet,) = plan.codebook.facets
    assert [(c.id, c.label.en, c.color) for c in facet.codes] == [("Housing__Rent", "Housing / Rent", "#ff0000")]
    assert any("folder code(s) that are not codable" in d for d in plan.summary.dropped)


def test_coding_becomes_the_users_done_work_with_the_note_as_memo(tmp_path: Path) -> None:
    plan = plan_qdpx(read_qdpx(_qdpx(tmp_path / "s.qdpx", _qde())), _target(), mark_done=False)
    state = plan.work[("mei", "interview_1-002")]
    assert state.codes == {"Housing__Rent"} and state.done and state.memo == "rent worry"
    assert list(plan.work) == [("mei", "interview_1-002")]
    assert "1 codings in 1 selections → 1 annotations on 1 segments by 1 coder(s) (mei)" in plan.summary.lines()


def test_what_is_left_out_is_reported(tmp_path: Path) -> None:
    outside = ('<PlainTextSelection guid="99999999-9999-9999-9999-999999999999" startPosition="500"'
               ' endPosition="510"/>')
    plan = plan_qdpx(read_qdpx(_qdpx(tmp_path / "s.qdpx", _qde(outside))), _target())
    lines = plan.summary.lines()
    assert "not imported: 1 PictureSource source(s) (only text sources are imported)" in lines
    assert "not imported: 1 selection(s) outside the text or between paragraphs" in lines


def test_same_document_with_the_same_text_is_refused(tmp_path: Path) -> None:
    refi = read_qdpx(_qdpx(tmp_path / "s.qdpx", _qde()))
    stored = {"interview_1": [("", "We moved here in 2019."), ("", "The rent kept rising.")]}
    with pytest.raises(ImportFormatError, match="imported before"):
        plan_qdpx(refi, _target(docs=stored))


def test_different_document_of_the_same_name_is_renamed(tmp_path: Path) -> None:
    refi = read_qdpx(_qdpx(tmp_path / "s.qdpx", _qde()))
    plan = plan_qdpx(refi, _target(docs={"interview_1": [("", "something else")]}))
    assert [d.id for d in plan.documents] == ["interview_1_2"]
    assert any("imported as 'interview_1_2'" in w for w in plan.summary.warnings)


def test_mapping_puts_codings_on_the_projects_codes(tmp_path: Path) -> None:
    ours = Codebook((Facet("topic", (Code("housing", "topic", Bilingual(en="Housing")),), True),))
    (tmp_path / "map.csv").write_text("theirs,ours\nRent,housing\n", encoding="utf-8")
    refi = read_qdpx(_qdpx(tmp_path / "s.qdpx", _qde()))
    plan = plan_qdpx(refi, _target(ours), tmp_path / "map.csv")
    assert plan.codebook is None
    assert plan.work[("mei", "interview_1-002")].codes == {"housing"}


def test_mapping_onto_a_code_the_project_lacks_is_refused(tmp_path: Path) -> None:
    (tmp_path / "map.csv").write_text("Rent,nosuchcode\n", encoding="utf-8")
    refi = read_qdpx(_qdpx(tmp_path / "s.qdpx", _qde()))
    with pytest.raises(ImportFormatError, match="nosuchcode"):
        plan_qdpx(refi, _target(), tmp_path / "map.csv")


def test_windows_line_breaks_counted_as_two_characters_by_default(tmp_path: Path) -> None:
    crlf = TEXT.replace("\n", "\r\n")  # the selection now starts 2 characters later
    qde = _qde().replace('startPosition="34"', 'startPosition="36"').replace(
        'endPosition="49"', 'endPosition="51"')
    plan = plan_qdpx(read_qdpx(_qdpx(tmp_path / "s.qdpx", qde, crlf)), _target(), mark_done=False)
    assert list(plan.work) == [("mei", "interview_1-002")]
    assert any("Windows line breaks" in w for w in plan.summary.warnings)


def test_doctype_is_refused(tmp_path: Path) -> None:
    qde = _qde().replace("<Project ", '<!DOCTYPE Project [<!ENTITY x "y">]>\n<Project ', 1)
    with pytest.raises(ImportFormatError, match="DOCTYPE"):
        read_qdpx(_qdpx(tmp_path / "s.qdpx", qde))
