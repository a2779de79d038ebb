"""Render an :class:`AgreementReport` as a terminal table, Markdown or one self-contained HTML file.

The HTML needs no network: inline CSS, inline SVG charts (a coder x coder heatmap of pairwise
Cohen's kappa, a bar chart of alpha per code), no scripts, no external fonts.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from html import escape

from annotator.agreement.report import (
    RELIABLE,
    TENTATIVE,
    AgreementReport,
    Coefficients,
    FacetAgreement,
)
from annotator.plural import plural

HEADERS = ("", "units", "% agree", "alpha", "95% CI", "Fleiss", "AC1", "BP", "Cohen", "verdict")


def _f(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.3f}"


def _ci(stats: Coefficients) -> str:
    lo, hi = stats.alpha_ci95
    return "—" if math.isnan(lo) else f"[{lo:.3f}, {hi:.3f}]"


def _verdict(stats: Coefficients) -> str:
    note = stats.note("krippendorff_alpha")
    return note if note else stats.verdict


def _row(name: str, s: Coefficients) -> list[str]:
    return [
        name,
        str(s.units),
        _f(s.percent_agreement),
        _f(s.krippendorff_alpha),
        _ci(s),
        _f(s.fleiss_kappa),
        _f(s.gwet_ac1),
        _f(s.brennan_prediger),
        _f(s.cohen_kappa_mean),
        _verdict(s),
    ]


def _facet_rows(facet: FacetAgreement, lang: str) -> list[list[str]]:
    rows = [_row(facet.label.get(lang) or facet.facet, facet.stats)]
    for code in facet.codes:
        rows.append(_row("  " + (code.label.get(lang) or code.code), code.stats))
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def _grid(headers: Sequence[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [list(headers), *rows]) for i in range(len(headers))]
    lines = []
    for n, r in enumerate([list(headers), *rows]):
        cells = [_pad(c, widths[i], right=0 < i < len(r) - 1) for i, c in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _facet_title(facet: FacetAgreement, lang: str) -> str:
    kind = "multi-choice, alpha with MASI" if facet.multiple else "single-choice, nominal"
    return f"{facet.label.get(lang) or facet.facet} ({facet.facet}; {kind})"


def _pairwise_lines(report: AgreementReport, facet: FacetAgreement) -> list[str]:
    pairs = facet.stats.cohen_kappa_pairwise
    if not pairs or all(math.isnan(v) for v in pairs.values()):
        return []
    return ["Cohen's kappa per pair: " + ", ".join(f"{a}|{b} {_f(v)}" for (a, b), v in pairs.items())]


def _thresholds() -> str:
    return (
        f"Krippendorff (2004): alpha >= {RELIABLE:.3f} reliable, >= {TENTATIVE:.3f} tentative, "
        "below unreliable."
    )


def render_table(report: AgreementReport, lang: str = "en") -> str:
    """Plain-text tables for a terminal (CJK-aware column widths)."""
    out = [
        f"Agreement among {', '.join(report.coders)} on {plural(len(report.units), 'segment')} "
        f"(done by at least two of them); 95% CI from {report.bootstrap} bootstrap resamples.",
        _thresholds(),
    ]
    for facet in report.facets:
        out += ["", _facet_title(facet, lang)]
        out += _grid(HEADERS, _facet_rows(facet, lang))
        out += _pairwise_lines(report, facet)
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return text.strip().replace("|", "\\|")


def render_markdown(report: AgreementReport, lang: str = "en") -> str:
    """Markdown tables, one per facet, for pasting into a paper."""
    out = [
        "## Inter-coder agreement",
        "",
        f"Coders: {', '.join(report.coders)}. Segments coded by at least two of them: "
        f"{len(report.units)}. 95% confidence intervals for alpha: percentile bootstrap over "
        f"segments ({report.bootstrap} resamples, seed {report.seed}). {_thresholds()}",
    ]
    for facet in report.facets:
        out += ["", f"### {_md_cell(_facet_title(facet, lang))}", ""]
        out.append("| " + " | ".join(h or "code" for h in HEADERS) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(HEADERS) - 2) + ["---"]) + "|")
        for i, row in enumerate(_facet_rows(facet, lang)):
            cells = [_md_cell(c) for c in row]
            if i == 0:
                cells[0] = f"**{cells[0]}**"
            out.append("| " + " | ".join(cells) + " |")
        pair_lines = _pairwise_lines(report, facet)
        if pair_lines:
            out += ["", pair_lines[0] + "."]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}
th:first-child,td:first-child,td.v{text-align:left}
tr.facet td{font-weight:bold;background:#f4f4f4}
.reliable{color:#1a7f37}.tentative{color:#9a6700}.unreliable{color:#cf222e}.na{color:#777}
.dis{border-left:3px solid #ccc;padding:.2em .8em;margin:.6em 0}
.zh,.en{margin:.2em 0}.codes{font-family:monospace;font-size:.9em}
svg text{font-family:system-ui,sans-serif;font-size:11px}
"""


