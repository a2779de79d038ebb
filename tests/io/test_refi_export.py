"""REFI-QDA export: valid against the schemas, code-point offsets, stable GUIDs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.application.exporting import export_qdc, export_qdpx
from annotator.storage.db import open_project
from tests.interchange_fixtures import CODEBOOK_XSD, PROJECT_XSD, coded_project

etree = pytest.importorskip("lxml.etree")
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


def _schema(path: Path) -> object:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return etree.XMLSchema(etree.parse(str(path)))


def test_qdpx_valid_and_offsets_in_code_points(base: Path, tmp_path: Path) -> None:
    schema = _schema(PROJECT_XSD)
    with open_project(coded_project(base)) as p:
        stats = export_qdpx(p, tmp_path / "x.qdpx")
        seg = p.execute("SELECT zh, speaker FROM segments WHERE id = 'astral-002'").fetchone()
    assert stats.users == 2 and stats.notes == 2
    z = zipfile.ZipFile(tmp_path / "x.qdpx")
    root = etree.fromstring(z.read("project.qde"))
    schema.assertValid(root)  # type: ignore[attr-defined]
    src = root.find(".//q:TextSource[@name='astral.zh.txt']", NS)
    path = src.get("plainTextPath")
    assert path.startswith("internal://")
    text = z.read("sources/" + path[len("internal://"):]).decode("utf-8")
    assert "\r" not in text and not text.startswith("\ufeff")
    users = {u.get("name"): u.get("guid") for u in root.iterfind(".//q:User", NS)}
    sel = src.find(f"q:PlainTextSelection[@name='astral-002'][@creatingUser='{users['li']}']", NS)
    start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    # code points: the emoji in segment 1 and the Ext-B ideograph count as one each
    assert text[start:end] == f"{seg[1]}：{seg[0]}"
    assert "𠀀" in text[start:end]
    assert len(sel.findall("q:Coding", NS)) == 3
    note_ref = sel.find("q:NoteRef", NS).get("targetGUID")
    note = root.find(f".//q:Note[@guid='{note_ref}']/q:PlainTextContent", NS)
    assert note.text == "督查😀太多 — too many inspections"
    case = root.find(".//q:Case[@name='astral']", NS)
    assert case.find("q:VariableValue/q:TextValue", NS).text in ("Z", "=cmd|' /C calc'!A0")


def test_qdpx_guids_stable_across_exports(base: Path, tmp_path: Path) -> None:
    with open_project(coded_project(base)) as p:
        export_qdpx(p, tmp_path / "a.qdpx")
        export_qdpx(p, tmp_path / "b.qdpx", coders=["li"])

    def guids(name: str) -> set[str]:
        root = etree.fromstring(zipfile.ZipFile(tmp_path / name).read("project.qde"))
        return {el.get("guid") for el in root.iter() if el.get("guid")}

    assert guids("b.qdpx") <= guids("a.qdpx")
    with open_project(coded_project(base)) as p:  # another copy of the same project
        export_qdpx(p, tmp_path / "c.qdpx")
    assert guids("c.qdpx") == guids("a.qdpx")


def test_qdc_valid_without_empty_sets(base: Path, tmp_path: Path) -> None:
    schema = _schema(CODEBOOK_XSD)
    with open_project(coded_project(base)) as p:
        n = export_qdc(p, tmp_path / "x.qdc")
    root = etree.parse(str(tmp_path / "x.qdc"))
    schema.assertValid(root)  # type: ignore[attr-defined]
    assert b"<Sets" not in (tmp_path / "x.qdc").read_bytes()
    codes = root.getroot().findall(".//{urn:QDA-XML:codebook:1.0}Code[@isCodable='true']")
    assert len(codes) == n == 13
    assert any(c.get("color") == "#5FAFFF" for c in codes)


def test_qdpx_document_and_code_memos_are_notes_the_sources_and_the_code_refer_to(
        base: Path, tmp_path: Path) -> None:
    from annotator.storage.memos import set_note

    schema = _schema(PROJECT_XSD)
    with open_project(coded_project(base)) as p:
        set_note(p, "document", "astral", "li", "访谈被打断 — interview cut short")
        set_note(p, "code", "adaptation", "paper", "fit of duties")
        set_note(p, "code", "adaptation", "li", "only li's")
        stats = export_qdpx(p, tmp_path / "all.qdpx")
        only_paper = export_qdpx(p, tmp_path / "paper.qdpx", coders=["paper"])
    assert stats.notes == 2 + 3 and only_paper.notes == 1 + 1  # segment memos + the new ones
    root = etree.fromstring(zipfile.ZipFile(tmp_path / "all.qdpx").read("project.qde"))
    schema.assertValid(root)  # type: ignore[attr-defined]
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    notes = {n.get("guid"): (users[n.get("creatingUser")], n.findtext("q:PlainTextContent", namespaces=NS))
             for n in root.iterfind(".//q:Note", NS)}

    def referred(element: object) -> list[tuple[str, str]]:
        return sorted(notes[r.get("targetGUID")] for r in element.findall("q:NoteRef", NS))  # type: ignore[attr-defined]

    sources = root.findall(".//q:TextSource", NS)
    astral = [s for s in sources if s.get("name").startswith("astral.")]
    assert len(astral) == 2  # both languages' sources refer to the document memo
    for source in astral:
        assert referred(source) == [("li", "访谈被打断 — interview cut short")]
    assert all(not referred(s) for s in sources if s not in astral)
    code = next(c for c in root.iterfind(".//q:Code", NS) if c.get("name").startswith("adaptation:"))
    assert referred(code) == [("li", "only li's"), ("paper", "fit of duties")]
    root = etree.fromstring(zipfile.ZipFile(tmp_path / "paper.qdpx").read("project.qde"))
    schema.assertValid(root)  # type: ignore[attr-defined]
    texts = {n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind(".//q:Note", NS)}
    assert texts == {"-first memo", "fit of duties"}
