"""The coding screen repaints without laying itself out again; the texts widget draws, wraps and
scrolls both texts itself."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual import messages

from annotator.tui.app import make_app
from annotator.tui.screens.coding import CodingScreen
from annotator.tui.widgets.segment_text import SegmentText

from .conftest import state_on_disk

A1 = "A20230321-001"


def app_for(path: Path, **kw: Any) -> Any:
    kw.setdefault("ui", "en")
    kw.setdefault("suggester", "keywords")
    return make_app(path, coder="t", **kw)


def run(app: Any, steps: Any, size: tuple[int, int], hook: Any = None) -> None:
    async def main() -> None:
        async with app.run_test(size=size, message_hook=hook) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await steps(app, pilot)

    asyncio.run(main())


def test_next_and_toggle_never_lay_the_screen_out(demo_db: Path) -> None:
    layouts: list[Any] = []
    armed: list[bool] = []

    def hook(message: Any) -> None:
        if armed and isinstance(message, messages.Layout):
            layouts.append(message.widget)

    async def steps(app: Any, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        await pilot.press("r")  # the first change of the progress' width may lay out
        await pilot.pause()
        start = screen.session.pos
        armed.append(True)
        await pilot.press("j", "j", "r", "c", "r", "k", "j", "d", "x")
        await pilot.pause()
        assert screen.session.pos == start + 2
        assert state_on_disk(demo_db, "t", screen.session.current).done

    for size in ((80, 24), (160, 48)):
        layouts.clear()
        armed.clear()
        run(app_for(demo_db), steps, size, hook)
        assert layouts == [], f"{size}: layout requested by {layouts}"


def test_texts_stack_when_narrow_and_stand_side_by_side_when_wide(demo_db: Path) -> None:
    counts: dict[int, int] = {}

    async def steps(app: Any, pilot: Any) -> None:
        texts = app.screen.query_one(SegmentText)
        seg = app.screen.session.segment()
        assert texts.plain == f"{seg.zh}\n{seg.en}"
        counts[app.size.width] = texts.line_count()
        assert texts.wide == (app.size.width >= 140)

    run(app_for(demo_db), steps, (100, 30))
    run(app_for(demo_db), steps, (160, 48))
    assert counts[160] < counts[100]


def test_long_texts_scroll_by_page_keys_and_a_new_segment_starts_at_the_top(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        texts = app.screen.query_one(SegmentText)
        texts.show("社区减负" * 400, "burden " * 600)
        await pilot.pause()
        assert texts.line_count() > texts.size.height
        await pilot.press("pagedown")
        assert texts.top == texts.size.height - 1
        await pilot.press("pagedown", "pageup")
        assert texts.top == texts.size.height - 1
        await pilot.press("pageup", "pageup")
        assert texts.top == 0
        await pilot.press("pagedown", "j")
        assert texts.top == 0
        assert app.screen.session.pos == 1

    run(app_for(demo_db), steps, (80, 24))


def _cells(strips: list[Any]) -> list[list[tuple[str, Any]]]:
    """Each line as (text, style) per cell run, merged so that equal drawings compare equal."""
    out = []
    for strip in strips:
        line: list[tuple[str, Any]] = []
        for seg in strip:
            if line and line[-1][1] == seg.style:
                line[-1] = (line[-1][0] + seg.text, seg.style)
            else:
                line.append((seg.text, seg.style))
        out.append(line)
    return out


@pytest.mark.slow  # three screens redrawn twice over after every key
def test_kept_and_prepared_frames_are_what_textual_draws(demo_db: Path) -> None:
    """The texts, suggestions and codebook answer repaints from frames they keep (some drawn
    ahead of time, for the neighbours); each must be exactly Textual's own drawing."""
    from textual.geometry import Region
    from textual.widget import Widget

    from annotator.tui.widgets.codebook_panel import CodebookPanel
    from annotator.tui.widgets.suggestion_panel import SuggestionPanel

    def check(app: Any) -> None:
        for kind in (SegmentText, SuggestionPanel, CodebookPanel):
            widget = app.screen.query_one(kind)
            full = Region(0, 0, widget.region.width, widget.region.height)
            widget._styles_cache.clear()  # Textual's own path draws every line again
            assert _cells(widget.render_lines(full)) == _cells(Widget.render_lines(widget, full)), kind

    async def steps(app: Any, pilot: Any) -> None:
        check(app)
        for keys in (("j",), ("j", "r"), ("c",), ("k",), ("j",), ("d", "x"), ("j", "j", "k")):
            await pilot.press(*keys)
            await pilot.pause()
            check(app)

    for size in ((80, 24), (160, 48)):
        run(app_for(demo_db), steps, size)
    run(app_for(demo_db, lead=True), steps, (120, 40))


def test_the_next_segments_codebook_panel_is_drawn_before_its_key(demo_db: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The codes of the next segment (never shown yet) are parsed and wrapped in the pause
    before its key, so the key that shows them wraps no codebook line."""
    from textual.visual import Visual

    from annotator.model import CoderState
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import set_state
    from annotator.storage.db import open_project
    from annotator.tui.widgets.codebook_panel import CodebookPanel

    wrapped: list[Any] = []
    to_strips = Visual.to_strips

    def counted(widget: Any, *args: Any, **kw: Any) -> Any:
        if isinstance(widget, CodebookPanel):
            wrapped.append(widget)
        return to_strips(widget, *args, **kw)

    monkeypatch.setattr(Visual, "to_strips", staticmethod(counted))

    async def steps(app: Any, pilot: Any) -> None:
        session = app.screen.session
        seg = session.order[session.pos + 2]  # not a neighbour yet: never read
        with open_project(demo_db) as p:  # another program codes it meanwhile
            codes = frozenset(c.id for c in load_codebook(p).codes[:3])
            set_state(p, "t", seg, CoderState(codes))
        await pilot.press("j")
        await pilot.pause(0.2)  # the pause between keys: its neighbours are drawn
        wrapped.clear()
        await pilot.press("j")
        assert session.current == seg and session.state().codes == codes
        assert wrapped == []

    run(app_for(demo_db), steps, (120, 40))
