"""Commands for the project file: init, import, segments, tag, annotations, codebook, stats, demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli._common import (
    ProjectArg,
    app,
    codebook_app,
    err,
    json_line,
    open_existing,
    prepare_nlp,
    user_errors,
    write_lines,
)
from annotator.errors import ProjectError, UsageError
from annotator.plural import plural

if TYPE_CHECKING:
    from annotator.application.coding import WorkRow
    from annotator.model import Segment


@app.command("init")
@user_errors
def init_cmd(
    project: ProjectArg,
    codebook: Annotated[
        Path | None, typer.Option("--codebook", "-c", help="Codebook YAML or REFI-QDA .qdc (the bundled one when omitted).")
    ] = None,
) -> None:
    """Create a new project file with a codebook."""
    from annotator.application.projects import create_project

    if project.exists():
        raise ProjectError("already exists; choose another name", path=project)
    cb = create_project(project, codebook)
    print(f"created {project} with {plural(len(cb.facets), 'facet')} and {plural(len(cb.codes), 'code')}")


@app.command("import")
@user_errors
def import_cmd(
    project: ProjectArg,
    files: Annotated[list[Path] | None, typer.Argument(help="Transcript files (or a .qdpx / exported .jsonl).", show_default=False)] = None,
    translation: Annotated[Path | None, typer.Option("--translation", "-t", help="A second-language file that pairs turn by turn with FILE.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of FILE: zh or en (detected when omitted).")] = None,
    document: Annotated[str | None, typer.Option("--document", "-d", help="Document id (the file name when omitted).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="auto|txt|md|csv|tsv|jsonl|docx|srt|vtt")] = "auto",
    replace: Annotated[bool, typer.Option("--replace", help="Replace documents that already exist.")] = False,
    mapping: Annotated[Path | None, typer.Option("--map", help="With a .qdpx: map its codes onto this project's codes (YAML or CSV: theirs,ours).")] = None,
    create: Annotated[bool, typer.Option("--create/--no-create", help="Create the project if it does not exist.")] = True,
    coder: Annotated[str | None, typer.Option("--coder", help="With a Taguette highlights CSV: whose coding it is (default taguette).", show_default=False)] = None,
    mark_done: Annotated[bool, typer.Option("--mark-done/--no-mark-done", help="With another tool's .qdpx: every segment of a document a user coded in counts as done by that user (no code where none was applied).")] = True,
) -> None:
    """Import transcripts (txt, md, csv, tsv, jsonl, docx, srt, vtt), a REFI-QDA project, a JSONL
    export or a Taguette highlights CSV."""
    from annotator.application.importing import import_any, languages_tokenised_here

    files = files or []
    new = not project.exists()
    if new and not create:
        raise ProjectError("no such project file", path=project)
    if (files or translation) and all(f.is_file() for f in [*files, *filter(None, [translation])]):
        # a missing file is reported at once, without loading anything
        prepare_nlp(languages_tokenised_here(files, translation))
    lines = import_any(project, files, translation=translation, lang=lang, document=document,
                       fmt=fmt, replace=replace, mapping=mapping, coder=coder, mark_done=mark_done)
    if new:  # a typo in the project path must not pass unnoticed
        err(f"created new project {project} with {_codebook_of_new_project(project, files)}")
    for line in lines:
        print(line)


def _codebook_of_new_project(project: Path, files: list[Path]) -> str:
    """Which codebook ``import`` gave the project it created: the bundled one, or the codes
    the imported file brought (a .qdpx without --map, an annotator JSONL export)."""
    from annotator.application.codebooks import load_codebook as project_codebook
    from annotator.codebook import bundled_codebook_path, load_codebook

    with open_existing(project) as p:
        codes = {c.id for c in project_codebook(p).codes}
    bundled = {c.id for c in load_codebook(bundled_codebook_path()).codes}
    if codes == bundled:
        return "the bundled codebook"
    return f"the codebook of {files[0].name}" if files else "an empty codebook"


@app.command("segments")
@user_errors
def segments_cmd(
    project: ProjectArg,
    document: Annotated[str | None, typer.Option("--document", "-d", help="Only this document.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List segments in reading order."""
    from annotator.application.coding import iter_segments

    with open_existing(project) as p:
        write_lines(map(_segment_json if as_json else _segment_line, iter_segments(p, document)))


def _segment_json(s: Segment) -> str:
    obj: dict[str, object] = {"id": s.id, "document": s.document, "position": s.position,
                              "speaker": s.speaker, "zh": s.zh, "en": s.en}
    if s.start is not None:
        obj["start"] = s.start
    if s.end is not None:
        obj["end"] = s.end
    return json_line(obj)


def _segment_line(s: Segment) -> str:
    text = (s.zh or s.en).replace("\n", " ")
    return f"{s.id}\t{s.speaker or ''}\t{text[:60]}\n"


@app.command("tag")
@user_errors
def tag_cmd(
    project: ProjectArg,
    segment: Annotated[str, typer.Argument(help="Segment id.", show_default=False)],
    codes: Annotated[list[str] | None, typer.Argument(help="Code ids to apply.", show_default=False)] = None,
    coder: Annotated[str, typer.Option("--coder", help="Who is coding.", show_default=False)] = "",
    remove: Annotated[bool, typer.Option("--remove", help="Remove the codes instead.")] = False,
    none: Annotated[bool, typer.Option("--none", help="Mark done with no code.")] = False,
) -> None:
    """Apply (or remove) codes on a segment and mark it done for the coder."""
    from annotator.application.coding import tag

    coder = coder.strip()
    if not coder:
        raise UsageError("--coder NAME is required")
    with open_existing(project) as p:
        state = tag(p, coder, segment, codes or [], remove=remove, none=none)
    print(f"{segment} {coder}: {', '.join(sorted(state.codes)) or '(no code)'};"
          f" {'done' if state.done else 'not done'}")


