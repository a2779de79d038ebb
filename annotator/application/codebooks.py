"""Codebooks in and out of a project: read from YAML or REFI-QDA ``.qdc``, written as qdc, csv
(what Taguette imports) or yaml.

``CODEBOOK_FORMATS`` is the one table of codebook exports: each format's writer takes the
project and the output path and returns the number of codes written. A new format is one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.codebook import load_codebook as load_yaml_codebook
from annotator.errors import UsageError
from annotator.io.codebook_files import codebook_csv, codebook_yaml, read_qdc, write_text
from annotator.model import Codebook
from annotator.storage.codebook_edit import EditResult, merge_codes, rename_code, split_code, undo_last_edit
from annotator.storage.codebook_store import CodebookChange, load_codebook, save_codebook
from annotator.storage.db import Project

QDC_SUFFIXES = (".qdc", ".qde", ".xml")


#: Codebook edits that keep every annotation (each undoable), as the interfaces call them.
__all__ = [
    "CODEBOOK_FORMATS",
    "EditResult",
    "export_codebook",
    "load_codebook",
    "merge_codes",
    "read_codebook_file",
    "rename_code",
    "set_codebook",
    "split_code",
    "undo_last_edit",
]

def read_codebook_file(path: Path) -> Codebook:
    """A codebook file: REFI-QDA (``.qdc``) by its suffix, else annotator's YAML."""
    if path.suffix.lower() in QDC_SUFFIXES:
        return read_qdc(path)[0]
    return load_yaml_codebook(path)


def set_codebook(project: Project, path: Path, *, force: bool = False) -> CodebookChange:
    """Make the codebook in ``path`` (YAML or .qdc) the project's, keeping every annotation."""
    return save_codebook(project, read_codebook_file(path), force=force)


def _qdc(project: Project, out: Path) -> int:
    from annotator.application.exporting import export_qdc

    return export_qdc(project, out)


def _csv(project: Project, out: Path) -> int:
    codebook = load_codebook(project)
    write_text(out, codebook_csv(codebook))
    return len(codebook.codes)


def _yaml(project: Project, out: Path) -> int:
    codebook = load_codebook(project)
    write_text(out, codebook_yaml(codebook))
    return len(codebook.codes)


CODEBOOK_FORMATS: dict[str, Callable[[Project, Path], int]] = {
    "qdc": _qdc,
    "csv": _csv,
    "yaml": _yaml,
}


def export_codebook(project: Project, fmt: str, out: Path) -> int:
    """Write the project's codebook as ``fmt`` to ``out``; the number of codes."""
    writer = CODEBOOK_FORMATS.get(fmt.lower().lstrip("."))
    if writer is None:
        raise UsageError(f"--format must be one of {', '.join(CODEBOOK_FORMATS)}, not {fmt!r}")
    return writer(project, out)
