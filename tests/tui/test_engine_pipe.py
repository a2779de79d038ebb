"""The coding screen never waits long on the engine's process: a question given up on is
answered later and its answer dropped, so the next question gets its own answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.application.demo import PAPER_CODER
from annotator.storage.db import open_project
from annotator.storage.documents import segment_order
from annotator.tui.suggest_process import RemoteSuggester


@pytest.mark.slow
def test_a_least_sure_question_given_up_on_does_not_shift_later_answers(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        segments = [s for s, _d in segment_order(p)]
    remote = RemoteSuggester(demo_project, coder=PAPER_CODER, lead=False)
    try:
        expected = remote.suggest(segments[0])
        given_up = remote.least_sure(segments[:5], wait=0.0)  # not answered at once: given up
        assert given_up == "" or given_up in segments[:5]
        assert remote.suggest(segments[0]) == expected  # its own answer, not the dropped one
        assert remote.least_sure(segments[:5], wait=30.0) in segments[:5]
        assert remote.suggest(segments[1]).segment == segments[1]
    finally:
        remote.close()
