"""Agreement statistics: cross-checks with the `krippendorff` package, edge cases, bootstrap."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest

from annotator.agreement import (
    bootstrap_ci,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from annotator.agreement._matrix import to_coded
from annotator.agreement.alpha import alpha_parts
from annotator.agreement.bootstrap import alpha_replicates, resample_weights

ALL = (percent_agreement, cohen_kappa, scott_pi, fleiss_kappa, gwet_ac1, brennan_prediger)


def _random(rng: np.random.Generator, coders: int, units: int, q: int, missing: float) -> np.ndarray:
    data = rng.integers(1, q + 1, size=(coders, units)).astype(float)
    # make it agree more than chance so alpha is not ~0
    data[1:, : units // 2] = data[0, : units // 2]
    data[rng.random(data.shape) < missing] = np.nan
    return data


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("missing", [0.0, 0.25])
def test_alpha_matches_krippendorff_package(level: str, missing: float) -> None:
    rng = np.random.default_rng(7)
    for trial in range(5):
        data = _random(rng, coders=2 + trial, units=40 + 10 * trial, q=5, missing=missing)
        ours = krippendorff_alpha(data, level)
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
        assert ours == pytest.approx(theirs, abs=1e-9)
        as_lists = [[None if math.isnan(v) else v for v in row] for row in data.tolist()]
        assert krippendorff_alpha(as_lists, level) == pytest.approx(ours, abs=1e-12)


def test_numpy_input_equals_list_input_for_every_statistic() -> None:
    rng = np.random.default_rng(3)
    data = _random(rng, coders=2, units=60, q=4, missing=0.2)
    as_lists = [[None if math.isnan(v) else int(v) for v in row] for row in data.tolist()]
    for fn in ALL:
        assert fn(data) == pytest.approx(fn(as_lists), abs=1e-12), fn.__name__


def test_string_categories_and_given_categories() -> None:
    data = [["pos", "neg", "neu", None], ["pos", "neg", "neu", "pos"], ["pos", "neg", "pos", "pos"]]
    # krippendorff package tests (test_string_labels_nominal): 0.722222
    assert krippendorff_alpha(data) == pytest.approx(0.722222, abs=1e-6)
    assert krippendorff_alpha(data, categories=["neg", "neu", "pos", "mixed"]) == pytest.approx(
        0.722222, abs=1e-6
    )
    with pytest.raises(ValueError, match="not one of the given categories"):
        krippendorff_alpha(data, categories=["neg", "pos"])
    with pytest.raises(ValueError, match="not one of the given categories"):
        fleiss_kappa(np.array([[1.0, 2.0], [1.0, 3.0]]), categories=[1, 2])


def test_ordinal_with_ordered_string_categories() -> None:
    # krippendorff package test_string_labels_ordinal_with_domain: Krippendorff (2011) data with
    # labels, ordinal alpha 0.815.
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    labelled = [[None if v is None else names[v] for v in row] for row in rows]
    domain = [names[k] for k in range(1, 6)]
    assert krippendorff_alpha(labelled, "ordinal", categories=domain) == pytest.approx(0.815, abs=5e-4)
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha(labelled, "interval")


def test_undefined_is_nan_never_one_or_zero() -> None:
    same = [["a", "a", "a"], ["a", "a", "a"]]
    for fn in (cohen_kappa, scott_pi, fleiss_kappa, krippendorff_alpha):
        assert math.isnan(fn(same)), fn.__name__
    # one observed category: q = 1, AC1 and BP are undefined too
    assert math.isnan(gwet_ac1(same)) and math.isnan(brennan_prediger(same))
    assert percent_agreement(same) == 1.0
    # nobody coded the same unit
    apart = [["a", None, "b"], [None, "b", None]]
    for fn in ALL:
        assert math.isnan(fn(apart)), fn.__name__
    assert math.isnan(krippendorff_alpha(apart))
    assert math.isnan(krippendorff_alpha(np.full((3, 4), np.nan)))
    assert math.isnan(krippendorff_alpha([[{"x"}, {"x"}], [{"x"}, {"x"}]], "masi"))


def test_malformed_input_raises_value_error() -> None:
    with pytest.raises(ValueError, match="ragged"):
        krippendorff_alpha([[1, 2, 3], [1, 2]])
    with pytest.raises(ValueError, match="at least two coders"):
        fleiss_kappa([[1, 2, 3]])
    with pytest.raises(ValueError, match="at least two coders"):
        krippendorff_alpha(np.array([[1.0, 2.0]]))
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha([[1, 2], [1, 2]], "cardinal")
    with pytest.raises(ValueError, match="exactly two"):
        cohen_kappa([[1, 2], [1, 2], [2, 1]])
    with pytest.raises(ValueError, match="exactly two"):
        scott_pi([[1, 2], [1, 2], [2, 1]])
    with pytest.raises(ValueError, match="2-D"):
        krippendorff_alpha(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="list of coder rows"):
        krippendorff_alpha("ab")
    with pytest.raises(ValueError, match="sets"):
        krippendorff_alpha([[1, 2], [1, 2]], "masi")


def test_cohen_uses_units_both_coded() -> None:
    full = [["a", "b", "a", "b"], ["a", "b", "b", "b"]]
    with_gaps = [["a", "b", "a", "b", "a", None], ["a", "b", "b", "b", None, "a"]]
    assert cohen_kappa(with_gaps) == pytest.approx(cohen_kappa(full))
    # by hand: p_o = 3/4, margins coder1 (a 2, b 2), coder2 (a 1, b 3): p_e = (2 + 6) / 16 = 1/2
    assert cohen_kappa(full) == pytest.approx((0.75 - 0.5) / 0.5)


def test_bootstrap_is_reproducible_and_brackets_alpha() -> None:
    rng = np.random.default_rng(11)
    data = _random(rng, coders=3, units=300, q=4, missing=0.1)
    ci1 = bootstrap_ci(data, seed=5)
    ci2 = bootstrap_ci(data, seed=5)
    assert ci1 == ci2
    assert bootstrap_ci(data, seed=6) != ci1
    alpha = krippendorff_alpha(data)
    assert ci1[0] < alpha < ci1[1]
    low, high = bootstrap_ci(data[:2], statistic="kappa", seed=1)
    assert low < cohen_kappa(data[:2]) < high
    with pytest.raises(ValueError, match="unknown statistic"):
        bootstrap_ci(data, statistic="gamma")


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "masi"])
def test_bootstrap_replicates_equal_alpha_of_resampled_units(level: str) -> None:
    rng = np.random.default_rng(2)
    if level == "masi":
        pool = [frozenset(), frozenset("a"), frozenset("ab"), frozenset("b"), frozenset("bc")]
        data = [[pool[int(i)] for i in rng.integers(0, 5, 30)] for _ in range(3)]
        data[1][:15] = data[0][:15]
    else:
        data = _random(rng, coders=3, units=30, q=4, missing=0.0).tolist()
    coded = to_coded(data, sets=level == "masi")
    reps = alpha_replicates([alpha_parts(coded, level)], 4, seed=9)[0]
    weights = next(resample_weights(30, 4, seed=9))
    for r in range(4):
        idx = np.repeat(np.arange(30), weights[r].astype(int))
        assert reps[r] == pytest.approx(alpha_parts(coded.take_units(idx), level).alpha())


def test_bootstrap_drops_nan_replicates_and_callable_statistic() -> None:
    # Only one unit varies: many resamples have no variation at all (NaN alpha).
    data = [["a"] * 9 + ["b"], ["a"] * 9 + ["a"]]
    low, high = bootstrap_ci(data, n_boot=200, seed=0)
    assert not math.isnan(low) and low <= high
    assert all(math.isnan(v) for v in bootstrap_ci([["a", "a"], ["a", "a"]], n_boot=20))
    fk = bootstrap_ci(data, statistic=fleiss_kappa, n_boot=50, seed=0)
    assert fk[0] <= fk[1]


def test_bootstrap_many_categories_sparse_path_matches_resampled_alpha() -> None:
    # 40 distinct sets (> 32 categories) take the sparse summing path.
    rng = np.random.default_rng(8)
    pool = [frozenset({f"c{i}", f"c{i + 1}"}) for i in range(40)]
    data = [[pool[int(i)] for i in rng.integers(0, 40, 60)] for _ in range(3)]
    data[1][:40] = data[0][:40]
    coded = to_coded(data, sets=True)
    assert coded.q > 32
    reps = alpha_replicates([alpha_parts(coded, "masi")], 3, seed=2)[0]
    weights = next(resample_weights(60, 3, seed=2))
    for r in range(3):
        idx = np.repeat(np.arange(60), weights[r].astype(int))
        assert reps[r] == pytest.approx(alpha_parts(coded.take_units(idx), "masi").alpha())
