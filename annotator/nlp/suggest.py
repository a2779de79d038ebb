"""Keyword and code suggestions for a segment: explainable, and learning from the coder.

For each segment the engine returns

* **keywords**: TF-IDF of the stored content terms of both languages against the project's
  own corpus (:mod:`annotator.nlp.keywords`);
* **codes**, ranked best first, each with a score in [0, 1] and the evidence words (either
  language) that support it. Two sources are blended per facet:

  1. the codebook's keywords (:mod:`annotator.nlp.lexicon`). With summed keyword weight ``s``
     per code, a single-choice facet gets ``(s + 0.5) / (S + 0.5 K)`` (S the facet's sum, K its
     codes: add-one-half smoothing), a multi-choice facet ``s / (s + 1)`` per code (one keyword
     0.5, two 0.67, ...);
  2. naive Bayes learned from the annotations in the project (:mod:`annotator.nlp.classifier`):
     this coder's own, or every coder's in lead mode.

     The model starts from a prior made of the codebook's own text about each code (label,
     definition, when-to-use, keywords; both languages), worth
     :data:`~annotator.nlp.classifier.PRIOR_EXAMPLES` coded segments per code, so it can speak
     before the coder has coded anything and on words that are no keyword, and a coder's
     first examples refine it rather than override it.

  The blend is ``(1 - w) * codebook + w * learned`` with ``w = N / (N + 3 K)``: N examples
  of the facet (the prior's pseudo-examples included), K codes. As the prior already counts
  for many examples, the learned model (which holds the codebook's prose and keywords too)
  carries most of the weight from the start.

  Then the facets inform each other through the codebook's ``implies`` relations
  (:mod:`annotator.nlp.relations`: the dimension is ranked mostly by what the burden types
  imply), and the scores are calibrated (:mod:`annotator.nlp.calibration`).

Single-choice facets: all codes of the facet are ranked and the best one has
``passes=True``. Multi-choice facets: every code is scored on its own and ``passes`` is True
when the score reaches ``THRESHOLD`` (0.5, an even chance), or when it is at least
``RELATIVE`` (2) times the mean score of the facet's K codes and at least 1/K. The relative
rule is there because a blended score is not a calibrated probability: a code without a
codebook keyword has codebook score 0, so its blend can never exceed ``w`` and a fixed 0.5
is out of reach of most codes the model alone recognises (measured: on the held-out
sentences only 7 % of the true burdens passed). Twice the mean means "at least twice its even
share of the facet's evidence", which does not change when every score of the facet shrinks
by the same factor; the floor of 1/K (a blind guess among K codes) keeps a code that is only
faintly ahead of nothing from being proposed. The ``codes`` tuple puts the
passing codes first (best first), then the others by score. A code appears only when there is
evidence for it: a codebook keyword in the segment, or a word of the segment that the learned
model knows (from the codebook's text or from coded segments). A segment without such words
gets no codes.

Memory and time do not grow with the corpus beyond its vocabulary: :meth:`Suggester.build`
counts document frequencies in one pass over the stored terms (or takes the counts kept in the
project) and keeps only those counts, the learned model and the examples as integer arrays
(:mod:`annotator.nlp.examples`); it learns every example at once, summed per coded segment
(:meth:`Suggester._learn_all`), the same counts as learning them one by one; a segment is read from its
:class:`SegmentSource` (the storage layer's read-only reader) when it is first asked about, and
the last few hundred are kept. So a suggester can be built in a worker thread and then used
from the UI thread. The engine never opens the project: the caller passes the rows in.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np
import numpy.typing as npt

from annotator.errors import UsageError
from annotator.model import Codebook, Facet
from annotator.nlp.calibration import Calibration
from annotator.nlp.calibration import fit as fit_calibration
from annotator.nlp.classifier import EVIDENCE_TERMS, CorpusWeights, FacetModel, Runs
from annotator.nlp.evidence import cited
from annotator.nlp.examples import CoderAnnotations, Examples
from annotator.nlp.keywords import (
    CorpusCounter,
    DocumentFrequencies,
    FloatArray,
    IntArray,
    Keyword,
    Vocabulary,
    keyword_worthy,
    tfidf_keywords,
)
from annotator.nlp.lexicon import (
    Lexicon,
    Match,
    code_description_terms,
    code_strengths,
    coded_example_terms,
)
from annotator.nlp.relations import (
    DEFAULT_RELATION_WEIGHT,
    RelationCounts,
    fit_relation_weight,
    implied_by,
    relate_scores,
)

__all__ = [
    "RELATIVE",
    "THRESHOLD",
    "CodeSuggestion",
    "Keyword",
    "Match",
    "SegmentSource",
    "Suggester",
    "Suggestions",
    "suggest_text",
]

#: Multi-choice facets: a code passes at this score ...
THRESHOLD = 0.5
#: ... or at this many times the facet's mean score (and at least 1/K).
RELATIVE = 2.0
#: Examples per code at which the learned model weighs as much as the codebook.
EXAMPLES_PER_CODE = 3.0
#: Smoothing of the codebook ranking in single-choice facets.
LEXICON_SMOOTHING = 0.5
#: Evidence words listed per code at most.
MAX_EVIDENCE = 6
#: Words from the learned model listed per code at most.
MODEL_EVIDENCE = 3
#: Segments whose terms and codebook matches are kept after they were asked about.
CACHED_SEGMENTS = 512
#: Coded segments whose terms are encoded and counted at a time when the suggester is built.
BULK_CHUNK = 5000
#: Term occurrences (of many chunks) added to the counts at a time.
SUMMED_OCCURRENCES = 150_000
#: Coded segments (the most recent) the calibration is fitted on, leave-one-out.
CALIBRATION_EXAMPLES = 100


@dataclass(frozen=True)
class CodeSuggestion:
    """A proposed code: its facet, a score in [0, 1] and the words that support it.

    ``passes`` says whether the engine would apply it: the best code of a single-choice facet,
    or a multi-choice code whose score reaches :data:`THRESHOLD`, or :data:`RELATIVE` times the
    facet's mean score (and at least 1/K).
    """

    code: str
    facet: str
    score: float
    evidence: tuple[str, ...]
    passes: bool = False


@dataclass(frozen=True)
class Suggestions:
    segment: str
    keywords: tuple[Keyword, ...]
    codes: tuple[CodeSuggestion, ...]  # passing codes first, then by score
    #: (n, m): learned from the latest n of the m examples only, while the engine learning from
    #: all of them is being built (None: from all of them)
    learned_from: tuple[int, int] | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "segment": self.segment,
            "keywords": [{"text": k.text, "lang": k.lang, "score": k.score} for k in self.keywords],
            "codes": [
                {"code": c.code, "facet": c.facet, "score": c.score, "evidence": list(c.evidence),
                 "passes": c.passes}
                for c in self.codes
            ],
        }


@dataclass
class _Segment:
    ids: IntArray
    counts: FloatArray
    #: (zh text, zh tokens, en tokens) until the codebook keywords have been matched
    text: tuple[str, str, str] | None
    matches: tuple[Match, ...] | None = None


class SegmentSource(Protocol):
    """Stored segments by id, as the engine reads them (implemented by the storage layer)."""

    def row(self, segment_id: str) -> tuple[str | None, ...] | None:
        """(zh, zh_tokens, zh_terms, en_tokens, en_terms) of a segment, None if there is none."""
        ...

    def ids(self) -> list[str]: ...

    def close(self) -> None: ...


#: (segment id, zh terms, en terms), the terms space-separated as stored (or None)
TermsRow = tuple[str, str | None, str | None]


def _pack(ids: IntArray, counts: FloatArray) -> npt.NDArray[np.int32]:
    """A coded segment's term ids and counts in one small array (kept for every example)."""
    return np.stack([ids, counts.astype(np.int64)]).astype(np.int32)


