"""The suggestion engine over a project: storage fetches the rows, :mod:`annotator.nlp` ranks.

Used by the command line and the coding screen alike; the engine itself never opens the project.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeGuard

from annotator.application.corpus_counts import corpus_counts
from annotator.application.engine_cache import (
    engine_stamp,
    keep_engine,
    kept_engine_exists,
    learner_key,
    load_engine,
    start_logging,
)
from annotator.errors import AnnotatorError
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project
from annotator.storage.documents import check_document, count_segments
from annotator.storage.project_meta import get_meta, set_meta
from annotator.storage.segment_reader import SegmentReader
from annotator.storage.term_counts import counts_state
from annotator.storage.training import (
    annotation_columns,
    code_ids,
    coded_term_chunks,
    example_count,
    recent_example_rows,
    term_chunks_of,
    term_columns,
)

if TYPE_CHECKING:
    from annotator.nlp.keywords import Keyword
    from annotator.nlp.suggest import Corpus, Suggester


def suggester_for_project(
    project: Project,
    *,
    coder: str | None = None,
    lead: bool = False,
    learned: bool = True,
    calibrate: bool = True,
    corpus: Corpus | None = None,
) -> Suggester:
    """The engine for ``project``: learning from ``coder``'s annotations, or from every
    coder's (``lead=True`` or ``coder=None``); ``learned=False``: codebook keywords only;
    ``calibrate=False``: the raw scores, not calibrated on the coded segments.

    The corpus counts come from the project (:mod:`annotator.application.corpus_counts`:
    counted once, then kept); the suggester reads segments later through its own read-only
    connection, so ``project`` may be closed afterwards. ``corpus``: the project's corpus made
    already (:class:`annotator.nlp.suggest.Corpus`; its counts must be the project's as they
    stand).
    """
    from annotator.nlp.suggest import Suggester

    codebook = load_codebook(project)
    whose = None if lead or coder is None else coder
    if not learned:
        return Suggester.build(codebook, iter(()), (), SegmentReader.of(project),
                               learner=coder or "", learned=False, counts=corpus_counts(project))
    learner = learner_key(whose, calibrate)
    state = counts_state(project)
    if state.valid and not state.pending:  # the segments the kept engine may have counted
        kept = load_engine(project, learner, engine_stamp(codebook, state), whose,
                           lambda: SegmentReader.of(project))
        if kept is not None:
            kept.learner = coder or ""
            return kept
    counts = corpus_counts(project) if corpus is None else None
    stamp = engine_stamp(codebook, counts_state(project))
    seq = start_logging(project, learner)
    codes = code_ids(project)
    engine = Suggester.build(
        codebook, coded_term_chunks(project, whose), (), SegmentReader.of(project),
        learner=coder or "", calibrate=calibrate, counts=counts,
        by_coder=(codes, annotation_columns(project, codes, whose)),
        corpus=corpus,
        lookup_tables=corpus is None,  # a corpus given is another engine's, beside this one
    )
    keep_engine(project, learner, stamp, seq, engine)
    return engine


#: Examples the first engine of a coding session learns from at most, when no engine is kept:
#: the latest ones, while the engine learning from all of them is built (:func:`first_suggester`).
FIRST_EXAMPLES = 20_000


@dataclass(frozen=True)
class FirstEngine:
    """An engine to answer with at once, and what builds the engine learning from every
    example when the first one learned from the latest :data:`FIRST_EXAMPLES` only."""

    engine: Suggester
    #: builds the full engine through another connection to the project (None: ``engine`` is it)
    rest: Callable[[Project], Suggester] | None = None


def first_suggester(project: Project, *, coder: str, lead: bool = False,
                    limit: int = FIRST_EXAMPLES,
                    terms_ready: Callable[[], None] = lambda: None) -> FirstEngine:
    """The engine of :func:`suggester_for_project`, or, when none is kept and the learner has
    more than ``limit`` examples, one learning from the latest ``limit`` of them
    (:attr:`~annotator.nlp.suggest.Suggester.learned_from` says so, and every suggestion too) and
    what builds the full engine: the same engine :func:`suggester_for_project` builds, which
    shares this one's corpus (vocabulary and counts) when the project's corpus is unchanged.
    ``terms_ready``: called before the codebook's text is needed (see
    :func:`annotator.application.codebook_terms.tokenise_codebook_apart`)."""
    from annotator.nlp.suggest import Corpus, Suggester

    whose = None if lead else coder
    if engine_is_kept(project, coder=coder, lead=lead):  # checked first: counting takes 0.1 s at 1M
        terms_ready()
        return FirstEngine(suggester_for_project(project, coder=coder, lead=lead))
    total = example_count(project, whose)
    if total <= limit:
        terms_ready()
        return FirstEngine(suggester_for_project(project, coder=coder, lead=lead))
    codebook = load_codebook(project)
    corpus = Corpus.of(codebook, corpus_counts(project), ready=terms_ready)
    state = counts_state(project)
    rows = recent_example_rows(project, whose, limit)
    engine = Suggester.build(codebook, term_chunks_of(project, [r[1] for r in rows]), (),
                             SegmentReader.of(project), learner=coder, grouped=rows, corpus=corpus)
    engine.learned_from = (len(rows), total)

    def rest(other: Project) -> Suggester:
        same = counts_state(other) == state
        return suggester_for_project(other, coder=coder, lead=lead, corpus=corpus if same else None)

    return FirstEngine(engine, rest)


def needs_tokeniser(project: Project, *, coder: str | None = None, lead: bool = False) -> bool:
    """Whether :func:`suggester_for_project` will load jieba and spaCy: no engine is kept and
    the codebook's text is not tokenised yet (call :func:`recall_codebook_terms` first)."""
    from annotator.nlp.lexicon import codebook_terms_known

    if engine_is_kept(project, coder=coder, lead=lead):
        return False
    return not codebook_terms_known(load_codebook(project))


