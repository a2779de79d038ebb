"""Suggestions from the engine's process arrive without holding up the screen: the segment is
painted at once, its suggestions fill in when the engine answers, an answer for a segment no
longer shown never replaces the current one's, and what the coder changes reaches the engine
before any later question."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from annotator.application.demo import PAPER_CODER
from annotator.application.suggesting import suggester_for_project
from annotator.storage.db import open_project
from annotator.storage.documents import segment_order
from annotator.tui.suggestion_fetch import SuggestionFetcher
from tests.tui.conftest import app_for, drive, wait_for_engine


def test_the_fetcher_answers_in_order_and_learns_first(demo_db: Path) -> None:
    with open_project(demo_db) as p:
        ids = [s for s, _d in segment_order(p)]
        suggester = suggester_for_project(p, coder=PAPER_CODER)
        reference = suggester_for_project(p, coder=PAPER_CODER)
    got: list[tuple[str, int, Any, tuple[Any, ...], str | None]] = []
    arrived = threading.Event()

    def deliver(*answer: Any) -> None:
        got.append(answer)
        if len(got) == 3:
            arrived.set()

    fetcher = SuggestionFetcher(suggester, deliver)
    try:
        codes = frozenset({suggester.codebook.codes[0].id})
        fetcher.learn(ids[1], codes)
        fetcher.want(ids[1], 7)
        fetcher.want(ids[2], 7, ahead=True)
        fetcher.want(ids[3], 8, ahead=True)
        assert arrived.wait(60)
    finally:
        fetcher.close()
        suggester.close()
    reference.learn(ids[1], codes)
    by_segment = {seg: (generation, suggestions, matches, error)
                  for seg, generation, suggestions, matches, error in got}
    assert set(by_segment) == {ids[1], ids[2], ids[3]}
    assert by_segment[ids[1]][0] == 7 and by_segment[ids[3]][0] == 8
    for seg in ids[1:4]:
        _gen, suggestions, matches, error = by_segment[seg]
        assert error is None
        assert suggestions == reference.suggest(seg)  # asked after the learning
        assert matches == tuple(reference.matches(seg))
    reference.close()


def test_keys_move_at_once_and_the_current_segments_suggestions_arrive(demo_db: Path) -> None:
    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        s = await wait_for_engine(app, pilot)
        assert s._fetcher is not None  # answers come from the engine's process
        s.session.jump(0)
        for _ in range(6):
            await pilot.press("j")
        seen["moved_to"] = s.session.current
        for _ in range(200):
            if s.suggestions is not None and s.suggestions.segment == s.session.current:
                break
            await asyncio.sleep(0.05)
            await pilot.pause()
        seen["shown"] = s.suggestions
        await pilot.press("j")
        code = s.session.codebook.codes[0]
        await pilot.press(code.key)  # the engine learns from this before anything asked later
        for _ in range(200):
            if s.suggestions is not None and s.suggestions.segment == s.session.current:
                break
            await asyncio.sleep(0.05)
            await pilot.pause()
        seen["after"] = s.suggestions, s.session.current, s._generation

    drive(app_for(demo_db, coder=PAPER_CODER, suggester="engine"), steps)
    with open_project(demo_db) as p:
        ids = [x for x, _d in segment_order(p)]
    assert seen["moved_to"] == ids[6]
    assert seen["shown"] is not None and seen["shown"].segment == ids[6]
    after, current, _generation = seen["after"]
    assert after is not None and after.segment == current
