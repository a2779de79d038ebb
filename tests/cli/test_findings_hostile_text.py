"""``annotator quotes`` and ``annotator matrix`` over hostile text in the project (segment text,
speakers, memos, code labels, document attributes): escape sequences, NUL, bell, carriage
returns, Rich markup, HTML, quotes and ampersands, bidirectional overrides, XML's
non-characters, long lines, wide characters. Nothing of it reaches the terminal as a control
character or as markup; the HTML page shows it as text; the Word file is valid XML that real
readers open."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from annotator.storage.search_index import register
from tests.cli.cli_helpers import run

HOSTILE = ("A\x1b[2J\x1b]8;;http://x\x07L\x1b]8;;\x07 \x00nul \x07bel \r cr [bold red]x[/]"
           " [link=http://e]l[/link] <script>alert(1)</script> \"q\" 'a' & amp \u202eRTL\u202c"
           " 宽字符 \ufffe\uffff \x85\x9b end")
#: what a terminal obeys instead of showing (bidirectional overrides reorder what is shown)
OBEYED = ["\x1b", "\x07", "\x00", "\x9b", "\x85", "\u202e", "\u202c"]


@pytest.fixture()
def hostile(project: Path) -> Path:
    """The test project with hostile text wherever data is shown (li coded int01-002)."""
    assert run("memo", project, "int01-002", "--coder", "li", "m")[0] == 0
    with contextlib.closing(sqlite3.connect(project)) as conn, conn:
        register(conn)  # the search index's triggers use annotator's function
        conn.execute("UPDATE segments SET zh = ?, en = ?, speaker = ? WHERE id = 'int01-002'",
                     ("中" + HOSTILE, "en" + HOSTILE + " long" * 3000, "spk" + HOSTILE))
        conn.execute("UPDATE documents SET attributes = ?",
                     (json.dumps({"role": "r" + HOSTILE, "k" + HOSTILE: "v"}),))
        conn.execute("UPDATE codes SET label_en = ? WHERE id = 'adaptation'", ("lab" + HOSTILE,))
        conn.execute("UPDATE memos SET text = ?", ("memo" + HOSTILE,))
    return project


def annotator(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """The console script itself (its streams are the ones a terminal would get)."""
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)],
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120,
                          env={**os.environ, "COLUMNS": "100"})


SCREEN = [["quotes", "--coder", "li"], ["quotes", "--coder", "li", "-f", "md"],
          ["quotes", "--coder", "li", "-f", "html"], ["quotes", "--coder", "li", "-f", "json"],
          ["quotes", "--coder", "li", "--by", "dimension,burden"],
          *[["matrix", "--coder", "li", "--rows", "dimension", "--cols", "attr:role", "-f", fmt]
            for fmt in ("table", "md", "csv", "json", "html")],
          ["matrix", "--coder", "li", "--rows", "dimension", "--cols", "document"]]


@pytest.mark.parametrize("args", SCREEN, ids=[" ".join(a[:1] + a[3:]) for a in SCREEN])
def test_nothing_from_the_data_reaches_the_terminal_as_a_control_character(
        hostile: Path, args: list[str]) -> None:
    done = annotator(args[0], hostile, *args[1:])
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert done.returncode == 0 and not err, err
    assert not [c for c in OBEYED if c in out], [c for c in OBEYED if c in out]
    if args[-1] in ("li", "table") or "--by" in args:  # the terminal tables: markup shown as text
        assert "[bold red]x[/]" in out and "[link=http://e]l[/link]" in out


def test_the_table_shows_wide_characters_and_keeps_each_line_within_the_width(hostile: Path) -> None:
    from rich.cells import cell_len

    done = annotator("quotes", hostile, "--coder", "li")
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0 and "宽字符" in out
    shown = re.sub(r"\\u[0-9a-f]{4}", "", out)  # what the terminal would obey, written as \uXXXX
    assert max(cell_len(line) for line in shown.splitlines()) <= 100


def test_the_word_file_is_valid_xml_and_python_docx_reads_every_text(hostile: Path, tmp_path: Path) -> None:
    import docx
    from lxml import etree

    out = tmp_path / "q.docx"
    code, text = run("quotes", hostile, "--coder", "li", "-f", "docx", "-o", out)
    assert code == 0, text
    with zipfile.ZipFile(out) as z:
        etree.fromstring(z.read("word/document.xml"))
    cells = [c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells]
    assert any("<script>alert(1)</script>" in c and "宽字符" in c for c in cells)
    assert not any(ch in c for c in cells for ch in ("\x1b", "\x00", "\ufffe", "\uffff"))


CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p and Path(p).exists()), None)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
@pytest.mark.parametrize("command", ["quotes", "matrix"])
def test_a_browser_shows_the_html_as_text_with_no_element_from_the_data(
        hostile: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / "page.html"
    args = ["--rows", "dimension", "--cols", "attr:role"] if command == "matrix" else []
    code, text = run(command, hostile, "--coder", "li", *args, "-f", "html", "-o", out)
    assert code == 0, text
    dom = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                          f"--user-data-dir={tmp_path / 'chromium'}", "--dump-dom", out.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert "<script" not in dom and "</script>" not in dom  # only in text: &lt;script&gt;
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and "宽字符" in dom
    assert dom.count("<a href=") == out.read_text(encoding="utf-8").count("<a href=")


def _writer() -> bool:
    """Whether LibreOffice with Writer (its word processor) is installed."""
    soffice = shutil.which("soffice")
    return soffice is not None and any(
        (Path(soffice).resolve().parent / "libswlo.so").exists() or (folder / "libswlo.so").exists()
        for folder in (Path("/usr/lib/libreoffice/program"), Path("/opt/libreoffice/program")))


@pytest.mark.slow
@pytest.mark.skipif(not _writer(), reason="LibreOffice Writer (soffice) is not installed")
def test_libreoffice_opens_the_word_file_with_the_hostile_text(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.docx"
    assert run("quotes", hostile, "--coder", "li", "-f", "docx", "-o", out)[0] == 0
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path / "txt"),
                    str(out)], check=True, capture_output=True, timeout=180)
    text = (tmp_path / "txt" / "q.txt").read_text(encoding="utf-8-sig")
    assert "<script>alert(1)</script>" in text and "宽字符" in text and "memo: memo" in text


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "html", "json"])
def test_an_attribute_name_that_is_not_text_is_one_line(project: Path, tmp_path: Path, fmt: str) -> None:
    """Bytes of the command line that are not UTF-8 come in as lone surrogates."""
    out = tmp_path / f"m.{fmt}"
    code, text = run("matrix", project, "--coder", "li", "--rows", "dimension", "--cols",
                     "attr:r\udcff", "-f", fmt, "-o", out)
    assert code == 1 and len(text.strip().splitlines()) == 1 and "Traceback" not in text, text
    assert "\\udcff" in text and not out.exists()


def test_line_breaks_and_tabs_in_attribute_values_keep_the_matrix_table_aligned(project: Path) -> None:
    from rich.cells import cell_len

    with contextlib.closing(sqlite3.connect(project)) as conn, conn:
        conn.execute("UPDATE documents SET attributes = ?", (json.dumps({"role": "a\r\nb\tc 宽"}),))
    code, text = run("matrix", project, "--coder", "li", "--rows", "dimension", "--cols", "attr:role")
    assert code == 0, text
    lines = text.splitlines()[1:]  # the caption, then a line per row under the header
    assert len(lines) == 5 and "\t" not in text
    assert len({cell_len(line.rstrip()) for line in lines if line.rstrip().endswith(("0", "1", "宽"))}) == 1


def test_matrix_csv_for_a_spreadsheet_quotes_labels_that_start_like_a_formula(
        project: Path, tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://example.invalid","角色")'
    with contextlib.closing(sqlite3.connect(project)) as conn, conn:
        conn.execute("UPDATE documents SET attributes = ?", (json.dumps({"role": formula}),))
    args = ["matrix", project, "--coder", "li", "--rows", "dimension", "--cols", "attr:role", "-f", "csv"]
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert run(*args, "-o", plain)[0] == 0
    assert run(*args, "--excel", "-o", excel)[0] == 0
    assert formula in next(csv.reader(plain.open(encoding="utf-8")))  # R and pandas: as written
    raw = excel.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel then reads the file as UTF-8
    header = next(csv.reader(excel.open(encoding="utf-8-sig")))
    assert "'" + formula in header and formula not in header
    assert list(csv.reader(excel.open(encoding="utf-8-sig")))[1:] == list(csv.reader(plain.open(encoding="utf-8")))[1:]
    code, text = run("matrix", project, "--coder", "li", "--rows", "dimension", "--cols", "burden", "--excel")
    assert code == 1 and len(text.strip().splitlines()) == 1 and "-f csv" in text
