"""The verdict rule: judged on the lower bound of alpha's interval, with a minimum sample size."""

from __future__ import annotations

import math

import pytest

from annotator.agreement.report import build_report
from annotator.agreement.report_json import to_json
from annotator.agreement.verdict import INSUFFICIENT, VERDICTS, judge, minimum_units
from annotator.model import Bilingual, Code, Codebook, Facet

F = frozenset


def test_minimum_sample_reproduces_krippendorffs_table() -> None:
    # Krippendorff (2004, section 11.4.2) / Bloch & Kraemer (1989, eq. 3.7), as tabulated for two
    # coders in the ATLAS.ti inter-coder agreement manual: P_c = .25, p = .05 needs 139 values
    # for alpha_min = .800 and 81 for .667 (values = 2 coders x units).
    assert math.ceil(2 * minimum_units(0.25, 0.800)) == 139
    assert math.ceil(2 * minimum_units(0.25, 0.667)) == 81
    assert minimum_units(0.0) == math.inf and minimum_units(1.0) == math.inf
    # rarer values need more units
    assert minimum_units(0.1) > minimum_units(0.25) > minimum_units(0.5)


@pytest.mark.parametrize(
    ("low", "expected"),
    [(0.800, "reliable"), (0.7999, "tentative"), (0.667, "tentative"), (0.6669, "unreliable"),
     (-0.05, "unreliable")],
)
def test_lower_bound_boundaries(low: float, expected: str) -> None:
    need = math.ceil(minimum_units(0.5))
    assert judge(0.95, low, need, 0.5, bootstrap=1000).verdict == expected


def test_sample_size_boundary() -> None:
    need = math.ceil(minimum_units(0.3))
    assert judge(1.0, 1.0, need, 0.3, bootstrap=100).verdict == "reliable"
    below = judge(1.0, 1.0, need - 1, 0.3, bootstrap=100)
    assert below.verdict == INSUFFICIENT and f"{need} needed" in below.reason


def test_insufficient_reasons() -> None:
    assert judge(float("nan"), float("nan"), 0, None, bootstrap=100).reason.startswith("no segment")
    assert "no variation" in judge(float("nan"), float("nan"), 50, 0.5, bootstrap=100).reason
    off = judge(0.9, float("nan"), 500, 0.5, bootstrap=0)
    assert off.verdict == INSUFFICIENT and "--bootstrap 0" in off.reason
    assert "every bootstrap resample" in judge(0.9, float("nan"), 500, 0.5, bootstrap=10).reason


def _book() -> Codebook:
    return Codebook((Facet("f", (Code("c", "f", Bilingual(en="C")), Code("d", "f", Bilingual(en="D"))),
                           multiple=True, label=Bilingual(en="F")),))


def _states(pattern: list[tuple[bool, bool]]) -> dict[str, dict[str, frozenset[str]]]:
    return {f"s{i}": {"a": F({"c"} if x else set()), "b": F({"c"} if y else set())}
            for i, (x, y) in enumerate(pattern)}


def test_one_shared_positive_is_insufficient_not_reliable() -> None:
    # 11 segments: both coders apply the code on one, neither on ten. Alpha is 1.000 with an
    # interval of [1, 1] where defined, yet one positive cannot make it "reliable".
    report = build_report(_book(), ["a", "b"], _states([(True, True)] + [(False, False)] * 10),
                          bootstrap=500, seed=0)
    code = report.facets[0].codes[0]
    assert code.stats.krippendorff_alpha == pytest.approx(1.0)
    assert code.stats.verdict == INSUFFICIENT
    assert code.stats.low_prevalence
    assert code.counts == {"positives": 2, "both": 1, "only_one": 0, "neither": 10}
    data = to_json(report)["facets"]["f"]["codes"]["c"]
    assert data["verdict"] == INSUFFICIENT and "needed" in data["verdict_reason"]
    # resamples without the one positive segment have no variation: dropped and counted
    assert data["undefined_replicates"]["krippendorff_alpha"] > 0


def test_interval_that_includes_chance_is_not_tentative() -> None:
    # 60 segments, balanced code, some disagreement: alpha about .75 but the interval is wide.
    pattern = [(True, True)] * 24 + [(False, False)] * 27 + [(True, False)] * 5 + [(False, True)] * 4
    report = build_report(_book(), ["a", "b"], _states(pattern), bootstrap=1000, seed=3)
    stats = report.facets[0].codes[0].stats
    assert 0.667 < stats.krippendorff_alpha < 0.8
    assert stats.alpha_ci95[0] < 0.667
    assert stats.verdict == "unreliable"


def test_large_perfect_sample_is_reliable_and_every_verdict_is_one_of_four() -> None:
    pattern = [(True, True)] * 40 + [(False, False)] * 40
    report = build_report(_book(), ["a", "b"], _states(pattern), bootstrap=300, seed=1)
    assert report.facets[0].codes[0].stats.verdict == "reliable"
    data = to_json(report)
    rows = [data["facets"]["f"], data["facets"]["f"]["pooled"], data["codebook_pooled"],
            *data["facets"]["f"]["codes"].values()]
    assert all(r["verdict"] in VERDICTS for r in rows)
    # code d is never used: no variation
    assert data["facets"]["f"]["codes"]["d"]["verdict"] == INSUFFICIENT
    assert set(data["method"]) == {"ci", "resamples", "seed", "thresholds", "verdict_rule"}
    assert data["method"]["thresholds"] == {"reliable": 0.8, "tentative": 0.667}


def test_sample_size_boundary_on_constructed_data() -> None:
    # A balanced code (P = .5) needs ceil(29.79) = 30 units. 30 perfectly agreeing segments are
    # reliable; 29 (P = 28/58) are one short.
    assert math.ceil(minimum_units(0.5)) == 30
    enough = build_report(_book(), ["a", "b"], _states([(True, True)] * 15 + [(False, False)] * 15),
                          bootstrap=200, seed=0)
    assert enough.facets[0].codes[0].stats.verdict == "reliable"
    short = build_report(_book(), ["a", "b"], _states([(True, True)] * 14 + [(False, False)] * 15),
                         bootstrap=200, seed=0)
    stats = short.facets[0].codes[0].stats
    assert stats.verdict == INSUFFICIENT and stats.judgement.reason.startswith("29 units; 30 needed")
