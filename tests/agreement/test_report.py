"""The agreement report on small hand-made states whose numbers can be checked by hand."""

from __future__ import annotations

import json
import math

import lxml.html
import pytest

from annotator.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha, percent_agreement
from annotator.agreement.render import render_html, render_markdown, render_table
from annotator.agreement.report import (
    NO_VARIATION,
    build_report,
    disagreements,
)
from annotator.agreement.report_json import to_json
from annotator.errors import UsageError
from annotator.model import Bilingual, Code, Codebook, Facet


def _codebook() -> Codebook:
    dim = Facet(
        "dim",
        (Code("A", "dim", Bilingual("甲", "Alpha")), Code("B", "dim", Bilingual("乙", "Beta"))),
        multiple=False,
        label=Bilingual("维度", "Dimension"),
    )
    burden = Facet(
        "burden",
        tuple(Code(c, "burden", Bilingual(en=c.upper())) for c in ("x", "y", "z")),
        multiple=True,
        label=Bilingual("负担", "Burden"),
    )
    return Codebook((dim, burden))


F = frozenset
# Only coders who marked a segment done appear. s5 has one coder, s6 none: neither is a unit.
STATES = {
    "s1": {"ann": F({"A", "x"}), "bob": F({"A", "x"})},
    "s2": {"ann": F({"A", "x", "y"}), "bob": F({"B", "x"})},
    "s3": {"ann": F({"B"}), "bob": F({"B", "y"})},
    "s4": {"ann": F({"B", "y"}), "bob": F()},
    "s5": {"ann": F({"A"})},
    "s6": {},
}


def test_single_choice_facet_by_hand() -> None:
    report = build_report(_codebook(), ["ann", "bob"], STATES, bootstrap=200, seed=1)
    assert report.units == ("s1", "s2", "s3", "s4")
    dim = report.facets[0]
    # ann: A A B B; bob: A B B (none)  ->  agree on s1, s3: 2/4.
    assert dim.stats.percent_agreement == pytest.approx(0.5)
    # Cohen: p_o = 1/2; margins ann (A 2, B 2, none 0), bob (A 1, B 2, none 1):
    # p_e = (2*1 + 2*2) / 16 = 3/8; kappa = (1/2 - 3/8) / (5/8) = 0.2.
    assert dim.stats.cohen_kappa_pairwise == {("ann", "bob"): pytest.approx(0.2)}
    assert dim.stats.cohen_kappa_mean == pytest.approx(0.2)
    # "(none)" is a category because bob applied no dimension on s4.
    assert dim.counts == {"A": 3, "B": 4, "(none)": 1}
    rows = [["A", "A", "B", "B"], ["A", "B", "B", "(none)"]]
    assert dim.stats.krippendorff_alpha == pytest.approx(krippendorff_alpha(rows))
    assert dim.stats.fleiss_kappa == pytest.approx(fleiss_kappa(rows))
    # per code, present/absent: A ann T T F F, bob T F F F
    code_a = dim.codes[0]
    assert code_a.counts == {"positives": 3, "both": 1, "only_one": 1, "neither": 2}
    assert code_a.stats.percent_agreement == pytest.approx(0.75)
    assert code_a.stats.cohen_kappa_pairwise[("ann", "bob")] == pytest.approx(
        cohen_kappa([[1, 1, 0, 0], [1, 0, 0, 0]])
    )
    assert dim.codes[1].counts == {"positives": 4, "both": 1, "only_one": 2, "neither": 1}


def test_multi_choice_facet_masi_by_hand() -> None:
    report = build_report(_codebook(), ["ann", "bob"], STATES, bootstrap=200, seed=1)
    burden = report.facets[1]
    # sets ann: {x} {x,y} {} {y}; bob: {x} {x} {y} {}.
    # delta_MASI: 0, 1 - (1/2)(2/3) = 2/3, 1, 1 -> sum o*delta = 2 * 8/3 = 16/3, n = 8, D_o = 2/3.
    # values {x}x3, {x,y}x1, {}x2, {y}x2; sum_{c<k} n_c n_k delta = 2 + 6 + 6 + 2 + 4/3 + 4
    # = 64/3; D_e = 2 * 64/3 / 56 = 16/21; alpha = 1 - (2/3) / (16/21) = 1/8.
    assert burden.stats.alpha_level == "masi"
    assert burden.stats.krippendorff_alpha == pytest.approx(1 / 8)
    assert burden.stats.percent_agreement == pytest.approx(0.25)  # identical sets only on s1
    assert math.isnan(burden.stats.fleiss_kappa)
    x, y, z = burden.codes
    # x: ann T T F F, bob T T F F: perfect.
    assert x.counts == {"positives": 4, "both": 2, "only_one": 0, "neither": 2}
    assert x.stats.krippendorff_alpha == pytest.approx(1.0)
    # y: ann F T F T, bob F F T F.
    assert y.counts == {"positives": 3, "both": 0, "only_one": 3, "neither": 1}
    assert y.stats.percent_agreement == pytest.approx(0.25)
    # z: nobody used it -> undefined, never a silent 1.0 or 0.
    assert z.counts == {"positives": 0, "both": 0, "only_one": 0, "neither": 4}
    assert math.isnan(z.stats.krippendorff_alpha)
    assert math.isnan(z.stats.cohen_kappa_pairwise[("ann", "bob")])
    assert z.stats.verdict == "insufficient data"
    assert z.stats.percent_agreement == 1.0


