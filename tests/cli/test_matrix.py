"""``annotator matrix`` and ``stats``: one coder's counts, equal to SQL computed over the project."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.findings_fixtures import build, run, sql


@pytest.fixture(scope="module")
def db(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(demo_master, tmp_path_factory.mktemp("matrix"))


def facet_codes(db: Path, facet: str) -> list[str]:
    return [r[0] for r in sql(db, "SELECT id FROM codes WHERE facet = ? AND archived = 0"
                              " ORDER BY position", facet)]


def matrix(db: Path, *args: str) -> dict:
    code, out = run("matrix", db, *args, "--format", "json")
    assert code == 0, out
    return json.loads(out)


PAIRS = ("SELECT count({what}) FROM annotations r JOIN annotations c ON c.segment = r.segment"
         " AND c.coder = r.coder JOIN segments s ON s.id = r.segment"
         " WHERE r.coder = ? AND r.code = ? AND c.code = ?")


@pytest.mark.parametrize("coder", ["li", "paper", "consensus"])
@pytest.mark.parametrize("count", ["segments", "documents"])
def test_facet_by_facet_counts_one_coders_segments_or_documents(db: Path, coder: str, count: str) -> None:
    m = matrix(db, "--rows", "dimension", "--cols", "burden", "--coder", coder, "--count", count)
    rows, cols = facet_codes(db, "dimension"), facet_codes(db, "burden")
    what = "DISTINCT r.segment" if count == "segments" else "DISTINCT s.document"
    expected = [[sql(db, PAIRS.format(what=what), coder, r, c)[0][0] for c in cols] for r in rows]
    assert m == {"rows": rows, "cols": cols, "counts": expected, "coder": coder, "count": count}
    assert sum(map(sum, expected)) > 0


def test_co_occurrence_within_a_multi_choice_facet(db: Path) -> None:
    m = matrix(db, "--rows", "burden", "--cols", "burden", "--coder", "li")
    codes = facet_codes(db, "burden")
    expected = [[sql(db, PAIRS.format(what="*"), "li", r, c)[0][0] for c in codes] for r in codes]
    assert m["counts"] == expected
    i, j = codes.index("trace_formalism"), codes.index("rights_mismatch")
    assert m["counts"][i][j] == m["counts"][j][i] == 1


def test_code_by_document_and_by_attribute(demo_master: Path, tmp_path: Path) -> None:
    db = build(demo_master, tmp_path)
    docs = [r[0] for r in sql(db, "SELECT id FROM documents ORDER BY position")]
    m = matrix(db, "--rows", "dimension", "--cols", "document", "--coder", "li")
    assert m["cols"] == docs
    one = ("SELECT count(*) FROM annotations a JOIN segments s ON s.id = a.segment"
           " JOIN documents d ON d.id = s.document WHERE a.coder = 'li' AND a.code = ? AND {cond}")
    for i, code in enumerate(m["rows"]):
        assert m["counts"][i] == [sql(db, one.format(cond="s.document = ?"), code, d)[0][0] for d in docs]
    m = matrix(db, "--rows", "dimension", "--cols", "attr:role", "--coder", "li")
    roles = [r[0] for r in sql(db, "SELECT DISTINCT json_extract(attributes, '$.role') AS v"
                                   " FROM documents ORDER BY v")]
    assert m["cols"] == roles == ["community worker", "grid worker", "party secretary"]
    for i, code in enumerate(m["rows"]):
        assert m["counts"][i] == [
            sql(db, one.format(cond="json_extract(d.attributes, '$.role') = ?"), code, role)[0][0]
            for role in roles]
    code, out = run("attributes", db, "set", "D20230804", "role=")
    assert code == 0, out
    m = matrix(db, "--rows", "dimension", "--cols", "attr:role", "--coder", "paper")
    assert m["cols"] == ["grid worker", "party secretary", "(none)"]
    none = [sql(db, one.replace("'li'", "'paper'").format(
        cond="json_extract(d.attributes, '$.role') IS NULL"), code)[0][0] for code in m["rows"]]
    assert [row[-1] for row in m["counts"]] == none and sum(none) > 0


def test_where_and_percent(db: Path) -> None:
    m = matrix(db, "--rows", "dimension", "--cols", "burden", "--coder", "li",
               "--where", "role=grid worker", "--percent", "row")
    full = matrix(db, "--rows", "dimension", "--cols", "burden", "--coder", "li")
    assert sum(map(sum, m["counts"])) < sum(map(sum, full["counts"]))
    for counts, pct in zip(m["counts"], m["percent"], strict=True):
        total = sum(counts)
        assert pct == [round(100 * v / total, 1) if total else 0.0 for v in counts]


def test_html_links_every_nonempty_cell_to_its_quotes(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    code, text = run("matrix", db, "--rows", "dimension", "--cols", "burden", "--coder", "li",
                     "-f", "html", "-o", out)
    assert code == 0, text
    page = out.read_text(encoding="utf-8")
    links = re.findall(r'href="#(cell-\d+-\d+)">(\d+)<', page)
    m = matrix(db, "--rows", "dimension", "--cols", "burden", "--coder", "li")
    assert len(links) == sum(1 for row in m["counts"] for v in row if v)
    for anchor, n in links:
        assert f'id="{anchor}"' in page and f"({n})</h2>" in page


@pytest.mark.parametrize("fmt", ["table", "md", "csv"])
def test_text_formats_carry_the_same_counts(db: Path, fmt: str) -> None:
    m = matrix(db, "--rows", "dimension", "--cols", "burden", "--coder", "li")
    code, out = run("matrix", db, "--rows", "dimension", "--cols", "burden", "--coder", "li", "-f", fmt)
    assert code == 0, out
    for row, counts in zip(m["rows"], m["counts"], strict=True):
        line = next(x for x in out.splitlines() if re.match(rf"^\|? ?{row}\b", x))
        assert [int(v) for v in re.findall(r"(?<![\w.])\d+(?![\w.])", line)] == counts


def test_stats_counts_one_coder_and_says_whose(db: Path) -> None:
    code, out = run("stats", db)
    assert code == 0, out
    assert "segments coded by consensus" in out
    code, out = run("stats", db, "--coder", "wang")
    assert "segments coded by wang" in out
    row = next(x for x in out.splitlines() if x.startswith("goal_attainment "))
    assert row.split()[1:] == ["0", "0", "1", "0", "0", "0", "0", "0", "0"]


def test_stats_with_several_coders_and_no_consensus_names_them(demo_master: Path,
                                                               tmp_path: Path) -> None:
    db = build(demo_master, tmp_path, consensus=False)
    code, out = run("stats", db)
    assert code == 0, out
    assert "not shown: several coders (li, paper, wang)" in out


def test_bad_matrix_options_are_one_line_errors(db: Path) -> None:
    for args in (["--cols", "nope"], ["--cols", "burden", "--count", "words"],
                 ["--cols", "burden", "--percent", "half"], ["--cols", "attr:"]):
        code, out = run("matrix", db, "--rows", "dimension", *args, "--coder", "li")
        assert code == 1 and len(out.strip().splitlines()) == 1, out