def _unpack(packed: npt.NDArray[np.int32]) -> tuple[IntArray, FloatArray]:
    return packed[0].astype(np.int64), packed[1].astype(np.float64)


def _split(stored: str | None) -> list[str]:
    return stored.split(" ") if stored else []


def _codebook_scores(facet: Facet, strength: FloatArray) -> FloatArray:
    """The codebook's keyword evidence as scores: smoothed shares in a single-choice facet,
    ``s / (s + 1)`` per code in a multi-choice one."""
    if facet.multiple:
        return strength / (strength + 1.0)
    k = len(strength)
    return (strength + LEXICON_SMOOTHING) / (strength.sum() + LEXICON_SMOOTHING * k)


def _evidence(keywords: Sequence[str], ranked: Sequence[int], vocab: Vocabulary) -> tuple[str, ...]:
    """The codebook keywords found, then up to :data:`MODEL_EVIDENCE` words of the model."""
    evidence = list(keywords)
    added = 0
    for term in ranked:
        if added >= MODEL_EVIDENCE:
            break
        word = vocab.terms[term]
        if vocab.worthy[term] and word not in evidence:
            evidence.append(word)
            added += 1
    return tuple(evidence[:MAX_EVIDENCE])


def _facet_codes(
    facet: Facet,
    strengths: dict[str, tuple[float, tuple[str, ...]]],
    model: FacetModel | None,
    ids: IntArray,
    counts: FloatArray,
    vocab: Vocabulary,
    cite: bool = True,
) -> list[CodeSuggestion]:
    """The facet's codes with evidence, scored by the blend of codebook and learned model
    (``cite=False``: the codebook keywords found only, not the model's words)."""
    codes = [c.id for c in facet.codes]
    k = len(codes)
    if not k:
        return []
    s = np.array([strengths.get(c, (0.0, ()))[0] for c in codes], dtype=np.float64)
    p_lex = _codebook_scores(facet, s)
    predicted = model.predict(ids, counts) if model is not None else None
    if predicted is None or model is None:
        if not bool(s.sum() > 0):
            return []
        p = p_lex
        ranked: list[list[int]] = [[] for _ in codes]
    else:
        n = float(model.examples + model.prior_examples)
        weight = n / (n + EXAMPLES_PER_CODE * k)
        p = (1.0 - weight) * p_lex + weight * predicted[0]
        ranked = (_model_evidence(model, predicted[2], ids, counts, vocab) if cite
                  else [[] for _ in codes])
    best = int(np.argmax(p))
    bar = min(THRESHOLD, max(RELATIVE * float(p.mean()), 1.0 / k))
    scores = p.tolist()
    out: list[CodeSuggestion] = []
    for j, code in enumerate(codes):
        if predicted is None and s[j] <= 0:
            continue
        evidence = _evidence(strengths.get(code, (0.0, ()))[1], ranked[j], vocab)
        passes = bool(scores[j] >= bar and scores[j] > 0) if facet.multiple else j == best
        out.append(CodeSuggestion(code, facet.id, round(scores[j], 4), evidence, passes))
    return out


