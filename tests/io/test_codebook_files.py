"""Codebooks both ways: annotator's own .qdc and YAML read back unchanged, Taguette's CSV and
.qdc (empty <Sets/>, Chinese tag names), and the commands that use them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from annotator.application.codebooks import export_codebook, read_codebook_file
from annotator.codebook import load_codebook as load_yaml
from annotator.errors import ImportFormatError
from annotator.io.codebook_files import read_qdc
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project

TAGUETTE_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.5.2"><Codes>\
<Code guid="0E5C5A4A-2D5B-5A51-9D26-3C4E3D1C2B11" name="适应环境" isCodable="true"></Code>\
<Code guid="1E5C5A4A-2D5B-5A51-9D26-3C4E3D1C2B11" name="目标达成" isCodable="true"></Code>\
<Code guid="2E5C5A4A-2D5B-5A51-9D26-3C4E3D1C2B11" name="housing.rent" isCodable="true"></Code>\
</Codes><Sets></Sets></CodeBook>"""


@pytest.mark.parametrize("fmt", ["qdc", "yaml"])
def test_own_codebook_comes_back_unchanged(demo_project: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"cb.{fmt}"
    with open_project(demo_project) as p:
        n = export_codebook(p, fmt, out)
        ours = load_codebook(p)
    back = read_codebook_file(out)
    assert n == len(ours.codes) == len(back.codes)
    assert back == ours
    assert [c.key for c in back.codes] == [c.key for c in ours.codes]
    if fmt == "yaml":
        assert load_yaml(out) == ours


def test_csv_is_what_taguette_imports(demo_project: Path, tmp_path: Path) -> None:
    with open_project(demo_project) as p:
        export_codebook(p, "csv", tmp_path / "cb.csv")
        ours = load_codebook(p)
    rows = list(csv.reader(io.StringIO((tmp_path / "cb.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["tag", "description"]
    assert [r[0] for r in rows[1:]] == [c.id for c in ours.codes]
    adaptation = next(r for r in rows if r[0] == "adaptation")
    assert "环境适应" in adaptation[1]


def test_taguette_qdc_with_empty_sets_keeps_chinese_names_as_labels(tmp_path: Path) -> None:
    (tmp_path / "tg.qdc").write_text(TAGUETTE_QDC, encoding="utf-8")
    codebook, _summary = read_qdc(tmp_path / "tg.qdc")
    (facet,) = codebook.facets
    assert facet.multiple
    assert [(c.label.zh or c.label.en) for c in facet.codes] == ["适应环境", "目标达成", "housing.rent"]
    ids = [c.id for c in facet.codes]
    assert len(set(ids)) == 3 and ids[2] == "housing.rent"
    assert all(i.isascii() for i in ids)


def test_a_file_that_is_no_codebook_is_one_line_naming_it(tmp_path: Path) -> None:
    (tmp_path / "x.qdc").write_text("<Codes><oops", encoding="utf-8")
    with pytest.raises(ImportFormatError) as exc:
        read_qdc(tmp_path / "x.qdc")
    assert "x.qdc" in str(exc.value) and "\n" not in str(exc.value)
