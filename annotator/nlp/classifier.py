"""A multinomial naive Bayes model per facet, kept as counts so that it learns incrementally.

* Single-choice facets: one model over the facet's codes (softmax of the class scores).
* Multi-choice facets: one-vs-rest, each code against the other examples of the facet.

Training examples are (coder, segment) pairs with at least one code; features are the
segment's stored content terms of both languages. Adding or removing one example changes a
few rows of the count matrices, so "retraining" after a tag is a handful of numpy updates.

The model is Bayesian about how little a coder's first examples say. Each code's word
distribution has a Dirichlet prior whose mean comes from the codebook and whose weight is
``PRIOR_WEIGHT`` average segments; the examples refine it (Zhai and Lafferty 2001, "A Study
of Smoothing Methods for Language Models Applied to Ad Hoc Information Retrieval", SIGIR:
Dirichlet prior smoothing)::

    P(w | c) = (n_cw + mu * q_c(w)) / (n_c + mu),   mu = PRIOR_WEIGHT * mean segment length
    q_c(w)   = (1 - BACKGROUND) * d_c(w) + BACKGROUND * b(w)

``n_cw``/``n_c``: the word's / all words' counts in the code's examples; ``d_c``: the word's
share of the codebook's text about the code (label, definition, when-to-use note, keywords,
both languages; words found in the text of every code of the facet are left out, they cannot
tell the codes apart); ``b``: the background, the word's share of the project's corpus
(document frequencies of all its segments, add-``ALPHA`` smoothed over the vocabulary: the
collection model of Zhai and Lafferty). The codebook says which words are topical; a real
segment also has everyday words, which the background gives every code alike, so a code with
examples does not win on everyday words only because the codebook's prose lacks them: a word
found in a third of the corpus is expected about once in every three segments of the prior, so
one example holding it says little, while a rare word's one occurrence says more. (Counted
from the examples and the prior instead, as before, an everyday word's background shrank as
the prior grew, and one occurrence in one of eleven examples moved the ranking as much as a
codebook keyword.) A code without text in the codebook has ``q_c = b``. With eleven coded
segments the codebook weighs far more than the examples; with hundreds the examples decide.

* One-vs-rest: ``P(w | not c)`` the same way from the other codes' examples, its prior mean
  the other codes' texts averaged, smoothed by the same background.
* How often codes are applied: a symmetric Dirichlet prior of ``CLASS_PRIOR`` pseudo-examples
  per code, ``(n_c + A) / (N + K A)`` (one-vs-rest odds: ``(n_c + A) / (N - n_c + (K - 1) A)``),
  so the code frequencies of a handful of coded segments do not decide the ranking.
* Words frequent across the corpus say little about any code: each occurrence's evidence is
  weighed by its smoothed inverse document frequency (Sparck Jones 1972), ``log((1 + N) /
  (1 + df)) + 1`` over ``log(1 + N) + 1`` (:meth:`FacetModel.set_document_frequencies`),
  as in Rennie et al. 2003 ("Tackling the Poor Assumptions of Naive Bayes Text Classifiers",
  ICML), which weighs naive Bayes' words by it for the same reason.
* Naive Bayes treats words as independent, which makes long segments overconfident; the
  summed word evidence is scaled by min(1, EVIDENCE_TERMS / known terms), i.e. a segment
  never counts for more than EVIDENCE_TERMS independent words.

The constants were chosen on the development set (``benchmarks/data/dev_agil.jsonl`` and
``dev2_agil.jsonl``, written for tuning), never on a held-out set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from annotator.nlp.evidence import common_terms

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: The examples' term counts: whole numbers, kept exactly in half the memory of float64 (at a
#: million segments a facet's counts are vocabulary x codes: 34 MB instead of 68 MB per engine).
COUNT = np.int32

#: Add-ALPHA smoothing of the background distribution over the vocabulary.
ALPHA = 1.0
EVIDENCE_TERMS = 20.0
#: The codebook's text about a code is kept as this many average coded segments' worth of
#: pseudo-counts: what the suggestions' blend counts it as (``prior_examples``) and what the
#: evidence of :mod:`annotator.nlp.evidence` weighs the examples against.
PRIOR_EXAMPLES = 20.0
#: The weight of the codebook's text in ``P(w | c)``, in average segments (the Dirichlet
#: prior's ``mu``): with eleven coded segments the examples move the words' probabilities a
#: little; a coder's hundreds of segments per code still outweigh it. Chosen on the development
#: set (dimension top-1 0.56 -> 0.60, calibration error 0.069 -> 0.034 learning from the demo's
#: eleven segments; see benchmarks/results/accuracy.md).
PRIOR_WEIGHT = 80.0
#: Pseudo-examples per code of the symmetric prior on how often each code is applied.
CLASS_PRIOR = 5.0
#: Share of the background (the corpus's words) in the prior's mean word distribution of a code.
BACKGROUND = 0.5


@dataclass(frozen=True)
class CorpusWeights:
    """What a model takes from the corpus's document frequencies (see
    :meth:`FacetModel.set_document_frequencies`): vocabulary-sized arrays that every facet's
    model of an engine, and engines sharing a corpus, can hold once."""

    term_weights: FloatArray | None
    corpus_share: FloatArray | None
    unseen_share: float
    common: npt.NDArray[np.bool_] | None

    @classmethod
    def of(cls, df: FloatArray, n_docs: int, vocab_size: int) -> CorpusWeights:
        common = common_terms(df, n_docs)
        if n_docs <= 0:
            return cls(None, None, 0.0, common)
        freq = np.asarray(df, dtype=np.float64)[:vocab_size]
        denominator = float(freq.sum()) + ALPHA * float(max(vocab_size, len(freq)))
        top = np.log(1.0 + n_docs) + 1.0
        weights = (np.log((1.0 + n_docs) / (1.0 + np.asarray(df, dtype=np.float64))) + 1.0) / top
        return cls(weights, (freq + ALPHA) / denominator, ALPHA / denominator, common)


class FacetModel:
    """Counts and predictions for one facet."""

    def __init__(self, codes: Sequence[str], *, multiple: bool, n_features: int = 1024) -> None:
        self.codes = tuple(codes)
        self.multiple = multiple
        self.index = {c: i for i, c in enumerate(self.codes)}
        k = len(self.codes)
        #: the examples' occurrences of each term, per code and in all (the codebook prior apart)
        self.counts = np.zeros((max(n_features, 1), k), dtype=COUNT)  # term x code
        self.totals = np.zeros(max(n_features, 1), dtype=COUNT)  # term counts, all examples
        self.code_terms = np.zeros(k, dtype=np.float64)  # term occurrences per code
        self.all_terms = 0.0
        self.code_examples = np.zeros(k, dtype=np.float64)
        self.examples = 0
        self.vocab_size = max(n_features, 1)
        #: pseudo-examples the codebook prior stands for (PRIOR_EXAMPLES per code that has one)
        self.prior_examples = 0.0
        #: the codebook prior on its own: its term ids (sorted), their pseudo-counts per code,
        #: and the pseudo-counts per code (what :meth:`predict` separates from the examples)
        self.prior_ids = np.zeros(0, dtype=np.int64)
        self.prior_counts = np.zeros((0, k), dtype=np.float64)
        self.prior_terms = np.zeros(k, dtype=np.float64)
        #: the mean number of terms of a segment (the unit the prior's weight is counted in)
        self.mass = EVIDENCE_TERMS
        #: per term id, how much one occurrence counts as evidence (None: each counts fully)
        self.term_weights: FloatArray | None = None
        #: per term id, whether it is a piece of a word rather than a word (None: no pieces)
        self.pieces: npt.NDArray[np.bool_] | None = None
        #: the background b(w) per term id: its share of the corpus's word occurrences (document
        #: frequencies, add-ALPHA smoothed), and the share of a term the corpus lacks (None: the
        #: background is counted from the examples and the prior; see :meth:`background`)
        self.corpus_share: FloatArray | None = None
        self.unseen_share = 0.0
        #: per term id, whether the word is too common in the corpus to be cited as evidence
        #: (:func:`annotator.nlp.evidence.common_terms`; None: not known)
        self.common: npt.NDArray[np.bool_] | None = None

    def set_document_frequencies(self, df: FloatArray, n_docs: int,
                                 pieces: npt.NDArray[np.bool_] | None = None,
                                 shared: CorpusWeights | None = None) -> None:
        """Weigh each word's evidence by its information in the corpus: its smoothed inverse
        document frequency ``log((1 + N) / (1 + df)) + 1`` (as for keywords) over that of a word
        no segment has, ``log(1 + N) + 1``; a word of every segment still counts a little. ``pieces``
        marks the term ids that are parts of words (:func:`annotator.nlp.keywords.word_pieces`):
        they add evidence, but a text with no known whole word gets no prediction. The same
        counts give the background ``b(w)`` (see the module notes): each term's share of the
        corpus's term occurrences, ``(df + ALPHA) / (sum(df) + ALPHA * V)``. ``shared``: the
        same computed already for another model of the same counts and vocabulary size
        (:meth:`CorpusWeights.of`), so that every facet and engine holds one copy."""
        self.pieces = None if pieces is None else np.asarray(pieces, dtype=bool)
        weights = shared if shared is not None else CorpusWeights.of(df, n_docs, self.vocab_size)
        self.common = weights.common
        self.term_weights = weights.term_weights
        self.corpus_share = weights.corpus_share
        self.unseen_share = weights.unseen_share

    def _grow(self, n: int) -> None:
        self.vocab_size = max(self.vocab_size, n)
        if n <= len(self.totals):
            return
        size = max(n, 2 * len(self.totals))
        counts = np.zeros((size, len(self.codes)), dtype=COUNT)
        counts[: len(self.totals)] = self.counts
        totals = np.zeros(size, dtype=COUNT)
        totals[: len(self.totals)] = self.totals
        self.counts, self.totals = counts, totals

    def set_prior(self, terms: dict[str, tuple[IntArray, FloatArray]], mass: float) -> None:
        """Add the codebook prior: per code, its description's term ids and counts.

        Each code's counts are scaled to ``PRIOR_EXAMPLES * mass`` term occurrences (``mass``:
        the mean number of terms of a segment); terms present for every code are dropped.
        Call once, before any example is added.
        """
        given = [(self.index[c], ids, counts) for c, (ids, counts) in terms.items()
                 if c in self.index and len(ids)]
        if not given or mass <= 0 or PRIOR_EXAMPLES <= 0:
            return
        self._grow(max(int(ids.max()) for _, ids, _ in given) + 1)
        # only the described terms' rows: a vocabulary-sized matrix would cost 70 MB and a second
        # at a million segments for a few thousand non-zero rows
        rows = np.unique(np.concatenate([ids for _, ids, _ in given])).astype(np.int64)
        prior = np.zeros((len(rows), len(self.codes)), dtype=np.float64)
        for j, ids, counts in given:
            prior[np.searchsorted(rows, ids), j] += counts
        if len(given) == len(self.codes) > 1:
            prior[(prior > 0).all(axis=1)] = 0.0
        sums = prior.sum(axis=0)
        scale = np.divide(PRIOR_EXAMPLES * mass, sums, out=np.zeros_like(sums), where=sums > 0)
        prior *= scale
        self.code_terms += prior.sum(axis=0)
        self.all_terms += float(prior.sum())
        self.prior_examples = PRIOR_EXAMPLES * float((sums > 0).sum())
        kept = prior.any(axis=1)
        self.prior_ids = rows[kept]
        self.prior_counts = prior[kept]
        self.prior_terms = prior.sum(axis=0)
        self.mass = float(mass)

    def labels(self, codes: frozenset[str]) -> list[int]:
        return sorted(self.index[c] for c in codes if c in self.index)

    def takes(self, codes: frozenset[str]) -> bool:
        """Whether an example with ``codes`` trains this facet.

        A single-choice facet learns from examples that hold one of its codes; a multi-choice
        facet from every example (one without its codes is a negative for all of them).
        """
        return bool(codes) and (self.multiple or bool(self.labels(codes)))

    def update(self, ids: IntArray, counts: FloatArray, codes: frozenset[str], sign: float) -> None:
        """Add (sign=+1) or remove (sign=-1) one example."""
        if not self.takes(codes):
            return
        labels = self.labels(codes)
        if len(ids):
            self._grow(int(ids.max()) + 1)
            whole = _whole(sign * counts)
            self.totals[ids] += whole
            total = float(counts.sum())
            self.all_terms += sign * total
            for j in labels:
                self.counts[ids, j] += whole
                self.code_terms[j] += sign * total
        for j in labels:
            self.code_examples[j] += sign
        self.examples += int(sign)

    def add_runs(self, terms: IntArray, where: IntArray, runs: Runs, weights: FloatArray) -> None:
        """Add examples as their term occurrences, many at once: one occurrence of term
        ``terms[where[i]]`` (``terms``: distinct, ascending) at each ``i`` of run ``r`` (a
        segment's occurrences), of which ``weights[r, 0]`` examples train this facet,
        ``weights[r, 1 + j]`` of them with code j (the same counts as :meth:`update` one example
        at a time; :meth:`add_examples` adds their number). Only the runs a code is on are read
        for it, and only the rows of ``terms`` are touched."""
        if not len(terms):
            return
        self._grow(int(terms[-1]) + 1)
        n = len(terms)
        self.totals[terms] += _whole(runs.summed(where, weights[:, 0], n))
        self.all_terms += float(weights[:, 0] @ runs.lengths)
        block = np.zeros((n, len(self.codes)), dtype=COUNT)
        for j in range(len(self.codes)):
            if weights[:, 1 + j].any():
                block[:, j] = _whole(runs.summed(where, weights[:, 1 + j], n))
                self.code_terms[j] += float(weights[:, 1 + j] @ runs.lengths)
        self.counts[terms] += block

    def add_examples(self, per_code: FloatArray, examples: int) -> None:
        """Count examples added by :meth:`add_occurrences`: ``per_code`` of each code, ``examples``
        in all."""
        self.code_examples += per_code
        self.examples += examples

    def _has_word(self, ids: IntArray) -> bool:
        """Whether ``ids`` hold a whole word (not only pieces of words)."""
        marks = self.pieces
        if marks is None:
            return True
        inside = ids < len(marks)
        return bool((~inside).any() or not marks[ids[inside]].all())

    def with_prior(self, ids: IntArray) -> tuple[FloatArray, FloatArray]:
        """The counts per code [len(ids) x K] and in all [len(ids)] of ``ids``: the examples'
        and the codebook prior's pseudo-counts together."""
        prior = self._prior_rows(ids)
        return self.counts[ids] + prior, self.totals[ids] + prior.sum(axis=1)

    def _prior_rows(self, ids: IntArray) -> FloatArray:
        """The codebook prior's pseudo-counts of ``ids`` per code [len(ids) x K]."""
        out = np.zeros((len(ids), len(self.codes)), dtype=np.float64)
        if len(self.prior_ids):
            at = np.minimum(np.searchsorted(self.prior_ids, ids), len(self.prior_ids) - 1)
            hit = self.prior_ids[at] == ids
            out[hit] = self.prior_counts[at[hit]]
        return out

    def background(self, ids: IntArray) -> FloatArray:
        """b(w) of ``ids``: the word's share of the corpus (add-ALPHA smoothed document
        frequencies); without corpus counts, its share of the examples and the prior."""
        share = getattr(self, "corpus_share", None)  # None in a model kept before it existed
        if share is None:
            totals = self.with_prior(ids)[1]
            return (totals + ALPHA) / (self.all_terms + ALPHA * float(self.vocab_size))
        inside = ids < len(share)
        return np.where(inside, share[np.where(inside, ids, 0)], self.unseen_share)

    def word_probabilities(self, ids: IntArray, prior: FloatArray | None = None
                           ) -> tuple[FloatArray, FloatArray]:
        """P(word | code) and P(word | not code) of ``ids`` [len(ids) x K]: the examples' counts
        under a Dirichlet prior whose mean is the codebook's text smoothed by the background
        (see the module notes). ``prior``: their :meth:`_prior_rows`, when known already."""
        k = len(self.codes)
        prior = self._prior_rows(ids) if prior is None else prior
        examples = self.counts[ids].astype(np.float64)
        example_terms = np.maximum(self.code_terms - self.prior_terms, 0.0)
        background = self.background(ids)
        described = self.prior_terms > 0
        own = np.divide(prior, self.prior_terms, out=np.zeros_like(prior), where=described)
        base = np.where(described, (1.0 - BACKGROUND) * own + BACKGROUND * background[:, None],
                        background[:, None])
        mu = PRIOR_WEIGHT * self.mass
        pos = (examples + mu * base) / (example_terms + mu)
        if not self.multiple:
            return pos, pos
        rest_examples = self.totals[ids][:, None] - examples
        rest_terms = max(self.all_terms - float(self.prior_terms.sum()), 0.0) - example_terms
        others = max(int(described.sum()) - 1, 1)
        rest_own = (own.sum(axis=1, keepdims=True) - own) / others if k > 1 else own
        rest_base = (1.0 - BACKGROUND) * rest_own + BACKGROUND * background[:, None]
        neg = (np.maximum(rest_examples, 0.0) + mu * rest_base) / (np.maximum(rest_terms, 0.0) + mu)
        return pos, neg

    def predict(self, ids: IntArray, counts: FloatArray) -> tuple[FloatArray, FloatArray, IntArray] | None:
        """Probabilities per code, and per known term its evidence for each code.

        Returns (probabilities [K], contributions [n_known x K], known term ids), or None when
        the model has neither examples nor a prior, or the text has no term seen in either.
        """
        if (self.examples <= 0 and self.prior_examples <= 0) or not len(ids):
            return None
        inside = ids < len(self.totals)
        ids, counts = ids[inside], counts[inside]
        prior = self._prior_rows(ids)
        known = self.totals[ids] + prior.sum(axis=1) > 0  # with_prior(ids)[1] > 0
        ids, counts, prior = ids[known], counts[known], prior[known]
        if not len(ids) or not self._has_word(ids):
            return None
        k = len(self.codes)
        n = float(self.examples)
        scale = min(1.0, EVIDENCE_TERMS / float(counts.sum()))
        if self.term_weights is not None:
            w = self.term_weights
            counts = counts * np.where(ids < len(w), w[np.minimum(ids, len(w) - 1)], 1.0)
        pos, neg = self.word_probabilities(ids, prior)
        a = CLASS_PRIOR
        if self.multiple:
            contrib = counts[:, None] * (np.log(pos) - np.log(neg)) * scale
            prior = np.log(self.code_examples + a) - np.log(
                np.maximum(n - self.code_examples, 0.0) + a * max(k - 1, 1))
            logit = prior + contrib.sum(axis=0)
            probs = 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))
        else:
            loglik = counts[:, None] * np.log(pos) * scale
            prior = np.log(self.code_examples + a) - np.log(n + k * a)
            scores = prior + loglik.sum(axis=0)
            scores -= scores.max()
            probs = np.exp(scores)
            probs /= probs.sum()
            contrib = loglik - loglik.mean(axis=1, keepdims=True)
        return probs, contrib, ids


@dataclass(frozen=True)
class Runs:
    """Consecutive runs of an array of occurrences: where each starts, and its length."""

    starts: IntArray
    lengths: IntArray

    def summed(self, values: IntArray, weights: FloatArray, n: int) -> FloatArray:
        """Per value below ``n``: the sum, over the runs of nonzero ``weights``, of the run's
        weight once per occurrence of the value in it (runs of weight 0 are not read)."""
        held = np.flatnonzero(weights)
        if len(held) == len(weights):
            return np.bincount(values, weights=np.repeat(weights, self.lengths), minlength=n).astype(np.float64, copy=False)
        lengths = self.lengths[held]
        inside = np.arange(int(lengths.sum()), dtype=np.int64)
        at = inside + np.repeat(self.starts[held] - (np.cumsum(lengths) - lengths), lengths)
        return np.bincount(values[at], weights=np.repeat(weights[held], lengths), minlength=n).astype(np.float64, copy=False)


def _whole(values: npt.NDArray[np.number]) -> npt.NDArray[np.int32]:
    """Term counts (whole numbers held as floats) as :data:`COUNT`."""
    return np.rint(values).astype(COUNT)