def _model_evidence(model: FacetModel, known: IntArray, ids: IntArray, counts: FloatArray,
                    vocab: Vocabulary) -> list[list[int]]:
    """Per code, the segment's words the learned counts single out for it
    (:func:`annotator.nlp.evidence.cited`: log-odds against the facet's other codes)."""
    _zh, worthy = vocab.flags()
    if len(worthy) > int(known.max(initial=0)):
        known = known[worthy[known]]
    sorter = np.argsort(ids, kind="stable")
    seg_counts = counts[sorter[np.searchsorted(ids, known, sorter=sorter)]]
    examples = float(model.examples + model.prior_examples)
    mass = model.all_terms / examples if examples > 0 else EVIDENCE_TERMS
    code_counts, totals = model.with_prior(known)
    return cited(known, seg_counts, code_counts, model.code_terms, totals,
                 model.all_terms, model.vocab_size, mass,
                 getattr(model, "common", None))  # None in a model kept before it existed


def rank_codes(
    codebook: Codebook,
    matches: Sequence[Match],
    ids: IntArray,
    counts: FloatArray,
    vocab: Vocabulary,
    models: dict[str, FacetModel] | None = None,
    *,
    given: frozenset[str] = frozenset(),
    rho: float | None = None,
    calibration: Calibration | None = None,
    relation_weight: float = DEFAULT_RELATION_WEIGHT,
    cite: bool = True,
) -> tuple[CodeSuggestion, ...]:
    """All facets' suggestions for one text, passing codes first, then by score.

    With ``rho`` (the strength of the codebook's ``implies`` relations), scores are related
    across facets and updated by the codes the coder has ``given`` the segment
    (:mod:`annotator.nlp.relations`, pooled with ``relation_weight``); with ``calibration`` the scores are then calibrated
    (:mod:`annotator.nlp.calibration`). ``cite=False``: the learned model's evidence words are
    not looked for (the scores are the same; the calibration needs no more)."""
    strengths = code_strengths(matches)
    out: list[CodeSuggestion] = []
    for facet in codebook.facets:
        model = models.get(facet.id) if models else None
        out.extend(_facet_codes(facet, strengths, model, ids, counts, vocab, cite))
    if rho is not None or calibration is not None:
        out = _adjusted(codebook, out, given, rho, calibration, relation_weight)
    out.sort(key=lambda c: (not c.passes, -c.score))
    return tuple(out)


def _count_corpus(
    term_chunks: Iterable[Sequence[TermsRow]], coded: Examples
) -> tuple[CorpusCounter, list[list[TermsRow]]]:
    """Document frequencies of every segment's terms, and the terms rows of the segments of
    the ``coded`` examples (kept until the vocabulary is known)."""
    counter = CorpusCounter()
    kept: list[list[TermsRow]] = []
    for rows in term_chunks:
        counter.add([r[1] for r in rows], [r[2] for r in rows])
        if len(coded.segments):
            ids = np.array([r[0] for r in rows], dtype=np.str_)
            at = np.minimum(np.searchsorted(coded.segments, ids), len(coded.segments) - 1)
            hit = np.flatnonzero(coded.segments[at] == ids).tolist()
            if hit:
                kept.append([rows[i] for i in hit])
    return counter, kept


def _rechunked(chunks: Iterable[Sequence[TermsRow]], size: int) -> Iterable[list[TermsRow]]:
    """The rows of ``chunks`` again, ``size`` at a time."""
    held: list[TermsRow] = []
    for rows in chunks:
        held.extend(rows)
        while len(held) >= size:
            yield held[:size]
            held = held[size:]
    if held:
        yield held


def _positions(names: npt.NDArray[np.str_], wanted: Sequence[str]) -> IntArray:
    """Where each of ``wanted`` is in the sorted ``names`` (-1: not there)."""
    if not len(names) or not wanted:
        return np.full(len(wanted), -1, dtype=np.int64)
    ids = np.array(wanted, dtype=np.str_)
    at = np.minimum(np.searchsorted(names, ids), len(names) - 1)
    return np.where(names[at] == ids, at, -1).astype(np.int64)


def _add_held(sums: Sequence[_FacetSums], held: list[tuple[IntArray, IntArray, IntArray]]) -> None:
    """Add the term occurrences ``held`` to every facet; empties it. Each entry is one read's:
    (the example segment of each row read, the row of each occurrence, its term id), the rows
    of an occurrence in a few ascending runs (:meth:`Vocabulary.occurrences`)."""
    if not held:
        return
    starts_at = np.cumsum([0] + [len(h[0]) for h in held[:-1]])
    row_segment = np.concatenate([h[0] for h in held])
    rows = np.concatenate([(h[1] + first).astype(np.int32) for h, first in zip(held, starts_at.tolist(), strict=True)])
    ids = np.concatenate([h[2] for h in held])
    held.clear()
    order = np.argsort(rows, kind="stable")  # a merge of the few ascending runs
    rows, ids = rows[order], ids[order]
    del order
    terms = np.flatnonzero(np.bincount(ids))  # the distinct terms, without sorting
    index = np.zeros(int(terms[-1]) + 1 if len(terms) else 0, dtype=np.int64)
    index[terms] = np.arange(len(terms), dtype=np.int64)
    where = index[ids]
    new = np.ones(len(rows), dtype=bool)
    np.not_equal(rows[1:], rows[:-1], out=new[1:])
    runs = np.flatnonzero(new)
    lengths = np.diff(np.append(runs, len(rows)))
    segments = row_segment[rows[runs]]
    for part in sums:
        part.add(segments, Runs(runs, lengths), terms, where)


