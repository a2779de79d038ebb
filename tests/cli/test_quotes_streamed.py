"""``annotator quotes`` reads the quotes once, in one stream, whatever groups they fall in; what
it writes is, byte for byte, what the quotes held at once, grouped in memory, rendered to by the
renderers as they were before (frozen in ``frozen_findings_render``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from annotator.application.codebooks import load_codebook
from annotator.application.findings import code_title, facet_codes, iter_quotes
from annotator.application.projects import open_project
from annotator.io.quotes_render import Quote, QuoteGroup
from tests.cli import frozen_findings_render as render
from tests.cli.findings_fixtures import build, run

CASES = {
    "every code": {},
    "codes": {"codes": ["trace_formalism", "adaptation"]},
    "facet and all-of": {"facet": "burden", "all_of": ["goal_attainment"]},
    "all-of only": {"all_of": ["trace_formalism", "goal_attainment"]},
    "cells": {"by": ["dimension", "burden"]},
    "cells with a code": {"by": ["dimension", "burden"], "codes": ["rights_mismatch"]},
    "where": {"where": {"role": {"grid worker"}}},
}


@pytest.fixture(scope="module")
def db(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(demo_master, tmp_path_factory.mktemp("streamed"))


def held_at_once(db: Path, coder: str, case: dict) -> tuple[list[Quote], list[QuoteGroup]]:
    """Every quote of ``coder`` in a list, and the groups made of it in memory."""
    with open_project(db) as p:
        quotes = list(iter_quotes(p, load_codebook(p, include_archived=True), coder, case.get("where")))
        book = load_codebook(p)
    required = set(case.get("all_of", []))
    chosen = list(case.get("codes", [])) + (facet_codes(book, case["facet"]) if "facet" in case else [])
    pool = [q for q in quotes if required <= q.code_ids]
    if "by" in case:
        pool = [q for q in pool if not chosen or q.code_ids & set(chosen)]
        rows, cols = (facet_codes(book, f) for f in case["by"])
        cells = [(f"{code_title(book, r)} × {code_title(book, c)}", f"cell-{r}-{c}",
                  [q for q in pool if {r, c} <= q.code_ids]) for r in rows for c in cols]
        return quotes, [QuoteGroup(*cell) for cell in cells if cell[2]]
    ids = [c.id for c in book.codes]
    ordered = chosen or sorted(required, key=ids.index) or ids
    groups = [QuoteGroup(code_title(book, c), f"code-{c}", [q for q in pool if c in q.code_ids])
              for c in dict.fromkeys(ordered)]
    return quotes, [g for g in groups if g.quotes]


def options(case: dict) -> list[str]:
    out: list[str] = []
    for code in case.get("codes", []):
        out += ["--code", code]
    if "facet" in case:
        out += ["--facet", case["facet"]]
    if case.get("all_of"):
        out += ["--all-of", ",".join(case["all_of"])]
    if "by" in case:
        out += ["--by", ",".join(case["by"])]
    for attr, values in case.get("where", {}).items():
        out += [x for v in sorted(values) for x in ("--where", f"{attr}={v}")]
    return out


def expected(fmt: str, quotes: Sequence[Quote], groups: list[QuoteGroup], title: str) -> str:
    if fmt == "json":
        chosen = {q.segment for g in groups for q in g.quotes}
        return render.render_json_lines(q for q in quotes if q.segment in chosen)
    if fmt == "md":
        return render.render_markdown(groups, title=title)
    if fmt == "html":
        return render.render_html(groups, title=title)
    return render.render_table(groups, width=100)


@pytest.mark.parametrize("fmt", ["json", "md", "html", "table"])
@pytest.mark.parametrize("name", list(CASES))
def test_quotes_written_as_read_are_the_quotes_grouped_in_memory(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, fmt: str) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    case = CASES[name]
    quotes, groups = held_at_once(db, "li", case)
    out = tmp_path / f"quotes.{fmt}"
    code, said = run("quotes", db, "--coder", "li", "-f", fmt, "-o", out, *options(case))
    assert code == 0, said
    assert out.read_text(encoding="utf-8") == expected(fmt, quotes, groups, "Quotes — coder li")
    unique = {q.segment for g in groups for q in g.quotes}
    assert f"{len(unique)} segment" in said and f"{len(groups)} group" in said
    assert groups  # the cases are not vacuous


def docx_parts(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("name", list(CASES))
def test_word_document_written_as_a_stream_holds_what_python_docx_wrote(
        db: Path, tmp_path: Path, name: str) -> None:
    import docx

    case = CASES[name]
    _quotes, groups = held_at_once(db, "li", case)
    out, before = tmp_path / "quotes.docx", tmp_path / "before.docx"
    code, said = run("quotes", db, "--coder", "li", "-f", "docx", "-o", out, *options(case))
    assert code == 0, said
    render.write_docx(groups, before, title="Quotes — coder li")
    assert docx_parts(out) == docx_parts(before)  # every part, byte for byte, in the same order
    assert list(docx_parts(out)) == list(docx_parts(before))
    document = docx.Document(str(out))
    assert len(document.tables) == len(groups)
    assert [len(t.rows) for t in document.tables] == [1 + 2 * len(g.quotes) for g in groups]
