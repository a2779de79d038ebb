"""The API refuses what it cannot judge, and reads sets at the nominal level as whole sets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annotator.agreement import (
    bootstrap_ci,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: krippendorff_alpha([[1, 2], [1, 2]], categories=[1, 2, 2]), "listed twice"),
        (lambda: gwet_ac1([[1, 2], [1, 2]], categories=[1, 2, float("nan")]), "NaN"),
        (lambda: fleiss_kappa(np.array([[1.0, 2.0], [1.0, np.nan]]), categories=[1.0, 1.0, 2.0]), "twice"),
        (lambda: krippendorff_alpha([[1.0, -2.0], [1.0, 3.0]], "ratio"), "negative"),
        (lambda: krippendorff_alpha(np.array([[1.0, np.inf], [1.0, 2.0]]), "interval"), "infinite"),
        (lambda: krippendorff_alpha([[1.0, -math.inf], [1.0, 2.0]]), "infinite"),
        (lambda: krippendorff_alpha([["low", "high"], ["mid", "high"]], "ordinal"), "order"),
        (lambda: bootstrap_ci([["low", "high"], ["mid", "high"]], level="ordinal"), "order"),
    ],
)
def test_refusals_raise_value_error_with_a_message(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call()


def test_ordinal_strings_with_categories_still_work() -> None:
    value = krippendorff_alpha([["low", "high"], ["mid", "high"]], "ordinal",
                               categories=["low", "mid", "high"])
    assert not math.isnan(value)


def test_sets_at_the_nominal_level_are_compared_as_whole_sets() -> None:
    rows = [[{"a", "b"}, ["a"], {"c"}, {"a"}], [["b", "a"], {"a"}, {"a"}, frozenset({"a"})]]
    as_labels = [["ab", "a", "c", "a"], ["ab", "a", "a", "a"]]
    assert percent_agreement(rows) == pytest.approx(0.75)
    assert krippendorff_alpha(rows) == pytest.approx(krippendorff_alpha(as_labels))
    assert cohen_kappa(rows) == pytest.approx(cohen_kappa(as_labels))
