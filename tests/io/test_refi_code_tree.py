"""A code that implies one code of another facet is written inside that code (a burden type
inside its AGIL dimension), as REFI-QDA's nested codes: other tools show the hierarchy, and
annotator reads its facets, their order, keys and ``implies`` back unchanged."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from annotator.application.agreement import load_input as agreement_data
from annotator.application.codebooks import export_codebook
from annotator.application.exporting import export_qdpx
from annotator.application.importing import import_any
from annotator.codebook import parse_codebook
from annotator.io.codebook_files import read_qdc
from annotator.io.refi_export import write_qdc
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from tests.interchange_fixtures import CODEBOOK_XSD, PROJECT_XSD, coded_project

etree = pytest.importorskip("lxml.etree")
QDC = "{urn:QDA-XML:codebook:1.0}"
QDE = "{urn:QDA-XML:project:1.0}"

INTERLEAVED = """\
facets:
  - id: dim
    label: {zh: 维度, en: Dimension}
    codes:
      - {id: a, label: {zh: 甲, en: A}, key: '1'}
      - {id: g, label: {zh: 乙, en: G}, key: '2'}
  - id: mode
    label: {zh: 方式, en: Mode}
    codes:
      - {id: m1, label: {zh: 丙, en: M1}}
  - id: kind
    label: {zh: 类型, en: Kind}
    multiple: true
    codes:
      - {id: x, label: {zh: 丁, en: X}, key: '3', implies: {dim: a}}
      - {id: y, label: {zh: 戊, en: Y}}
      - {id: z, label: {zh: 己, en: Z}, implies: {dim: g}}
      - {id: w, label: {zh: 庚, en: W}, implies: {dim: a, mode: m1}}
      - {id: v, label: {zh: 辛, en: V}, implies: {dim: a}}
"""


def _tree(el: Any, ns: str) -> list[tuple[str, str, Any]]:
    """(name up to the first colon, isCodable, children) of each ``Code`` under ``el``."""
    return [(c.get("name").partition(":")[0], c.get("isCodable"), _tree(c, ns))
            for c in el.findall(f"{ns}Code")]


def _schema(path: Path) -> object:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return etree.XMLSchema(etree.parse(str(path)))


def test_burden_types_sit_inside_the_dimension_they_imply(demo_project: Path, tmp_path: Path) -> None:
    with open_project(demo_project) as p:
        export_codebook(p, "qdc", tmp_path / "cb.qdc")
        book = load_codebook(p)
    root = etree.parse(str(tmp_path / "cb.qdc")).getroot()
    _schema(CODEBOOK_XSD).assertValid(root)  # type: ignore[attr-defined]
    tree = dict((name, (codable, kids)) for name, codable, kids in _tree(root.find(f"{QDC}Codes"), QDC))
    assert tree["dimension"][0] == "false" and tree["burden"][0] == "false"  # facets stay folders
    dimensions = {name: [k[0] for k in kids] for name, codable, kids in tree["dimension"][1]}
    burden = book.facet("burden")
    assert burden is not None
    for code in burden.codes:
        (facet, target), = code.implies
        assert facet == "dimension" and code.id in dimensions[target]
    assert tree["burden"][1] == []  # every burden type implies one dimension


def test_interleaved_nesting_keeps_facets_order_keys_and_implies(tmp_path: Path) -> None:
    book, problems = parse_codebook(INTERLEAVED)
    assert book is not None and not problems
    write_qdc(tmp_path / "cb.qdc", book, uuid.uuid4())
    root = etree.parse(str(tmp_path / "cb.qdc")).getroot()
    tree = {name: kids for name, _codable, kids in _tree(root.find(f"{QDC}Codes"), QDC)}
    assert [(n, [k[0] for k in kids]) for n, _c, kids in tree["dim"]] == [("a", ["x", "v"]), ("g", ["z"])]
    assert [n for n, _c, _k in tree["kind"]] == ["y", "w"]  # w implies two codes: it stays
    back, _summary = read_qdc(tmp_path / "cb.qdc")
    assert back == book
    assert [c.id for c in back.facet("kind").codes] == ["x", "y", "z", "w", "v"]  # type: ignore[union-attr]


def test_qdpx_round_trip_keeps_codebook_and_agreement(tmp_path: Path) -> None:
    project = coded_project(tmp_path)
    with open_project(project) as p:
        export_qdpx(p, tmp_path / "x.qdpx")
        book = load_codebook(p)
    root = etree.fromstring(zipfile.ZipFile(tmp_path / "x.qdpx").read("project.qde"))
    _schema(PROJECT_XSD).assertValid(root)  # type: ignore[attr-defined]
    assert root.findall(f"{QDE}CodeBook/{QDE}Codes/{QDE}Code/{QDE}Code/{QDE}Code")  # nested
    import_any(tmp_path / "back.db", [tmp_path / "x.qdpx"])
    with open_project(tmp_path / "back.db") as p:
        assert load_codebook(p) == book
    before, after = agreement_data(project, None, None), agreement_data(tmp_path / "back.db", None, None)
    assert after.coders == before.coders and after.states == before.states
    assert any(c for per in before.states.values() for codes in per.values() for c in codes
               if book.code(c) and book.code(c).facet == "burden")  # type: ignore[union-attr]
