"""An HTML report lists the first disagreements only, says how many there are and where the rest are."""

from __future__ import annotations

from annotator.agreement.render_html import HTML_DISAGREEMENTS, render_html, shown_disagreements
from annotator.agreement.report import build_report
from tests.agreement.test_report import _codebook


def _states(n: int) -> dict[str, dict[str, frozenset[str]]]:
    """``n`` segments on which ann and bob differ in the dimension, and one they agree on."""
    out = {f"s{i:04d}": {"ann": frozenset({"A"}), "bob": frozenset({"B"})} for i in range(n)}
    out["same"] = {"ann": frozenset({"A"}), "bob": frozenset({"A"})}
    return out


def test_a_long_list_is_cut_to_the_first_with_a_note() -> None:
    n = HTML_DISAGREEMENTS + 37
    report = build_report(_codebook(), ["ann", "bob"], _states(n), bootstrap=0)
    page = render_html(report)
    assert len(report.disagreements) == n
    assert page.count('<div class="dis">') == HTML_DISAGREEMENTS
    assert f"Disagreements ({n:,})" in page
    assert f"The first {HTML_DISAGREEMENTS:,} of {n:,} are listed" in page
    assert "annotator disagreements" in page
    shown = [d.segment for d in shown_disagreements(report)]
    assert shown == [f"s{i:04d}" for i in range(HTML_DISAGREEMENTS)]  # in reading order
    assert f"<b>s{HTML_DISAGREEMENTS - 1:04d}</b>" in page and f"<b>s{HTML_DISAGREEMENTS:04d}</b>" not in page


def test_a_short_list_is_whole_and_has_no_note() -> None:
    report = build_report(_codebook(), ["ann", "bob"], _states(3), bootstrap=0)
    page = render_html(report)
    assert page.count('<div class="dis">') == 3
    assert "are listed here" not in page
