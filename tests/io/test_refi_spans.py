"""A selection narrower than its paragraph keeps its exact extent: stored with the annotation,
written back on export, the same after another round trip; codes stay per segment."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from annotator.application.exporting import export_qdpx
from annotator.application.importing import import_any
from annotator.model import CoderState, Span
from annotator.storage.coding import coder_states, set_state
from annotator.storage.db import open_project
from annotator.storage.spans import spans_of
from tests.io.test_refi_plan import _qde, _qdpx

NS = "{urn:QDA-XML:project:1.0}"


def _imported(tmp_path: Path) -> Path:
    import_any(tmp_path / "p.db", [_qdpx(tmp_path / "s.qdpx", _qde())])
    return tmp_path / "p.db"


def test_sub_paragraph_selection_is_kept_with_its_annotation(tmp_path: Path) -> None:
    with open_project(_imported(tmp_path)) as p:
        assert spans_of(p) == {("mei", "interview_1-002"): [
            Span("mei", "interview_1-002", "Housing__Rent", "en", 0, 15)]}
        assert coder_states(p)["interview_1-002"]["mei"].codes == {"Housing__Rent"}
        text = p.execute("SELECT en FROM segments WHERE id = 'interview_1-002'").fetchone()[0]
    assert text[0:15] == "The rent kept r"


def test_exact_selection_written_back_and_read_again(tmp_path: Path) -> None:
    with open_project(_imported(tmp_path)) as p:
        export_qdpx(p, tmp_path / "x.qdpx")
    z = zipfile.ZipFile(tmp_path / "x.qdpx")
    root = ET.fromstring(z.read("project.qde"))
    src = root.find(f".//{NS}TextSource")
    assert src is not None
    text = z.read("sources/" + (src.get("plainTextPath") or "")[len("internal://"):]).decode()
    (sel,) = [s for s in src.findall(f"{NS}PlainTextSelection") if s.find(f"{NS}Coding") is not None]
    assert text[int(sel.get("startPosition") or 0):int(sel.get("endPosition") or 0)] == "The rent kept r"
    (tmp_path / "again").mkdir()
    import_any(tmp_path / "again" / "p.db", [tmp_path / "x.qdpx"])
    with open_project(tmp_path / "again" / "p.db") as p:
        assert [(s.segment, s.code, s.lang, s.start, s.end) for v in spans_of(p).values() for s in v] == [
            ("interview_1-002", "Housing__Rent", "en", 0, 15)]


def test_removing_the_code_removes_its_span(tmp_path: Path) -> None:
    with open_project(_imported(tmp_path)) as p:
        set_state(p, "mei", "interview_1-002", CoderState(frozenset(), True))
        assert spans_of(p) == {}


def test_spans_travel_in_the_full_jsonl_export(tmp_path: Path) -> None:
    from annotator.application.exporting import export_jsonl

    with open_project(_imported(tmp_path)) as p:
        counts = export_jsonl(p, tmp_path / "all.jsonl")
        before = spans_of(p)
    assert counts["annotation_spans"] == 1
    import_any(tmp_path / "restored.db", [tmp_path / "all.jsonl"])
    with open_project(tmp_path / "restored.db") as p:
        assert spans_of(p) == before


def test_spans_come_along_when_a_coders_copy_is_merged(tmp_path: Path) -> None:
    import shutil

    from annotator.model import Span as S
    from annotator.storage.merge import merge_projects

    coder_copy = _imported(tmp_path)
    lead = tmp_path / "lead.db"
    shutil.copyfile(coder_copy, lead)
    with open_project(coder_copy) as p:
        set_state(p, "li", "interview_1-001", CoderState(frozenset({"Housing__Rent"}), True))
        with p.write():
            from annotator.storage.spans import add_spans

            add_spans(p, [S("li", "interview_1-001", "Housing__Rent", "en", 3, 8)])
    with open_project(lead) as p:
        merge_projects(p, [coder_copy])
        assert spans_of(p, ["li"]) == {("li", "interview_1-001"): [
            S("li", "interview_1-001", "Housing__Rent", "en", 3, 8)]}
