"""Key badges stay with their labels at 80 columns; at 160 the outline is wider and the lead
grid shows whole labels; a label cut to fit ends with "…"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.geometry import Region

from annotator.model import Bilingual, Code, Codebook, CoderState, Facet
from annotator.tui.widgets.codebook_panel import lead_lines

from .conftest import app_for, drive, screen

BADGE_ALONE = re.compile(r"\[[^\]]\][·●]?$")


def _lines(app: Any, selector: str) -> list[str]:
    widget = app.screen.query_one(selector)
    width, height = widget.region.size
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


def test_key_badges_never_end_a_line_at_80_columns(demo_db: Path) -> None:
    for ui in ("en", "zh"):

        async def steps(app: Any, pilot: Any) -> None:
            await pilot.press("j", "j")
            for selector in ("#codebook", "#suggestions"):
                lines = _lines(app, selector)
                assert any("[t]" in line for line in lines)
                for line in lines:
                    assert not BADGE_ALONE.search(line), f"{selector}: {line!r}"

        drive(app_for(demo_db, ui=ui), steps, size=(80, 24))


def test_the_outline_uses_a_wide_terminal(demo_db: Path) -> None:
    widths = {}

    async def steps(app: Any, pilot: Any) -> None:
        widths[app.size.width] = app.screen.query_one("#outline").region.width

    drive(app_for(demo_db), steps, size=(100, 30))
    drive(app_for(demo_db), steps, size=(160, 48))
    assert widths[100] >= 32 and widths[160] >= 40


def test_lead_grid_shows_whole_labels_at_160_columns(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        text = "\n".join(_lines(app, "#codebook"))
        for code in screen(app).session.codebook.codes:
            assert code.label.en in text, code.label.en

    drive(app_for(demo_db, coder="lead", lead=True), steps, size=(160, 48))


def test_a_label_cut_to_fit_ends_with_an_ellipsis() -> None:
    long = Code("c", "f", Bilingual("很长很长很长很长很长很长很长的标签", "a label far longer than the column"), "1")
    codebook = Codebook((Facet("f", (long,), label=Bilingual("面", "facet")),))
    for lang in ("en", "zh"):
        line = next(x for x in lead_lines(codebook, lang, {"me": CoderState(frozenset(), False)}, 22)
                    if "[1]" in x)
        assert "…" in line, line
