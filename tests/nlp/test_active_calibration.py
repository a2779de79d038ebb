"""Calibration (temperature, Platt) and the least-sure-first order."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from annotator.codebook import bundled_codebook_path, load_codebook
from annotator.nlp.active import least_sure_first, next_least_sure, uncertainty
from annotator.nlp.calibration import fit, fit_platt, fit_temperature, platt, reliability, temper


def test_temperature_recovers_the_temperature_that_made_the_data() -> None:
    # draws from softmax(logits / 2) scored with softmax(logits): overconfident by T = 2
    rng = np.random.default_rng(7)
    dists, gold = [], []
    for _ in range(3000):
        logits = rng.normal(0, 3, size=4)
        truth = np.exp(logits / 2) / np.exp(logits / 2).sum()
        dists.append(np.exp(logits) / np.exp(logits).sum())
        gold.append(int(rng.choice(4, p=truth)))
    assert fit_temperature(dists, gold) == pytest.approx(2.0, rel=0.1)


def test_platt_recovers_a_known_sigmoid() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(0, 2, size=5000)
    scores = 1 / (1 + np.exp(-x))
    labels = rng.random(5000) < 1 / (1 + np.exp(-(0.5 * x - 1.0)))
    a, b = fit_platt(scores, labels.tolist())
    assert a == pytest.approx(0.5, abs=0.08) and b == pytest.approx(-1.0, abs=0.12)


def test_calibration_keeps_the_order_and_sums() -> None:
    p = np.array([0.7, 0.2, 0.1])
    t = temper(p, 3.0)
    assert t.sum() == pytest.approx(1.0) and list(np.argsort(-t)) == [0, 1, 2] and t[0] < 0.7
    assert list(np.argsort(-platt(p, 0.5, -1.0))) == [0, 1, 2]
    # too few examples: left as they are
    assert fit([("dimension", False, {"a": 0.9, "b": 0.1}, frozenset({"a"}))]).temperature["dimension"] == 1.0


def test_reliability_of_a_perfect_forecaster() -> None:
    rows, ece = reliability([0.25] * 4 + [0.75] * 4, [True, False, False, False, True, True, True, False])
    assert [(low, round(mean, 2), share, n) for low, mean, share, n in rows] == [
        (0.2, 0.25, 0.25, 4), (0.7, 0.75, 0.75, 4)]
    assert ece == pytest.approx(0.0)
    _rows, ece = reliability([0.9, 0.9], [False, False])
    assert ece == pytest.approx(0.9)


CODEBOOK = load_codebook(bundled_codebook_path())


def _codes(dim: dict[str, float], burden: dict[str, float]) -> list[SimpleNamespace]:
    return ([SimpleNamespace(code=c, facet="dimension", score=s) for c, s in dim.items()]
            + [SimpleNamespace(code=c, facet="burden", score=s) for c, s in burden.items()])


def test_uncertainty_ranks_a_split_decision_above_a_sure_one() -> None:
    sure = _codes({"adaptation": 0.97, "latency": 0.03}, {"rights_mismatch": 0.98, "feedback_gap": 0.01})
    split = _codes({"adaptation": 0.5, "latency": 0.5}, {"rights_mismatch": 0.5})
    # dimension: (1 - max p) / (1 - 1/4); burden: 1 - |2p - 1| of the code nearest 0.5
    assert uncertainty(CODEBOOK, split) == pytest.approx((0.5 / 0.75 + 1.0) / 2)
    assert uncertainty(CODEBOOK, sure) == pytest.approx((0.03 / 0.75 + 0.04) / 2)
    assert uncertainty(CODEBOOK, []) == 1.0
    table = {"s1": 0.2, "s2": 0.9, "s3": 0.2, "s4": 0.5}
    assert least_sure_first(table, table.__getitem__) == ["s2", "s4", "s1", "s3"]
    assert next_least_sure(["s1", "s3"], table.__getitem__) == "s1"
    assert not math.isnan(uncertainty(CODEBOOK, _codes({"adaptation": 0.0}, {})))
