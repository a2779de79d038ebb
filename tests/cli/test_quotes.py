"""``annotator quotes``: one coder's coded segments, equal to what SQL over the project finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.storage.search_index import register
from tests.cli.findings_fixtures import build, json_lines, run, sql

KEYS = ["segment", "document", "speaker", "zh", "en", "codes", "attributes", "memo"]


@pytest.fixture(scope="module")
def db(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(demo_master, tmp_path_factory.mktemp("quotes"))


def reading_order(db: Path, where: str, *params: object) -> list[str]:
    return [r[0] for r in sql(
        db, "SELECT s.id FROM segments s JOIN documents d ON d.id = s.document"
        f" WHERE {where} ORDER BY d.position, s.position", *params)]


def test_json_lines_hold_exactly_the_listed_keys_and_the_coders_segments(db: Path) -> None:
    code, out = run("quotes", db, "--code", "trace_formalism", "--coder", "li", "--format", "json")
    assert code == 0, out
    rows = json_lines(out)
    assert [list(r) for r in rows] == [KEYS] * len(rows)
    expected = reading_order(db, "s.id IN (SELECT segment FROM annotations WHERE coder = ?"
                                 " AND code = ?)", "li", "trace_formalism")
    assert [r["segment"] for r in rows] == expected and len(expected) == 3
    first = rows[0]
    zh, en, speaker = sql(db, "SELECT zh, en, speaker FROM segments WHERE id = ?", first["segment"])[0]
    assert (first["zh"], first["en"], first["speaker"]) == (zh, en, speaker)
    assert first["codes"] == {"dimension": ["adaptation"],
                              "burden": ["rights_mismatch", "trace_formalism"]}
    assert first["attributes"]["role"] == "party secretary"
    assert first["memo"] == "tired, first month"


def test_all_of_keeps_segments_carrying_every_code(db: Path) -> None:
    code, out = run("quotes", db, "--all-of", "goal_attainment,trace_formalism", "--coder", "li",
                    "-f", "json")
    assert code == 0, out
    expected = reading_order(
        db, "(SELECT count(DISTINCT code) FROM annotations a WHERE a.segment = s.id AND a.coder = ?"
            " AND a.code IN ('goal_attainment', 'trace_formalism')) = 2", "li")
    assert [r["segment"] for r in json_lines(out)] == expected and len(expected) == 2


def test_where_filters_by_document_attribute(db: Path) -> None:
    code, out = run("quotes", db, "--facet", "dimension", "--where", "role=grid worker",
                    "--coder", "paper", "-f", "json")
    assert code == 0, out
    expected = reading_order(
        db, "s.id IN (SELECT segment FROM annotations WHERE coder = 'paper')"
            " AND json_extract(d.attributes, '$.role') = 'grid worker'")
    assert [r["segment"] for r in json_lines(out)] == expected and expected


def test_default_coder_is_consensus(db: Path) -> None:
    code, out = run("quotes", db, "-f", "json")
    assert code == 0, out
    expected = reading_order(db, "s.id IN (SELECT segment FROM annotations WHERE coder = 'consensus')")
    assert [r["segment"] for r in json_lines(out)] == expected


def test_several_coders_without_consensus_is_an_error_naming_them(
        demo_master: Path, tmp_path: Path) -> None:
    db = build(demo_master, tmp_path, consensus=False)
    code, out = run("quotes", db)
    assert code == 1
    assert "li, paper, wang" in out and "--coder" in out and len(out.strip().splitlines()) == 1


def test_the_only_coder_is_the_default(demo_master: Path) -> None:
    code, out = run("quotes", demo_master, "--code", "rights_mismatch", "-f", "json")
    assert code == 0, out
    expected = reading_order(demo_master, "s.id IN (SELECT segment FROM annotations"
                             " WHERE coder = 'paper' AND code = 'rights_mismatch')")
    assert [r["segment"] for r in json_lines(out)] == expected


def test_grouped_by_cells_of_two_facets(db: Path) -> None:
    code, out = run("quotes", db, "--by", "dimension,burden", "--coder", "li", "-f", "md")
    assert code == 0, out
    cells = sql(db, "SELECT r.code, c.code, count(*) FROM annotations r JOIN annotations c"
                " ON c.segment = r.segment AND c.coder = r.coder JOIN codes rc ON rc.id = r.code"
                " JOIN codes cc ON cc.id = c.code WHERE r.coder = 'li' AND rc.facet = 'dimension'"
                " AND cc.facet = 'burden' GROUP BY r.code, c.code")
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert len(headings) == len(cells)
    for row, col, n in cells:
        assert any(f"## {row} " in h and f" × {col} " in h and h.endswith(f"({n})") for h in headings)


def test_table_shows_both_languages_side_by_side(db: Path) -> None:
    code, out = run("quotes", db, "--code", "integration", "--coder", "li")
    assert code == 0, out
    zh, en = sql(db, "SELECT zh, en FROM segments WHERE id = 'B20230512-001'")[0]
    line = next(x for x in out.splitlines() if zh[:6] in x)
    assert en.split()[0] in line  # the English begins on the same line as the Chinese


@pytest.mark.parametrize("fmt", ["html", "docx", "md"])
def test_files_for_a_paper_hold_every_quote(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"quotes.{fmt}"
    code, text = run("quotes", db, "--facet", "burden", "--coder", "li", "-f", fmt, "-o", out)
    assert code == 0, text
    if fmt == "docx":
        import docx

        document = docx.Document(str(out))
        content = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    else:
        content = out.read_text(encoding="utf-8")
    for zh, en in sql(db, "SELECT zh, en FROM segments WHERE id IN (SELECT a.segment FROM"
                      " annotations a JOIN codes c ON c.id = a.code WHERE a.coder = 'li'"
                      " AND c.facet = 'burden')"):
        assert zh in content
        if fmt != "html":
            assert en in content


def test_unknown_code_and_docx_to_screen_are_one_line_errors(db: Path) -> None:
    for args in (["--code", "nope"], ["-f", "docx"], ["--by", "dimension"], ["--where", "role"]):
        code, out = run("quotes", db, "--coder", "li", *args)
        assert code == 1 and len(out.strip().splitlines()) == 1 and "Traceback" not in out, out


def test_control_characters_in_text_never_reach_the_terminal(
        demo_master: Path, tmp_path: Path) -> None:
    import sqlite3

    db = build(demo_master, tmp_path)
    with sqlite3.connect(db) as conn:
        register(conn)  # the search index's triggers use annotator's function
        conn.execute("UPDATE segments SET en = 'bad \x1b[31mred\x1b[0m \x07' WHERE id = 'A20230321-001'")
    code, out = run("quotes", db, "--code", "adaptation", "--coder", "li")
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "red" in out


def test_timed_transcripts_show_the_time_and_markdown_never_breaks_its_table(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[1] / "data" / "transcripts"
    db = tmp_path / "timed.db"
    code, out = run("import", db, data / "interview_zh.srt", "--translation", data / "interview_en.vtt")
    assert code == 0, out
    first, start = sql(db, "SELECT id, start FROM segments ORDER BY position LIMIT 1")[0]
    assert start is not None
    assert run("tag", db, first, "adaptation", "--coder", "li")[0] == 0
    import sqlite3

    with sqlite3.connect(db) as conn:
        register(conn)  # the search index's triggers use annotator's function
        conn.execute("UPDATE segments SET en = 'a | b <script>x</script>' WHERE id = ?", (first,))
    code, out = run("quotes", db, "-f", "md")
    assert code == 0, out
    minutes, seconds = divmod(int(start), 60)
    assert f"{minutes}:{seconds:02d}" in out
    row = next(line for line in out.splitlines() if "a \\| b" in line)
    assert row.count(" | ") == 1 and "<script>" not in out
