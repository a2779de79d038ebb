"""`U` on the coding screen goes to the not-done segment the suggestions are least sure of
(uncertainty sampling over the calibrated scores, annotator.nlp.active); `u` stays "next not done"
in reading order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.application.demo import PAPER_CODER
from annotator.application.suggesting import suggester_for_project
from annotator.application.transcripts import import_transcripts
from annotator.nlp.active import uncertainty
from annotator.storage.coding import done_segments
from annotator.storage.db import open_project
from annotator.storage.documents import segment_order
from tests.nlp.test_suggest_heldout import HELDOUT
from tests.tui.conftest import app_for, drive, screen, text_of, wait_for_engine


@pytest.fixture()
def half_coded(demo_db: Path, tmp_path: Path) -> Path:
    """The demo (every segment coded by the paper's coder) and 32 uncoded sentences."""
    source = tmp_path / "sentences.jsonl"
    with source.open("w", encoding="utf-8") as f:
        for zh, en, _dimension, _burden in HELDOUT:
            f.write(json.dumps({"document": "sentences", "zh": zh, "en": en}, ensure_ascii=False) + "\n")
    with open_project(demo_db) as p:
        import_transcripts(p, [source], document="sentences")
    return demo_db


def _expected(path: Path) -> tuple[str, str, float]:
    """From the first segment: the next not done in reading order, and the least sure of the
    others not done (first among equals) with its uncertainty, by a suggester of its own."""
    with open_project(path) as p:
        order = [s for s, _d in segment_order(p)]
        done = done_segments(p, PAPER_CODER)
        suggester = suggester_for_project(p, coder=PAPER_CODER)
    try:
        codebook = suggester.codebook
        open_ = [s for s in order[1:] if s not in done]
        assert 0 < len(open_) <= 100  # every one a candidate
        unsure = {s: uncertainty(codebook, suggester.suggest(s, top=100).codes) for s in open_}
    finally:
        suggester.close()
    top = max(unsure.values())
    return open_[0], next(s for s in open_ if unsure[s] == top), top


def test_shift_u_goes_to_the_least_sure_segment_not_done(half_coded: Path) -> None:
    first_open, least_sure, top = _expected(half_coded)
    assert least_sure != first_open  # the demo tells the two orders apart
    assert top > 0.5
    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        s = await wait_for_engine(app, pilot)
        s.session.jump(0)
        await pilot.press("U")
        await pilot.pause()
        seen["U"] = s.session.current
        seen["status"] = text_of(app, "#status")
        s.session.jump(0)
        await pilot.press("u")
        await pilot.pause()
        seen["u"] = s.session.current

    drive(app_for(half_coded, coder=PAPER_CODER, suggester="engine"), steps)
    assert seen["U"] == least_sure, seen
    assert "least sure" in seen["status"]
    assert seen["u"] == first_open


def test_shift_u_without_the_engine_is_next_not_done_and_says_so(half_coded: Path) -> None:
    first_open, _least_sure, _top = _expected(half_coded)
    seen: dict[str, Any] = {}

    async def steps(app: Any, pilot: Any) -> None:
        s = screen(app)
        s.session.jump(0)
        await pilot.press("U")
        await pilot.pause()
        seen["U"] = s.session.current
        seen["status"] = text_of(app, "#status")

    drive(app_for(half_coded, coder=PAPER_CODER, suggester="keywords"), steps)
    assert seen["U"] == first_open
    assert "not ready" in seen["status"]
