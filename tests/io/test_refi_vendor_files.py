"""qdpx files written the way QualCoder and MAXQDA/NVivo write them import with nothing dropped
silently: what comes in is there, and every part that does not is named in the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.application.importing import import_any
from annotator.storage.coding import coder_states
from annotator.storage.db import open_project
from annotator.storage.documents import iter_segments, list_documents
from annotator.storage.memos import all_memos
from annotator.storage.spans import spans_of
from tests.interchange_fixtures import PROJECT_XSD
from tests.io.vendor_qdpx import maxqda_nvivo_style, qualcoder_style


def _codes(db: Path) -> dict[str, tuple[str, str]]:
    with open_project(db) as p:
        rows = p.execute("SELECT id, label_zh, label_en FROM codes").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


@pytest.mark.parametrize("build", [qualcoder_style, maxqda_nvivo_style])
def test_fixture_is_valid_refi_qda(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    etree = pytest.importorskip("lxml.etree")
    if not PROJECT_XSD.exists():
        pytest.skip("schema not available")
    import zipfile

    root = etree.fromstring(zipfile.ZipFile(build(tmp_path)).read("project.qde"))
    etree.XMLSchema(etree.parse(str(PROJECT_XSD))).assertValid(root)


def test_qualcoder_style_file(tmp_path: Path) -> None:
    lines = import_any(tmp_path / "p.db", [qualcoder_style(tmp_path)])
    db = tmp_path / "p.db"
    labels = _codes(db)
    assert {v[0] or v[1] for v in labels.values()} == {"Trust", "社会功能 / 适应", "社会功能 / 目标达成"}
    assert all(cid.isascii() for cid in labels)
    by_label = {(v[0] or v[1]): k for k, v in labels.items()}
    with open_project(db) as p:
        (doc,) = list_documents(p)
        segs = list(iter_segments(p))
        states = coder_states(p)
        spans = spans_of(p)
    assert doc.attributes == {"region": "north", "gender": "男"}
    assert [s.zh for s in segs] == ["您在社区工作多久了？", "差不多十年了，一直在基层。", "检查太多，负担很重。"]
    s2, s3 = segs[1].id, segs[2].id
    assert states[s2]["默认"].codes == {by_label["社会功能 / 适应"]}
    assert states[s2]["默认"].memo == "工作年限 — years in the job"
    assert states[s3]["zhang"].codes == {by_label["社会功能 / 目标达成"], by_label["Trust"]}
    assert states[s3]["zhang"].done and states[s3]["zhang"].memo == "讲话人是同一个人"
    assert [(x.lang, x.start, x.end) for x in spans[("zhang", s3)]] == [("zh", 5, 9)] * 2
    assert [(x.lang, x.start, x.end) for x in spans[("默认", s2)]] == [("zh", 0, 6)]
    text = "\n".join(lines)
    assert "not imported: 1 AudioSource source(s)" in text
    assert "not imported: 1 note(s) not attached to a text selection" in text and "研究日志" in text
    assert "not imported: 1 folder code(s)" in text


def test_maxqda_nvivo_style_file(tmp_path: Path) -> None:
    lines = import_any(tmp_path / "p.db", [maxqda_nvivo_style(tmp_path)])
    db = tmp_path / "p.db"
    labels = _codes(db)
    assert sorted(v[1] for v in labels.values()) == ["Housing", "Housing / Costs / Rent", "Support"]
    by_label = {v[1]: k for k, v in labels.items()}
    with open_project(db) as p:
        (doc,) = list_documents(p)
        segs = list(iter_segments(p))
        states = coder_states(p)
        spans = spans_of(p)
    assert doc.attributes == {"age": "42"}
    assert [s.en for s in segs] == ["How long have you lived here?", "Since 2015. The rent kept rising.",
                                    "Neighbours help."]
    anna = {s: st[("Anna Berg")] for s, st in states.items() if "Anna Berg" in st}
    assert anna[segs[1].id].codes == {by_label["Housing / Costs / Rent"]}
    assert anna[segs[2].id].codes == {by_label["Support"]}  # no user: the project's creating user
    # she coded in the document, so its memo-only segment is decided: done, no code
    assert anna[segs[0].id].done and not anna[segs[0].id].codes
    assert anna[segs[0].id].memo == "warm-up question"
    (rent,) = spans[("Anna Berg", segs[1].id)]
    assert segs[1].en[rent.start:rent.end] == "The rent kept rising."
    text = "\n".join(lines)
    for dropped in ("1 PDFSource source(s)", "1 case(s) linked to no source", "1 sets", "1 links",
                    "1 coding(s) of whole sources"):
        assert dropped in text, dropped
    assert "Document memo" not in text and "1 memo(s) on documents and codes" in text
    with open_project(db) as p:  # the memo the source refers to, as the project's creating user's
        assert [(m["kind"], m["target"], m["coder"], m["text"]) for m in all_memos(p) if m["kind"] != "segment"] \
            == [("document", doc.id, "Anna Berg", "Recorded at home.")]
    assert "Windows line breaks, counted as two" in text


@pytest.mark.parametrize("mark_done", [True, False])
def test_a_user_who_coded_in_a_document_has_decided_all_of_it(mark_done: bool, tmp_path: Path) -> None:
    """Other tools keep no done marks: without them a segment one user coded and another left
    uncoded would drop out of agreement."""
    db = tmp_path / "p.db"
    lines = import_any(db, [maxqda_nvivo_style(tmp_path)], mark_done=mark_done)
    with open_project(db) as p:
        segments = {s.id: s.document for s in iter_segments(p)}
        states = coder_states(p)
    coded = {(coder, segments[seg]) for seg, per in states.items() for coder, st in per.items()
             if st.codes}
    assert coded
    for coder, doc in coded:
        in_doc = [seg for seg, d in segments.items() if d == doc]
        done = [seg for seg in in_doc if states.get(seg, {}).get(coder, None) is not None
                and states[seg][coder].done]
        assert (done == in_doc) is mark_done or len(done) == len(in_doc) == 1
    assert any("marked done, no code" in line for line in lines) is mark_done
