"""A methods paragraph for the paper, in English and in Chinese, with the report's own figures.

Every number comes from the :class:`AgreementReport` (the same values the JSON holds, printed to
three decimals), so the paragraph and the tables cannot disagree.
"""

from __future__ import annotations

import math

from annotator import __version__
from annotator.agreement.report_model import AgreementReport, Coefficients
from annotator.agreement.verdict import RELIABLE, TENTATIVE

ZH_VERDICTS = {
    "reliable": "可靠",
    "tentative": "仅可作初步结论",
    "unreliable": "不可靠",
    "insufficient data": "数据不足",
}


def _alpha(stats: Coefficients) -> str:
    v, (lo, hi) = stats.krippendorff_alpha, stats.alpha_ci95
    if math.isnan(v):
        return "α not computable"
    interval = "" if math.isnan(lo) else f" [{lo:.3f}, {hi:.3f}]"
    return f"α = {v:.3f}{interval}"


def _pct(stats: Coefficients) -> str:
    v = stats.percent_agreement
    return "—" if math.isnan(v) else f"{v * 100:.1f}%"


def _share(report: AgreementReport, corpus_units: int | None) -> tuple[str, str]:
    if not corpus_units:
        return "", ""
    share = len(report.units) / corpus_units * 100
    return (f" ({share:.1f}% of the {corpus_units} {report.unit_kind}s in the corpus)",
            f"（占语料全部{corpus_units}个{'片段' if report.unit_kind == 'segment' else '文档'}的{share:.1f}%）")


def _rows(report: AgreementReport, lang: str) -> list[tuple[str, Coefficients]]:
    rows = []
    for f in report.facets:
        name = f.label.get(lang) or f.facet
        rows.append((name, f.stats))
        if f.pooled is not None:
            rows.append((f"{name}（各代码合并）" if lang == "zh" else f"{name} (all codes pooled)", f.pooled))
    if report.overall is not None:
        rows.append(("全部代码合并" if lang == "zh" else "all codes of the codebook pooled", report.overall))
    return rows


def methods_en(report: AgreementReport, corpus_units: int | None = None) -> str:
    share, _ = _share(report, corpus_units)
    unit = report.unit_kind
    boot = (f"95% percentile bootstrap intervals ({report.bootstrap} resamples of {unit}s, seed "
            f"{report.seed})" if report.bootstrap > 0 else "no confidence intervals (bootstrap off)")
    facets = "; ".join(
        f"{name}: {_alpha(s)}, percent agreement {_pct(s)}, {s.verdict}" for name, s in _rows(report, "en")
    )
    return (
        f"Reliability. The unit of analysis was the transcript {unit}, fixed before coding. "
        f"{len(report.coders)} coders ({', '.join(report.coders)}) coded {len(report.units)} {unit}s "
        f"independently{share}. Agreement was measured with Krippendorff's alpha (nominal; MASI "
        f"distance for multi-choice facets) with {boot}. {facets}. Each variable was judged by the "
        f"lower bound of alpha's interval: reliable at {RELIABLE:.3f} or above, tentative at "
        f"{TENTATIVE:.3f} or above, unreliable below (Krippendorff, 2004); 'insufficient data' where "
        "alpha was undefined, no interval could be estimated, or the units fell short of Krippendorff's "
        f"(2004, section 11.4.2) minimum sample size. Computed with annotator {__version__}."
    )


def methods_zh(report: AgreementReport, corpus_units: int | None = None) -> str:
    _, share = _share(report, corpus_units)
    unit = "片段" if report.unit_kind == "segment" else "文档"
    boot = (f"95%置信区间由百分位自助法求得（对{unit}重抽样{report.bootstrap}次，随机种子{report.seed}）"
            if report.bootstrap > 0 else "未计算置信区间（自助法已关闭）")
    facets = "；".join(
        f"{name}：{_alpha(s).replace('α not computable', 'α无法计算')}，百分比一致率{_pct(s)}，"
        f"判定为{ZH_VERDICTS[s.verdict]}"
        for name, s in _rows(report, "zh")
    )
    return (
        f"信度检验。分析单位为编码前即已固定的访谈转录{unit}。{len(report.coders)}名编码员"
        f"（{'、'.join(report.coders)}）独立编码了{len(report.units)}个{unit}{share}。"
        f"一致性以Krippendorff's α衡量（名义尺度；多选维度采用MASI距离），{boot}。{facets}。"
        f"各变量依α置信区间下限判定：不低于{RELIABLE:.3f}为可靠，不低于{TENTATIVE:.3f}为仅可作初步结论，"
        "低于此为不可靠（Krippendorff, 2004）；α无法计算、无法估计区间或单位数少于Krippendorff（2004，"
        f"第11.4.2节）最低样本量时判定为数据不足。计算软件：annotator {__version__}。"
    )


def methods_markdown(report: AgreementReport, corpus_units: int | None = None) -> str:
    return (f"### Methods paragraph\n\n{methods_en(report, corpus_units)}\n\n"
            f"### 方法段落\n\n{methods_zh(report, corpus_units)}")
