"""``annotator quotes`` and ``annotator matrix -f html`` write the same bytes whether the groups'
quotes stay in memory or go to a temporary file (a large project), in the same order every
run; the edge cases (nothing coded, a group with no quotes, a matrix with no rows or no
columns, documents counted) are whole pages too."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from annotator.io import group_spool
from annotator.storage.search_index import register
from tests.cli.findings_fixtures import build, run

FORMATS = ["table", "md", "html", "docx", "json"]
QUOTES = [[], ["--by", "dimension,burden"], ["--facet", "burden"], ["--all-of", "goal_attainment"]]


@pytest.fixture(scope="module")
def db(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The findings project, its texts long enough for every group to go to disk."""
    db = build(demo_master, tmp_path_factory.mktemp("on-disk"))
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        register(conn)  # the search index's triggers use annotator's function
        conn.execute("UPDATE segments SET en = en || ' ' || printf('%.*c', 17000, 'w') || ' 完'")
    return db


def output(db: Path, out: Path, *args: str) -> bytes:
    code, text = run(*args[:1], db, "--coder", "li", *args[1:], "-o", out)
    assert code == 0, text
    if out.suffix == ".docx":  # the body: the other parts hold the time the file was made
        with zipfile.ZipFile(out) as z:
            return z.read("word/document.xml")
    return out.read_bytes()


CASES = [["quotes", "-f", fmt, *extra] for fmt in FORMATS for extra in QUOTES] + [
    ["matrix", "--rows", "dimension", "--cols", cols, "-f", "html"]
    for cols in ("burden", "document", "attr:role")]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(a) for a in CASES])
def test_quotes_on_disk_are_written_byte_for_byte_as_in_memory(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    fmt = args[args.index("-f") + 1]
    in_memory = output(db, tmp_path / f"memory.{fmt}", *args)
    assert output(db, tmp_path / f"again.{fmt}", *args) == in_memory  # the same every run
    spilled = []
    spill = group_spool.GroupSpool._spill
    monkeypatch.setattr(group_spool, "BUDGET", 0)
    monkeypatch.setattr(group_spool.GroupSpool, "_spill",
                        lambda self, g: (spilled.append(g), spill(self, g))[1])
    assert output(db, tmp_path / f"disk.{fmt}", *args) == in_memory
    assert spilled or fmt == "json"  # json lines are written as they are read


def test_a_coder_with_no_quotes_gets_pages_with_no_groups(demo_master: Path, tmp_path: Path) -> None:
    db = build(demo_master, tmp_path)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("INSERT INTO coders (name, created_at) VALUES ('nobody', '2024-01-01')")
    for fmt in FORMATS:
        out = tmp_path / f"none.{fmt}"
        code, text = run("quotes", db, "--coder", "nobody", "-f", fmt, "-o", out)
        assert code == 0 and "0 segments in 0 groups" in text, text
        if fmt == "docx":
            import docx

            assert docx.Document(str(out)).tables == []
        elif fmt == "json":
            assert out.read_bytes() == b""
        else:
            assert "Quotes" in out.read_text(encoding="utf-8") or fmt == "table"
    code, text = run("quotes", db, "--coder", "nobody")
    assert code == 0 and text.strip() == "", text


def test_a_code_nobody_applied_makes_no_group(db: Path) -> None:
    code, text = run("quotes", db, "--coder", "li", "--code", "latency", "--code", "adaptation")
    assert code == 0 and "adaptation" in text and "latency" not in text, text


def test_matrices_with_no_columns_or_no_counts_are_whole(demo_master: Path, tmp_path: Path) -> None:
    """(A facet of no codes is no facet: a matrix always has rows.)"""
    db = build(demo_master, tmp_path)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("INSERT INTO coders (name, created_at) VALUES ('nobody', '2024-01-01')")
    nothing = ["--where", "role=nobody has it"]
    for cols, coder, extra in (("document", "li", nothing), ("attr:role", "li", nothing),
                               ("attr:none", "li", []), ("burden", "nobody", [])):
        for fmt in ("table", "md", "csv", "html", "json"):
            out = tmp_path / f"m.{fmt}"
            code, text = run("matrix", db, "--rows", "dimension", "--cols", cols, "--coder", coder,
                             "--percent", "row", *extra, "-f", fmt, "-o", out)
            assert code == 0 and "Traceback" not in text, text
            page = out.read_text(encoding="utf-8")
            if fmt == "json":
                found = json.loads(page)
                assert len(found["rows"]) == 4
                assert sum(map(sum, found["counts"])) == 0 or cols == "attr:none"
                assert (found["cols"] == []) == bool(extra)
            if fmt == "html":
                assert page.endswith("</body></html>\n")
                assert "<a href" not in page or cols == "attr:none"


def test_documents_counted_are_at_most_the_segments_and_agree_with_the_quotes(db: Path) -> None:
    code, text = run("matrix", db, "--coder", "li", "--rows", "dimension", "--cols", "document",
                     "--count", "documents", "-f", "json")
    assert code == 0, text
    documents = json.loads(text)
    code, text = run("matrix", db, "--coder", "li", "--rows", "dimension", "--cols", "document",
                     "-f", "json")
    segments = json.loads(text)
    assert documents["count"] == "documents"
    for d_row, s_row in zip(documents["counts"], segments["counts"], strict=True):
        assert [min(n, 1) for n in s_row] == d_row
    code, text = run("quotes", db, "--coder", "li", "-f", "json")
    quotes = [json.loads(line) for line in text.splitlines()]
    for i, row in enumerate(documents["rows"]):
        for j, document in enumerate(documents["cols"]):
            held = any(q["document"] == document and row in q["codes"]["dimension"] for q in quotes)
            assert documents["counts"][i][j] == int(held)