def engine_is_kept(project: Project, *, coder: str | None = None, lead: bool = False) -> bool:
    """Whether :func:`suggester_for_project` would load a kept engine (no tokeniser needed)."""
    whose = None if lead or coder is None else coder
    state = counts_state(project)
    if not state.valid or state.pending:
        return False
    return kept_engine_exists(project, learner_key(whose, True),
                              engine_stamp(load_codebook(project), state), whose)


def is_suggestion_engine(suggester: object) -> TypeGuard[Suggester]:
    """Whether ``suggester`` is the suggestion engine (rather than keyword matches only)."""
    from annotator.nlp.suggest import Suggester

    return isinstance(suggester, Suggester)


#: Not-done segments the "least sure next" choice looks at (each costs one suggestion, about a
#: millisecond warm).
LEAST_SURE_WINDOW = 100


def least_sure(suggester: Suggester, segments: Sequence[str]) -> str | None:
    """Of ``segments`` (in reading order), the one whose suggestions are least sure: uncertainty
    sampling over the calibrated scores (:mod:`annotator.nlp.active`); the first among equals."""
    from annotator.nlp.active import next_least_sure, uncertainty

    codebook = suggester.codebook

    def unsure(segment: str) -> float:
        return uncertainty(codebook, suggester.suggest(segment, top=len(codebook.codes)).codes)

    return next_least_sure(segments, unsure)


#: The project table's key for the tokenised codebook text (English keyword lemmas, the terms
#: of the codes' descriptions): kept in the project, a new process (or another computer) need
#: not load spaCy and jieba to match keywords.
CODEBOOK_TERMS = "codebook_terms"


def recall_codebook_terms(project: Project) -> None:
    """Give the matcher the tokenised codebook text kept in ``project``, if any."""
    from annotator.nlp.lexicon import remember_codebook_terms

    remember_codebook_terms(get_meta(project, CODEBOOK_TERMS))


def keep_codebook_terms(project: Project) -> None:
    """Keep the tokenised text of ``project``'s codebook in it, when this process knows more of
    it than is kept (a failed write, e.g. a read-only file, only means tokenising again next
    time)."""
    from annotator.nlp.lexicon import codebook_terms_text

    recall_codebook_terms(project)  # what is kept stays kept (e.g. after loading a kept engine)
    text = codebook_terms_text(load_codebook(project))
    if text != get_meta(project, CODEBOOK_TERMS):
        with contextlib.suppress(AnnotatorError):
            set_meta(project, CODEBOOK_TERMS, text)


def project_keywords(
    project: Project, *, document: str | None = None, top: int = 20
) -> dict[str, list[Keyword]]:
    """The corpus keywords of ``project`` (or of one of its documents) per language: the
    document frequencies from the corpus counts the project keeps, then one pass over the
    segments asked for, a chunk at a time, all in one snapshot."""
    from annotator.nlp.keywords import corpus_keywords

    if document is not None:
        check_document(project, document)
    attempt = 0
    while True:
        attempt += 1
        counts = corpus_counts(project)  # it may keep them: a write, outside the snapshot
        with project.snapshot():  # counted again if segments were imported in between
            if attempt == 3 or counts.n_docs == count_segments(project):
                return corpus_keywords(counts, lambda: term_columns(project, document), top=top,
                                       expected=counts.terms if document is None else 0)
