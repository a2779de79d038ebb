"""``annotator codebook export``: the codebook as an appendix with real examples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, codebook_app, open_existing, user_errors
from annotator.errors import UsageError

APPENDIX_FORMATS = ("md", "html", "docx")


@codebook_app.command("export")
@user_errors
def codebook_export_cmd(
    project: ProjectArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md | html | docx")] = "md",
    examples: Annotated[int, typer.Option("--examples", help="Up to N example quotes per code (0: none).")] = 2,
    coder: Annotated[str | None, typer.Option("--coder", help="Whose quotes are the examples (default: 'consensus', else the only coder).")] = None,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default: the screen).")] = None,
) -> None:
    """The codebook as an appendix: both labels, definition, when (not) to use, key, examples."""
    from annotator.application_findings import choose_coder, codebook_examples
    from annotator.cli.findings import check_format, write_text
    from annotator.io import codebook_render as render
    from annotator.storage.codebook_store import load_codebook

    fmt = check_format(fmt, APPENDIX_FORMATS)
    if examples < 0:
        raise UsageError("--examples takes a number of quotes, 0 or more")
    if fmt == "docx" and (out is None or str(out) == "-"):
        raise UsageError("a docx file cannot go to the screen; name a file with -o")
    with open_existing(project) as p:
        codebook = load_codebook(p)
        who = choose_coder(p, coder) if examples else None
        quotes = codebook_examples(p, load_codebook(p, include_archived=True), who, examples) if who else {}
    title = "Codebook 编码手册"
    note = (f"{len(codebook.codes)} codes in {len(codebook.facets)} facets."
            + (f" Examples: up to {examples} per code, as coded by {who}." if who else ""))
    if fmt == "docx":
        assert out is not None
        render.write_docx(codebook, quotes, out, title=title, note=note)
    else:
        page = (render.render_markdown if fmt == "md" else render.render_html)(
            codebook, quotes, title=title, note=note)
        write_text(page, out)
    if out is not None and str(out) != "-":
        typer.echo(f"wrote {out}: {len(codebook.codes)} codes, {sum(map(len, quotes.values()))} examples")
