"""A .qdpx from annotator imported into another project through the CLI: the codebook is not
doubled, archived codes and keys and Chinese ids survive, a second import is refused, code maps.

Each test is a defect found by using the tool as its README describes, and failed before its fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.cli_helpers import ZH, annotations_of, codes_of, run


def test_qdpx_from_annotator_into_a_project_with_the_same_codebook(project: Path) -> None:
    """A teammate's project made with ``annotator init`` (the bundled codebook) got a second copy
    of every facet and code (dimension_2, adaptation_2, ... without keys) from a .qdpx exported by
    annotator, and the annotations landed on the copies."""
    qdpx = project.parent / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    other = project.parent / "other.db"
    assert run("init", other)[0] == 0
    before = codes_of(other)
    code, out = run("import", other, qdpx)
    assert code == 0, out
    assert codes_of(other) == before
    assert annotations_of(other) == annotations_of(project)


def test_qdpx_import_leaves_archived_codes_archived(project: Path, tmp_path: Path) -> None:
    """Importing any .qdpx saved the codebook with its archived codes as live ones."""
    import yaml

    from annotator.codebook import bundled_codebook_path

    cb = yaml.safe_load(bundled_codebook_path().read_text(encoding="utf-8"))
    cb["facets"][1]["codes"] = [c for c in cb["facets"][1]["codes"] if c["id"] != "feedback_gap"]
    for c in cb["facets"][1]["codes"]:
        c.pop("examples", None)  # some hold feedback_gap
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(yaml.safe_dump(cb, allow_unicode=True), encoding="utf-8")
    assert run("codebook", "set", project, smaller)[0] == 0
    qdpx = project.parent / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    other = tmp_path / "other.db"
    assert run("init", other)[0] == 0
    assert run("codebook", "set", other, smaller)[0] == 0
    code, out = run("import", other, qdpx)
    assert code == 0, out
    assert ("feedback_gap", "burden", None, 1) in codes_of(other)


def test_the_same_qdpx_imported_twice_is_refused(project: Path, tmp_path: Path) -> None:
    """A second import of the same .qdpx silently added every document again (int01_2, ...) with
    its codings; now it is refused and the project is unchanged."""
    import sqlite3

    qdpx = tmp_path / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    other = tmp_path / "other.db"
    assert run("import", other, qdpx)[0] == 0
    before = annotations_of(other)
    code, out = run("import", other, qdpx)
    assert code == 1
    assert "study.qdpx: document 'int01' is already in the project with the same text" in out
    assert len(out.strip().splitlines()) == 1
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM documents")] == ["int01"]
    assert annotations_of(other) == before


def test_a_different_qdpx_document_of_the_same_name_is_imported_beside_with_a_warning(
    project: Path, tmp_path: Path
) -> None:
    qdpx = tmp_path / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    other = tmp_path / "other.db"
    (tmp_path / "int01.txt").write_text("A：另一个访谈。\n", encoding="utf-8")
    assert run("import", other, tmp_path / "int01.txt")[0] == 0
    code, out = run("import", other, qdpx)
    assert code == 0, out
    assert "warning: a different document 'int01' is already in the project;" \
        " this one is imported as 'int01_2'" in out


def test_qdpx_round_trip_keeps_chinese_document_ids(tmp_path: Path) -> None:
    """Documents named from Chinese file names (访谈 01.txt → 访谈_01) came back from a .qdpx
    round trip as '01' (every non-ASCII letter dropped), and their segment ids with them."""
    import sqlite3

    (tmp_path / "访谈 01.txt").write_text(ZH, encoding="utf-8")
    db = tmp_path / "study.db"
    assert run("import", db, tmp_path / "访谈 01.txt")[0] == 0
    assert run("tag", db, "访谈_01-002", "rights_mismatch", "--coder", "李")[0] == 0
    qdpx = tmp_path / "study.qdpx"
    assert run("export", db, "--format", "qdpx", "-o", qdpx)[0] == 0
    new = tmp_path / "new.db"
    code, out = run("import", new, qdpx)
    assert code == 0, out
    with sqlite3.connect(new) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM documents")] == ["访谈_01"]
    assert annotations_of(new) == {("李", "访谈_01-002", "rights_mismatch")}


def test_qdpx_round_trip_into_a_new_project_keeps_the_keys(project: Path, tmp_path: Path) -> None:
    """A .qdpx from annotator restored into a new project gave codes without keys: the coding
    screen then had no key to press for any code."""
    qdpx = tmp_path / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    new = tmp_path / "new.db"
    code, out = run("import", new, qdpx)
    assert code == 0, out
    assert codes_of(new) == codes_of(project)


QC_DEMO = Path("/work/shared/refi-qda/samples/qc_demo.qdpx")


@pytest.mark.skipif(not QC_DEMO.exists(), reason="the shared REFI-QDA samples are not here")
def test_qdpx_with_a_map_into_a_new_project_maps_onto_the_bundled_codebook(tmp_path: Path) -> None:
    """'import NEW.db x.qdpx --map m.csv' made the new project with an empty codebook, so every
    mapped code was "a code this project does not have"."""
    mapping = tmp_path / "map.csv"
    mapping.write_text("theirs,ours\nequity,rights_mismatch\n", encoding="utf-8")
    db = tmp_path / "new.db"
    code, out = run("import", db, QC_DEMO, "--map", mapping)
    assert code == 0, out
    assert "1 of the project's codes mapped from 1 of theirs" in out
    assert {c for _w, _s, c in annotations_of(db)} == {"rights_mismatch"}


def test_a_broken_yaml_map_is_one_short_line(project: Path, tmp_path: Path) -> None:
    """The message carried PyYAML's whole report: '... in "<unicode string>", line 2, column 3:'
    and the quoted source line."""
    qdpx = tmp_path / "study.qdpx"
    assert run("export", project, "--format", "qdpx", "-o", qdpx)[0] == 0
    mapping = tmp_path / "map.yaml"
    mapping.write_text("a b c\n:::\n", encoding="utf-8")
    code, out = run("import", project, qdpx, "--map", mapping)
    assert code == 1
    assert out.strip() == f"annotator: error: {mapping}:2: not valid YAML: mapping values are not" \
        " allowed here"
