"""``annotator recover``: merge a coding session's recovery file back into a project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, app, open_existing, user_errors


@app.command("recover")
@user_errors
def recover_cmd(
    project: ProjectArg,
    recovery_file: Annotated[
        Path, typer.Argument(help="The recovery file (.jsonl) the coding screen named.",
                             show_default=False)],
) -> None:
    """Merge back the changes a coding screen kept when its project file was deleted or
    replaced under it (all or nothing)."""
    from annotator.application.maintenance import merge_recovery

    with open_existing(project) as p:
        merged = merge_recovery(p, recovery_file)
    print(f"recovered {merged.applied} segment state(s) into {project}"
          f" ({merged.unchanged} already there)")
