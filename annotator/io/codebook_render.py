"""The codebook as an appendix for a methods section: Markdown, HTML or Word.

Every facet and code with both labels, the definition, when to use and when not to, the key,
and real example quotes (Chinese and English) given by the caller.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

from annotator.io.quotes_render import Quote, html_page, where
from annotator.io.read_common import clean_text
from annotator.model import Bilingual, Code, Codebook, Facet

Examples = Mapping[str, Sequence[Quote]]


def _both(text: Bilingual) -> list[tuple[str, str]]:
    return [(lang, value) for lang, value in (("zh", text.zh), ("en", text.en)) if value]


def _label(text: Bilingual, fallback: str) -> str:
    return " / ".join(dict.fromkeys(x for x in (text.en, text.zh) if x)) or fallback


def _fields(code: Code) -> list[tuple[str, Bilingual]]:
    return [("Definition 定义", code.definition), ("When to use 适用", code.when_to_use),
            ("When not to use 不适用", code.when_not_to_use)]


def _kind(facet: Facet) -> str:
    return "several codes per segment 可多选" if facet.multiple else "one code per segment 单选"


def _md(text: str) -> str:
    return clean_text(text).replace("<", "&lt;").replace("\n", " ")


def render_markdown(codebook: Codebook, examples: Examples, *, title: str, note: str = "") -> str:
    lines = [f"# {_md(title)}", ""] + ([_md(note), ""] if note else [])
    for facet in codebook.facets:
        lines += [f"## {_md(_label(facet.label, facet.id))} (`{facet.id}`)", "", f"*{_kind(facet)}*", ""]
        lines += [_md(v) for _, v in _both(facet.description)] + ([""] if _both(facet.description) else [])
        for code in facet.codes:
            key = f" — key `{code.key}`" if code.key else ""
            lines += [f"### {_md(_label(code.label, code.id))} (`{code.id}`){key}", ""]
            for name, text in _fields(code):
                for lang, value in _both(text):
                    lines.append(f"- **{name}** ({lang}): {_md(value)}")
            quotes = examples.get(code.id, ())
            if quotes:
                lines += ["", "| 中文 | English |", "| --- | --- |"]
                for q in quotes:
                    lines.append(f"| {_md(q.zh).replace('|', chr(92) + '|')} |"
                                 f" {_md(q.en).replace('|', chr(92) + '|')} |")
                    lines.append(f"| *{_md(where(q))}* | |")
            lines.append("")
    return "\n".join(lines) + "\n"


def _h(text: str) -> str:
    return html.escape(clean_text(text)).replace("\n", "<br>")


def render_html(codebook: Codebook, examples: Examples, *, title: str, note: str = "") -> str:
    parts = [f"<p>{_h(note)}</p>"] if note else []
    for facet in codebook.facets:
        parts.append(f"<h2>{_h(_label(facet.label, facet.id))} <code>{_h(facet.id)}</code></h2>")
        parts.append(f"<p><em>{_h(_kind(facet))}</em></p>")
        parts += [f'<p lang="{lang}">{_h(v)}</p>' for lang, v in _both(facet.description)]
        for code in facet.codes:
            key = f" — key <kbd>{_h(code.key)}</kbd>" if code.key else ""
            parts.append(f'<h3 id="code-{_h(code.id)}">{_h(_label(code.label, code.id))}'
                         f" <code>{_h(code.id)}</code>{key}</h3><dl>")
            for name, text in _fields(code):
                for lang, value in _both(text):
                    parts.append(f'<dt>{_h(name)} ({lang})</dt><dd lang="{lang}">{_h(value)}</dd>')
            parts.append("</dl>")
            quotes = examples.get(code.id, ())
            if quotes:
                parts.append("<table><tr><th>中文</th><th>English</th></tr>")
                for q in quotes:
                    parts.append(f'<tr><td lang="zh">{_h(q.zh)}</td><td lang="en">{_h(q.en)}</td></tr>'
                                 f'<tr><td class="where" colspan="2">{_h(where(q))}</td></tr>')
                parts.append("</table>")
    return html_page(title, "\n".join(parts))


def _x(text: str) -> str:
    return "".join(ch for ch in clean_text(text) if ch in "\t\n" or ord(ch) >= 0x20)


def write_docx(codebook: Codebook, examples: Examples, out: Path, *, title: str, note: str = "") -> None:
    from docx import Document
    from docx.shared import Pt

    from annotator.files import atomic_binary

    doc = Document()
    doc.add_heading(_x(title), level=1)
    if note:
        doc.add_paragraph(_x(note))
    for facet in codebook.facets:
        doc.add_heading(_x(f"{_label(facet.label, facet.id)} ({facet.id})"), level=2)
        doc.add_paragraph(_x(_kind(facet))).runs[0].italic = True
        for _, value in _both(facet.description):
            doc.add_paragraph(_x(value))
        for code in facet.codes:
            key = f" — key {code.key}" if code.key else ""
            doc.add_heading(_x(f"{_label(code.label, code.id)} ({code.id}){key}"), level=3)
            for name, text in _fields(code):
                for lang, value in _both(text):
                    p = doc.add_paragraph(style="List Bullet")
                    p.add_run(_x(f"{name} ({lang}): ")).bold = True
                    p.add_run(_x(value))
            quotes = examples.get(code.id, ())
            if quotes:
                table = doc.add_table(rows=1, cols=2)
                table.style = "Table Grid"
                for cell, name in zip(table.rows[0].cells, ("中文", "English"), strict=True):
                    cell.paragraphs[0].add_run(name).bold = True
                for q in quotes:
                    cells = table.add_row().cells
                    cells[0].text, cells[1].text = _x(q.zh), _x(q.en)
                    meta = table.add_row().cells
                    run = meta[0].merge(meta[1]).paragraphs[0].add_run(_x(where(q)))
                    run.italic, run.font.size = True, Pt(8)
    with atomic_binary(out) as f:
        doc.save(f)
