"""A search or filter narrows the outline to its segments (under headings worked out with the
view, off the screen's thread); leaving it shows every segment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.tui.widgets.outline import Outline

from .conftest import app_for, drive, screen


def _rows(app: Any) -> list[str]:
    outline = app.screen.query_one("#outline", Outline)
    return [outline.render_line(y).text.strip() for y in range(outline.row_count)]


async def search_community(pilot: Any) -> None:
    """``/community`` and enter, and the view it lands."""
    await pilot.press("slash")
    await pilot.pause()
    await pilot.press(*"community", "enter")
    await pilot.pause()


def test_search_narrows_the_outline_to_the_hits(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        everything = _rows(app)
        assert len(everything) == 11 + 4  # 11 segments under 4 document headings
        await search_community(pilot)
        session = screen(app).session
        assert session.view is not None
        hits = len(session.view.indices)
        rows = _rows(app)
        segment_rows = [r for r in rows if not r.startswith("▸")]
        assert 0 < hits < 11 and len(segment_rows) == hits
        numbers = [int(r[1:].split()[0]) for r in segment_rows]
        assert numbers == [i + 1 for i in session.view.indices]
        current = app.screen.query_one("#outline", Outline)
        assert current.row_of(session.pos) < len(rows)
        await pilot.press("j")  # moving in the view keeps the narrowed outline
        assert len(_rows(app)) == len(rows)
        await pilot.press("escape")
        await pilot.pause()
        assert _rows(app) == everything

    drive(app_for(demo_db), steps, size=(120, 30))


def test_a_views_headings_are_worked_out_with_it_off_the_screens_thread(demo_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        await search_community(pilot)
        view = screen(app).session.view
        assert view is not None and view.headings is not None  # the worker's
        order = screen(app).session.order
        assert view.headings == Outline.view_rows(order, view.array)
        headings = [r for r in _rows(app) if r.startswith("▸")]
        assert len(headings) == len(view.headings[0]) == len(set(view.headings[1])) > 0

    drive(app_for(demo_db), steps, size=(120, 30))


def test_a_view_left_is_freed_after_the_repaint_not_before_it(demo_db: Path) -> None:
    """Freeing a view of a million places takes milliseconds: esc's repaint does not wait for it."""
    import weakref

    async def steps(app: Any, pilot: Any) -> None:
        await search_community(pilot)
        view = screen(app).session.view
        assert view is not None
        left = weakref.ref(view)
        del view
        screen(app).action_clear_view()
        assert left() is not None  # still held while the repaint is made
        await pilot.pause()
        await pilot.pause()
        assert left() is None
        assert len(_rows(app)) == 11 + 4

    drive(app_for(demo_db), steps, size=(120, 30))