class _FacetSums:
    """What one facet's model learns from the examples read at a build, per kind of coded
    segment (:meth:`Examples.segment_kinds`): how many of the segment's examples the facet
    takes, and how many hold each of its codes."""

    def __init__(self, model: FacetModel, examples: Examples,
                 kinds: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]) -> None:
        k = len(model.codes)
        self.per_set = np.zeros((len(examples.sets), 1 + k), dtype=np.float64)
        for i, codes in enumerate(examples.sets):
            if model.takes(codes):
                self.per_set[i, 0] = 1.0
                self.per_set[i, [1 + j for j in model.labels(codes)]] = 1.0
        self.per_kind = np.asfortranarray(Examples.per_kind(kinds[0], self.per_set))
        self.kind_of = kinds[1]
        self.model = model

    def add(self, segments: IntArray, runs: Runs, terms: IntArray, where: IntArray) -> None:
        """Term occurrences of some coded segments: one of term ``terms[where[i]]`` at each
        ``i`` of run ``r`` (:class:`Runs`), which holds segment ``segments[r]``'s."""
        self.model.add_runs(terms, where, runs, self.per_kind[self.kind_of[segments]])

    def finish(self, examples: Examples) -> None:
        """The examples' number, per code and in all (those of segments without terms left out)."""
        n = examples.set_counts().astype(np.float64)
        self.model.add_examples(n @ self.per_set[:, 1:], int(n @ self.per_set[:, 0]))


@dataclass(frozen=True)
class Corpus:
    """What every engine of one corpus starts from (:meth:`Suggester.build` makes it from the
    corpus counts): the vocabulary, the document frequencies, the codebook prior's terms and what
    the counts covered. Two engines may share one (neither changes it)."""

    vocab: Vocabulary
    dfs: DocumentFrequencies
    prior: dict[str, tuple[IntArray, FloatArray]]
    n_docs: int
    terms: int
    #: the codebook's coded examples (:func:`_coded_terms`)
    coded: tuple[CodedTerms, ...] = ()
    #: the document frequencies' weights per (vocabulary size, df length), made by the first
    #: engine that needs them and held once by every engine of this corpus
    weights: dict[tuple[int, int], CorpusWeights] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, codebook: Codebook, counts: CorpusCounter, *, learned: bool = True,
           ready: Callable[[], None] | None = None) -> Corpus:
        """From ``counts`` (which it empties). ``ready`` is called before the codebook's text is
        first needed (e.g. to wait for it to be tokenised elsewhere)."""
        n_docs, terms = counts.n_docs, counts.terms
        vocab, dfs = counts.finish()
        if ready is not None:
            ready()
        prior = _prior_terms(codebook, vocab) if learned else {}  # may grow the vocabulary
        coded = _coded_terms(codebook, vocab) if learned else ()
        vocab.flags()  # the keyword masks, built here rather than on the first suggestion
        vocab.piece_flags()
        return cls(vocab, dfs, prior, n_docs, terms, coded)


def _prior_terms(codebook: Codebook, vocab: Vocabulary) -> dict[str, tuple[IntArray, FloatArray]]:
    """Per code: the encoded keyword-worthy terms of the codebook's text about it."""
    prior: dict[str, tuple[IntArray, FloatArray]] = {}
    for code, (zh_terms, en_terms) in code_description_terms(codebook).items():
        worthy = [t for t in zh_terms if keyword_worthy(t, "zh")], [
            t for t in en_terms if keyword_worthy(t, "en")]
        prior[code] = vocab.encode(*worthy)
    return prior


@dataclass(frozen=True)
class CodedTerms:
    """One of the codebook's coded examples as the engine learns it: its term ids and counts,
    its codes, and the text and terms its keywords are matched in (:meth:`Suggester._learn_coded`)."""

    ids: IntArray
    counts: FloatArray
    codes: frozenset[str]
    zh: str
    zh_terms: tuple[str, ...]
    en_terms: tuple[str, ...]
    matches: tuple[Match, ...] | None = None


def _coded_terms(codebook: Codebook, vocab: Vocabulary) -> tuple[CodedTerms, ...]:
    """The codebook's coded examples, encoded (their words join the vocabulary)."""
    return tuple(CodedTerms(*vocab.encode(zh, en), example.codes, example.text.zh, zh, en)
                 for example, zh, en in coded_example_terms(codebook))


