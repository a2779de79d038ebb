"""Render an :class:`AgreementReport`: terminal table, Markdown or one self-contained HTML file.

The formats live in :mod:`render_text` and :mod:`render_html`; the cells they share (numbers,
footnotes for empty cells, column explanations) in :mod:`render_cells`.
"""

from annotator.agreement.render_html import render_html
from annotator.agreement.render_text import render_markdown, render_table

__all__ = ["render_html", "render_markdown", "render_table"]
