"""The streamed ``project.qde`` is byte for byte what ElementTree writes for the same tree,
whatever the text holds, and the archive's members are the same for the same project."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from annotator.application.exporting import export_qdpx
from annotator.model import Span
from annotator.storage.attributes import set_attributes
from annotator.storage.coding import set_memo
from annotator.storage.db import open_project
from annotator.storage.memos import set_note
from annotator.storage.spans import add_spans
from tests.interchange_fixtures import coded_project

AWKWARD = 'a & b < c > d "e" \'f\'\ttab\nline 督查😀'


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


def _awkward_project(base: Path) -> Path:
    path = coded_project(base)
    with open_project(path) as p:
        set_memo(p, "li", "astral-001", AWKWARD)
        set_note(p, "document", "astral", "li", AWKWARD)
        set_note(p, "code", "adaptation", "paper", "")
        set_attributes(p, {"astral": {"note": AWKWARD, "empty": ""}})
        with p.write():
            add_spans(p, [Span("li", "astral-002", "goal_attainment", "zh", 1, 3)])
    return path


def _as_elementtree_writes_it(qde: bytes) -> bytes:
    ET.register_namespace("", "urn:QDA-XML:project:1.0")
    root = ET.fromstring(qde)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


@pytest.mark.parametrize("lang", ["both", "zh", "en"])
def test_streamed_project_equals_elementtree_serialisation(base: Path, tmp_path: Path, lang: str) -> None:
    with open_project(_awkward_project(base)) as p:
        stats = export_qdpx(p, tmp_path / "x.qdpx", lang=lang)
    qde = zipfile.ZipFile(tmp_path / "x.qdpx").read("project.qde")
    assert stats.notes >= 3 and stats.done_without_codes >= 1
    assert qde == _as_elementtree_writes_it(qde)
    assert AWKWARD.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode() in qde


def test_same_project_gives_the_same_members(base: Path, tmp_path: Path) -> None:
    path = _awkward_project(base)
    with open_project(path) as p:
        export_qdpx(p, tmp_path / "a.qdpx")
        export_qdpx(p, tmp_path / "b.qdpx")
    a, b = zipfile.ZipFile(tmp_path / "a.qdpx"), zipfile.ZipFile(tmp_path / "b.qdpx")
    assert a.namelist() == b.namelist() and a.namelist()[0] == "project.qde"
    assert all(a.read(n) == b.read(n) for n in a.namelist())
    marks = [n for n in a.namelist() if b"done astral-003" in a.read(n)]
    assert len(marks) == 1 and a.read(marks[0]).endswith(b"\n")
