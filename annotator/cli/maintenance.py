"""Commands that keep a project file safe: backup and check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, app, err, open_existing, refuse_project, user_errors
from annotator.cli.progress import stderr_status
from annotator.plural import plural


@app.command("backup")
@user_errors
def backup_cmd(
    project: ProjectArg,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write the copy (default: beside the project,"
                     " named PROJECT.backup-TIME.db, TIME in UTC)."),
    ] = None,
    keep: Annotated[
        int | None,
        typer.Option("--keep", help="Also set how many automatic backups (taken when the coding"
                     " screen opens) this project keeps; 0 turns them off."),
    ] = None,
) -> None:
    """Copy the project consistently, even while coders are working (SQLite online backup)."""
    from annotator.application.maintenance import copy_project, default_backup_path, set_backups_kept

    refuse_project(output, project)
    with open_existing(project) as p:
        if keep is not None:
            set_backups_kept(p, keep)
        with stderr_status(f"backing up {project} …"):
            dest = copy_project(p, output if output is not None else default_backup_path(project))
    print(f"backed up {project} to {dest}")


@app.command("check")
@user_errors
def check_cmd(project: ProjectArg) -> None:
    """Check a project file: integrity, orphans, event log, single-choice facets."""
    from annotator.application.maintenance import check_project

    with open_existing(project) as p, stderr_status(f"checking {project} …"):
        report = check_project(p)
    for line in report.lines():
        print(line)
    counts = ", ".join(plural(v, k[:-1]) if k.endswith("s") else f"{v} {k}"
                       for k, v in report.checked.items())
    verdict = report.verdict()
    print(f"{project}: {verdict}" + (f" ({counts})" if counts and report.ok else ""))
    if not report.ok:
        err(f"{project}: {verdict}")
        raise typer.Exit(1)
