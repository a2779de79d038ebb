"""What keeps the first seconds after opening quick, as behaviour: the footer's keys are laid
out with the first paint and not laid out again while they stay the same; the garbage
collector's settings are given back when the screen closes; a new segment's texts are shown
in full when only the changed rows are repainted. (How fast is measured in
benchmarks/bench_tui.py, not here.)"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from tests.tui.conftest import app_for, drive, screen


def test_footer_keys_are_drawn_with_the_first_paint_and_kept_while_unchanged(demo_db: Path) -> None:
    from textual.widgets._footer import FooterKey

    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        seen["first"] = list(app.screen.query(FooterKey))
        await pilot.pause()
        before = list(app.screen.query(FooterKey))
        app.screen.refresh_bindings()  # what closing a dialog or moving the focus does
        await pilot.pause()
        seen["kept"] = before == list(app.screen.query(FooterKey))
        seen["keys"] = {k.key for k in before}

    drive(app_for(demo_db), steps)
    assert seen["first"], "no footer keys at the first paint"
    assert seen["kept"], "the footer's keys were removed and mounted again"
    assert {"q", "question_mark"} <= seen["keys"]


def test_footer_follows_a_change_of_its_keys(demo_db: Path) -> None:
    from textual.binding import Binding
    from textual.widgets._footer import FooterKey

    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.pause()
        s = app.screen
        s._bindings.bind("z", "zzz_new", "zzz-added", show=True)  # a key the footer must show
        s.refresh_bindings()
        await pilot.pause()
        seen["descriptions"] = {k.description for k in s.query(FooterKey)}
        seen["binding"] = isinstance(s._bindings.key_to_bindings["z"][0], Binding)

    drive(app_for(demo_db), steps)
    assert seen["binding"]
    assert "zzz-added" in seen["descriptions"]


def test_the_collector_is_given_back_when_the_screen_closes(demo_db: Path) -> None:
    thresholds = gc.get_threshold()
    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        await pilot.pause()
        seen["frozen"] = gc.get_freeze_count()
        seen["during"] = gc.get_threshold()

    drive(app_for(demo_db), steps)
    assert seen["frozen"] > 0  # what the first paint made was set aside
    assert seen["during"][2] > thresholds[2]  # full passes wait for a pause
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_next_segment_shows_its_whole_texts_after_a_partial_repaint(demo_db: Path) -> None:
    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        s = screen(app)
        for _ in range(4):  # the neighbours are drawn ahead: later keys repaint changed rows
            await pilot.press("j")
            await pilot.pause()
        seg = s.session.segment()
        seen["expected"] = (seg.zh[:6], seg.en.split()[0])
        seen["shown"] = "\n".join(line.text for line in s.texts.render_lines(s.texts.size.region))

    drive(app_for(demo_db), steps, size=(100, 30))
    zh, en = seen["expected"]
    assert zh in seen["shown"].replace("\n", "")
    assert en in seen["shown"]
