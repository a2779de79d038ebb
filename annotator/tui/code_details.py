"""The codebook as a coder reads it while coding: every code's definition, when (not) to use
it, its keywords, what it implies and a few of its coded examples, as Textual markup in the
UI language (data escaped, so a label such as ``[F]`` shows as written). No Textual here."""

from __future__ import annotations

from annotator.codebook_examples import CodedExample, coded_examples
from annotator.model import Bilingual, Code, Codebook
from annotator.safe_text import printable
from annotator.tui.i18n import t
from annotator.tui.markup import escape

#: Coded examples shown per code (the first ones the codebook lists with it).
SHOWN_EXAMPLES = 2


def _safe(text: str) -> str:
    """``text`` on one line, every control character and markup bracket shown as written."""
    return escape(printable(" ".join(text.split())))


def _field(lang: str, key: str, value: Bilingual) -> list[str]:
    text = value.get(lang)
    return [f"    [dim]{_safe(t(lang, key))}:[/] {_safe(text)}"] if text else []


def _example_lines(lang: str, examples: list[CodedExample]) -> list[str]:
    if not examples:
        return []
    lines = [f"    [dim]{_safe(t(lang, 'cb_examples', n=len(examples)))}:[/]"]
    for example in examples[:SHOWN_EXAMPLES]:
        lines += [f"      · {_safe(text)}" for text in (example.text.zh, example.text.en) if text]
    return lines


def code_lines(codebook: Codebook, code: Code, lang: str, examples: list[CodedExample]) -> list[str]:
    """One code's entry: its key and label, then each field it has."""
    key = f"[b {code.color or 'yellow'}]{escape(code.key)}[/] " if code.key else ""
    lines = [f"  {key}[b]{_safe(code.label.get(lang) or code.id)}[/] [dim]{_safe(code.id)}[/]"]
    lines += _field(lang, "cb_definition", code.definition)
    lines += _field(lang, "cb_when", code.when_to_use)
    lines += _field(lang, "cb_when_not", code.when_not_to_use)
    words = [*code.keywords_zh, *code.keywords_en]
    if words:
        lines.append(f"    [dim]{_safe(t(lang, 'cb_keywords'))}:[/] {_safe(t(lang, 'list_sep').join(words))}")
    implied = [c.label.get(lang) or c.id for _, cid in code.implies if (c := codebook.code(cid))]
    if implied:
        lines.append(f"    [dim]{_safe(t(lang, 'cb_implies'))}:[/] {_safe(t(lang, 'list_sep').join(implied))}")
    return lines + _example_lines(lang, examples)


def codebook_text(codebook: Codebook, lang: str) -> str:
    """Every facet and code of ``codebook`` as markup, in codebook order."""
    by_code: dict[str, list[CodedExample]] = {}
    for example in coded_examples(codebook):
        for code_id in example.codes:
            by_code.setdefault(code_id, []).append(example)
    lines = [f"[b]{_safe(t(lang, 'cb_title'))}[/]"]
    for facet in codebook.facets:
        lines += ["", f"[b u]{_safe(facet.label.get(lang) or facet.id)}[/]"]
        description = facet.description.get(lang)
        if description:
            lines.append(f"  {_safe(description)}")
        for code in facet.codes:
            lines += code_lines(codebook, code, lang, by_code.get(code.id, []))
    lines += ["", f"[dim]{_safe(t(lang, 'help_close'))}[/]"]
    return "\n".join(lines)
