"""``annotator codebook export``: the project's codebook as a file other tools read."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, codebook_app, open_existing, user_errors


@codebook_app.command("export")
@user_errors
def codebook_export_cmd(
    project: ProjectArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="qdc (REFI-QDA) | csv (Taguette) | yaml (annotator)", show_default=False)],
    out: Annotated[Path, typer.Option("--output", "-o", help="The file to write.", show_default=False)],
) -> None:
    """Write the project's codebook: qdc for QualCoder, NVivo, MAXQDA, ATLAS.ti; csv for Taguette;
    yaml for another annotator project."""
    from annotator.application.codebooks import export_codebook

    with open_existing(project) as p:
        n = export_codebook(p, fmt, out)
    print(f"wrote {out}: {n} codes")