# ------------------------------------ relations and calibration (nlp.relations, nlp.calibration)
def _adjusted(codebook: Codebook, found: list[CodeSuggestion], given: frozenset[str],
              rho: float | None, calibration: Calibration | None,
              weight: float = DEFAULT_RELATION_WEIGHT) -> list[CodeSuggestion]:
    """Scores after the codebook's ``implies`` relations and the calibration; passes
    recomputed per facet."""
    related = _related(codebook, found, given, rho, weight)
    inherited = _inherited(codebook, found)
    out: list[CodeSuggestion] = []
    for facet in codebook.facets:
        mine = [c for c in found if c.facet == facet.id]
        if not mine:
            continue
        new = related[facet.id]
        p = np.array([new[c.code] for c in mine], dtype=np.float64)
        if calibration is not None:
            p = calibration.apply(facet.id, facet.multiple, p)
        best = int(np.argmax(p))
        bar = min(THRESHOLD, max(RELATIVE * float(p.sum()) / len(facet.codes), 1.0 / len(facet.codes)))
        for j, c in enumerate(mine):
            passes = bool(p[j] >= bar and p[j] > 0) if facet.multiple else j == best
            out.append(replace(c, score=round(float(p[j]), 4), passes=passes,
                               evidence=_with_inherited(c.evidence, inherited.get((c.facet, c.code)))))
    return out


def _related(codebook: Codebook, found: list[CodeSuggestion], given: frozenset[str],
             rho: float | None, weight: float) -> dict[str, dict[str, float]]:
    """Per facet, the scores of ``found`` by code after the codebook's relations (with
    ``rho``; as they are without)."""
    scores: dict[str, dict[str, float]] = {}
    for c in found:
        scores.setdefault(c.facet, {})[c.code] = c.score
    return relate_scores(codebook, scores, given, rho, weight) if rho is not None else scores


def _related_scores(codebook: Codebook, found: list[CodeSuggestion], rho: float | None,
                    weight: float) -> dict[str, dict[str, float]]:
    """Per facet with codes in ``found``, their scores as :func:`_adjusted` gives them without
    a calibration and codes given (rounded alike, in the same order), without making the
    suggestions again: what the calibration is fitted on."""
    related = _related(codebook, found, frozenset(), rho, weight)
    out: dict[str, dict[str, float]] = {}
    for facet in codebook.facets:
        mine = [c.code for c in found if c.facet == facet.id]
        if mine:
            new = related[facet.id]
            out[facet.id] = {code: round(float(new[code]), 4) for code in mine}
    return out


def _inherited(codebook: Codebook, found: list[CodeSuggestion]) -> dict[tuple[str, str], list[str]]:
    """(facet, code) -> the evidence words of the proposed codes that imply it (a burden type's
    words are evidence for its dimension)."""
    out: dict[tuple[str, str], list[str]] = {}
    for c in found:
        if c.passes and c.evidence:
            for facet, target in implied_by(codebook, c.code).items():
                out.setdefault((facet, target), []).extend(c.evidence)
    return out


def _with_inherited(evidence: tuple[str, ...], more: list[str] | None) -> tuple[str, ...]:
    if not more:
        return evidence
    return tuple(dict.fromkeys([*evidence, *more]))[:MAX_EVIDENCE]


