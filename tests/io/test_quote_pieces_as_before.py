"""Quotes rendered piece by piece hold what the renderers wrote before: the Word document, written
as a stream, the XML python-docx writes for the same quotes, whatever their text (tabs, line
breaks, white space at either end, markup); Markdown cells escaped the same way."""

from __future__ import annotations

import zipfile
from pathlib import Path

from annotator.io.docx_quotes import write_docx
from annotator.io.quotes_render import Quote, QuoteGroup
from tests.cli.frozen_findings_render import write_docx as python_docx_writes

ODD = Quote("s1", "d1", 3, "中文 a\tb\nc\r\nd\x07", " lead & <x> ", speaker="sp",
            codes={"f": ["a", "b"], "g": []}, attributes={"r": "x", "title": "t"}, memo=" m\t1 ")
PLAIN = Quote("s2", "d1", 4, "", "\u3000e", start=75.5)
NO_CODES = Quote("s3", "d2", 1, "z", "e\n")


def test_stream_and_python_docx_write_the_same_parts(tmp_path: Path) -> None:
    groups = [QuoteGroup("T1 × a <&>", "x", [ODD, PLAIN]), QuoteGroup("G2", "y", [PLAIN, NO_CODES])]
    ours, theirs = tmp_path / "ours.docx", tmp_path / "theirs.docx"
    members = [(ODD, [0]), (PLAIN, [0, 1]), (NO_CODES, [1])]
    write_docx([("T1 × a <&>", "x"), ("G2", "y"), ("empty", "z")], members, ours, title=" Q\t& ")
    python_docx_writes(groups, theirs, title=" Q\t& ")
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(theirs) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_markdown_cells_escape_as_before_whatever_the_line_breaks() -> None:
    from annotator.io.quotes_render import _md
    from tests.cli.frozen_findings_render import _md as before

    for text in ("", "a", "a\n", "a\n\n", "\nb", "a\r\nb|c<d\\e", "x\u2028y\u2029z", "p\x0bq\x0cr\x1cs",
                 "\x85t\u3000", "<<|>>\n<"):
        assert _md(text) == before(text), repr(text)


LONG_ZH = "我们社区的网格员每天都要上报很多表格，" * 7
LONG_EN = ("Every day the grid workers in our community report a great many forms, "
           "and supercalifragilisticexpialidocious-words-without-a-break-" * 3)
ODD_TEXTS = [
    "", " ", "a", "  lead and trail  ", "tab\there\tand there", "line\nbreaks\n\nand blank\n",
    LONG_ZH, LONG_EN, "混合 mixed 中文 and English " * 9, "x" * 300, "　全角空格　" * 20,
    "é́ combining " * 15, "wide ＡＢＣ１２３ forms " * 12, "\u2028sep\u2029", "ends with space " * 8,
]


def test_terminal_table_is_what_rich_printed_whatever_the_text_and_width() -> None:
    from annotator.io.quotes_render import iter_table
    from tests.cli.frozen_findings_render import iter_table as rich_printed

    quotes = [Quote(f"s{n}", "d1", n, zh, en, speaker="主持人 moderator" if n % 2 else None,
                    start=61.0 if n % 3 == 0 else None, codes={"f": ["a"]},
                    attributes={"role": "grid worker " * (n % 4)}, memo=ODD_TEXTS[-n])
              for n, (zh, en) in enumerate(zip(ODD_TEXTS, reversed(ODD_TEXTS), strict=True))]
    groups = [QuoteGroup("a long heading " * 10, "x", quotes), QuoteGroup("短", "y", quotes[:3])]
    for width in (40, 57, 80, 100, 101, 160):
        assert "".join(iter_table(groups, width=width)) == "".join(rich_printed(groups, width=width))


def test_ascii_lines_divide_where_rich_divides_them() -> None:
    import random

    from rich._wrap import divide_line

    from annotator.io.quotes_render import _divide_ascii

    rnd = random.Random(15)
    for _ in range(3000):
        text = "".join(rnd.choice("ab cd  efg-.,X" + "x" * rnd.randint(0, 6))
                       for _ in range(rnd.randint(0, 160)))
        text = " " * rnd.randint(0, 3) + text + " " * rnd.randint(0, 3)
        width = rnd.randint(1, 50)
        assert _divide_ascii(text, width) == divide_line(text, width, fold=True), (text, width)


def test_markdown_and_html_cells_escape_as_before_on_random_text() -> None:
    import random

    from annotator.io.quotes_render import _h, _md
    from tests.cli.frozen_findings_render import _h as html_before
    from tests.cli.frozen_findings_render import _md as markdown_before

    alphabet = "ab 中文|<>&\"'\\\n\r\t\x0b\x0c\x1c\x7f\x85\xa0\ufeff\u2028\u2029\u3000"
    rnd = random.Random(7)
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert _md(text) == markdown_before(text), repr(text)
        assert _h(text) == html_before(text), repr(text)
