"""The learned model's codebook prior, on plain arrays (no project, no tokeniser)."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.nlp.classifier import ALPHA, PRIOR_EXAMPLES, PRIOR_WEIGHT, FacetModel


def _arr(ids: list[int], counts: list[float]) -> tuple[np.ndarray, np.ndarray]:
    return np.array(ids, dtype=np.int64), np.array(counts, dtype=np.float64)


def test_prior_has_one_mass_per_code_and_drops_shared_words() -> None:
    m = FacetModel(["a", "b", "c"], multiple=False, n_features=10)
    assert m.predict(*_arr([1], [1.0])) is None  # nothing known yet
    prior = {"a": _arr([0, 1, 9], [1.0, 3.0, 1.0]), "b": _arr([2, 9], [1.0, 1.0]),
             "c": _arr([3, 9], [2.0, 5.0])}
    m.set_prior(prior, mass=8.0)
    everything = np.arange(10)
    counts, totals = m.with_prior(everything)
    # term 9 is in every code's text: it cannot tell them apart
    assert counts[9].sum() == 0.0 and totals[9] == 0.0
    # each code weighs PRIOR_EXAMPLES average segments, however long its text
    assert np.allclose(counts.sum(axis=0), PRIOR_EXAMPLES * 8.0)
    assert not m.counts.any() and not m.totals.any()  # the examples' counts are apart
    assert np.allclose(m.code_terms, PRIOR_EXAMPLES * 8.0)
    assert m.examples == 0 and m.prior_examples == 3 * PRIOR_EXAMPLES
    assert not m.code_examples.any()  # class priors stay the coder's
    got = m.predict(*_arr([1], [1.0]))
    assert got is not None and int(np.argmax(got[0])) == 0
    assert m.predict(*_arr([9], [1.0])) is None  # a shared word is no evidence


def test_examples_come_and_go_on_top_of_the_prior() -> None:
    m = FacetModel(["a", "b"], multiple=True, n_features=6)
    m.set_prior({"a": _arr([0], [1.0]), "b": _arr([1], [1.0])}, mass=4.0)
    before = (m.counts.copy(), m.totals.copy(), m.code_terms.copy(), m.all_terms)
    ids, counts = _arr([1, 2, 5], [1.0, 2.0, 1.0])
    m.update(ids, counts, frozenset({"a"}), +1.0)
    assert m.examples == 1
    p = m.predict(*_arr([2], [1.0]))
    assert p is not None and p[0][0] > p[0][1]
    m.update(ids, counts, frozenset({"a"}), -1.0)
    after = (m.counts[: len(before[0])], m.totals[: len(before[1])], m.code_terms, m.all_terms)
    assert np.array_equal(after[0], before[0]) and np.array_equal(after[1], before[1])  # exactly
    assert np.allclose(after[2], before[2]) and after[3] == before[3]
    assert m.examples == 0


def test_no_prior_without_codebook_text() -> None:
    m = FacetModel(["a", "b"], multiple=False, n_features=4)
    m.set_prior({"a": _arr([], []), "b": _arr([], [])}, mass=10.0)
    assert m.prior_examples == 0 and m.predict(*_arr([0], [1.0])) is None


def test_examples_refine_the_codebook_prior_rather_than_override_it() -> None:
    from annotator.nlp.classifier import BACKGROUND

    m = FacetModel(["a", "b"], multiple=False, n_features=6)
    m.set_prior({"a": _arr([0], [1.0]), "b": _arr([1], [1.0])}, mass=4.0)
    # Dirichlet prior: P(w | c) = (n_cw + mu q_c(w)) / (n_c + mu), q_c = (1 - B) d_c + B b
    mu = PRIOR_WEIGHT * 4.0
    pos, _neg = m.word_probabilities(np.array([0, 1]))
    background = (m.with_prior(np.array([0, 1]))[1] + 1.0) / (m.all_terms + 6.0)
    assert pos[0, 0] == pytest.approx((mu * ((1 - BACKGROUND) + BACKGROUND * background[0])) / mu)
    assert pos[1, 0] == pytest.approx(BACKGROUND * background[1])
    # one example of "a" with word 1 (the codebook's word for "b") does not turn word 1 into "a"'s
    m.update(*_arr([1, 2], [1.0, 1.0]), frozenset({"a"}), +1.0)
    got = m.predict(*_arr([1], [1.0]))
    assert got is not None and int(np.argmax(got[0])) == 1


def test_a_handful_of_examples_hardly_moves_the_code_frequencies() -> None:
    from annotator.nlp.classifier import CLASS_PRIOR

    m = FacetModel(["a", "b"], multiple=False, n_features=4)
    m.set_prior({"a": _arr([0], [1.0]), "b": _arr([1], [1.0])}, mass=4.0)
    for _ in range(3):
        m.update(*_arr([3], [1.0]), frozenset({"a"}), +1.0)
    # a word the codebook gives "b" against three examples of "a" without it
    got = m.predict(*_arr([1], [1.0]))
    assert got is not None and got[0][1] > got[0][0]
    assert CLASS_PRIOR >= 1.0


def test_words_of_every_segment_weigh_little_and_pieces_alone_say_nothing() -> None:
    m = FacetModel(["a", "b"], multiple=False, n_features=4)
    m.set_prior({"a": _arr([0, 2], [1.0, 1.0]), "b": _arr([1, 3], [1.0, 1.0])}, mass=4.0)
    df = np.array([100.0, 1.0, 1.0, 1.0])
    m.set_document_frequencies(df, 100, np.array([False, False, False, True]))
    assert m.term_weights is not None
    assert m.term_weights[0] == pytest.approx(1 / (np.log(101) + 1))  # in every segment
    assert m.term_weights[1] == pytest.approx((np.log(101 / 2) + 1) / (np.log(101) + 1))
    both = m.predict(*_arr([0, 1], [1.0, 1.0]))
    assert both is not None and int(np.argmax(both[0])) == 1  # the rare word decides
    assert m.predict(*_arr([3], [1.0])) is None  # a piece of a word is no word
    assert m.predict(*_arr([2, 3], [1.0, 1.0])) is not None


def test_the_background_is_the_corpus_share_of_each_word() -> None:
    m = FacetModel(["a", "b"], multiple=False, n_features=5)
    m.set_prior({"a": _arr([0], [1.0]), "b": _arr([1], [1.0])}, mass=4.0)
    df = np.array([3.0, 1.0, 50.0, 0.0, 6.0])
    m.set_document_frequencies(df, 60)
    total = df.sum() + ALPHA * 5
    assert np.allclose(m.background(np.arange(5)), (df + ALPHA) / total)
    assert m.background(np.array([7]))[0] == pytest.approx(ALPHA / total)  # a term counted later
    # the prior's mean: (1 - B) d_c + B b, whatever the prior's and the examples' counts
    from annotator.nlp.classifier import BACKGROUND

    pos, _ = m.word_probabilities(np.array([2]))
    assert pos[0, 0] == pytest.approx(BACKGROUND * (df[2] + ALPHA) / total)


def test_one_example_says_less_of_an_everyday_word_than_of_a_rare_one() -> None:
    m = FacetModel(["a", "b"], multiple=False, n_features=6)
    m.set_prior({"a": _arr([0], [1.0]), "b": _arr([1], [1.0])}, mass=4.0)
    m.set_document_frequencies(np.array([5.0, 5.0, 1.0, 0.0, 60.0, 0.0]), 100)
    m.update(*_arr([2, 4], [1.0, 1.0]), frozenset({"a"}), +1.0)  # one example: a rare and a common word
    pos, _ = m.word_probabilities(np.array([2, 4]))
    rare, common = np.log(pos[0, 0] / pos[0, 1]), np.log(pos[1, 0] / pos[1, 1])
    assert rare > common > 0.0
    # the codebook's own word for "b" still outweighs one example of "a"
    got = m.predict(*_arr([1, 4], [1.0, 1.0]))
    assert got is not None and int(np.argmax(got[0])) == 1
    assert PRIOR_WEIGHT >= PRIOR_EXAMPLES