def _cls(stats: Coefficients) -> str:
    return "na" if math.isnan(stats.krippendorff_alpha) else stats.verdict


def _color(value: float) -> str:
    """Red (<= 0) through yellow to green (1)."""
    if math.isnan(value):
        return "#dddddd"
    t = max(0.0, min(1.0, value))
    r = int(220 - 170 * t) if t > 0.5 else 220
    g = int(60 + 300 * t) if t <= 0.5 else 190
    return f"#{r:02x}{min(g, 190):02x}60"


def heatmap_svg(coders: Sequence[str], pairwise: dict[tuple[str, str], float]) -> str:
    """Coder x coder heatmap of pairwise Cohen's kappa as inline SVG."""
    cell, left, top = 56, 90, 70
    n = len(coders)
    size_w, size_h = left + cell * n + 10, top + cell * n + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_w}" height="{size_h}" '
        f'role="img" aria-label="pairwise Cohen kappa">'
    ]
    for i, a in enumerate(coders):
        parts.append(
            f'<text x="{left - 6}" y="{top + cell * i + cell / 2 + 4}" text-anchor="end">{escape(a)}</text>'
        )
        parts.append(
            f'<text x="{left + cell * i + cell / 2}" y="{top - 8}" text-anchor="middle">{escape(a)}</text>'
        )
        for j, b in enumerate(coders):
            value = 1.0 if i == j else pairwise.get((a, b), pairwise.get((b, a), float("nan")))
            label = "" if i == j else _f(value)
            x, y = left + cell * j, top + cell * i
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{"#eeeeee" if i == j else _color(value)}"><title>{escape(a)} | '
                f"{escape(b)}: {label or '—'}</title></rect>"
            )
            if label:
                parts.append(
                    f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 4}" text-anchor="middle">{label}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def alpha_bars_svg(names: Sequence[str], values: Sequence[float]) -> str:
    """Horizontal bars of alpha per code, with the .667 and .800 thresholds, as inline SVG."""
    bar, left, width = 20, 180, 360
    height = bar * len(names) + 40
    x0 = left + width * 0.5  # axis from -1 to 1: 0 sits in the middle

    def x(v: float) -> float:
        return left + (max(-1.0, min(1.0, v)) + 1.0) / 2.0 * width

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" '
        f'height="{height}" role="img" aria-label="alpha per code">'
    ]
    for i, (name, v) in enumerate(zip(names, values, strict=True)):
        y = 10 + bar * i
        parts.append(f'<text x="{left - 6}" y="{y + bar - 7}" text-anchor="end">{escape(name)}</text>')
        if math.isnan(v):
            parts.append(f'<text x="{x0 + 4}" y="{y + bar - 7}" fill="#777">n/a</text>')
            continue
        lo, hi = sorted((x0, x(v)))
        parts.append(
            f'<rect x="{lo:.1f}" y="{y + 2}" width="{hi - lo:.1f}" height="{bar - 5}" '
            f'fill="{_color(v)}"><title>{escape(name)}: {v:.3f}</title></rect>'
        )
        parts.append(f'<text x="{x(v) + 4 if v >= 0 else x0 + 4:.1f}" y="{y + bar - 7}">{v:.3f}</text>')
    axis_y = 10 + bar * len(names)
    for t, dash in ((0.0, ""), (TENTATIVE, "4 3"), (RELIABLE, "4 3")):
        parts.append(
            f'<line x1="{x(t):.1f}" y1="6" x2="{x(t):.1f}" y2="{axis_y}" stroke="#555" '
            f'stroke-dasharray="{dash}"/>'
            f'<text x="{x(t):.1f}" y="{axis_y + 14}" text-anchor="middle">{t:.3f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(facet: FacetAgreement, lang: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in HEADERS)
    rows = []
    stats = [facet.stats] + [c.stats for c in facet.codes]
    for i, (row, s) in enumerate(zip(_facet_rows(facet, lang), stats, strict=True)):
        cells = "".join(f"<td>{escape(c.strip())}</td>" for c in row[:-1])
        cells += f'<td class="v {_cls(s)}">{escape(row[-1])}</td>'
        rows.append(f'<tr class="{"facet" if i == 0 else "code"}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _facet_pairwise(facet: FacetAgreement) -> dict[tuple[str, str], float]:
    """The facet's pairwise kappas; for a multi-choice facet the mean over its codes."""
    pairs = facet.stats.cohen_kappa_pairwise
    if not facet.multiple:
        return pairs
    out: dict[tuple[str, str], float] = {}
    for pair in pairs:
        values = [c.stats.cohen_kappa_pairwise[pair] for c in facet.codes]
        finite = [v for v in values if not math.isnan(v)]
        out[pair] = sum(finite) / len(finite) if finite else float("nan")
    return out


def render_html(report: AgreementReport, lang: str = "en") -> str:
    """One self-contained HTML page: tables, inline SVG charts, disagreements with their text."""
    body = [
        "<h1>Inter-coder agreement</h1>",
        f"<p>Coders: {escape(', '.join(report.coders))}. Segments done by at least two of them: "
        f"{len(report.units)}. 95% CI: percentile bootstrap over segments ({report.bootstrap} "
        f"resamples, seed {report.seed}). {escape(_thresholds())}</p>",
    ]
    labels = {}
    for facet in report.facets:
        labels[facet.facet] = {c.code: c.label.get(lang) or c.code for c in facet.codes}
        body.append(f"<h2>{escape(_facet_title(facet, lang))}</h2>")
        body.append(_html_table(facet, lang))
        heading = "mean over its codes" if facet.multiple else "facet"
        body.append(f"<h3>Pairwise Cohen's kappa ({heading})</h3>")
        body.append(heatmap_svg(report.coders, _facet_pairwise(facet)))
        body.append("<h3>Krippendorff's alpha per code</h3>")
        body.append(
            alpha_bars_svg(
                [c.label.get(lang) or c.code for c in facet.codes],
                [c.stats.krippendorff_alpha for c in facet.codes],
            )
        )
    body.append(f"<h2>Disagreements ({len(report.disagreements)})</h2>")
    for d in report.disagreements:
        zh, en = report.texts.get(d.segment, ("", ""))
        codes = "; ".join(
            f"{escape(coder)}: {escape(', '.join(labels[d.facet].get(c, c) for c in cs) or '—')}"
            for coder, cs in d.codes.items()
        )
        body.append(
            f'<div class="dis"><div><b>{escape(d.segment)}</b> · {escape(d.facet)}</div>'
            + (f'<p class="zh" lang="zh">{escape(zh)}</p>' if zh else "")
            + (f'<p class="en" lang="en">{escape(en)}</p>' if en else "")
            + f'<div class="codes">{codes}</div></div>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Inter-coder agreement</title>"
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
