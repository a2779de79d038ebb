"""``annotator matrix`` counts in the project's SQL and reads the HTML page's quotes once, in one
stream; what it writes is, byte for byte, what the matrix built from every quote held in memory
rendered to before (the builder and the HTML renderer frozen in ``frozen_findings_render``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.application.codebooks import load_codebook
from annotator.application.findings import attributes_match, iter_quotes, percentages
from annotator.application.projects import open_project
from annotator.io import matrix_render
from annotator.storage.attributes import document_attributes
from tests.cli import frozen_findings_render as frozen
from tests.cli.findings_fixtures import build, run

CASES = {
    "facet by facet": ["--rows", "dimension", "--cols", "burden"],
    "facet by facet, documents": ["--rows", "dimension", "--cols", "burden", "--count", "documents"],
    "co-occurrence": ["--rows", "burden", "--cols", "burden"],
    "by document": ["--rows", "dimension", "--cols", "document"],
    "by document, documents": ["--rows", "dimension", "--cols", "document", "--count", "documents"],
    "by attribute": ["--rows", "dimension", "--cols", "attr:role"],
    "by attribute, documents, percent": ["--rows", "burden", "--cols", "attr:role", "--count",
                                         "documents", "--percent", "col"],
    "by an attribute no document has": ["--rows", "dimension", "--cols", "attr:nothing"],
    "where": ["--rows", "dimension", "--cols", "burden", "--where", "role=grid worker",
              "--percent", "row"],
    "where, by document": ["--rows", "dimension", "--cols", "document", "--where",
                           "role=party secretary"],
    "where nothing matches": ["--rows", "dimension", "--cols", "burden", "--where", "role=none"],
}
CODERS = ("li", "paper")


@pytest.fixture(scope="module")
def db(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = build(demo_master, tmp_path_factory.mktemp("matrix_same"))
    code, out = run("attributes", db, "set", "D20230804", "role=")
    assert code == 0, out
    return db


def option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def frozen_output(db: Path, coder: str, args: list[str], fmt: str) -> str:
    """The matrix as it was made before: every quote read and counted in memory."""
    where: dict[str, set[str]] = {}
    if (w := option(args, "--where")) is not None:
        key, _, value = w.partition("=")
        where[key] = {value}
    with open_project(db) as p:
        quotes = list(iter_quotes(p, load_codebook(p, include_archived=True), coder, where,
                                  text=fmt == "html"))
        docs = {d: a for d, a in document_attributes(p).items() if attributes_match(a, where)}
        m = frozen.build_matrix(quotes, load_codebook(p), rows=str(option(args, "--rows")),
                                cols=str(option(args, "--cols")), coder=coder,
                                count=option(args, "--count") or "segments", documents=docs,
                                keep_cells=fmt == "html")
    of = option(args, "--percent")
    pct = percentages(m.counts, of) if of else None
    if fmt == "html":
        return frozen.render_matrix_html(m, pct)
    if fmt == "json":
        return matrix_render.render_json(m, pct, of)
    if fmt == "csv":
        return matrix_render.render_csv(m, pct)
    if fmt == "md":
        return matrix_render.render_markdown(m, pct)
    return matrix_render.render_table(m, pct)


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "table", "html"])
@pytest.mark.parametrize("name", list(CASES))
def test_matrix_counted_in_sql_writes_what_counting_every_quote_wrote(
        db: Path, tmp_path: Path, name: str, fmt: str) -> None:
    for coder in CODERS:
        out = tmp_path / f"m-{coder}.{fmt}"
        code, said = run("matrix", db, *CASES[name], "--coder", coder, "-f", fmt, "-o", out)
        assert code == 0, said
        assert out.read_text(encoding="utf-8") == frozen_output(db, coder, CASES[name], fmt)
