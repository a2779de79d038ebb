"""The quote renderers write, for random hostile text (controls, line breaks, tabs, wide and
zero-width characters, combining marks, emoji, markup, long words, long lines), what the
renderers wrote before (frozen in ``frozen_findings_render``): the terminal table at several
widths, Markdown, HTML and the Word document's body."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from annotator.io import quotes_render as ours
from annotator.io.docx_quotes import write_docx
from annotator.io.quotes_render import Quote, QuoteGroup
from tests.cli import frozen_findings_render as before

ALPHABET = ["a", "b", "Z", " ", "  ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1b[2J", "\x07",
            "\x00", "\x85", "\xa0", "\u200b", "\u200d", "\u0301", "\u202e", "\u2028", "\ufeff",
            "中", "文字", "　", "，", "😀", "👩\u200d💻", "é", "e\u0301", "[bold]x[/]", "<b>&amp;",
            "|", "\\", "*", "'", '"', "verylongwordwithoutanyspaces" * 3, "-", "。"]


def random_text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(size)))


def random_quotes(seed: int) -> list[Quote]:
    rng = random.Random(seed)
    return [Quote(f"s{n}", random_text(rng, 4) or "d", n, random_text(rng, 60), random_text(rng, 60),
                  speaker=random_text(rng, 3) or None, start=rng.choice([None, 61.5, 3725.0]),
                  codes={"f": ["a"], "g": ["b", "c"] if n % 2 else []},
                  attributes={"role": random_text(rng, 5)}, memo=random_text(rng, 20))
            for n in range(12)]


def groups_of(quotes: list[Quote]) -> tuple[list[QuoteGroup], list[tuple[str, str]], list[tuple[Quote, list[int]]]]:
    heads = [("first × 中 <&>", "g-1"), ("nobody", "g-2"), ("second\x1b]0;x\x07", "g-3")]
    members = [(q, [g for g in (0, 2) if (n + g) % 3]) for n, q in enumerate(quotes)]
    groups = [QuoteGroup(title, anchor, [q for q, held in members if g in held])
              for g, (title, anchor) in enumerate(heads)]
    return [g for g in groups if g.quotes], heads, members


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("width", [40, 77, 100, 163])
def test_the_terminal_table_is_as_before(seed: int, width: int) -> None:
    groups, heads, members = groups_of(random_quotes(seed))
    written = b"".join(ours.iter_table_filed(heads, members, width=width)).decode()
    assert written == before.render_table(groups, width=width)


@pytest.mark.parametrize("seed", range(8))
def test_markdown_and_html_are_as_before(seed: int) -> None:
    groups, heads, members = groups_of(random_quotes(seed))
    assert b"".join(ours.iter_markdown_filed(heads, members, title="T|<")).decode() == \
        before.render_markdown(groups, title="T|<")
    assert b"".join(ours.iter_html_filed(heads, members, title="T\x1b<")).decode() == \
        before.render_html(groups, title="T\x1b<")


@pytest.mark.parametrize("seed", range(4))
def test_the_word_body_is_what_python_docx_writes(seed: int, tmp_path: Path) -> None:
    groups, heads, members = groups_of(random_quotes(seed))
    write_docx(heads, members, tmp_path / "ours.docx", title="Q\x07")
    before.write_docx(groups, tmp_path / "theirs.docx", title="Q\x07")
    with zipfile.ZipFile(tmp_path / "ours.docx") as a, zipfile.ZipFile(tmp_path / "theirs.docx") as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")
