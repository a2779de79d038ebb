"""``annotator codebook export|rename|merge|split|undo`` and ``annotator redecide``: the codebook as an
appendix, and the codebook changing with the analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, app, codebook_app, open_existing, refuse_project, user_errors
from annotator.errors import UsageError
from annotator.plural import plural

APPENDIX_FORMATS = ("md", "html", "docx")
EXCHANGE_FORMATS = ("qdc", "csv", "yaml")


@codebook_app.command("export")
@user_errors
def codebook_export_cmd(
    project: ProjectArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md | html | docx (an appendix); qdc (REFI-QDA) | csv (Taguette) | yaml (annotator)")] = "md",
    examples: Annotated[int, typer.Option("--examples", help="Up to N example quotes per code (0: none).")] = 2,
    coder: Annotated[str | None, typer.Option("--coder", help="Whose quotes are the examples (default: 'consensus', else the only coder).")] = None,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default: the screen).")] = None,
) -> None:
    """The codebook as an appendix (both labels, definition, when (not) to use, key, examples), or
    as a file other tools read: qdc for QualCoder, NVivo, MAXQDA, ATLAS.ti; csv for Taguette; yaml
    for another annotator project."""
    from annotator.application.codebooks import load_codebook
    from annotator.application.findings import choose_coder, codebook_examples
    from annotator.cli.findings import check_format, write_text
    from annotator.io import codebook_render as render

    fmt = check_format(fmt, APPENDIX_FORMATS + EXCHANGE_FORMATS)
    refuse_project(out, project)
    if fmt in EXCHANGE_FORMATS:
        _export_for_other_tools(project, fmt, out)
        return
    if examples < 0:
        raise UsageError("--examples takes a number of quotes, 0 or more")
    if fmt == "docx" and (out is None or str(out) == "-"):
        raise UsageError("a docx file cannot go to the screen; name a file with -o")
    with open_existing(project) as p:
        codebook = load_codebook(p)
        who = choose_coder(p, coder) if examples else None
        quotes = codebook_examples(p, load_codebook(p, include_archived=True), who, examples) if who else {}
    title = "Codebook 编码手册"
    note = (f"{plural(len(codebook.codes), 'code')} in {plural(len(codebook.facets), 'facet')}."
            + (f" Examples: up to {examples} per code, as coded by {who}." if who else ""))
    if fmt == "docx":
        assert out is not None
        render.write_docx(codebook, quotes, out, title=title, note=note)
    else:
        page = (render.render_markdown if fmt == "md" else render.render_html)(
            codebook, quotes, title=title, note=note)
        write_text(page, out)
    if out is not None and str(out) != "-":
        typer.echo(f"wrote {out}: {plural(len(codebook.codes), 'code')},"
                   f" {plural(sum(map(len, quotes.values())), 'example')}")


def _export_for_other_tools(project: Path, fmt: str, out: Path | None) -> None:
    from annotator.application.codebooks import export_codebook

    if out is None:
        raise UsageError(f"name the {fmt} file to write with -o")
    with open_existing(project) as p:
        n = export_codebook(p, fmt, out)
    typer.echo(f"wrote {out}: {plural(n, 'code')}")


def _report(result: object, what: str) -> None:
    from annotator.application.codebooks import EditResult

    assert isinstance(result, EditResult)
    print(f"{what}: {plural(result.changed, 'coder-segment pair')} changed,"
          f" {plural(result.archived, 'annotation')} kept in the archive,"
          f" {plural(result.queued, 'segment')} queued to re-decide (undo: 'annotator codebook undo')")
    for facet, segment, coder in result.conflicts:
        print(f"conflict: {segment} ({coder}) now has two codes in single-choice facet {facet};"
              " decide again ('annotator redecide')")


OldArg = Annotated[str, typer.Argument(help="The code id.", show_default=False)]


@codebook_app.command("rename")
@user_errors
def codebook_rename_cmd(project: ProjectArg, old: OldArg,
                        new: Annotated[str, typer.Argument(help="Its new id.", show_default=False)]) -> None:
    """Give a code a new id; its annotations, archived annotations and memos follow."""
    from annotator.application.codebooks import rename_code

    with open_existing(project) as p:
        _report(rename_code(p, old, new), f"renamed {old} to {new}")


@codebook_app.command("merge")
@user_errors
def codebook_merge_cmd(project: ProjectArg, source: OldArg,
                       into: Annotated[str, typer.Argument(help="The code that takes its annotations.", show_default=False)]) -> None:
    """Move every annotation of SOURCE to INTO and archive SOURCE (single-choice conflicts listed)."""
    from annotator.application.codebooks import merge_codes

    with open_existing(project) as p:
        _report(merge_codes(p, source, into), f"merged {source} into {into}")


@codebook_app.command("split")
@user_errors
def codebook_split_cmd(project: ProjectArg, code: OldArg,
                       first: Annotated[str, typer.Argument(help="First new code id.", show_default=False)],
                       second: Annotated[str, typer.Argument(help="Second new code id.", show_default=False)]) -> None:
    """Replace CODE by two new codes; its segments are queued for their coders to re-decide."""
    from annotator.application.codebooks import split_code

    with open_existing(project) as p:
        _report(split_code(p, code, first, second), f"split {code} into {first} and {second}")


@codebook_app.command("undo")
@user_errors
def codebook_undo_cmd(project: ProjectArg) -> None:
    """Undo the latest rename, merge or split."""
    from annotator.application.codebooks import undo_last_edit

    with open_existing(project) as p:
        print(undo_last_edit(p))


@app.command("redecide")
@user_errors
def redecide_cmd(
    project: ProjectArg,
    coder: Annotated[str, typer.Option("--coder", help="Whose queue.", show_default=False)] = "",
    as_list: Annotated[bool, typer.Option("--list", help="List the queue instead of opening the coding screen.")] = False,
    ui: Annotated[str | None, typer.Option("--ui", help="Language of the screen: zh or en.")] = None,
) -> None:
    """The segments to decide again after a split or a merge conflict: the coding screen on them only."""
    from annotator.application.coding import redecide_queue
    from annotator.io.read_common import clean_text

    coder = coder.strip()
    if not coder and not as_list:
        raise UsageError("--coder NAME is required (or --list to see every coder's queue)")
    with open_existing(project) as p:
        queue = redecide_queue(p, coder or None)
    if as_list:
        for item in queue:
            print(clean_text(f"{item['segment']}\t{item['coder']}\t{item['code']}\t{item['reason']}"))
        return
    if not queue:
        print(f"nothing to re-decide for {coder}")
        return
    from annotator.cli.code import run_coding_screen

    run_coding_screen(project, coder=coder, ui=ui, only=list(dict.fromkeys(i["segment"] for i in queue)))
