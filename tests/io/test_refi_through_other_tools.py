"""A project annotator exported, then read and written again by another tool, comes back whole:
the facets and codes, the Chinese/English pairs, the codings and memos."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from annotator.application.exporting import export_qdpx
from annotator.application.importing import import_any
from annotator.storage.coding import coder_states
from annotator.storage.db import open_project
from tests.interchange_fixtures import coded_project


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


def _as_qualcoder_writes_it(src: Path, out: Path) -> None:
    """What QualCoder's export keeps of annotator's file: its own origin, memos only in the
    selection descriptions, notes only where they are files (journals), sources with a
    byte-order mark."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "project.qde":
                qde = data.decode("utf-8")
                qde = re.sub(r'origin="[^"]*"', 'origin="QualCoder 3.6"', qde, count=1)
                qde = re.sub(r"\s*<NoteRef [^>]*/>", "", qde)
                # notes with inline text are dropped; one with a file becomes a journal, written back
                qde = re.sub(r"\s*<Note [^>]*>(?:(?!</Note>).)*<PlainTextContent>.*?</Note>", "", qde,
                             flags=re.S)
                data = qde.encode("utf-8")
            elif name.startswith("sources/"):
                data = b"\xef\xbb\xbf" + data
            zout.writestr(name, data)


def test_own_codes_and_pairs_recognised_after_qualcoder(base: Path, tmp_path: Path) -> None:
    src = coded_project(base)
    with open_project(src) as p:
        export_qdpx(p, tmp_path / "ours.qdpx")
        before = coder_states(p)
        segs = p.execute("SELECT id, speaker, zh, en FROM segments ORDER BY id").fetchall()
    _as_qualcoder_writes_it(tmp_path / "ours.qdpx", tmp_path / "qc.qdpx")
    lines = import_any(tmp_path / "back.db", [tmp_path / "qc.qdpx"])
    assert any("recognised annotator's facets" in line for line in lines)
    with open_project(tmp_path / "back.db") as p:
        assert p.execute("SELECT id, speaker, zh, en FROM segments ORDER BY id").fetchall() == segs
        facets = dict(p.execute("SELECT id, multiple FROM facets").fetchall())
        assert facets["dimension"] == 0 and len(facets) > 1
        after = coder_states(p)

    assert after == before  # codes, memos and done marks
    assert any(st.done and not st.codes for per in before.values() for st in per.values())


def test_codes_added_in_the_other_tool_join_the_recognised_facets(base: Path, tmp_path: Path) -> None:
    """A QualCoder user added a code under a facet and one at the top of the tree."""
    src = coded_project(base)
    with open_project(src) as p:
        export_qdpx(p, tmp_path / "ours.qdpx")
    _as_qualcoder_writes_it(tmp_path / "ours.qdpx", tmp_path / "qc.qdpx")
    with zipfile.ZipFile(tmp_path / "qc.qdpx") as z:
        files = {n: z.read(n) for n in z.namelist()}
    qde = files["project.qde"].decode("utf-8")
    burden = re.search(r'<Code guid="[^"]+" name="burden: [^"]*" isCodable="false">', qde)
    assert burden is not None
    qde = qde.replace(burden.group(0), burden.group(0)
                      + '<Code guid="AAAAAAAA-0000-4000-8000-000000000001" name="人手不足" isCodable="true"/>')
    qde = qde.replace("<Codes>", '<Codes><Code guid="AAAAAAAA-0000-4000-8000-000000000002"'
                      ' name="信任 Trust" isCodable="true"/>', 1)
    files["project.qde"] = qde.encode("utf-8")
    with zipfile.ZipFile(tmp_path / "qc2.qdpx", "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    import_any(tmp_path / "back.db", [tmp_path / "qc2.qdpx"])
    with open_project(tmp_path / "back.db") as p:
        rows = p.execute("SELECT id, facet, label_zh, label_en FROM codes").fetchall()
    by_label = {(r[2] or r[3]): (r[0], r[1]) for r in rows}
    assert by_label["人手不足"] == ("code_1", "burden")
    assert by_label["信任 Trust"][1] not in ("burden", "dimension")
    assert ("adaptation", "dimension") in {(r[0], r[1]) for r in rows}
