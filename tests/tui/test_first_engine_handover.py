"""The coding screen's engine process answers at once from the latest coded segments while the
engine learning from all of them is built, says so beside the suggestions, and hands over to the
full engine with what the coder taught the first one."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from annotator.application.demo import PAPER_CODER
from annotator.application.suggesting import (
    first_suggester,
    recall_codebook_terms,
    suggester_for_project,
)
from annotator.nlp.suggest import CodeSuggestion, Suggestions
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import toggle_code
from annotator.storage.db import open_project
from annotator.storage.documents import segment_order
from annotator.tui.suggest_process import RemoteSuggester, _Engines
from annotator.tui.widgets.suggestion_panel import suggestion_markup


def test_the_full_engine_takes_over_with_what_the_first_was_taught(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        recall_codebook_terms(p)
        codebook = load_codebook(p)
        segment = next(s for s, _d in segment_order(p))
        first = first_suggester(p, coder=PAPER_CODER, limit=2)
    engines = _Engines(first.engine)
    engines.building = True
    taught = frozenset({codebook.codes[-1].id})
    engines.call("learn", (segment, taught), {})
    assert engines.call("suggest", (segment,), {}).learned_from is not None
    engines.build_rest(str(demo_project), first.rest)
    assert engines.engine is not first.engine and not engines.building
    assert engines.engine._examples.get((PAPER_CODER, segment)) == taught
    assert engines.call("suggest", (segment,), {}).learned_from is None
    engines.engine.close()


def test_suggestions_from_the_latest_coded_segments_say_so(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        codebook = load_codebook(p)
    code = codebook.codes[0]
    found = (CodeSuggestion(code.id, code.facet, 0.9, ("word",), True),)
    partial = suggestion_markup(codebook, "en", Suggestions("s", (), found, (20_000, 200_000)), frozenset())
    assert "from the latest 20,000 of 200,000 coded segments" in partial.plain
    whole = suggestion_markup(codebook, "en", Suggestions("s", (), found), frozenset())
    assert "latest" not in whole.plain
    assert "最近 20,000" in suggestion_markup(codebook, "zh", Suggestions("s", (), found, (20_000, 200_000)),
                                            frozenset()).plain


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
def test_the_engine_process_renews_itself_on_the_kept_engine_and_keeps_answering(
        demo_project: Path) -> None:
    """Once the full engine is kept, the process is replaced (same pid, same pipe) by one that
    loads it and answers as a later start would, with what the coder coded meanwhile."""
    with open_project(demo_project) as p:
        recall_codebook_terms(p)
        codebook = load_codebook(p)
        segments = [s for s, _d in segment_order(p)]
    remote = RemoteSuggester(demo_project, coder=PAPER_CODER, lead=False, first_examples=2)
    try:
        pid = remote._process.pid
        assert remote.suggest(segments[0]).learned_from is not None  # the first engine
        with open_project(demo_project) as p:  # coded on the screen: stored, then taught
            state, _event = toggle_code(p, codebook, PAPER_CODER, segments[1], codebook.codes[-1].id)
        remote.learn(segments[1], state.codes)
        deadline = time.monotonic() + 120
        while b"renewed" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            assert time.monotonic() < deadline, "the engine's process never renewed itself"
            remote.suggest(segments[0])
            time.sleep(0.2)
        after = remote.suggest(segments[0])
        assert after.learned_from is None and after.codes
        with open_project(demo_project) as p:
            fresh = suggester_for_project(p, coder=PAPER_CODER)
        assert after == fresh.suggest(segments[0])  # what a later start would answer
        fresh.close()
        assert remote._process.poll() is None
    finally:
        remote.close()
    assert remote._process.returncode == 0
