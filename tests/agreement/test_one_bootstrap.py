"""One seeded bootstrap over units gives every coefficient its interval, with counts reported."""

from __future__ import annotations

import math

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
)
from annotator.agreement._matrix import to_coded
from annotator.agreement.bootstrap import resample_weights
from annotator.agreement.estimates import estimate_all
from annotator.agreement.pieces import item_pieces, pool, weighted
from annotator.agreement.render import render_markdown, render_table
from annotator.agreement.report import build_report
from annotator.agreement.report_json import to_json
from annotator.model import Bilingual, Code, Codebook, Facet

RNG = np.random.default_rng(11)
ROWS = RNG.choice(["x", "y", "z"], size=(2, 30)).tolist()
ROWS[1][:20] = ROWS[0][:20]  # mostly agreeing


def test_replicates_equal_the_functions_on_resampled_units() -> None:
    cats = ["x", "y", "z"]
    coded = to_coded(ROWS, cats)
    pieces = item_pieces(coded, ["a", "b"], "nominal")
    w = next(resample_weights(coded.n_units, 5, seed=2))
    got = weighted(pieces, w)
    for r, row in enumerate(w):
        idx = np.repeat(np.arange(coded.n_units), row.astype(int))
        sample = [[ROWS[c][i] for i in idx] for c in range(2)]
        assert got["percent_agreement"][r] == pytest.approx(percent_agreement(sample))
        assert got["krippendorff_alpha"][r] == pytest.approx(krippendorff_alpha(sample))
        assert got["fleiss_kappa"][r] == pytest.approx(fleiss_kappa(sample))
        assert got["gwet_ac1"][r] == pytest.approx(gwet_ac1(sample, categories=cats))
        assert got["brennan_prediger"][r] == pytest.approx(brennan_prediger(sample, categories=cats))
        assert got["cohen:a|b"][r] == pytest.approx(cohen_kappa(sample, categories=cats))
        assert got["cohen_kappa_mean"][r] == pytest.approx(cohen_kappa(sample))


def test_report_alpha_interval_is_the_alpha_bootstrap_with_the_same_seed() -> None:
    coded = to_coded(ROWS, ["x", "y", "z"])
    est = estimate_all([item_pieces(coded, ["a", "b"], "nominal")], 400, seed=7)[0]
    assert est["krippendorff_alpha"].ci == pytest.approx(bootstrap_ci(ROWS, n_boot=400, seed=7))
    for metric in ("percent_agreement", "fleiss_kappa", "gwet_ac1", "brennan_prediger", "cohen_kappa_mean"):
        lo, hi = est[metric].ci
        assert lo <= est[metric].value <= hi, metric


def test_pooled_alpha_is_alpha_of_the_stacked_decisions() -> None:
    a = [[1, 0, 1, 0, 0, 1], [1, 0, 0, 0, 0, 1]]
    b = [[0, 0, 1, 1, 0, 0], [0, 1, 1, 1, 0, 0]]
    items = [item_pieces(to_coded(m, [0, 1]), ["p", "q"], "nominal") for m in (a, b)]
    pooled = weighted(pool(items), np.ones((1, 6)))
    stacked = [a[0] + b[0], a[1] + b[1]]
    assert pooled["krippendorff_alpha"][0] == pytest.approx(krippendorff_alpha(stacked))
    assert pooled["percent_agreement"][0] == pytest.approx(percent_agreement(stacked))
    assert pooled["cohen:p|q"][0] == pytest.approx(cohen_kappa(stacked))


def _book() -> Codebook:
    codes = tuple(Code(c, "f", Bilingual(en=c)) for c in ("x", "y", "z"))
    return Codebook((Facet("f", codes, label=Bilingual(en="F")),))


def _states() -> dict[str, dict[str, frozenset[str]]]:
    return {f"s{i}": {"a": frozenset({ROWS[0][i]}), "b": frozenset({ROWS[1][i]})} for i in range(30)}


def test_resamples_seed_and_dropped_replicates_are_reported() -> None:
    report = build_report(_book(), ["a", "b"], _states(), bootstrap=250, seed=5)
    data = to_json(report)
    assert data["method"]["resamples"] == 250 and data["method"]["seed"] == 5
    facet = data["facets"]["f"]
    assert set(facet["ci95"]) == {"percent_agreement", "krippendorff_alpha", "fleiss_kappa",
                                  "gwet_ac1", "brennan_prediger", "cohen_kappa_mean"}
    assert all(v is not None for v in facet["ci95"].values())
    assert all(isinstance(n, int) and 0 <= n <= 250 for n in facet["undefined_replicates"].values())
    again = to_json(build_report(_book(), ["a", "b"], _states(), bootstrap=250, seed=5))
    assert again["facets"] == data["facets"]
    md = render_markdown(report)
    assert "250 resamples" in md and "seed 5" in md


def test_bootstrap_zero_says_there_is_no_interval() -> None:
    report = build_report(_book(), ["a", "b"], _states(), bootstrap=0)
    data = to_json(report)
    assert data["method"]["resamples"] == 0 and data["method"]["ci"].startswith("none")
    assert all(v is None for v in data["facets"]["f"]["ci95"].values())
    assert data["facets"]["f"]["verdict"] == "insufficient data"
    table = render_table(report)
    assert "0 bootstrap resamples" not in table and "no interval" in table
    assert math.isnan(report.facets[0].stats.alpha_ci95[0])
