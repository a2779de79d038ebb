"""Errors a user can act on.

Every error the CLI or the TUI shows to a person is an ``AnnotatorError``: its ``str()`` is
one line that names the file (and line) and the reason. Anything else is a bug.
"""

from __future__ import annotations

from pathlib import Path


class AnnotatorError(Exception):
    """An error caused by input or circumstances the user can fix."""

    def __init__(
        self, message: str, *, path: str | Path | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        message = " ".join(self.message.split())  # always one line
        if self.path and self.line:
            return f"{self.path}:{self.line}: {message}"
        if self.path:
            return f"{self.path}: {message}"
        return message


class CodebookError(AnnotatorError):
    """A codebook file or a codebook change is invalid."""


class ImportFormatError(AnnotatorError):
    """A transcript or project file cannot be imported."""


class ProjectError(AnnotatorError):
    """A project file is missing, locked, corrupt, not a project or from a newer version."""


class ProjectBusy(ProjectError):
    """Another program is writing the project, and the write asked not to wait for it."""


class UsageError(AnnotatorError):
    """A command names something that does not exist or breaks a rule (unknown code, ...)."""
