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


def test_lines_fold_where_rich_folds_them() -> None:
    import random

    from rich.console import Console
    from rich.text import Text

    from annotator.io.quotes_render import _cells, _wrapped

    console = Console(width=100)
    rnd = random.Random(15)
    alphabets = ["ab cd  efg-.,X", "中文，网格员 ", "ab 中文 ＡＢ　。x", "é\u0301 a\u200db 中"]
    for _ in range(3000):
        alphabet = rnd.choice(alphabets)
        text = "".join(rnd.choice(alphabet + "x" * rnd.randint(0, 6))
                       for _ in range(rnd.randint(0, 160)))
        text = " " * rnd.randint(0, 3) + text + " " * rnd.randint(0, 3)
        if not text.isprintable():
            continue
        width = rnd.randint(2, 50)
        lines = Text(text).wrap(console, width, justify="left", overflow="fold", tab_size=8)
        assert _wrapped(text, width, _cells(text)) == [line.plain for line in lines], (text, width)
