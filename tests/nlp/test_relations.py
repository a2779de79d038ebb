"""Burden types and their dimension inform each other's suggestions (codebook ``implies``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotator.codebook import bundled_codebook_path, load_codebook
from annotator.nlp.relations import (
    DEFAULT_RELATION_WEIGHT,
    MIN_FIT_SEGMENTS,
    RelationCounts,
    fit_relation_weight,
    implied,
    implied_by,
    odds_given_choice,
    relate_scores,
)

CODEBOOK = load_codebook(bundled_codebook_path())
DIMS = ("adaptation", "goal_attainment", "integration", "latency")


def _uniform_dims() -> dict[str, float]:
    return dict.fromkeys(DIMS, 0.25)


def test_rho_is_laplace_with_the_codebook_as_one_agreeing_example() -> None:
    counts = RelationCounts.of(CODEBOOK)
    assert counts.rho == pytest.approx(2 / 3)
    counts.add({"adaptation", "rights_mismatch"})  # agrees
    counts.add({"integration", "rights_mismatch", "smart_governance"})  # 1 of 2 agree
    assert (counts.agree, counts.total) == (2, 3)
    assert counts.rho == pytest.approx((2 + 2) / (3 + 3))
    counts.add({"integration", "rights_mismatch", "smart_governance"}, -1.0)
    assert counts.rho == pytest.approx(3 / 4)


def test_implied_distribution_puts_rho_on_the_implied_code() -> None:
    q = implied(CODEBOOK, "dimension", {"feedback_gap": 1.0}, 0.7)
    assert q is not None
    assert q.tolist() == pytest.approx([0.1, 0.1, 0.1, 0.7])
    assert implied(CODEBOOK, "dimension", {}, 0.7) is None


def test_burden_evidence_is_evidence_for_its_dimension() -> None:
    scores = {"dimension": _uniform_dims(), "burden": {"rights_mismatch": 0.8, "feedback_gap": 0.1}}
    out = relate_scores(CODEBOOK, scores, frozenset(), 2 / 3)
    ranked = sorted(out["dimension"], key=lambda d: -out["dimension"][d])
    assert ranked[0] == "adaptation" and ranked[1] == "latency"
    assert sum(out["dimension"].values()) == pytest.approx(1.0)
    assert out["burden"] == scores["burden"]  # model evidence flows burden -> dimension only


def test_a_chosen_burden_moves_the_dimension_at_once() -> None:
    scores = {"dimension": {"adaptation": 0.4, "goal_attainment": 0.3, "integration": 0.2, "latency": 0.1},
              "burden": {}}
    out = relate_scores(CODEBOOK, scores, frozenset({"feedback_gap"}), 0.8)
    assert max(out["dimension"], key=out["dimension"].__getitem__) == "latency"


def test_a_chosen_dimension_moves_its_burden_types() -> None:
    scores = {"dimension": _uniform_dims(),
              "burden": {"trace_formalism": 0.3, "inspection_pressure": 0.3}}
    out = relate_scores(CODEBOOK, scores, frozenset({"goal_attainment"}), 0.75)
    # Bayes: odds x rho*K = 3 for the type under goal attainment, x (1-rho)*K/(K-1) = 1/3 else
    assert out["burden"]["inspection_pressure"] == pytest.approx(0.3 / 0.7 * 3 / (1 + 0.3 / 0.7 * 3))
    assert out["burden"]["trace_formalism"] < 0.3 < out["burden"]["inspection_pressure"]


def test_odds_given_choice_is_neutral_when_rho_is_chance() -> None:
    p = np.array([0.2, 0.6])
    assert odds_given_choice(p, [True, False], 4, 0.25).tolist() == pytest.approx(p.tolist())


def test_the_suggester_updates_the_dimension_when_the_coder_picks_a_burden(tmp_path: Path) -> None:
    from annotator.application.demo import PAPER_CODER, build_demo
    from annotator.application.suggesting import suggester_for_project
    from annotator.storage.db import open_project

    path = tmp_path / "demo.db"
    build_demo(path)
    with open_project(path) as project:
        s = suggester_for_project(project, coder=PAPER_CODER)
    seg = "A20230321-001"  # coded adaptation / rights_mismatch by the paper
    s.learn(seg, frozenset())

    def latency(given: frozenset[str]) -> float:
        codes = s.suggest(seg, top=100, given=given).codes
        return next(c.score for c in codes if c.code == "latency")

    before = latency(frozenset())
    assert latency(frozenset({"feedback_gap"})) > before
    s.learn(seg, frozenset({"feedback_gap"}))  # what the coding screen does on a key press
    dims = [c for c in s.suggest(seg, top=100).codes if c.facet == "dimension"]
    assert next(c.score for c in dims if c.code == "latency") > before
    s.close()


def test_the_burden_the_text_is_about_outweighs_many_middling_ones() -> None:
    # one clear burden type under latency; four middling ones under integration
    burden = {"feedback_gap": 0.9, "smart_governance": 0.3, "trace_formalism": 0.3,
              "staffing_mismatch": 0.3, "incentive_deficit": 0.3}
    out = relate_scores(CODEBOOK, {"dimension": _uniform_dims(), "burden": burden}, frozenset(), 0.8)
    # as odds, 9 against 4 x 0.43; as probabilities 0.9 would lose to 4 x 0.3
    assert max(out["dimension"], key=out["dimension"].__getitem__) == "latency"


def test_the_relation_weight_pools_own_and_implied_rankings_geometrically() -> None:
    own = {"adaptation": 0.7, "goal_attainment": 0.1, "integration": 0.1, "latency": 0.1}
    burden = {"feedback_gap": 0.6}
    q = np.array([1 / 9, 1 / 9, 1 / 9, 2 / 3])
    for weight in (0.0, 0.3, 0.9, 1.0):
        out = relate_scores(CODEBOOK, {"dimension": own, "burden": burden}, frozenset(), 2 / 3, weight)
        p = np.array(list(own.values())) ** (1 - weight) * q ** weight
        assert list(out["dimension"].values()) == pytest.approx((p / p.sum()).tolist())
    high = relate_scores(CODEBOOK, {"dimension": own, "burden": burden}, frozenset(), 2 / 3, 0.9)
    assert max(high["dimension"], key=high["dimension"].__getitem__) == "latency"
    # with no burden evidence the dimension's own ranking stands
    alone = relate_scores(CODEBOOK, {"dimension": own, "burden": {}}, frozenset(), 2 / 3)
    assert alone["dimension"] == pytest.approx(own)


BURDEN_OF = {implied_by(CODEBOOK, c.id)["dimension"]: c.id
             for c in CODEBOOK.facet("burden").codes if "dimension" in implied_by(CODEBOOK, c.id)}  # type: ignore[union-attr]


def _segments(follow: bool, n: int = 24) -> list[tuple[dict[str, dict[str, float]], frozenset[str], float]]:
    """Coded segments whose own dimension model leans to one dimension and whose burden type
    implies another; the coder picks the implied one (``follow``) or the own model's one."""
    out = []
    for i in range(n):
        own_dim, other = DIMS[i % 4], DIMS[(i + 1 + (i // 4) % 3) % 4]
        own = dict.fromkeys(DIMS, 0.15) | {own_dim: 0.55}
        burden = {BURDEN_OF[other]: 0.7}
        coded = {other if follow else own_dim}
        if i % 12 == 5:  # not every segment is clear-cut
            coded = {own_dim if follow else other}
        out.append(({"dimension": own, "burden": burden}, frozenset(coded | {BURDEN_OF[other]}), 0.7))
    return out


def test_the_relation_weight_is_high_when_coders_follow_the_relations() -> None:
    assert fit_relation_weight(CODEBOOK, _segments(follow=True)) >= 0.8


def test_the_relation_weight_is_low_when_coders_contradict_the_relations() -> None:
    assert fit_relation_weight(CODEBOOK, _segments(follow=False)) <= 0.2


def test_too_few_coded_segments_give_the_default_relation_weight() -> None:
    few = _segments(follow=False, n=MIN_FIT_SEGMENTS - 1)
    assert fit_relation_weight(CODEBOOK, few) == DEFAULT_RELATION_WEIGHT
    assert fit_relation_weight(CODEBOOK, _segments(follow=False, n=MIN_FIT_SEGMENTS)) < DEFAULT_RELATION_WEIGHT
