"""``annotator quotes`` and ``annotator matrix``: from coded segments to what a paper reports."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli._common import (
    ProjectArg,
    app,
    batches,
    open_existing,
    refuse_project,
    user_errors,
    write_lines,
)
from annotator.cli.progress import stderr_status
from annotator.errors import UsageError
from annotator.plural import plural

if TYPE_CHECKING:
    from annotator.io.matrix_render import Matrix


QUOTE_FORMATS = ("table", "md", "html", "docx", "json")

CoderOpt = Annotated[str | None, typer.Option(
    "--coder", help="Whose decisions (default: 'consensus' where it exists, else the only coder).")]
WhereOpt = Annotated[list[str] | None, typer.Option(
    "--where", help="Only documents with this attribute value, ATTR=VALUE (repeatable; the same"
    " attribute twice accepts either value).")]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default: the screen).")]


def write_text(text: str, out: Path | None) -> None:
    """``text`` to the file (atomically) or to standard output."""
    write_pieces([text], out)


def write_pieces(pieces: Iterable[str], out: Path | None) -> None:
    """``pieces`` one after another to the file (atomically: all or nothing) or to standard
    output, as they come (gathered a few hundred kilobytes at a time)."""
    from annotator.files import atomic_output

    with naming(out):
        if out is None or str(out) == "-":
            write_lines(pieces)
            return
        with atomic_output(out) as f:
            for batch in batches(pieces):
                f.write("".join(batch))


def write_encoded(pieces: Iterable[bytes], out: Path | None) -> None:
    """:func:`write_pieces` for pieces already encoded (UTF-8)."""
    import sys

    from annotator.files import atomic_binary

    with naming(out):
        if out is None or str(out) == "-":  # as text: the screen shows only printable characters
            import codecs

            decode = codecs.getincrementaldecoder("utf-8")().decode  # a chunk may end mid-character
            for batch in batches(pieces):
                data = memoryview(b"".join(batch))
                for start in range(0, len(data), 1 << 18):  # a large piece a slice at a time
                    sys.stdout.write(decode(data[start:start + (1 << 18)]))
            sys.stdout.write(decode(b"", final=True))
            return
        with atomic_binary(out) as f:
            for batch in batches(pieces):
                f.write(b"".join(batch))


@contextlib.contextmanager
def naming(out: Path | None) -> Iterator[None]:
    """An error of the system while writing ``out`` names ``out``: not nothing (a full disk),
    nor the temporary file written beside it (a folder removed meanwhile)."""
    from annotator.stale_temps import temp_prefix

    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        name = "standard output" if out is None or str(out) == "-" else str(out)
        if exc.filename is not None and (name == "standard output" or not Path(
                exc.filename).name.startswith(temp_prefix(Path(name)))):
            raise
        raise OSError(exc.errno, exc.strerror, name) from exc


def check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    fmt = fmt.lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in allowed:
        raise UsageError(f"--format must be one of {', '.join(allowed)}, not {fmt!r}")
    return fmt


@app.command("quotes")
@user_errors
def quotes_cmd(
    project: ProjectArg,
    code: Annotated[list[str] | None, typer.Option("--code", help="Segments with this code (repeatable, or C,C).")] = None,
    all_of: Annotated[list[str] | None, typer.Option("--all-of", help="Only segments with every one of these codes: C,C.")] = None,
    facet: Annotated[str | None, typer.Option("--facet", help="Segments with any code of this facet.")] = None,
    coder: CoderOpt = None,
    where: WhereOpt = None,
    by: Annotated[str | None, typer.Option("--by", help="Group by the cells of FACET × FACET (e.g. dimension,burden).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | md | html | docx | json")] = "table",
    out: OutOpt = None,
) -> None:
    """Coded segments, Chinese and English side by side, grouped by code or by facet × facet cell."""
    from annotator.application.findings import choose_coder, load_codebook, parse_where, split_list
    from annotator.application.streamed_quotes import stream_quote_groups
    from annotator.io import quotes_render as render

    fmt = check_format(fmt, QUOTE_FORMATS)
    if fmt == "docx" and (out is None or str(out) == "-"):
        raise UsageError("a docx file cannot go to the screen; name a file with -o")
    refuse_project(out, project)
    filters = parse_where(where or [])
    to_file = out is not None and str(out) != "-"
    working = stderr_status(f"writing quotes to {out} …") if to_file else contextlib.nullcontext()
    with open_existing(project) as p, p.snapshot(), working:  # the groups' counts agree with their quotes
        who = choose_coder(p, coder)
        found = stream_quote_groups(
            p, load_codebook(p, include_archived=True), coder=who, where=filters,
            shown=load_codebook(p), codes=split_list(code or []), all_of=split_list(all_of or []),
            facet=facet, by=split_list([by]) if by else ())
        heads, title = found.heads, f"Quotes — coder {who}"
        if fmt == "json":
            write_pieces(render.iter_json_lines(found.each_once()), out)
        elif fmt == "md":
            write_encoded(render.iter_markdown_filed(heads, found.members(), title=title), out)
        elif fmt == "html":
            write_encoded(render.iter_html_filed(heads, found.members(), title=title), out)
        elif fmt == "docx":
            assert out is not None
            from annotator.io.docx_quotes import write_docx

            with naming(out):
                write_docx(heads, found.members(), out, title=title)
        else:
            width = shutil.get_terminal_size((100, 24)).columns
            write_encoded(render.iter_table_filed(heads, found.members(), width=width), out)
    if to_file:
        typer.echo(f"wrote {out}: {plural(found.quotes, 'segment')} in"
                   f" {plural(found.groups, 'group')} (coder {who})")


MATRIX_FORMATS = ("table", "md", "csv", "html", "json")


@app.command("matrix")
@user_errors
def matrix_cmd(
    project: ProjectArg,
    rows: Annotated[str, typer.Option("--rows", help="A facet: its codes are the rows.", show_default=False)],
    cols: Annotated[str, typer.Option("--cols", help="A facet, 'document', or attr:NAME (a document attribute).", show_default=False)],
    coder: CoderOpt = None,
    count: Annotated[str, typer.Option("--count", help="Count segments or documents.")] = "segments",
    percent: Annotated[str | None, typer.Option("--percent", help="Also show percentages of the row, col or total.")] = None,
    where: WhereOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | md | csv | html | json")] = "table",
    out: OutOpt = None,
    excel: Annotated[bool, typer.Option("--excel", help="csv for a spreadsheet: a UTF-8 BOM so Excel shows Chinese, and labels that start like a formula get a leading '.")] = False,
) -> None:
    """One coder's codes crossed: facet × facet, code × document, code × attribute, co-occurrence."""
    from annotator.application.findings import choose_coder, load_codebook, parse_where, percentages
    from annotator.application.matrices import cell_quotes, count_matrix
    from annotator.io import matrix_render as render

    fmt = check_format(fmt, MATRIX_FORMATS)
    if excel and fmt != "csv":
        raise UsageError("--excel makes a csv file safe for a spreadsheet; use it with -f csv")
    refuse_project(out, project)
    filters = parse_where(where or [])
    with open_existing(project) as p, p.snapshot():  # the counts agree with the quotes listed
        who = choose_coder(p, coder)
        matrix = count_matrix(p, load_codebook(p), rows=rows.strip(), cols=cols.strip(),
                              coder=who, count=count, where=filters)
        pct = percentages(matrix.counts, percent) if percent is not None else None
        if fmt == "html":  # each non-empty cell links to its quotes, listed below the table
            quotes = cell_quotes(p, load_codebook(p, include_archived=True), matrix, filters)
            write_encoded(render.iter_html(matrix, pct, quotes), out)
        else:
            write_text(_matrix_text(matrix, pct, percent, fmt, excel), out)
    if out is not None and str(out) != "-":
        typer.echo(f"wrote {out}: {len(matrix.rows)} × {len(matrix.cols)} (coder {who})")


def _matrix_text(matrix: Matrix, pct: list[list[float]] | None, of: str | None, fmt: str,
                 excel: bool = False) -> str:
    from annotator.io import matrix_render as render

    if fmt == "json":
        return render.render_json(matrix, pct, of)
    if fmt == "csv":
        return render.render_csv(matrix, pct, excel=excel)
    if fmt == "md":
        return render.render_markdown(matrix, pct)
    return render.render_table(matrix, pct)
