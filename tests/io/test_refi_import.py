"""REFI-QDA import: real exports of other tools, our own round trip, mapping, line endings."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.application.exporting import export_qdpx
from annotator.application.importing import import_any
from annotator.application.projects import create_project
from annotator.errors import ImportFormatError
from annotator.storage.coding import coder_states
from annotator.storage.db import open_project
from tests.interchange_fixtures import SAMPLES, coded_project


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


SAMPLE_FILES = sorted(SAMPLES.glob("*.qdpx")) if SAMPLES.exists() else []


@pytest.mark.skipif(not SAMPLE_FILES, reason="shared REFI-QDA samples not available")
@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_sample_imports_with_a_summary(sample: Path, tmp_path: Path) -> None:
    lines = import_any(tmp_path / "p.db", [sample])
    assert lines and "documents" in lines[0]
    with open_project(tmp_path / "p.db") as p:
        assert p.execute("SELECT count(*) FROM codes").fetchone()[0] > 0


@pytest.mark.skipif(not (SAMPLES / "qc_demo.qdpx").exists(), reason="sample not available")
def test_qc_sample_codings_land_on_the_right_segments(tmp_path: Path) -> None:
    lines = import_any(tmp_path / "p.db", [SAMPLES / "qc_demo.qdpx"])
    assert "205 codings in 158 selections" in "\n".join(lines)
    with open_project(tmp_path / "p.db") as p:
        assert [r[0] for r in p.execute("SELECT id FROM documents ORDER BY position")] == [
            "board_2017", "admin-1"]
        seg = p.execute("SELECT speaker, en FROM segments WHERE id = 'board_2017-002'").fetchone()
        assert seg[0] == "Speaker 2" and "district goal" in seg[1]
        states = coder_states(p)
        assert set(states["board_2017-002"]) == {"cp"} and states["board_2017-002"]["cp"].done


@pytest.mark.skipif(not (SAMPLES / "atlasti84_spec_example.qdpx").exists(), reason="sample not available")
def test_atlas_sample_reports_what_was_dropped(tmp_path: Path) -> None:
    text = "\n".join(import_any(tmp_path / "p.db", [SAMPLES / "atlasti84_spec_example.qdpx"]))
    assert "missing from the archive" in text
    assert "not imported: 2 VideoSource" in text
    assert "on sources without text" in text


def test_own_qdpx_round_trip_same_annotations(base: Path, tmp_path: Path) -> None:
    src = coded_project(base)
    with open_project(src) as p:
        export_qdpx(p, tmp_path / "x.qdpx")
        before = coder_states(p)
        segs = p.execute("SELECT id, speaker, zh, en FROM segments ORDER BY id").fetchall()
    lines = import_any(tmp_path / "back.db", [tmp_path / "x.qdpx"])
    assert lines[0].startswith("5 documents")
    with open_project(tmp_path / "back.db") as p:
        after = coder_states(p)
        assert p.execute("SELECT id, speaker, zh, en FROM segments ORDER BY id").fetchall() == segs
        assert p.execute("SELECT label_zh, color FROM codes WHERE id = 'adaptation'").fetchone() == (
            "环境适应", "#5FAFFF")
        assert p.execute("SELECT multiple FROM facets WHERE id = 'dimension'").fetchone() == (0,)
    # codes and memos come back; done marks of segments with neither are not part of a qdpx
    def coded(states: dict) -> dict:  # type: ignore[type-arg]
        return {(s, c): (st.codes, st.memo) for s, per in states.items() for c, st in per.items()
                if st.codes or st.memo}

    assert coded(after) == coded(before)


def _qdpx(path: Path, qde: str, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Project.qde", qde)
        for name, data in files.items():
            z.writestr(name, data)
    return path


QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="{origin}">
<Users><User guid="{{AAAAAAAA-0000-4000-8000-000000000001}}" name="王老师"/></Users>
<CodeBook><Codes>
 <Code guid="bbbbbbbb-0000-4000-8000-000000000001" name="负担" isCodable="false">
  <Code guid="BBBBBBBB-0000-4000-8000-000000000002" name="痕迹主义" isCodable="true" color="#E06C75"/>
 </Code>
</Codes></CodeBook>
<Sources>
 <TextSource guid="cccccccc-0000-4000-8000-000000000001" name="访谈.txt" plainTextPath="{path}">
  <PlainTextSelection guid="dddddddd-0000-4000-8000-000000000001" name="{name}" startPosition="{start}"
    endPosition="{end}" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
   <Coding guid="eeeeeeee-0000-4000-8000-000000000001">
    <CodeRef targetGUID="{{bbbbbbbb-0000-4000-8000-000000000002}}"/></Coding>
  </PlainTextSelection>
 </TextSource>
 <TextSource guid="cccccccc-0000-4000-8000-000000000002" name="inline">
  <PlainTextContent>Interviewer: hello</PlainTextContent>
 </TextSource>
</Sources></Project>"""
CRLF_TEXT = "采访者：您好。\r\n\r\n受访者：台账太多😀，痕迹主义严重。\r\n"


