"""Notes say the right reason for an empty value, and warnings catch one-sided done marks."""

from __future__ import annotations

import pytest

from annotator.agreement.report import NO_SHARED, build_report, done_cover_warnings
from annotator.agreement.report_json import to_json
from annotator.model import Bilingual, Code, Codebook, Facet

F = frozenset
BOOK = Codebook((Facet("f", (Code("a", "f", Bilingual(en="A")), Code("b", "f", Bilingual(en="B"))), label=Bilingual(en="F")),))


def test_pair_without_a_shared_segment_is_not_called_no_variation() -> None:
    states = {
        "s1": {"x": F({"a"}), "y": F({"b"})},
        "s2": {"x": F({"b"}), "y": F({"b"})},
        "s3": {"y": F({"a"}), "z": F({"a"})},
        "s4": {"y": F({"b"}), "z": F({"a"})},
    }
    data = to_json(build_report(BOOK, ["x", "y", "z"], states, bootstrap=0))
    facet = data["facets"]["f"]
    assert facet["cohen_kappa_pairwise"]["x|z"] is None
    assert facet["note"]["cohen_kappa_pairwise:x|z"] == NO_SHARED
    assert facet["cohen_kappa_pairwise"]["x|y"] is not None


def test_zero_units_is_not_called_no_variation() -> None:
    data = to_json(build_report(BOOK, ["x", "q"], {"s1": {"x": F({"a"})}}, bootstrap=10))
    assert data["units"] == 0
    facet = data["facets"]["f"]
    assert "no segment done by two coders" in facet["note"]["krippendorff_alpha"]
    assert facet["verdict"] == "insufficient data" and facet["verdict_reason"] == "no segment done by two coders"


def test_done_cover_warning() -> None:
    states = {
        "s1": {"x": F({"a"}), "y": F({"a"})},
        "s2": {"y": F()},  # y: done, no code; x left it unfinished
        "s3": {"x": F({"b"}), "y": F()},
    }
    assert done_cover_warnings(states, ["x", "y"]) == [
        "x's 2 done marks all carry a code, and 1 segments others marked done with no code are not "
        "done by x: segments x left uncoded count as missing, not as 'no code', which can inflate agreement"
    ]
    states["s4"] = {"x": F()}
    assert done_cover_warnings(states, ["x", "y"]) == []


def test_terminal_table_shows_no_control_character_from_data() -> None:
    from annotator.agreement.render import render_table

    book = Codebook((Facet("f", (Code("a", "f", Bilingual(en="Evil\x1b[2J label\u202e")),
                                 Code("b", "f", Bilingual(en="B"))), label=Bilingual(en="F")),))
    states = {"s1": {"x": F({"a"}), "y": F({"a"})}, "s2": {"x": F({"b"}), "y": F({"a"})}}
    table = render_table(build_report(book, ["x", "y"], states, bootstrap=0))
    assert "\x1b" not in table and "\u202e" not in table
    assert "Evil\\u001b[2J label\\u202e" in table


def test_no_code_is_always_a_category_of_a_single_choice_facet() -> None:
    from annotator.agreement import brennan_prediger, gwet_ac1

    states = {f"s{i}": {"x": F({"a" if i % 3 else "b"}), "y": F({"a" if i % 4 else "b"})} for i in range(12)}
    stats = build_report(BOOK, ["x", "y"], states, bootstrap=0).facets[0].stats
    rows = [["a" if i % 3 else "b" for i in range(12)], ["a" if i % 4 else "b" for i in range(12)]]
    cats = ["a", "b", "(none)"]  # nobody used "(none)", yet q = 3
    assert stats.gwet_ac1 == pytest.approx(gwet_ac1(rows, categories=cats))
    assert gwet_ac1(rows, categories=cats) != pytest.approx(gwet_ac1(rows))
    assert stats.brennan_prediger == pytest.approx(brennan_prediger(rows, categories=cats))
