"""An :class:`AgreementReport` as one self-contained HTML page (no scripts, no network).

Bars of alpha per code are coloured by their verdict and carry their 95% interval as a whisker;
labels are HTML beside the chart, so they wrap instead of being clipped. Two coders get their
confusion matrix; more get a heatmap of pairwise Cohen's kappa.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from annotator.agreement.render_cells import (
    COEF_HEADERS,
    Footnotes,
    Row,
    ci_sentence,
    coefficient_cells,
    column_explanations,
    count_cells,
    count_headers,
    dropped_lines,
    facet_rows,
    facet_title,
    thresholds_sentence,
)
from annotator.agreement.report_model import AgreementReport, Coefficients, Disagreement, FacetAgreement
from annotator.agreement.verdict import RELIABLE, TENTATIVE

FONTS = ('system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","Source Han Sans SC",'
         '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif')
VERDICT_COLOURS = {
    "reliable": "#1a7f37",
    "tentative": "#bf8700",
    "unreliable": "#cf222e",
    "insufficient data": "#8c959f",
}
_CSS = f"""
body{{font-family:{FONTS};margin:2em;color:#222;max-width:1200px;line-height:1.4}}
table{{border-collapse:collapse;margin:.5em 0 1em}}
th,td{{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right;vertical-align:top}}
th{{font-weight:600;background:#fafafa}}
th:first-child,td:first-child,td.v,td.b,th.l{{text-align:left}}
td{{white-space:nowrap}}td:first-child,td.v,td.b{{white-space:normal}}
td:first-child{{max-width:18em;overflow-wrap:anywhere}}
td.b{{max-width:22em;overflow-wrap:anywhere;color:#555;font-size:.9em}}
tr.facet td,tr.codebook td{{font-weight:bold;background:#f4f4f4}}
tr.pooled td{{font-style:italic}}
.reliable{{color:#1a7f37}}.tentative{{color:#9a6700}}.unreliable{{color:#cf222e}}
.insufficient{{color:#57606a}}
.notes{{font-size:.9em;color:#444}}
.chart{{display:grid;grid-template-columns:minmax(8em,16em) 420px;column-gap:.6em;
  align-items:center;margin:.5em 0 1.5em}}
.chart .lab{{overflow-wrap:anywhere;text-align:right;font-size:.9em}}
.chart svg{{display:block}}
.dis{{border-left:3px solid #ccc;padding:.2em .8em;margin:.6em 0}}
.zh,.en{{margin:.2em 0}}.codes{{font-family:monospace;font-size:.9em}}
svg text{{font-family:{FONTS};font-size:11px}}
"""
_W, _PAD = 420, 30  # chart width; room left and right of the axis


def _x(v: float) -> float:
    """Axis from -1 to 1."""
    return _PAD + (max(-1.0, min(1.0, v)) + 1.0) / 2.0 * (_W - 2 * _PAD)


def _bar_svg(name: str, stats: Coefficients) -> str:
    v, (lo, hi) = stats.krippendorff_alpha, stats.alpha_ci95
    colour = VERDICT_COLOURS[stats.verdict]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="22" role="img" '
             f'aria-label="{escape(name)}: alpha">']
    for t in (0.0, TENTATIVE, RELIABLE):
        parts.append(f'<line x1="{_x(t):.1f}" y1="0" x2="{_x(t):.1f}" y2="22" stroke="#999" '
                     f'stroke-dasharray="{"" if t == 0 else "3 3"}"/>')
    if math.isnan(v):
        parts.append(f'<text class="val" x="{_x(0) + 4:.1f}" y="15" fill="#57606a">not computable</text>')
        return "".join(parts) + "</svg>"
    a, b = sorted((_x(0), _x(v)))
    parts.append(f'<rect class="bar" x="{a:.1f}" y="5" width="{max(b - a, 1):.1f}" height="12" '
                 f'fill="{colour}" fill-opacity="0.75"><title>{escape(name)}: alpha {v:.3f} '
                 f'({escape(stats.verdict)})</title></rect>')
    if not math.isnan(lo):
        x1, x2 = _x(lo), _x(hi)
        parts.append(f'<g class="whisker" stroke="#222"><line x1="{x1:.1f}" y1="11" x2="{x2:.1f}" y2="11"/>'
                     f'<line x1="{x1:.1f}" y1="6" x2="{x1:.1f}" y2="16"/>'
                     f'<line x1="{x2:.1f}" y1="6" x2="{x2:.1f}" y2="16"/></g>')
    return "".join(parts) + "</svg>"


def _axis_svg() -> str:
    """Threshold labels: 0.667 ends left of its line, 0.800 starts right of its own, so they
    never overlap; 0 sits on a row of its own."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="30" role="img" aria-label="axis">']
    for t, anchor, dx, y in ((-1.0, "start", 0, 12), (0.0, "middle", 0, 12), (1.0, "end", 0, 12),
                             (TENTATIVE, "end", -3, 26), (RELIABLE, "start", 3, 26)):
        label = f"{t:.3f}" if t in (TENTATIVE, RELIABLE) else f"{t:g}"
        parts.append(f'<text class="tick" x="{_x(t) + dx:.1f}" y="{y}" text-anchor="{anchor}">{label}</text>')
    return "".join(parts) + "</svg>"


def alpha_chart(rows: Sequence[Row]) -> str:
    """Alpha per row as bars coloured by verdict, with 95% interval whiskers."""
    cells = []
    for row in rows:
        label = row.name.strip() + (" (low prevalence)" if row.stats.low_prevalence else "")
        cells.append(f'<div class="lab" title="{escape(label)}">{escape(label)}</div>{_bar_svg(label, row.stats)}')
    cells.append(f'<div class="lab">alpha</div>{_axis_svg()}')
    return '<div class="chart">' + "".join(cells) + "</div>"


def _colour(value: float) -> str:
    if math.isnan(value):
        return "#dddddd"
    if value >= RELIABLE:
        return "#a8e0b5"
    return "#f5d78e" if value >= TENTATIVE else "#f4b4b4"


def heatmap_table(coders: Sequence[str], pairwise: dict[tuple[str, str], float]) -> str:
    """Coder x coder table of pairwise Cohen's kappa, cells shaded by the thresholds."""
    head = "".join(f"<th>{escape(c)}</th>" for c in coders)
    rows = []
    for a in coders:
        cells = []
        for b in coders:
            v = pairwise.get((a, b), pairwise.get((b, a), float("nan")))
            text = "" if a == b else ("—" if math.isnan(v) else f"{v:.3f}")
            cells.append(f'<td style="background:{"#f4f4f4" if a == b else _colour(v)}">{text}</td>')
        rows.append(f"<tr><th>{escape(a)}</th>{''.join(cells)}</tr>")
    return f'<table class="heat"><thead><tr><th></th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def confusion_table(report: AgreementReport, facet: FacetAgreement, labels: dict[str, str]) -> str:
    assert facet.confusion is not None
    cats, table = facet.confusion
    a, b = report.coders
    head = "".join(f"<th>{escape(labels.get(c, c))}</th>" for c in cats)
    body = "".join(
        f"<tr><th>{escape(labels.get(c, c))}</th>"
        + "".join(f'<td{" class=diag" if i == j else ""}>{n}</td>' for j, n in enumerate(r)) + "</tr>"
        for i, (c, r) in enumerate(zip(cats, table, strict=True))
    )
    return (f"<p>Rows: {escape(a)}; columns: {escape(b)}; {report.unit_kind}s done by both.</p>"
            f'<table class="confusion"><thead><tr><th>{escape(a)} \\ {escape(b)}</th>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _verdict_class(stats: Coefficients) -> str:
    return "insufficient" if stats.verdict == "insufficient data" else stats.verdict


def _html_table(headers: Sequence[str], rows: Sequence[Row], cells: list[list[str]]) -> str:
    head = "".join(f'<th{" class=l" if h in ("verdict", "basis") else ""}>{escape(h)}</th>' for h in headers)
    body = []
    for row, cs in zip(rows, cells, strict=True):
        tds = []
        for i, c in enumerate(cs):
            cls = ""
            if headers[i] == "verdict":
                cls = f' class="v {_verdict_class(row.stats)}"'
            elif headers[i] == "basis":
                cls = ' class="b"'
            tds.append(f"<td{cls}>{escape(c.strip())}</td>")
        body.append(f'<tr class="{row.kind}">{"".join(tds)}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _tables(report: AgreementReport, rows: Sequence[Row], notes: Footnotes) -> list[str]:
    return [
        _html_table(count_headers(report.coders), rows, [count_cells(r, notes) for r in rows]),
        _html_table(COEF_HEADERS, rows, [coefficient_cells(r, notes) for r in rows]),
    ]


def _facet_html(report: AgreementReport, facet: FacetAgreement, lang: str, notes: Footnotes) -> list[str]:
    rows = facet_rows(facet, lang)
    labels = {c.code: c.label.get(lang) or c.code for c in facet.codes}
    out = [f"<h2>{escape(facet_title(facet, lang))}</h2>", *_tables(report, rows, notes)]
    out += [f'<p class="notes">{escape(line)}</p>' for line in dropped_lines(rows, report.bootstrap)]
    out.append("<h3>Krippendorff's alpha with its 95% interval, coloured by verdict</h3>")
    out.append(alpha_chart(rows))
    if facet.confusion is not None:
        out += ["<h3>Confusion matrix</h3>", confusion_table(report, facet, labels)]
    elif len(report.coders) > 2:
        heading = "facet" if not facet.multiple else "pooled over its codes"
        source = facet.pooled if facet.multiple and facet.pooled is not None else facet.stats
        out += [f"<h3>Pairwise Cohen's kappa ({heading})</h3>",
                heatmap_table(report.coders, source.cohen_kappa_pairwise)]
    return out


#: Disagreements an HTML report lists at most (the first, in reading order): a page of hundreds
#: of thousands is more than a browser opens; ``annotator disagreements`` lists every one.
HTML_DISAGREEMENTS = 500


def _disagreements_html(report: AgreementReport, lang: str) -> list[str]:
    labels = {c.code: c.label.get(lang) or c.code for f in report.facets for c in f.codes}
    total = len(report.disagreements)
    out = [f"<h2>Disagreements ({total:,})</h2>"]
    if total > HTML_DISAGREEMENTS:
        out.append(f'<p class="note">The first {HTML_DISAGREEMENTS:,} of {total:,} are listed here;'
                   " <code>annotator disagreements</code> lists every one (<code>--json</code>:"
                   " one per line).</p>")
    for d in shown_disagreements(report):
        zh, en = report.texts.get(d.segment, ("", ""))
        codes = "; ".join(
            f"{escape(coder)}: {escape(', '.join(labels.get(c, c) for c in cs) or '—')}"
            for coder, cs in d.codes.items()
        )
        out.append(
            f'<div class="dis"><div><b>{escape(d.segment)}</b> · {escape(d.facet)}</div>'
            + (f'<p class="zh" lang="zh">{escape(zh)}</p>' if zh else "")
            + (f'<p class="en" lang="en">{escape(en)}</p>' if en else "")
            + f'<div class="codes">{codes}</div></div>'
        )
    return out


def shown_disagreements(report: AgreementReport) -> Sequence[Disagreement]:
    """The disagreements :func:`render_html` lists (whose text it needs)."""
    return report.disagreements[:HTML_DISAGREEMENTS]


def render_html(
    report: AgreementReport,
    lang: str = "en",
    *,
    methods: Sequence[tuple[str, str]] = (),
    groups: Sequence[tuple[str, AgreementReport]] = (),
) -> str:
    """One self-contained HTML page: tables, charts, notes, methods paragraphs, disagreements."""
    notes = Footnotes()
    body = [
        "<h1>Inter-coder agreement</h1>",
        f"<p>Coders: {escape(', '.join(report.coders))}. {report.unit_kind.capitalize()}s done by at "
        f"least two of them: {len(report.units)}. {escape(ci_sentence(report))} "
        f"{escape(thresholds_sentence())}</p>",
        *(f'<p class="warning"><b>Warning:</b> {escape(w)}</p>' for w in report.warnings),
    ]
    for facet in report.facets:
        body += _facet_html(report, facet, lang, notes)
    if report.overall is not None:
        rows = [Row("whole codebook, pooled", "codebook", report.overall)]
        body += ["<h2>Whole codebook (present/absent over every code)</h2>", *_tables(report, rows, notes)]
    body.append('<h2>Columns</h2><ul class="notes">'
                + "".join(f"<li>{escape(c)}</li>" for c in column_explanations(report.coders, report.unit_kind))
                + "</ul>")
    if notes.reasons:
        body.append('<h3>Empty cells</h3><ul class="notes">'
                    + "".join(f"<li>{escape(n)}</li>" for n in notes.lines()) + "</ul>")
    for text, code in methods:
        body.append(f'<h2>{"Methods" if code == "en" else "方法"}</h2><p lang="{code}">{escape(text)}</p>')
    for name, group in groups:
        body.append(f"<h1>{escape(name)}</h1>")
        body += [f"<p>{len(group.units)} {group.unit_kind}s.</p>"]
        for facet in group.facets:
            body += _facet_html(group, facet, lang, notes)
    body += _disagreements_html(report, lang)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width"><title>Inter-coder agreement</title>'
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
