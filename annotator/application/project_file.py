"""The project file as the interfaces hold it: opening it, the open handle, and noticing that
the file was lost (deleted or replaced) under it.

Light on purpose: the coding screen imports it at start.
"""

from __future__ import annotations

from annotator.storage.db import Project, open_project
from annotator.storage.file_guard import ProjectFileLost

__all__ = ["Project", "ProjectFileLost", "check_file", "open_project"]


def check_file(project: Project) -> None:
    """Raise :class:`ProjectFileLost` if ``project``'s file or its write-ahead log was deleted
    or replaced since it was opened (nothing to check for a project opened without a guard)."""
    if project.guard is not None:
        project.guard.check()
