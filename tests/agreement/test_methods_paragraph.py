"""The methods paragraph (English and Chinese) quotes the very figures the JSON holds."""

from __future__ import annotations

import numpy as np

from annotator.agreement.methods_text import methods_en, methods_markdown, methods_zh
from annotator.agreement.render import render_html, render_markdown
from annotator.agreement.report import build_report
from annotator.agreement.report_json import to_json
from annotator.model import Bilingual, Code, Codebook, Facet


def _report(bootstrap: int = 300):  # type: ignore[no-untyped-def]
    book = Codebook((
        Facet("dim", tuple(Code(c, "dim", Bilingual(f"维{c}", f"Dim {c}")) for c in "ABC"), label=Bilingual("维度", "Dimension")),
        Facet("bur", tuple(Code(c, "bur", Bilingual(f"负{c}", f"Bur {c}")) for c in "xyz"), multiple=True,
              label=Bilingual("负担", "Burden")),
    ))
    rng = np.random.default_rng(2)
    states = {}
    for i in range(50):
        t = rng.choice(list("ABC"))
        states[f"s{i}"] = {
            coder: frozenset({t if rng.random() < 0.8 else rng.choice(list("ABC"))}
                             | {c for c in "xyz" if rng.random() < 0.3})
            for coder in ("ann", "bob")
        }
    return build_report(book, ["ann", "bob"], states, bootstrap=bootstrap, seed=3)


def _quoted(entry: dict) -> str:  # type: ignore[type-arg]
    lo, hi = entry["alpha_ci95"]
    return f"α = {entry['krippendorff_alpha']:.3f} [{lo:.3f}, {hi:.3f}]"


def test_paragraph_figures_equal_the_json() -> None:
    report = _report()
    data = to_json(report)
    en, zh = methods_en(report, 200), methods_zh(report, 200)
    entries = [data["facets"]["dim"], data["facets"]["bur"], data["facets"]["bur"]["pooled"], data["codebook_pooled"]]
    for entry in entries:
        for text in (en, zh):
            assert _quoted(entry) in text
            assert f"{entry['percent_agreement'] * 100:.1f}%" in text
    assert f"{data['units']} segments independently (25.0% of the 200 segments" in en
    assert f"独立编码了{data['units']}个片段（占语料全部200个片段的25.0%）" in zh
    assert f"{data['method']['resamples']} resamples of segments, seed {data['method']['seed']}" in en
    assert "0.800" in en and "0.667" in en and "annotator 0.1.0" in en and "annotator 0.1.0" in zh
    verdict = data["facets"]["dim"]["verdict"]
    assert f"Dimension: {_quoted(data['facets']['dim'])}, percent agreement" in en and verdict in en
    assert "维度：α =" in zh


def test_md_and_html_end_with_both_paragraphs() -> None:
    report = _report(100)
    md = render_markdown(report, methods=methods_markdown(report, 50))
    assert md.rstrip().endswith(methods_zh(report, 50))
    assert methods_en(report, 50) in md
    html = render_html(report, methods=[(methods_en(report), "en"), (methods_zh(report), "zh")])
    assert '<p lang="zh">信度检验' in html and '<p lang="en">Reliability.' in html


def test_without_bootstrap_the_paragraph_says_so() -> None:
    report = _report(0)
    assert "no confidence intervals (bootstrap off)" in methods_en(report)
    assert "未计算置信区间" in methods_zh(report)
