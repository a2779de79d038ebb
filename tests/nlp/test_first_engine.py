"""The first engine of a coding session without a kept engine: when the coder has coded more
segments than it learns from at first, it learns from the latest of them and says so in every
suggestion; what it hands on builds the same engine as a whole build."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from annotator.application.corpus_counts import corpus_counts
from annotator.application.demo import PAPER_CODER
from annotator.application.suggesting import first_suggester, recall_codebook_terms
from annotator.nlp.suggest import Suggester
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from annotator.storage.documents import segment_order
from annotator.storage.segment_reader import SegmentReader
from annotator.storage.training import annotation_columns, code_ids, coded_term_chunks, example_count


def _whole(p: object) -> Suggester:
    """The engine built from every example, as :func:`suggester_for_project` builds it."""
    return Suggester.build(load_codebook(p), coded_term_chunks(p, PAPER_CODER), (),  # type: ignore[arg-type]
                           SegmentReader.of(p), learner=PAPER_CODER,  # type: ignore[arg-type]
                           counts=corpus_counts(p),  # type: ignore[arg-type]
                           by_coder=(code_ids(p), annotation_columns(p, code_ids(p), PAPER_CODER)))  # type: ignore[arg-type]


def test_the_first_engine_learns_from_the_latest_coded_segments_and_says_so(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        recall_codebook_terms(p)
        codebook = load_codebook(p)
        ids = [s for s, _d in segment_order(p)]
        latest = ids[-1]
        tag(p, codebook, PAPER_CODER, latest, [codebook.codes[0].id])
        total = example_count(p, PAPER_CODER)
        first = first_suggester(p, coder=PAPER_CODER, limit=3)
        assert first.rest is not None
        assert first.engine.learned_from == (3, total)
        assert first.engine.examples == 3
        assert (PAPER_CODER, latest) in first.engine._examples
        assert first.engine.suggest(ids[0]).learned_from == (3, total)
        first.engine.close()


def test_what_the_first_engine_hands_on_builds_the_whole_engine(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        recall_codebook_terms(p)
        ids = [s for s, _d in segment_order(p)]
        first = first_suggester(p, coder=PAPER_CODER, limit=2)
        assert first.rest is not None
        with open_project(demo_project) as other:
            full = first.rest(other)
        whole = _whole(p)
        assert full.learned_from is None and full.examples == whole.examples
        assert full.vocab.terms == whole.vocab.terms
        for facet, model in full.models.items():
            assert np.array_equal(model.counts, whole.models[facet].counts)
        assert [full.suggest(s) for s in ids] == [whole.suggest(s) for s in ids]
        for engine in (first.engine, full, whole):
            engine.close()


def test_a_coder_with_few_coded_segments_gets_the_whole_engine_at_once(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        recall_codebook_terms(p)
        first = first_suggester(p, coder=PAPER_CODER, limit=10**6)
        assert first.rest is None and first.engine.learned_from is None
        first.engine.close()


def test_the_latest_examples_are_those_coded_last_for_a_coder_and_for_everyone(demo_project: Path) -> None:
    from annotator.storage.training import recent_example_rows

    with open_project(demo_project) as p:
        codebook = load_codebook(p)
        ids = [s for s, _d in segment_order(p)]
        for segment in (ids[3], ids[0]):  # coded last: ids[0], then ids[3]
            tag(p, codebook, PAPER_CODER, segment, [codebook.codes[1].id])
        mine = recent_example_rows(p, PAPER_CODER, 2)
        assert [(r[0], r[1]) for r in mine] == sorted([(PAPER_CODER, ids[0]), (PAPER_CODER, ids[3])])
        assert codebook.codes[1].id in mine[0][2].split("\x1f")
        assert [(r[0], r[1]) for r in recent_example_rows(p, None, 2)] == [(r[0], r[1]) for r in mine]
