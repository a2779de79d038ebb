"""An :class:`AgreementReport` as terminal tables or Markdown."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence

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
from annotator.agreement.report_model import AgreementReport, FacetAgreement

_LEFT = ("verdict", "basis")
Grid = Callable[[Sequence[str], list[list[str]]], list[str]]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def text_grid(headers: Sequence[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell (CJK counts double); numbers right-aligned."""
    widths = [max(_width(r[i]) for r in [list(headers), *rows]) for i in range(len(headers))]
    lines = []
    for n, r in enumerate([list(headers), *rows]):
        cells = [_pad(c, widths[i], right=i > 0 and headers[i] not in _LEFT) for i, c in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def terminal_safe(text: str) -> str:
    """``text`` with control and format characters (escape sequences, bidi overrides) shown as
    ``\\uXXXX``, so nothing from the data can drive the terminal; newlines stay."""
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf") else f"\\u{ord(ch):04x}"
        for ch in text
    )


def _md_cell(text: str) -> str:
    return text.strip().replace("|", "\\|")


def md_grid(headers: Sequence[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(h or "row" for h in headers) + " |",
           "|" + "|".join("---" if i == 0 or h in _LEFT else "---:" for i, h in enumerate(headers)) + "|"]
    for row in rows:
        out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
    return out


def _pairwise(facet: FacetAgreement) -> str | None:
    pairs = facet.stats.pairwise
    if len(pairs) < 2:
        return None
    cells = [f"{a}|{b} {'—' if math.isnan(e.value) else f'{e.value:.3f}'}" for (a, b), e in pairs.items()]
    return "Cohen's kappa per pair: " + ", ".join(cells)


def confusion_lines(report: AgreementReport, facet: FacetAgreement, grid: Grid) -> list[str]:
    if facet.confusion is None:
        return []
    cats, table = facet.confusion
    a, b = report.coders
    headers = (f"{a} \\ {b}", *cats)
    return [f"Confusion matrix ({a} in rows, {b} in columns; units done by both):", "",
            *grid(headers, [[c, *map(str, r)] for c, r in zip(cats, table, strict=True)])]


def _facet_block(report: AgreementReport, facet: FacetAgreement, lang: str, grid: Grid,
                 notes: Footnotes) -> list[str]:
    rows = facet_rows(facet, lang)
    out = [*grid(count_headers(report.coders), [count_cells(r, notes) for r in rows]), ""]
    out += [*grid(COEF_HEADERS, [coefficient_cells(r, notes) for r in rows]), ""]
    notes_lines = []
    if not facet.multiple and facet.counts:
        notes_lines.append("Values: " + ", ".join(f"{k} {v}" for k, v in facet.counts.items()))
    if line := _pairwise(facet):
        notes_lines.append(line)
    notes_lines += dropped_lines(rows, report.bootstrap)
    for line in notes_lines:
        out += [line, ""]
    return out + confusion_lines(report, facet, grid)


def _overall_block(report: AgreementReport, grid: Grid, notes: Footnotes) -> list[str]:
    if report.overall is None:
        return []
    row = [Row("whole codebook, pooled", "codebook", report.overall)]
    return [*grid(count_headers(report.coders), [count_cells(r, notes) for r in row]), "",
            *grid(COEF_HEADERS, [coefficient_cells(r, notes) for r in row])]


def _intro(report: AgreementReport) -> list[str]:
    return [
        f"Agreement among {', '.join(report.coders)} on {len(report.units)} {report.unit_kind}s "
        + ("(done by at least two of them)." if report.unit_kind == "segment"
           else "(with a segment done by at least two of them)."),
        ci_sentence(report),
        thresholds_sentence(),
    ]


def render_table(report: AgreementReport, lang: str = "en") -> str:
    """Plain-text tables for a terminal (CJK-aware column widths)."""
    notes = Footnotes()
    out = _intro(report) + [f"Warning: {w}" for w in report.warnings]
    for facet in report.facets:
        out += ["", facet_title(facet, lang), *_facet_block(report, facet, lang, text_grid, notes)]
    if report.overall is not None:
        out += ["", "Whole codebook (present/absent over every code)",
                *_overall_block(report, text_grid, notes)]
    out += ["", "Columns:", *(f"  {c}" for c in column_explanations(report.coders, report.unit_kind))]
    if notes.reasons:
        out += ["Empty cells:", *(f"  {n}" for n in notes.lines())]
    return terminal_safe("\n".join(out) + "\n")


def render_markdown(report: AgreementReport, lang: str = "en", *, methods: str = "") -> str:
    """Markdown tables, one pair per facet, column notes, footnotes and the methods paragraph."""
    notes = Footnotes()
    out = ["## Inter-coder agreement", "", " ".join(_intro(report))]
    out += [f"\n> **Warning:** {_md_cell(w)}" for w in report.warnings]
    for facet in report.facets:
        out += ["", f"### {_md_cell(facet_title(facet, lang))}", ""]
        out += _facet_block(report, facet, lang, md_grid, notes)
    if report.overall is not None:
        out += ["", "### Whole codebook (present/absent over every code)", "",
                *_overall_block(report, md_grid, notes)]
    out += ["", "**Columns.** " + "; ".join(column_explanations(report.coders, report.unit_kind)) + "."]
    if notes.reasons:
        out += ["", "**Empty cells.** " + "; ".join(notes.lines()) + "."]
    if methods:
        out += ["", methods]
    return "\n".join(out) + "\n"
