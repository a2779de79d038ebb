"""annotator → .qdpx → annotator: everything comes back, and what other tools read is in place."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.application.agreement import load_input as agreement_data
from annotator.application.exporting import export_qdpx
from annotator.application.importing import import_any
from annotator.io.refi_export import refi_stamp
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import coder_states, set_memo, tag
from annotator.storage.db import open_project
from tests.interchange_fixtures import PROJECT_XSD, coded_project

etree = pytest.importorskip("lxml.etree")
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


@pytest.fixture
def project(base: Path) -> Path:
    """The coded project with a memo on a segment not marked done, so 'open' work travels too."""
    path = coded_project(base)
    with open_project(path) as p:
        set_memo(p, "li", "A20230321-003", "to come back to")
        tag(p, load_codebook(p), "li", "A20230321-002", [], none=True)
    return path


def _root(path: Path) -> object:
    return etree.fromstring(zipfile.ZipFile(path).read("project.qde"))


def _round_trip(src: Path, tmp_path: Path, **kw: object) -> Path:
    with open_project(src) as p:
        export_qdpx(p, tmp_path / "x.qdpx", **kw)  # type: ignore[arg-type]
    import_any(tmp_path / "back.db", [tmp_path / "x.qdpx"])
    return tmp_path / "back.db"


def test_agreement_is_the_same_after_a_round_trip(project: Path, tmp_path: Path) -> None:
    before = agreement_data(project, None, None)
    after = agreement_data(_round_trip(project, tmp_path), None, None)
    assert after.coders == before.coders
    assert after.states == before.states
    assert len(before.states) > 3  # done-no-code marks are among them
    assert any(not codes for per in before.states.values() for codes in per.values())


def test_codes_done_marks_and_memos_come_back_undoubled(project: Path, tmp_path: Path) -> None:
    with open_project(project) as p:
        before = coder_states(p)
    with open_project(_round_trip(project, tmp_path)) as p:
        after = coder_states(p)
    assert after == before
    assert after["A20230321-003"]["li"].memo == "to come back to" and not after["A20230321-003"]["li"].done


def test_annotation_dates_come_back_to_the_second(project: Path, tmp_path: Path) -> None:
    query = "SELECT coder, segment, code, created_at FROM annotations ORDER BY 1, 2, 3"
    with open_project(project) as p:
        before = [(*r[:3], refi_stamp(r[3])) for r in p.execute(query)]
    with open_project(_round_trip(project, tmp_path)) as p:
        after = [(*r[:3], refi_stamp(r[3])) for r in p.execute(query)]
    assert after == before


def test_selections_on_both_languages_with_memo_in_the_description(project: Path, tmp_path: Path) -> None:
    if not PROJECT_XSD.exists():
        pytest.skip("schema not available")
    with open_project(project) as p:
        export_qdpx(p, tmp_path / "x.qdpx")
        created = p.execute("SELECT value FROM project WHERE key = 'created_at'").fetchone()[0]
    root = _root(tmp_path / "x.qdpx")
    etree.XMLSchema(etree.parse(str(PROJECT_XSD))).assertValid(root)
    assert root.get("creationDateTime") == refi_stamp(created)
    users = {u.get("guid") for u in root.iterfind(".//q:User", NS)}
    assert root.get("creatingUserGUID") in users
    for lang in ("zh", "en"):
        src = root.find(f".//q:TextSource[@name='astral.{lang}.txt']", NS)
        sels = src.findall("q:PlainTextSelection[@name='astral-002']", NS)
        assert len(sels) == 2  # li and paper
        memo = [s.find("q:Description", NS) for s in sels if s.find("q:Description", NS) is not None]
        assert [m.text for m in memo] == ["督查😀太多 — too many inspections"]
        values = {vv.find("q:TextValue", NS).text for vv in src.findall("q:VariableValue", NS)}
        assert values == {"Z", "=cmd|' /C calc'!A0"}
    for el in root.iter("{urn:QDA-XML:project:1.0}Coding", "{urn:QDA-XML:project:1.0}Note"):
        assert el.get("creatingUser") in users
    path = root.find(".//q:Note[@name='annotator done marks: li']", NS).get("plainTextPath")
    marks = zipfile.ZipFile(tmp_path / "x.qdpx").read("sources/" + path[len("internal://"):]).decode()
    assert "done astral-003" in marks.splitlines() and "open A20230321-003" in marks.splitlines()


def test_one_language_on_request(project: Path, tmp_path: Path) -> None:
    with open_project(project) as p:
        export_qdpx(p, tmp_path / "x.qdpx", lang="en")
    root = _root(tmp_path / "x.qdpx")
    assert root.find(".//q:TextSource[@name='astral.zh.txt']/q:PlainTextSelection", NS) is None
    assert root.find(".//q:TextSource[@name='astral.en.txt']/q:PlainTextSelection", NS) is not None
    before = agreement_data(project, None, None)
    import_any(tmp_path / "back.db", [tmp_path / "x.qdpx"])
    assert agreement_data(tmp_path / "back.db", None, None).states == before.states


def test_own_file_keeps_a_coders_unfinished_segments_open(demo_project: Path, tmp_path: Path) -> None:
    """Other tools' files get every segment of a coded document marked done; annotator's own
    file carries its marks, so a segment a coder has not finished stays open after the trip."""
    with open_project(demo_project) as p:
        codebook = load_codebook(p)
        tag(p, codebook, "me", "A20230321-001", ["adaptation"])
        before = coder_states(p)
    export_qdpx_path = tmp_path / "d.qdpx"
    with open_project(demo_project) as p:
        export_qdpx(p, export_qdpx_path)
    import_any(tmp_path / "back.db", [export_qdpx_path])
    with open_project(tmp_path / "back.db") as p:
        after = coder_states(p)
    mine = lambda states: {s: per["me"] for s, per in states.items() if "me" in per}  # noqa: E731
    assert mine(after) == mine(before)


def test_memos_on_documents_and_codes_come_back_once(project: Path, tmp_path: Path) -> None:
    from annotator.storage.memos import all_memos, set_note

    with open_project(project) as p:
        set_note(p, "document", "astral", "li", "访谈被打断 — interview cut short")
        set_note(p, "code", "adaptation", "paper", "fit of duties")
        set_note(p, "code", "rights_mismatch", "li", "a burden type's memo")  # a nested code
        before = sorted((m["kind"], m["target"], m["coder"], m["text"]) for m in all_memos(p)
                        if m["kind"] != "segment")
    back = _round_trip(project, tmp_path)
    with open_project(back) as p:
        after = sorted((m["kind"], m["target"], m["coder"], m["text"]) for m in all_memos(p)
                       if m["kind"] != "segment")
    assert after == before and len(before) == 3  # the document's two sources refer to one note
