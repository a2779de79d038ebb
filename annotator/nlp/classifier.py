"""A multinomial naive Bayes model per facet, kept as counts so that it learns incrementally.

* Single-choice facets: one model over the facet's codes (softmax of the class scores).
* Multi-choice facets: one-vs-rest, each code against the other examples of the facet.

Training examples are (coder, segment) pairs with at least one code; features are the
segment's stored content terms of both languages. Adding or removing one example changes a
few rows of the count matrices, so "retraining" after a tag is a handful of numpy updates.

Choices made on principle, not fitted to data:

* Laplace smoothing (alpha = 1) over the project's whole vocabulary (every content term of
  every segment, both languages); terms never seen in training carry no evidence.
* Class priors smoothed the same way: (n_c + 1) / (N + K), and (n_c + 1) / (N - n_c + 1) as
  odds for one-vs-rest.
* The codebook's own words are a prior: each code starts with pseudo-counts from its label,
  definition, when-to-use note and keywords (both languages), scaled to the mass of
  ``PRIOR_EXAMPLES`` (one) average segment, so that the codebook's text weighs as much as one
  coded example of the code and real examples soon outweigh it. Every code gets the same mass,
  so a longer definition does not make its code more likely; words found in the text of every
  code of a facet are left out (they cannot tell the codes apart). The prior changes the term
  counts only: class priors, ``examples`` and what the coder has taught are untouched.
* Naive Bayes treats words as independent, which makes long segments overconfident; the
  summed word evidence is scaled by min(1, EVIDENCE_TERMS / known terms), i.e. a segment
  never counts for more than EVIDENCE_TERMS independent words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

ALPHA = 1.0
EVIDENCE_TERMS = 20.0
#: The codebook's text about a code weighs as much as this many average coded segments.
PRIOR_EXAMPLES = 2.0


class FacetModel:
    """Counts and predictions for one facet."""

    def __init__(self, codes: Sequence[str], *, multiple: bool, n_features: int = 1024) -> None:
        self.codes = tuple(codes)
        self.multiple = multiple
        self.index = {c: i for i, c in enumerate(self.codes)}
        k = len(self.codes)
        self.counts = np.zeros((max(n_features, 1), k), dtype=np.float64)  # term x code
        self.totals = np.zeros(max(n_features, 1), dtype=np.float64)  # term counts, all examples
        self.code_terms = np.zeros(k, dtype=np.float64)  # term occurrences per code
        self.all_terms = 0.0
        self.code_examples = np.zeros(k, dtype=np.float64)
        self.examples = 0
        self.vocab_size = max(n_features, 1)
        #: pseudo-examples the codebook prior stands for (PRIOR_EXAMPLES per code that has one)
        self.prior_examples = 0.0

    def _grow(self, n: int) -> None:
        self.vocab_size = max(self.vocab_size, n)
        if n <= len(self.totals):
            return
        size = max(n, 2 * len(self.totals))
        counts = np.zeros((size, len(self.codes)), dtype=np.float64)
        counts[: len(self.totals)] = self.counts
        totals = np.zeros(size, dtype=np.float64)
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
        size = len(self.totals)
        prior = np.zeros((size, len(self.codes)), dtype=np.float64)
        for j, ids, counts in given:
            prior[ids, j] += counts
        if len(given) == len(self.codes) > 1:
            prior[(prior > 0).all(axis=1)] = 0.0
        sums = prior.sum(axis=0)
        scale = np.divide(PRIOR_EXAMPLES * mass, sums, out=np.zeros_like(sums), where=sums > 0)
        prior *= scale
        self.counts += prior
        self.totals += prior.sum(axis=1)
        self.code_terms += prior.sum(axis=0)
        self.all_terms += float(prior.sum())
        self.prior_examples = PRIOR_EXAMPLES * float((sums > 0).sum())

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
            self.totals[ids] += sign * counts
            total = float(counts.sum())
            self.all_terms += sign * total
            for j in labels:
                self.counts[ids, j] += sign * counts
                self.code_terms[j] += sign * total
        for j in labels:
            self.code_examples[j] += sign
        self.examples += int(sign)

    def bulk_add(self, examples: Sequence[tuple[IntArray, FloatArray, frozenset[str]]]) -> None:
        """Add many examples at once (the same counts as ``update`` one by one, faster)."""
        k = len(self.codes)
        per_code: list[list[int]] = [[] for _ in range(k)]
        taken: list[int] = []
        for n, (_ids, _counts, codes) in enumerate(examples):
            if not self.takes(codes):
                continue
            taken.append(n)
            for j in self.labels(codes):
                per_code[j].append(n)
                self.code_examples[j] += 1
        self.examples += len(taken)
        if not taken:
            return

        def stacked(which: list[int]) -> tuple[IntArray, FloatArray]:
            ids = np.concatenate([examples[n][0] for n in which])
            counts = np.concatenate([examples[n][1] for n in which])
            return ids, counts

        ids, counts = stacked(taken)
        if not len(ids):
            return
        self._grow(int(ids.max()) + 1)
        size = len(self.totals)
        self.totals += np.bincount(ids, weights=counts, minlength=size)
        self.all_terms += float(counts.sum())
        for j, which in enumerate(per_code):
            if which:
                ids, counts = stacked(which)
                if len(ids):
                    self.counts[:, j] += np.bincount(ids, weights=counts, minlength=size)
                    self.code_terms[j] += float(counts.sum())

    def predict(self, ids: IntArray, counts: FloatArray) -> tuple[FloatArray, FloatArray, IntArray] | None:
        """Probabilities per code, and per known term its evidence for each code.

        Returns (probabilities [K], contributions [n_known x K], known term ids), or None when
        the model has neither examples nor a prior, or the text has no term seen in either.
        """
        if (self.examples <= 0 and self.prior_examples <= 0) or not len(ids):
            return None
        inside = ids < len(self.totals)
        ids, counts = ids[inside], counts[inside]
        known = self.totals[ids] > 0
        ids, counts = ids[known], counts[known]
        if not len(ids):
            return None
        k = len(self.codes)
        vocab = float(self.vocab_size)
        n = float(self.examples)
        scale = min(1.0, EVIDENCE_TERMS / float(counts.sum()))
        pos = np.log(self.counts[ids] + ALPHA) - np.log(self.code_terms + ALPHA * vocab)
        if self.multiple:
            rest = self.totals[ids][:, None] - self.counts[ids]
            neg = np.log(np.maximum(rest, 0.0) + ALPHA) - np.log(
                np.maximum(self.all_terms - self.code_terms, 0.0) + ALPHA * vocab
            )
            contrib = counts[:, None] * (pos - neg) * scale
            prior = np.log(self.code_examples + 1.0) - np.log(np.maximum(n - self.code_examples, 0.0) + 1.0)
            logit = prior + contrib.sum(axis=0)
            probs = 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))
        else:
            loglik = counts[:, None] * pos * scale
            prior = np.log(self.code_examples + 1.0) - np.log(n + k)
            scores = prior + loglik.sum(axis=0)
            scores -= scores.max()
            probs = np.exp(scores)
            probs /= probs.sum()
            contrib = loglik - loglik.mean(axis=1, keepdims=True)
        return probs, contrib, ids