def test_three_coders_missing_is_not_none() -> None:
    states = {
        "u1": {"a": F({"A"}), "b": F({"A"}), "c": F({"B"})},
        "u2": {"a": F({"B"}), "b": F({"B"})},  # c never finished u2: missing, not "(none)"
        "u3": {"a": F({"A"}), "c": F({"A"})},
        "u4": {"b": F({"B"}), "c": F()},
    }
    report = build_report(_codebook(), ["a", "b", "c"], states, facets=["dim"], bootstrap=0)
    dim = report.facets[0]
    rows = [["A", "B", "A", None], ["A", "B", None, "B"], ["B", None, "A", "(none)"]]
    assert dim.stats.fleiss_kappa == pytest.approx(fleiss_kappa(rows))
    assert dim.stats.percent_agreement == pytest.approx(percent_agreement(rows))
    # u1: 1 agreeing pair of 3; u2, u3: 1 of 1; u4: 0 of 1 -> (1/3 + 1 + 1 + 0) / 4.
    assert dim.stats.percent_agreement == pytest.approx((1 / 3 + 2) / 4)
    assert dim.counts == {"A": 4, "B": 4, "(none)": 1}
    # code A: u1 two of three, u3 all who did it, u2 and u4 none.
    assert dim.codes[0].counts == {"positives": 4, "all": 1, "some": 1, "none": 2}
    assert set(dim.stats.cohen_kappa_pairwise) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert math.isnan(dim.stats.alpha_ci95[0])  # bootstrap=0


def test_bootstrap_interval_is_reproducible() -> None:
    a = build_report(_codebook(), ["ann", "bob"], STATES, bootstrap=300, seed=4)
    b = build_report(_codebook(), ["ann", "bob"], STATES, bootstrap=300, seed=4)
    assert a.facets[0].stats.alpha_ci95 == b.facets[0].stats.alpha_ci95
    lo, hi = a.facets[0].stats.alpha_ci95
    assert lo <= hi


def test_json_writes_nan_as_null_with_a_note() -> None:
    report = build_report(_codebook(), ["ann", "bob"], STATES, bootstrap=100, seed=0)
    data = to_json(report)
    json.dumps(data, allow_nan=False)  # no NaN leaks into the JSON
    dim = data["facets"]["dim"]
    assert dim["units"] == 4 and dim["coders"] == ["ann", "bob"]
    assert dim["cohen_kappa_pairwise"] == {"ann|bob": pytest.approx(0.2)}
    assert set(dim) >= {
        "percent_agreement", "krippendorff_alpha", "alpha_ci95", "fleiss_kappa", "gwet_ac1",
        "brennan_prediger", "cohen_kappa_pairwise", "codes",
    }  # fmt: skip
    z = data["facets"]["burden"]["codes"]["z"]
    assert z["krippendorff_alpha"] is None
    assert z["note"]["krippendorff_alpha"] == NO_VARIATION
    assert z["counts"] == {"positives": 0, "both": 0, "only_one": 0, "neither": 4}
    burden = data["facets"]["burden"]
    assert burden["fleiss_kappa"] is None and "multi-choice" in burden["note"]["fleiss_kappa"]


def test_disagreements() -> None:
    book = _codebook()
    found = disagreements(book, STATES, facet="dim")
    assert [(d.segment, d.codes) for d in found] == [
        ("s2", {"ann": ("A",), "bob": ("B",)}),
        ("s4", {"ann": ("B",), "bob": ()}),
    ]
    assert [d.segment for d in disagreements(book, STATES, facet="burden")] == ["s2", "s3", "s4"]
    assert [d.segment for d in disagreements(book, STATES, code="y")] == ["s2", "s3", "s4"]
    assert disagreements(book, STATES, code="x") == []
    assert disagreements(book, STATES, coders=["ann", "cy"]) == []
    with pytest.raises(UsageError):
        disagreements(book, STATES, code="nope")


def test_usage_errors() -> None:
    with pytest.raises(UsageError, match="two coders"):
        build_report(_codebook(), ["ann"], STATES)
    with pytest.raises(UsageError, match="unknown facet"):
        build_report(_codebook(), ["ann", "bob"], STATES, facets=["nope"])


def test_no_units_reads_not_computable() -> None:
    report = build_report(_codebook(), ["ann", "cy"], STATES, bootstrap=50)
    assert report.units == ()
    data = to_json(report)
    assert data["facets"]["dim"]["krippendorff_alpha"] is None
    assert "no segment" in data["facets"]["dim"]["note"]["krippendorff_alpha"]


def test_renderers() -> None:
    texts = {
        "s2": ("要把减负落到实处 <b>", "Make burden reduction <real>"),
        "s4": ("台账", "ledgers"),
    }
    report = build_report(_codebook(), ["ann", "bob"], STATES, bootstrap=100, texts=texts)
    table = render_table(report)
    assert "Dimension (dim; single-choice, nominal)" in table
    assert NO_VARIATION in table  # code z
    zh_table = render_table(report, lang="zh")
    assert "维度" in zh_table and "甲" in zh_table
    md = render_markdown(report)
    assert "| Dimension | 4 | 8 |  |  |  |  | 50.0% |" in md
    assert md.count("|---|") >= 2
    html = render_html(report)
    doc = lxml.html.document_fromstring(html)
    # a bar per row (facet, codes, pooled row) and an axis per facet; two coders: a confusion matrix
    assert len(doc.xpath("//svg")) == (1 + 2 + 1) + (1 + 3 + 1 + 1)
    assert len(doc.xpath("//table[@class='confusion']")) == 1
    assert not doc.xpath("//script | //link | //img | //*[@src]")
    assert "url(" not in html and "@import" not in html
    assert "要把减负落到实处 &lt;b&gt;" in html and "Make burden reduction &lt;real&gt;" in html
    assert "台账" in html