class Suggester:
    """Suggestions for the segments of one project, for one coder (or all coders).

    Only the corpus statistics (vocabulary, document frequencies) and the learned counts are
    kept in memory, plus the examples; a segment's text, tokens and terms
    are read from the project when it is first asked about and kept for the last
    :data:`CACHED_SEGMENTS` segments.
    """

    def __init__(
        self,
        codebook: Codebook,
        lexicon: Lexicon,
        vocab: Vocabulary,
        dfs: DocumentFrequencies,
        source: SegmentSource | None = None,
        *,
        learner: str = "",
        learned: bool = True,
    ) -> None:
        self.codebook = codebook
        self.lexicon = lexicon
        self.vocab = vocab
        self.dfs = dfs
        self._source = source
        self._cache: OrderedDict[str, _Segment] = OrderedDict()
        #: term ids and counts of the segments learned after the build, as they were learned
        #: (those learned at the build are read again: their terms cannot change under the
        #: engine, a change of any segment's terms means building again)
        self._encoded: dict[str, npt.NDArray[np.int32]] = {}
        self.learner = learner
        self.learned = learned
        self._lock = threading.Lock()
        self._examples = Examples()
        self.models: dict[str, FacetModel] = {
            f.id: FacetModel([c.id for c in f.codes], multiple=f.multiple, n_features=len(vocab))
            for f in codebook.facets
        }
        self._known_codes = frozenset(c.id for c in codebook.codes)
        self.relations = RelationCounts.of(codebook)
        #: (n, m): learned from the latest n of the learner's m examples only (None: all of them)
        self.learned_from: tuple[int, int] | None = None
        #: whether the codebook's ``implies`` relations inform the scores (off only to measure them)
        self.use_relations = True
        self.calibration: Calibration | None = None
        #: the codebook's coded examples, learned as coded segments
        self._coded: list[CodedTerms] = []
        #: how much the codes implying a single-choice facet weigh beside its own model (fitted
        #: with the calibration; see :mod:`annotator.nlp.relations`)
        self.relation_weight = DEFAULT_RELATION_WEIGHT

    # ----------------------------------------------------------------- keeping
    def __getstate__(self) -> dict[str, object]:
        """What is kept of a built suggester: everything but its segment source, its lock and
        the segments read lately (see :meth:`attach`)."""
        state = dict(self.__dict__)
        state.update(_source=None, _lock=None, _cache=None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._cache = OrderedDict()

    def attach(self, source: SegmentSource) -> None:
        """Read segments from ``source`` (a suggester kept and loaded again has none)."""
        self._source = source

    # ----------------------------------------------------------------- loading
    @classmethod
    def build(
        cls,
        codebook: Codebook,
        term_chunks: Iterable[Sequence[TermsRow]],
        annotations: Iterable[tuple[str, str, str]] = (),
        source: SegmentSource | None = None,
        *,
        learner: str = "",
        learned: bool = True,
        calibrate: bool = True,
        counts: CorpusCounter | None = None,
        grouped: Iterable[tuple[str, str, str]] | None = None,
        corpus: Corpus | None = None,
        by_coder: tuple[Sequence[str], Iterable[CoderAnnotations]] | None = None,
        lookup_tables: bool = True,
    ) -> Suggester:
        """Count the corpus and learn from the annotations.

        ``term_chunks``: every stored segment's terms, in chunks (one pass); ``annotations``:
        the (coder, segment, code) rows to learn from (each coder's coding of a segment is one
        example); ``source``: where the segments are read later, one at a time. ``learned=False``
        gives the codebook-keywords-only suggester. ``calibrate``: fit the calibration of the
        scores on the coded segments (:meth:`calibrate`; they are read again from ``source``, so
        without a source the scores stay uncalibrated). One pass over the stored terms (about a
        second for 100,000 segments) plus, once per process, jieba and spaCy to tokenise the
        codebook's text; meant for a worker thread. ``counts``: the corpus counted before (kept
        in the project); then ``term_chunks`` need only hold the terms of the segments coded.
        ``grouped``: instead of ``annotations``, one row per example: (coder, segment, its codes
        joined by :data:`annotator.nlp.examples.SEP`), in the order ``annotations`` would first
        give them (fewer rows to read). ``by_coder``: instead of ``annotations``, (the codes, the
        annotations a coder at a time numbering them: :data:`annotator.nlp.examples.CoderAnnotations`;
        no Python object per annotation).
        ``corpus``: instead of ``counts``, the corpus made of them already (:class:`Corpus`,
        perhaps another engine's). ``lookup_tables=False``: the coded segments' terms are looked
        up in the vocabulary's dictionaries however many there are (no
        :meth:`~annotator.nlp.keywords.Vocabulary.bulk_lookups` tables: for an engine built
        beside another in one process, whose memory the tables would come on top of).
        """
        lexicon = Lexicon.build(codebook)
        known = frozenset(c.id for c in codebook.codes)
        if not learned:
            examples = Examples()
        elif by_coder is not None:
            examples = Examples.collect_annotations(by_coder[1], by_coder[0], known)
        elif grouped is not None:
            examples = Examples.collect_grouped(grouped, known)
        else:
            examples = Examples.collect(annotations, known)
        if corpus is None:
            if counts is None:
                counts, kept = _count_corpus(term_chunks, examples)
                term_chunks = kept
            corpus = Corpus.of(codebook, counts, learned=learned)
        suggester = cls(codebook, lexicon, corpus.vocab, corpus.dfs, source, learner=learner,
                        learned=learned)
        if learned:
            suggester._set_prior(corpus.prior, corpus.n_docs, corpus.terms, corpus.weights)
            suggester._learn_coded(corpus.coded)
            per_segment = corpus.terms / corpus.n_docs if lookup_tables and corpus.n_docs else 0.0
            suggester._learn_all(examples, term_chunks, per_segment)
        if learned and calibrate and source is not None:
            suggester.calibrate()
        return suggester

    def _set_prior(self, prior: dict[str, tuple[IntArray, FloatArray]], n: int, terms: int,
                   shared: dict[tuple[int, int], CorpusWeights]) -> None:
        """Start every facet's model from the codebook's own text about each code (``n``
        segments counted, holding ``terms`` term occurrences); the document frequencies'
        weights are made once and ``shared`` (by every facet, and every engine of the corpus)."""
        mass = terms / n if n and terms else EVIDENCE_TERMS
        df, n_docs = self.dfs.df, self.dfs.n_docs
        for model in self.models.values():
            model.set_prior(prior, mass)
            key = (model.vocab_size, len(df))
            if key not in shared:
                shared[key] = CorpusWeights.of(df, n_docs, model.vocab_size)
            model.set_document_frequencies(df, n_docs, self.vocab.piece_flags(), shared[key])

    def _learn_coded(self, coded: Sequence[CodedTerms]) -> None:
        """Learn the codebook's coded examples as coded segments (they are not the learner's,
        so :attr:`examples` leaves them out; :meth:`calibrate` scores them with the learner's)."""
        self._coded = [replace(example, codes=example.codes & self._known_codes, matches=tuple(
            self.lexicon.match(example.zh, example.zh_terms, example.en_terms))) for example in coded]
        for example in self._coded:  # copies: engines sharing a corpus share its examples
            self._count_coded(example, +1.0)

    def _count_coded(self, example: CodedTerms, sign: float) -> None:
        for model in self.models.values():
            model.update(example.ids, example.counts, example.codes, sign)
        self.relations.add(example.codes, sign)

    @property
    def coded_examples(self) -> int:
        """How many of the codebook's coded examples the engine learned from."""
        return len(self._coded)

    def calibrate(self, limit: int = CALIBRATION_EXAMPLES) -> None:
        """Fit the relation weight and the calibration on the codebook's coded examples and the
        learner's coded segments (the last ``limit`` of them), each scored once leave-one-out;
        see :mod:`annotator.nlp.relations` and :mod:`annotator.nlp.calibration`."""
        self.calibration = None
        scored: list[tuple[list[CodeSuggestion], frozenset[str], float | None]] = []
        for example in self._coded:
            with self._lock:
                self._count_coded(example, -1.0)
                try:
                    ranked = rank_codes(self.codebook, example.matches or (), example.ids,
                                        example.counts, self.vocab, self.models, cite=False)
                    scored.append((list(ranked), example.codes, self._rho))
                finally:
                    self._count_coded(example, +1.0)
        for who, seg in self._examples.last(limit):
            codes = self._examples[(who, seg)]
            self.learn_as(who, seg, frozenset())
            try:
                scored.append((self._unrelated_codes(seg), codes, self._rho))
            finally:
                self.learn_as(who, seg, codes)
        self.relation_weight = fit_relation_weight(self.codebook, [
            ({f.id: {c.code: c.score for c in found if c.facet == f.id} for f in self.codebook.facets},
             codes, rho) for found, codes, rho in scored if rho is not None])
        observations = []
        for found, codes, rho in scored:
            related = _related_scores(self.codebook, found, rho, self.relation_weight)
            for facet in self.codebook.facets:
                scores = related.get(facet.id, {})
                if scores and (facet.multiple or codes & set(scores)):
                    observations.append((facet.id, facet.multiple, scores, codes))
        self.calibration = fit_calibration(observations)

    def _unrelated_codes(self, segment_id: str) -> list[CodeSuggestion]:
        """A stored segment's codes before relations and calibration (empty if it is unknown)."""
        with self._lock:
            seg = self._segment(segment_id)
            if seg is None:
                return []
            return list(rank_codes(self.codebook, self._matches(seg), seg.ids, seg.counts,
                                   self.vocab, self.models if self.learned else None, cite=False))

    def learn_as(self, who: str, segment_id: str, codes: frozenset[str]) -> None:
        """``learn`` for the example of coder ``who`` (lead mode learns from every coder)."""
        with self._lock:
            if self.learned:
                self._set_example(who, segment_id, frozenset(codes))

    def close(self) -> None:
        """Close the segment source (the suggester can no longer read segments)."""
        if self._source is not None:
            self._source.close()

    # ---------------------------------------------------------------- learning
    def _learn_all(self, examples: Examples, term_chunks: Iterable[Sequence[TermsRow]],
                   terms_per_segment: float = 0.0) -> None:
        """Learn every example at once: the coded segments' terms are encoded a chunk at a time
        and added to each facet's counts, weighed by how many examples of the segment hold
        each code (the same sums as adding the examples one by one). ``terms_per_segment``: how
        many to expect, for :meth:`~annotator.nlp.keywords.Vocabulary.bulk_lookups` (0: none)."""
        seen = np.zeros(len(examples.segments), dtype=bool)
        kinds = examples.segment_kinds()
        sums = [_FacetSums(m, examples, kinds) for m in self.models.values()]
        held: list[tuple[IntArray, IntArray, IntArray]] = []
        with self.vocab.bulk_lookups(int(len(examples.segments) * terms_per_segment)):
            for rows in _rechunked(term_chunks, BULK_CHUNK):
                where = _positions(examples.segments, [r[0] for r in rows])
                found = [i for i, at in enumerate(where.tolist()) if at >= 0]
                if not found:
                    continue
                seen[where[found]] = True
                at, ids = self.vocab.occurrences([rows[i][1] for i in found], [rows[i][2] for i in found])
                held.append((where[found], at, ids))
                if sum(len(h[2]) for h in held) >= SUMMED_OCCURRENCES:
                    _add_held(sums, held)
        _add_held(sums, held)
        examples.keep_only(seen)
        for part in sums:
            part.finish(examples)
        for codes, n in zip(examples.sets, examples.set_counts().tolist(), strict=True):
            if n:
                self.relations.add(codes, float(n))
        self._examples = examples

    def _segment(self, segment_id: str) -> _Segment | None:
        """A stored segment, read on first use and kept while recently used (lock held)."""
        seg = self._cache.get(segment_id)
        if seg is not None:
            self._cache.move_to_end(segment_id)
            return seg
        row = self._source.row(segment_id) if self._source is not None else None
        if row is None:
            return None
        zh, zh_tokens, zh_terms, en_tokens, en_terms = row
        ids, counts = self.vocab.encode(_split(zh_terms), _split(en_terms), add=False)
        seg = _Segment(ids, counts, (zh or "", zh_tokens or "", en_tokens or ""))
        self._cache[segment_id] = seg
        while len(self._cache) > CACHED_SEGMENTS:
            self._cache.popitem(last=False)
        return seg

    def _matches(self, seg: _Segment) -> tuple[Match, ...]:
        """The codebook keywords in a stored segment (matched on first use, then kept)."""
        if seg.matches is None:
            zh, zh_tokens, en_tokens = seg.text or ("", "", "")
            seg.matches = tuple(self.lexicon.match(zh, _split(zh_tokens), _split(en_tokens)))
            seg.text = None
        return seg.matches

    def _terms_of(self, segment_id: str) -> tuple[IntArray, FloatArray] | None:
        """The term ids and counts the model learns from (an example's as it was learned)."""
        packed = self._encoded.get(segment_id)
        if packed is not None:
            return _unpack(packed)
        seg = self._segment(segment_id)
        return None if seg is None else (seg.ids, seg.counts)

    def _set_example(self, who: str, segment_id: str, codes: frozenset[str]) -> None:
        terms = self._terms_of(segment_id)
        if terms is None:
            return
        ids, counts = terms
        codes = codes & self._known_codes
        key = (who, segment_id)
        old = self._examples.pop(key, frozenset())
        if old == codes and old:
            self._examples[key] = old
            return
        for model in self.models.values():
            if old:
                model.update(ids, counts, old, -1.0)
            if codes:
                model.update(ids, counts, codes, +1.0)
        self.relations.add(old, -1.0)
        self.relations.add(codes, +1.0)
        if codes:
            self._examples[key] = codes
            if segment_id not in self._encoded:
                self._encoded[segment_id] = _pack(ids, counts)

    def learn(self, segment_id: str, codes: frozenset[str]) -> None:
        """The coder's codes on ``segment_id`` are now ``codes`` (empty: no longer an example)."""
        with self._lock:
            if not self._known(segment_id) and self._segment(segment_id) is None:
                raise UsageError(f"no segment with id {segment_id!r}")
            if self.learned:
                self._set_example(self.learner, segment_id, frozenset(codes))

    def _known(self, segment_id: str) -> bool:
        return segment_id in self._cache or segment_id in self._encoded

    @property
    def _rho(self) -> float | None:
        """The strength of the codebook's relations (None: not used, keywords only)."""
        return self.relations.rho if self.learned and self.use_relations else None

    @property
    def examples(self) -> int:
        return len(self._examples)

    @property
    def segment_ids(self) -> list[str]:
        return self._source.ids() if self._source is not None else []

    # -------------------------------------------------------------- suggesting
    def matches(self, segment_id: str) -> tuple[Match, ...]:
        """The codebook keywords found in a stored segment: the evidence the codes cite, and
        what the coding screen highlights (:meth:`Lexicon.locate`)."""
        with self._lock:
            seg = self._segment(segment_id)
            if seg is None:
                raise UsageError(f"no segment with id {segment_id!r} (see 'annotator segments')")
            return self._matches(seg)

    def suggest(self, segment_id: str, *, top: int = 5,
                given: frozenset[str] | None = None) -> Suggestions:
        """Keywords (``top`` per language) and the ``top`` best codes of a stored segment.

        ``given``: the codes the coder has applied to the segment so far (default: what the
        suggester last learned for it); they update the related facets' ranking."""
        with self._lock:
            seg = self._segment(segment_id)
            if seg is None:
                raise UsageError(f"no segment with id {segment_id!r} (see 'annotator segments')")
            if given is None:
                given = self._examples.get((self.learner, segment_id), frozenset())
            keywords = tfidf_keywords(seg.ids, seg.counts, self.vocab, self.dfs, top=top)
            codes = rank_codes(self.codebook, self._matches(seg), seg.ids, seg.counts, self.vocab,
                               self.models if self.learned else None, given=given, rho=self._rho,
                               calibration=self.calibration, relation_weight=self.relation_weight)
        return Suggestions(segment_id, keywords, codes[: max(top, 0)],
                           getattr(self, "learned_from", None))  # None in an engine kept before it

    def suggest_tokens(
        self,
        zh: str,
        zh_tokens: Sequence[str],
        zh_terms: Sequence[str],
        en_tokens: Sequence[str],
        en_terms: Sequence[str],
        *,
        segment: str = "",
        top: int = 5,
    ) -> Suggestions:
        """Suggestions for a text that is not in the project, already tokenised."""
        ids, counts = self.vocab.encode(zh_terms, en_terms, add=False)
        matches = self.lexicon.match(zh, zh_tokens, en_tokens)
        keywords = tfidf_keywords(ids, counts, self.vocab, self.dfs, top=top)
        with self._lock:
            codes = rank_codes(self.codebook, matches, ids, counts, self.vocab,
                               self.models if self.learned else None, rho=self._rho,
                               calibration=self.calibration, relation_weight=self.relation_weight)
        return Suggestions(segment, keywords, codes[: max(top, 0)])


def suggest_text(
    zh: str,
    en: str,
    codebook: Codebook | None = None,
    model: Suggester | None = None,
    *,
    top: int = 5,
) -> Suggestions:
    """Suggestions for any text, outside a project (jieba and spaCy tokenise it).

    With ``model`` (a :class:`Suggester`) its codebook, corpus statistics and learned model are
    used; otherwise only ``codebook``'s keywords, and keywords are ranked by term frequency.
    """
    from annotator.nlp.tokenize import add_terms, tokenize

    if model is None:
        if codebook is None:
            raise UsageError("suggest_text needs a codebook or a suggester")
        lexicon = Lexicon.build(codebook)
        model = Suggester(codebook, lexicon, Vocabulary(), DocumentFrequencies(), learned=False)
        vocab_add = True
    else:
        vocab_add = False
    add_terms(model.lexicon.zh_terms)
    zh_tok = tokenize([zh], "zh")[0] if zh.strip() else None
    en_tok = tokenize([en], "en")[0] if en.strip() else None
    zh_tokens: Iterable[str] = zh_tok.tokens if zh_tok else ()
    en_tokens: Sequence[str] = [t.replace(" ", "") for t in en_tok.tokens] if en_tok else []
    zh_terms = list(zh_tok.terms) if zh_tok else []
    en_terms = list(en_tok.terms) if en_tok else []
    if vocab_add:  # a fresh vocabulary: every term is new, so keywords rank by frequency
        model.vocab.encode(zh_terms, en_terms)
    return model.suggest_tokens(zh, list(zh_tokens), zh_terms, en_tokens, en_terms, top=top)
