"""Creating a project file and removing one that an import failed to fill."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.errors import ProjectError
from annotator.storage.db import Project
from annotator.storage.db import open_project as open_project  # the interfaces open projects here

if TYPE_CHECKING:
    from annotator.model import Codebook

# The codebook modules (YAML, the file readers) are imported where a project is created: every
# command opens its project through this module, and most never read a codebook file.


def remove_project_file(path: Path) -> None:
    """Delete a project file with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def create_project(path: Path, codebook_path: Path | None = None, *, empty: bool = False) -> Codebook:
    """A new project file holding the codebook (the bundled one when ``codebook_path`` is None;
    none at all with ``empty``, for imports that bring their own codebook).

    The codebook is checked before any file is written.
    """
    codebook = _codebook(codebook_path, empty)
    if path.exists():
        raise ProjectError("already exists", path=path)
    try:
        with open_project(path, create=True) as project:
            _fill(project, codebook)
    except BaseException:
        remove_project_file(path)
        raise
    return codebook


@contextlib.contextmanager
def new_project(path: Path, *, empty: bool = False) -> Iterator[Project]:
    """A new project with the bundled codebook (none with ``empty``), open for an import: it is
    built under a hidden temporary name and becomes ``path`` only when the block succeeds; an
    error, an interrupt or a kill leaves nothing at ``path`` (see
    :mod:`annotator.storage.new_file`)."""
    from annotator.storage.new_file import building

    codebook = _codebook(None, empty)
    with building(path) as project:
        _fill(project, codebook)
        yield project


def _codebook(codebook_path: Path | None, empty: bool) -> Codebook:
    from annotator.application.codebooks import read_codebook_file
    from annotator.codebook import bundled_codebook_path, load_codebook
    from annotator.model import Codebook

    if empty:
        return Codebook(facets=())
    return read_codebook_file(codebook_path) if codebook_path else load_codebook(bundled_codebook_path())


def _fill(project: Project, codebook: Codebook) -> None:
    from annotator.storage.codebook_store import save_codebook
    from annotator.storage.project_meta import set_meta

    save_codebook(project, codebook)
    set_meta(project, "created_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
