"""The HTML report in a real browser: nothing overflows its box, SVG labels never overlap, bars
take their verdict's colour and carry whiskers. Needs headless Chromium (skipped without it)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import numpy as np
import pytest

from annotator.agreement.render import render_html
from annotator.agreement.render_html import VERDICT_COLOURS
from annotator.agreement.report import build_report
from annotator.model import Bilingual, Code, Codebook, Facet

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p and Path(p).exists()), None)

LONG = "A very long code label that goes on and on about mismatches of rights and responsibilities"
ZH = "权责不匹配而且还要承担大量没有明确规定的临时性任务和台账工作"

_PROBE = """
<script>
(function(){
  const bad = [];
  const boxes = document.querySelectorAll('td, th, p, li, h1, h2, h3, div.lab');
  for (const el of boxes) {
    if (el.scrollWidth > el.clientWidth + 1) bad.push('overflow: ' + el.tagName + ' ' + el.textContent.slice(0, 40));
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push('page wider than window');
  for (const svg of document.querySelectorAll('svg')) {
    const r = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].map(t => [t, t.getBoundingClientRect()]);
    for (const [t, b] of texts) {
      if (b.left < r.left - 0.5 || b.right > r.right + 0.5 || b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5)
        bad.push('svg text outside its svg: ' + t.textContent);
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i][1], b = texts[j][1];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
        bad.push('svg texts overlap: ' + texts[i][0].textContent + ' / ' + texts[j][0].textContent);
    }
  }
  document.body.setAttribute('data-layout', JSON.stringify(bad));
})();
</script>
"""


def _codebook() -> Codebook:
    dim = Facet("dim", (Code("A", "dim", Bilingual(ZH, LONG)), Code("B", "dim", Bilingual("乙", "Beta")),
                        Code("C", "dim", Bilingual("丙", "Gamma"))), label=Bilingual("维度", "Dimension"))
    burden = Facet("burden", tuple(Code(c, "burden", Bilingual(f"{ZH}{c}", f"{LONG} {c}")) for c in "xyz"),
                   multiple=True, label=Bilingual("负担", "Burden"))
    return Codebook((dim, burden))


def _states(coders: list[str], seed: int) -> dict[str, dict[str, frozenset[str]]]:
    rng = np.random.default_rng(seed)
    out = {}
    for i in range(40):
        truth = rng.choice(["A", "B", "C"])
        burden = {c for c in "xy" if rng.random() < 0.5}
        per = {}
        for coder in coders:
            dim = truth if rng.random() < 0.85 else rng.choice(["A", "B", "C"])
            extra = {"z"} if rng.random() < 0.05 else set()
            per[coder] = frozenset({dim} | burden | extra)
        out[f"s{i}"] = per
    return out


def _layout(html: str, tmp_path: Path) -> list[str]:
    assert CHROMIUM is not None
    page = tmp_path / "report.html"
    page.write_text(html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    found = re.search(r'data-layout="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    return list(json.loads(lxml.html.fromstring(f"<p title=\"{found.group(1)}\"></p>").get("title")))


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed")
@pytest.mark.parametrize(("coders", "lang"), [(["ann", "bob"], "en"), (["ann", "bob", "cy"], "zh")])
def test_nothing_overflows_in_a_real_browser(coders: list[str], lang: str, tmp_path: Path) -> None:
    report = build_report(_codebook(), coders, _states(coders, 4), bootstrap=200, seed=1)
    assert _layout(render_html(report, lang), tmp_path) == []


def test_bars_follow_verdicts_and_carry_whiskers() -> None:
    report = build_report(_codebook(), ["ann", "bob"], _states(["ann", "bob"], 4), bootstrap=200, seed=1)
    doc = lxml.html.document_fromstring(render_html(report))
    bars = doc.xpath("//rect[@class='bar']")
    rows = [r for f in report.facets for r in (f.stats, *(c.stats for c in f.codes), f.pooled) if r]
    defined = [r for r in rows if r.krippendorff_alpha == r.krippendorff_alpha]
    assert [b.get("fill") for b in bars] == [VERDICT_COLOURS[r.verdict] for r in defined]
    with_ci = [r for r in defined if r.alpha_ci95[0] == r.alpha_ci95[0]]
    assert len(doc.xpath("//g[@class='whisker']")) == len(with_ci) > 0
    assert len(doc.xpath("//table[@class='confusion']")) == 1  # two coders: the real table
    assert "Noto Sans CJK SC" in render_html(report)
    three = build_report(_codebook(), ["ann", "bob", "cy"], _states(["ann", "bob", "cy"], 4), bootstrap=0)
    doc3 = lxml.html.document_fromstring(render_html(three))
    assert doc3.xpath("//table[@class='heat']") and not doc3.xpath("//table[@class='confusion']")
