"""The coding screen's engine process answers at once from the latest coded segments while the
engine learning from all of them is built, says so beside the suggestions, and hands over to the
full engine with what the coder taught the first one."""

from __future__ import annotations

from pathlib import Path

from annotator.application.demo import PAPER_CODER
from annotator.application.suggesting import first_suggester, recall_codebook_terms
from annotator.nlp.suggest import CodeSuggestion, Suggestions
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from annotator.storage.documents import segment_order
from annotator.tui.suggest_process import _Engines
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