@pytest.mark.parametrize(("origin", "offset"), [("NVivo 14", 4), ("ATLAS.ti 9", 2)])
def test_crlf_counting_per_vendor_and_lenient_paths(tmp_path: Path, origin: str, offset: int) -> None:
    text = CRLF_TEXT.replace("\r\n", "\n")
    start = text.index("痕迹主义") + offset - 2  # 2 "\r\n" before it when counted as two characters
    qde = QDE.format(origin=origin, path="Cccccccc-0000-4000-8000-000000000001.txt", name="",
                     start=start, end=start + 4)
    path = _qdpx(tmp_path / "t.qdpx", qde,
                 {"Sources/cccccccc-0000-4000-8000-000000000001.txt": CRLF_TEXT.encode("utf-8-sig")})
    import_any(tmp_path / "p.db", [path], mark_done=False)
    with open_project(tmp_path / "p.db") as p:
        states = coder_states(p)
        seg = p.execute("SELECT id, speaker, zh FROM segments WHERE zh LIKE '%痕迹%'").fetchone()
        assert seg[1] == "受访者"
        assert set(states) == {seg[0]}
        st = states[seg[0]]["王老师"]
        assert len(st.codes) == 1 and st.done
        label = p.execute("SELECT label_zh FROM codes WHERE id = ?", (next(iter(st.codes)),)).fetchone()
        assert label == ("负担 / 痕迹主义",)
        assert p.execute("SELECT en FROM segments WHERE document = 'inline'").fetchone() == ("hello",)


def test_crlf_detected_from_selection_names(tmp_path: Path) -> None:
    text = CRLF_TEXT.replace("\r\n", "\n")
    start = text.index("痕迹主义")  # counted as one character although the vendor is unknown
    qde = QDE.format(origin="SomeTool", path="internal://x.txt", name="痕迹主义严重",
                     start=start, end=start + 4)
    path = _qdpx(tmp_path / "t.qdpx", qde, {"sources/x.txt": CRLF_TEXT.encode()})
    lines = import_any(tmp_path / "p.db", [path], mark_done=False)
    assert any("counted as one" in line for line in lines)
    with open_project(tmp_path / "p.db") as p:
        assert len(coder_states(p)) == 1


def test_mapping_onto_project_codebook(tmp_path: Path) -> None:
    text = CRLF_TEXT.replace("\r\n", "\n")
    start = text.index("痕迹主义")
    qde = QDE.format(origin="NVivo", path="internal://x.txt", name="", start=start, end=start + 4)
    path = _qdpx(tmp_path / "t.qdpx", qde, {"sources/x.txt": text.encode()})
    create_project(tmp_path / "p.db")
    (tmp_path / "map.csv").write_text("theirs,ours\n痕迹主义,trace_formalism\n", encoding="utf-8")
    lines = import_any(tmp_path / "p.db", [path], mapping=tmp_path / "map.csv", mark_done=False)
    assert any("mapped" in line for line in lines)
    with open_project(tmp_path / "p.db") as p:
        states = coder_states(p)
        assert [st.codes for per in states.values() for st in per.values()] == [
            frozenset({"trace_formalism"})]
        assert not p.execute("SELECT 1 FROM facets WHERE id LIKE 'refi%'").fetchone()
    (tmp_path / "bad.yaml").write_text("痕迹主义: no_such_code\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="no_such_code"):
        import_any(tmp_path / "p.db", [path], mapping=tmp_path / "bad.yaml")
