"""Units alike are computed once: the report equals the one that treats every unit on its own.

The report groups units on which the same coders finished with the same codes, computes each
group once weighted by its size, and counts each bootstrap resample's draws per group. Run with
the grouping switched off (every unit its own group, as the report used to be computed), every
coefficient, interval and count must be the same (up to floating-point rounding).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from annotator.agreement import patterns, report
from annotator.agreement.done_codes import DoneCodes
from annotator.agreement.report import build_report
from annotator.agreement.report_model import AgreementReport, Coefficients
from annotator.model import Bilingual, Code, Codebook, Facet


def _book() -> Codebook:
    dims = tuple(Code(c, "dim", Bilingual(en=c)) for c in ("a", "b", "c"))
    kinds = tuple(Code(c, "kind", Bilingual(en=c)) for c in ("p", "q", "r", "s"))
    return Codebook((Facet("dim", dims, label=Bilingual(en="D")),
                     Facet("kind", kinds, label=Bilingual(en="K"), multiple=True)))


def _states(seed: int, units: int = 300) -> dict[str, dict[str, frozenset[str]]]:
    """Few distinct units, many repeats: coders mostly agree, sometimes skip or differ."""
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, frozenset[str]]] = {}
    for u in range(units):
        kinds = [(), ("p",), ("q", "r")][int(rng.integers(0, 3))]
        truth = {["a", "b", "c"][int(rng.integers(0, 3))], *kinds}
        per = {}
        for coder in ("ann", "bo", "cy", "di"):
            if rng.random() < 0.1:
                continue  # not finished
            codes = set(truth)
            if rng.random() < 0.1:
                codes ^= {["a", "b", "p", "s"][int(rng.integers(0, 4))]}
            per[coder] = frozenset(codes)
        out[f"s{u:04d}"] = per
    return out


def _each_unit_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def alone(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = rows.shape[0]
        return np.arange(n, dtype=np.int64), np.arange(n, dtype=np.int64)

    monkeypatch.setattr(patterns, "distinct_rows", alone)
    monkeypatch.setattr(report, "distinct_rows", alone)


def _same(a: Coefficients, b: Coefficients) -> None:
    assert (a.units, a.values, a.verdict) == (b.units, b.values, b.verdict)
    assert set(a.estimates) == set(b.estimates)
    for metric, est in a.estimates.items():
        other = b.estimates[metric]
        for x, y in ((est.value, other.value), *zip(est.ci, other.ci, strict=True)):
            assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y, abs=1e-12), metric
        assert est.dropped == other.dropped
    assert a.pairwise.keys() == b.pairwise.keys()


def _same_report(a: AgreementReport, b: AgreementReport) -> None:
    assert a.units == b.units and a.disagreements == b.disagreements and a.warnings == b.warnings
    for fa, fb in zip(a.facets, b.facets, strict=True):
        assert (fa.counts, fa.confusion) == (fb.counts, fb.confusion)
        _same(fa.stats, fb.stats)
        for ca, cb in zip(fa.codes, fb.codes, strict=True):
            assert ca.counts == cb.counts
            _same(ca.stats, cb.stats)
        if fa.pooled is not None and fb.pooled is not None:
            _same(fa.pooled, fb.pooled)
    assert a.overall is not None and b.overall is not None
    _same(a.overall, b.overall)


@pytest.mark.parametrize("coders", [("ann", "bo", "cy", "di"), ("ann", "cy")])
def test_units_alike_give_the_report_of_every_unit_alone(monkeypatch: pytest.MonkeyPatch,
                                                         coders: tuple[str, ...]) -> None:
    states = _states(seed=len(coders))
    grouped = build_report(_book(), coders, states, bootstrap=300, seed=5)
    assert len(patterns.distinct_units(DoneCodes.from_states(states, coders)).weight) < 150
    _each_unit_alone(monkeypatch)
    alone = build_report(_book(), coders, states, bootstrap=300, seed=5)
    _same_report(grouped, alone)


def test_a_table_and_its_dictionaries_give_the_same_report() -> None:
    states = _states(seed=9, units=120)
    coders = ("ann", "bo", "cy", "di")
    table = DoneCodes.from_states(states, coders)
    assert table.to_states() == {u: dict(per) for u, per in states.items()}
    _same_report(build_report(_book(), coders, table, bootstrap=50, seed=1),
                 build_report(_book(), coders, states, bootstrap=50, seed=1))
