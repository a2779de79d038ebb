"""Commands that move coded data between files: export and merge."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Any

import typer

from annotator.cli._common import ProjectArg, app, open_existing, prepare_nlp, refuse_project, user_errors
from annotator.cli.progress import stderr_status
from annotator.errors import UsageError
from annotator.plural import plural

FORMATS = ("csv", "xlsx", "jsonl", "qdpx", "qdc", "spacy")


@app.command("export")
@user_errors
def export_cmd(
    project: ProjectArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv | xlsx | jsonl | qdpx | qdc | spacy", show_default=False)],
    out: Annotated[Path, typer.Option("--output", "-o", help="The file to write.", show_default=False)],
    coder: Annotated[list[str] | None, typer.Option("--coder", help="Only this coder's work (repeatable; spacy: the one coder).")] = None,
    long: Annotated[bool, typer.Option("--long", help="csv: one row per annotation.")] = False,
    excel: Annotated[bool, typer.Option("--excel", help="csv for a spreadsheet: a UTF-8 BOM so Excel shows Chinese, and text that starts like a formula gets a leading '.")] = False,
    codes_as_columns: Annotated[bool, typer.Option("--codes-as-columns", help="csv: also one 0/1 column per code, and the document attributes.")] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="qdpx: sources for selections (zh|en|both, default both); spacy: text language (zh|en|both, default zh).", show_default=False)] = None,
    facet: Annotated[str | None, typer.Option("--facet", help="spacy: the codes of this facet as cats (single-choice: textcat; multi-choice: textcat_multilabel).", show_default=False)] = None,
) -> None:
    """Export a project: csv (R, pandas, spreadsheets), xlsx (a workbook), jsonl (everything),
    qdpx/qdc (REFI-QDA), spacy (DocBin)."""
    from annotator.files import is_stdout

    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if facet is not None and fmt != "spacy":
        raise UsageError("--facet chooses the codes of a spacy export; it applies to nothing else")
    if is_stdout(out) and fmt in ("qdpx", "spacy", "xlsx"):
        raise UsageError(f"a {fmt} export is binary and cannot go to standard output; name a file with -o")

    refuse_project(out, project)

    # a spinner while it works (on a terminal), unless the data itself goes there
    working = contextlib.nullcontext() if is_stdout(out) else stderr_status(f"exporting {fmt} to {out} …")
    with open_existing(project) as p, working:
        lines = _export(p, fmt, out, coder, long=long, excel=excel, codes_as_columns=codes_as_columns,
                        lang=lang, facet=facet)
    for line in lines:  # what was written: on stderr when the data is on stdout
        typer.echo(line, err=is_stdout(out))


def _export(p: Any, fmt: str, out: Path, coder: list[str] | None, *, long: bool, excel: bool,
            codes_as_columns: bool, lang: str | None, facet: str | None) -> list[str]:
    """Write the export; the lines saying what was written."""
    if fmt == "csv" and codes_as_columns and not long:
        from annotator.application.tables import export_table_csv

        n, codes = export_table_csv(p, out, coder, excel=excel)
        return [f"wrote {out}: {plural(n, 'row')}, {plural(codes, 'code column')}"]
    if fmt == "csv":
        from annotator.application.exporting import export_csv

        n = export_csv(p, out, coders=coder, long=long, excel=excel, codes_as_columns=codes_as_columns)
        return [f"wrote {out}: {plural(n, 'row')}"]
    if fmt == "xlsx":
        from annotator.application.tables import export_xlsx

        rows, codes, memos = export_xlsx(p, out, coder)
        return [f"wrote {out}: {plural(rows, 'segment row')}, {plural(codes, 'code')}, {plural(memos, 'memo')}"]
    if fmt == "jsonl":
        from annotator.application.exporting import export_jsonl

        counts = export_jsonl(p, out, coders=coder)
        return [f"wrote {out}: {plural(counts['segments'], 'segment')},"
                f" {plural(counts['annotations'], 'annotation')}, {plural(counts['coders'], 'coder')}"]
    if fmt == "qdpx":
        from annotator.application.exporting import export_qdpx

        st = export_qdpx(p, out, coders=coder, lang=lang or "both")
        lines = [f"wrote {out}: {plural(st.sources, 'source')}, {plural(st.selections, 'selection')},"
                 f" {plural(st.codings, 'coding')}, {plural(st.notes, 'memo')}, {plural(st.users, 'coder')}"]
        if st.done_without_codes:
            lines.append(f"{st.done_without_codes} 'done, no code applies' marks written as each coder's"
                         " 'annotator done marks' note (other tools show it as a note)")
        return lines
    if fmt == "qdc":
        from annotator.application.exporting import export_qdc

        return [f"wrote {out}: {plural(export_qdc(p, out), 'code')}"]
    from annotator.application.exporting import export_spacy

    if coder and len(coder) > 1:
        raise UsageError("spacy exports one coder's codes; name one --coder")
    sp = export_spacy(p, out, coder=coder[0] if coder else None, lang=lang or "zh", facet=facet,
                      ready=prepare_nlp)
    lines = [f"wrote {out} and {sp.jsonl}: {plural(sp.docs, 'doc')}, cats for spaCy's {sp.component}"]
    if sp.unlabelled:
        lines.append(f"left out: {plural(sp.unlabelled, 'done segment')} with no code of facet {facet!r}"
                     " (an exclusive textcat needs exactly one label per doc)")
    return lines


@app.command("merge")
@user_errors
def merge_cmd(
    target: ProjectArg,
    sources: Annotated[list[Path], typer.Argument(help="Coders' copies of the project.", show_default=False)],
    prefer: Annotated[str | None, typer.Option("--prefer", help="On conflicts keep the 'source' or the 'target' work.")] = None,
    coder: Annotated[list[str] | None, typer.Option("--coder", help="Only this coder's work (repeatable).")] = None,
) -> None:
    """Bring coders' annotations, done marks and memos from their copies into TARGET."""
    from annotator.application.maintenance import merge_projects

    if prefer not in (None, "source", "target"):
        raise UsageError(f"--prefer must be source or target, not {prefer!r}")
    with open_existing(target) as p, stderr_status(f"merging into {target} …"):
        report = merge_projects(p, sources, prefer=prefer, coders=coder)  # type: ignore[arg-type]
    for line in report.lines():
        print(line)
    for c in report.conflicts[:20]:
        print(f"conflict ({'kept ' + (prefer or '')}): {c.line()}")