@app.command("annotations")
@user_errors
def annotations_cmd(
    project: ProjectArg,
    coder: Annotated[str | None, typer.Option("--coder", help="Only this coder.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List each coder's work per segment."""
    from annotator.application.coding import check_coder, coder_work

    with open_existing(project) as p:
        check_coder(p, coder)
        write_lines(map(_work_json if as_json else _work_line, coder_work(p, coder)))


def _work_json(row: WorkRow) -> str:
    obj: dict[str, object] = {"segment": row.segment, "coder": row.coder, "codes": row.codes,
                              "done": row.done}
    if row.memo:
        obj["memo"] = row.memo
    return json_line(obj)


def _work_line(row: WorkRow) -> str:
    codes = "; ".join(f"{k}: {', '.join(v)}" for k, v in row.codes.items() if v)
    return f"{row.segment}\t{row.coder}\t{'done' if row.done else 'open'}\t{codes}\n"


@codebook_app.command("check")
@user_errors
def codebook_check_cmd(
    file: Annotated[Path, typer.Argument(help="A codebook YAML file.", show_default=False)],
) -> None:
    """Validate a codebook file: every problem with file, line and code id."""
    from annotator.codebook import check_codebook

    codebook, problems = check_codebook(file)
    if problems or codebook is None:
        for problem in problems:
            err(problem.format(str(file)))
        raise typer.Exit(1)
    print(f"{file}: ok ({plural(len(codebook.facets), 'facet')}, {plural(len(codebook.codes), 'code')})")


@codebook_app.command("show")
@user_errors
def codebook_show_cmd(
    project: ProjectArg,
    lang: Annotated[str, typer.Option("--lang", help="Label language: zh or en.")] = "en",
) -> None:
    """Show a project's codebook: facets, codes, keys and labels."""
    from annotator.application.codebooks import load_codebook

    if lang not in ("zh", "en"):
        raise UsageError(f"--lang must be zh or en, not {lang!r}")

    with open_existing(project) as p:
        codebook = load_codebook(p)
    for facet in codebook.facets:
        kind = "several codes" if facet.multiple else "one code"
        print(f"{facet.id}  {facet.label.get(lang)}  ({kind} per segment)")
        for code in facet.codes:
            print(f"  [{code.key or ' '}] {code.id:<22} {code.label.get(lang)}")


@codebook_app.command("set")
@user_errors
def codebook_set_cmd(
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="The new codebook: YAML or REFI-QDA .qdc.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Archive annotations of removed codes.")] = False,
) -> None:
    """Replace a project's codebook, keeping every annotation."""
    from annotator.application.codebooks import set_codebook

    with open_existing(project) as p:
        change = set_codebook(p, file, force=force)
    print(f"codebook updated: {len(change.added)} new, {len(change.updated)} kept,"
          f" {len(change.archived)} archived"
          f" ({plural(change.archived_annotations, 'annotation')} archived)")
    if change.restored:
        print(f"back from the archive: {', '.join(change.restored)}"
              f" ({plural(change.restored_annotations, 'annotation')} restored)")
    if change.left_archived:
        print(f"warning: {plural(change.left_archived, 'archived annotation')}"
              f" {'stays' if change.left_archived == 1 else 'stay'} archived: their coders have"
              " since chosen another code in a single-choice facet")
    for facet, seg, coder in change.single_choice_conflicts:
        print(f"warning: {seg} ({coder}) has several codes in single-choice facet {facet}")


@app.command("stats")
@user_errors
def stats_cmd(
    project: ProjectArg,
    coder: Annotated[str | None, typer.Option("--coder", help="Whose work the table counts (default: 'consensus', else the only coder with codes).")] = None,
) -> None:
    """Segments per document, work per coder, and one coder's table of the first single-choice
    facet's codes against the first multiple-choice facet's (when the codebook has both)."""
    from annotator.application.stats import project_stats

    with open_existing(project) as p:
        for line in project_stats(p, coder):
            print(line)


@app.command("demo")
@user_errors
def demo_cmd(
    db: Annotated[Path | None, typer.Option("--db", help="Where to build the demo project.")] = None,
    no_tui: Annotated[bool, typer.Option("--no-tui", help="Only build the project; do not open the coding screen.")] = False,
    coder: Annotated[str, typer.Option("--coder", help="Your coder name on the coding screen.")] = "me",
) -> None:
    """Build the bundled X-community corpus into a project and open the coding screen."""
    from annotator.application.demo import build_demo
    from annotator.config import data_dir

    path = db or data_dir() / "demo.db"
    if not path.exists():
        prepare_nlp()
    summary = build_demo(path)
    print(summary, file=sys.stderr if not no_tui else sys.stdout)
    if no_tui:
        return
    from annotator.cli.code import NO_TERMINAL, has_terminal, run_coding_screen

    if not has_terminal():
        raise UsageError(f"{NO_TERMINAL}: annotator code {path} --coder {coder}")
    run_coding_screen(path, coder=coder)
