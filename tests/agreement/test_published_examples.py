"""Agreement statistics against published worked examples. Each test names its source."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    jaccard_distance,
    krippendorff_alpha,
    masi_distance,
    percent_agreement,
    scott_pi,
)

N = None

# Krippendorff, K. (2011), "Computing Krippendorff's Alpha-Reliability", section E (4 observers x
# 12 units, values 1-5, with missing data). Observer rows A-D.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize(
    ("level", "expected"),
    # Krippendorff (2011): alpha nominal .743, ordinal .815, interval .849, ratio .797.
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_example(level: str, expected: float) -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(expected, abs=5e-4)


# Wikipedia "Krippendorff's alpha", computational example (3 coders x 15 units), as used in the
# tests of the `krippendorff` package (pln-fing-udelar/fast-krippendorff, tests/
# test_krippendorff.py): nominal 0.691358, interval 0.810845.
WIKIPEDIA_ALPHA = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]


def test_wikipedia_alpha_example() -> None:
    assert krippendorff_alpha(WIKIPEDIA_ALPHA, "nominal") == pytest.approx(0.691358, abs=1e-6)
    assert krippendorff_alpha(WIKIPEDIA_ALPHA, "interval") == pytest.approx(0.810845, abs=1e-6)
    as_array = np.array(WIKIPEDIA_ALPHA, dtype=float)  # None -> NaN
    assert krippendorff_alpha(as_array, "nominal") == pytest.approx(0.691358, abs=1e-6)


# Gwet, K. L. (2014), Handbook of Inter-Rater Reliability, 4th ed., p. 120: 4 raters x 12 units,
# 5 categories, missing ratings. Shipped as `cac.raw4raters` in R irrCAC; the values are those of
# irrCAC's Python port (afergadis/irrCAC, irrCAC/raw.py doctest and test/unit/irrCAC/raw/):
# p_a 0.81818, Fleiss 0.76117, AC1 0.77544, BP 0.773, Krippendorff alpha 0.743.
GWET_RAW4RATERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, N],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def test_gwet_raw4raters() -> None:
    data = GWET_RAW4RATERS
    assert percent_agreement(data) == pytest.approx(0.81818, abs=1e-5)
    assert fleiss_kappa(data) == pytest.approx(0.76117, abs=1e-5)
    assert gwet_ac1(data) == pytest.approx(0.77544, abs=1e-5)
    assert brennan_prediger(data) == pytest.approx(0.773, abs=5e-4)
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)


# Gwet (2014), p. 125 (smaller version), `cac.raw5obser` in irrCAC: 5 observers x 15 units, scale
# 0-3. irrCAC tests (afergadis/irrCAC test/unit/irrCAC/raw/test_{gwet,fleiss,bp,krippendorff}.py):
# p_a 0.616, Fleiss 0.458, AC1 0.497, BP 0.487, alpha 0.481.
GWET_RAW5OBSERVERS = [
    [1, 1, 2, N, 0, 0, 1, 1, 2, 2, N, 0, 1, 3, 1],
    [1, 1, 3, 0, 0, 0, 0, N, 2, 1, 1, 0, 2, 3, 1],
    [2, 0, 3, 0, 0, 0, 2, 2, 2, 1, 0, 0, 2, 2, 1],
    [N, 1, 3, N, N, N, N, 0, N, 1, 0, 0, 2, 2, N],
    [2, N, N, 0, 0, 0, 1, N, 2, N, N, N, N, 3, 1],
]


def test_gwet_raw5observers() -> None:
    data = GWET_RAW5OBSERVERS
    assert percent_agreement(data) == pytest.approx(0.616, abs=5e-4)
    assert fleiss_kappa(data) == pytest.approx(0.458, abs=5e-4)
    assert gwet_ac1(data) == pytest.approx(0.497, abs=5e-4)
    assert brennan_prediger(data) == pytest.approx(0.487, abs=5e-4)
    assert krippendorff_alpha(data) == pytest.approx(0.481, abs=5e-4)


# irrCAC `cac.raw.gender` (4 raters x 15 units, categories a-c, complete); irrCAC tests:
# p_a 0.456, Fleiss 0.129, AC1 0.208, BP 0.183, alpha 0.143.
GENDER = [
    ["a", "a", "a", "a", "a", "b", "b", "b", "c", "a", "a", "a", "a", "a", "b"],
    ["a", "a", "a", "a", "b", "a", "b", "c", "c", "a", "a", "a", "a", "b", "a"],
    ["a", "b", "b", "c", "a", "a", "b", "b", "c", "a", "b", "b", "c", "a", "a"],
    ["c", "c", "c", "c", "a", "a", "b", "b", "c", "c", "c", "c", "c", "a", "a"],
]


def test_gwet_raw_gender() -> None:
    assert percent_agreement(GENDER) == pytest.approx(0.456, abs=5e-4)
    assert fleiss_kappa(GENDER) == pytest.approx(0.129, abs=5e-4)
    assert gwet_ac1(GENDER) == pytest.approx(0.208, abs=5e-4)
    assert brennan_prediger(GENDER) == pytest.approx(0.183, abs=5e-4)
    assert krippendorff_alpha(GENDER) == pytest.approx(0.143, abs=5e-4)


def test_categories_change_q_for_bp_and_ac1() -> None:
    # BP = (p_a - 1/q) / (1 - 1/q): with the raw4raters p_a = 9/11 (Gwet 2014 p. 120) and a
    # codebook of 10 categories instead of the 5 observed: (9/11 - 1/10) / (9/10) = 0.79798.
    cats = list(range(1, 11))
    assert brennan_prediger(GWET_RAW4RATERS, categories=cats) == pytest.approx((9 / 11 - 0.1) / 0.9)
    # Fleiss' kappa does not depend on unused categories.
    assert fleiss_kappa(GWET_RAW4RATERS, categories=cats) == pytest.approx(0.76117, abs=1e-5)
    assert gwet_ac1(GWET_RAW4RATERS, categories=cats) != pytest.approx(0.77544, abs=1e-3)


def _expand(table: list[list[int]]) -> list[list[int]]:
    """Two coder rows from a contingency table (row = coder 1's category, column = coder 2's)."""
    a: list[int] = []
    b: list[int] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return [a, b]


def test_cohen_sas_table_in_statsmodels() -> None:
    # statsmodels, statsmodels/stats/tests/test_inter_rater.py, `table10` compared with a SAS
    # printout: simple kappa 0.4842.
    table10 = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
    assert cohen_kappa(_expand(table10)) == pytest.approx(0.4842, abs=1e-4)


def test_cohen_irr_anxiety() -> None:
    # R irr `anxiety` data, kappa2(anxiety[,2:3]) = -0.006289308, quoted in statsmodels
    # statsmodels/stats/tests/test_inter_rater.py (test_cohens_kappa_irr).
    rater2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]
    rater3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]
    assert cohen_kappa([rater2, rater3]) == pytest.approx(-0.006289308, abs=1e-8)


def test_scott_pi_by_hand() -> None:
    # SAS table10 above, n = 19: p_o = (0 + 8 + 5) / 19 = 13/19.
    # Coder 1's row sums (5, 8, 6), coder 2's column sums (0, 13, 6) -> pooled margins
    # (5/38, 21/38, 12/38);
    # p_e = (25 + 441 + 144) / 1444 = 610/1444; pi = (13/19 - 610/1444) / (1 - 610/1444).
    p_o, p_e = 13 / 19, 610 / 1444
    table10 = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
    assert scott_pi(_expand(table10)) == pytest.approx((p_o - p_e) / (1 - p_e))


# Fleiss (1971), Table 1: psychiatric diagnoses, 30 subjects x 6 raters, 5 categories, as R irr
# `diagnoses` (rows copied from statsmodels/stats/tests/test_inter_rater.py). irr::kappam.fleiss
# (diagnoses) = 0.4302445.
DIAGNOSES = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip


def test_fleiss_1971_diagnoses() -> None:
    coders_by_units = np.array(DIAGNOSES).T  # 6 raters x 30 subjects
    assert fleiss_kappa(coders_by_units) == pytest.approx(0.4302445, abs=1e-7)
    assert fleiss_kappa(coders_by_units.tolist()) == pytest.approx(0.4302445, abs=1e-7)


def test_fleiss_wikipedia_example() -> None:
    # Wikipedia "Fleiss' kappa", worked example: 10 subjects x 14 raters x 5 categories, given as
    # counts per subject (as `table1` in statsmodels' test_inter_rater.py): kappa = 0.210.
    counts = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]  # fmt: skip
    # Fleiss' kappa does not depend on which rater gave which rating: deal them out in order.
    columns = [[k for k, c in enumerate(row) for _ in range(c)] for row in counts]
    rows = [list(r) for r in zip(*columns, strict=True)]
    assert fleiss_kappa(rows) == pytest.approx(0.210, abs=5e-4)


def test_masi_and_jaccard_distances() -> None:
    # Passonneau (2006): MASI = Jaccard x M, M = 1 (equal), 2/3 (subset), 1/3 (overlap), 0.
    # NLTK's doctests (nltk.metrics.masi_distance) print 0.665 and 0.868 because NLTK rounds M to
    # 0.67 / 0.33; with the exact weights:
    # {1,2} vs {1,2,3,4}: J = 2/4, M = 2/3 -> 1 - 1/3 = 2/3.
    assert masi_distance({1, 2}, {1, 2, 3, 4}) == pytest.approx(2 / 3)
    assert masi_distance({1, 2}, {1, 2, 3, 4}) == pytest.approx(0.665, abs=2e-3)
    # {1,2,3,4} vs {3,4,5}: J = 2/5, M = 1/3 -> 1 - 2/15.
    assert masi_distance({1, 2, 3, 4}, {3, 4, 5}) == pytest.approx(13 / 15)
    assert masi_distance({1, 2, 3, 4}, {3, 4, 5}) == pytest.approx(0.868, abs=2e-3)
    # NLTK metrics doctest: jaccard_distance({1,2,3,4}, {3,4,5}) = 0.6.
    assert jaccard_distance({1, 2, 3, 4}, {3, 4, 5}) == pytest.approx(0.6)
    assert masi_distance({"a"}, {"b"}) == 1.0
    assert masi_distance(set(), set()) == 0.0
    assert jaccard_distance(set(), set()) == 0.0
    assert masi_distance(set(), {"a"}) == 1.0
    assert masi_distance(["a", "b"], frozenset({"b", "a"})) == 0.0


def test_alpha_masi_by_hand() -> None:
    # Two coders, three units: ({a},{a}), ({a,b},{a}), ({c},{b}).
    # delta_MASI: ({a,b},{a}) = 1 - 1/2 * 2/3 = 2/3; disjoint sets = 1.
    # sum o*delta = 2 * (0 + 2/3 + 1) = 10/3, n = 6 -> D_o = 10/18 = 5/9.
    # Values: {a} x3, {a,b}, {b}, {c}; sum_{c<k} n_c n_k delta = 2 + 3 + 3 + 2/3 + 1 + 1 = 32/3;
    # D_e = 2 * 32/3 / (6 * 5) = 32/45; alpha = 1 - (5/9) / (32/45) = 7/32.
    data = [[{"a"}, {"a", "b"}, {"c"}], [{"a"}, {"a"}, {"b"}]]
    assert krippendorff_alpha(data, "masi") == pytest.approx(7 / 32)
    as_lists = [[["a"], ["b", "a"], ["c"]], [frozenset("a"), ["a"], ("b",)]]
    assert krippendorff_alpha(as_lists, "masi") == pytest.approx(7 / 32)
    # Jaccard: delta({a,b},{a}) = 1/2; sum o*delta = 2 * 3/2 = 3, D_o = 1/2;
    # sum_{c<k} = 3/2 + 3 + 3 + 1/2 + 1 + 1 = 10, D_e = 20/30; alpha = 1 - (1/2) / (2/3) = 1/4.
    assert krippendorff_alpha(data, "jaccard") == pytest.approx(1 / 4)
