"""Keeping a coding session's changes when its project file is lost under it.

Every change the session makes runs inside :meth:`Rescue.guard`. When the project's file
guard reports the file (or its write-ahead log) deleted or replaced, the change is not
acknowledged: the session's changes so far and the one being made are written to a recovery
file, and the error raised names it and the command that merges it back.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.application.changes import event_states
from annotator.application.project_file import Project, ProjectFileLost
from annotator.application.recovery import Change, write_recovery


class Rescue:
    """The recovery file of one coding session (written only once the project is lost)."""

    def __init__(self, project: Project, session: str) -> None:
        self.project = project
        self.session = session
        self.extra: list[Change] = []
        self.path: Path | None = None

    def logged(self, event: int, *, after: bool) -> Change:
        """The change an undo (``after=False``) or redo of ``event`` makes."""
        coder, segment, before, new = event_states(self.project, event)
        return coder, segment, new if after else before

    @contextlib.contextmanager
    def guard(self, intended: Callable[[], Change] | None = None) -> Iterator[None]:
        """Run a change; if the project file is lost, keep the session's changes and the
        ``intended`` one in the recovery file and raise the error that says where."""
        try:
            yield
        except ProjectFileLost as exc:
            if intended is not None:
                with contextlib.suppress(Exception):  # the change is kept if it can be read
                    self.extra.append(intended())
            raise self._kept(exc) from None

    def _kept(self, exc: ProjectFileLost) -> ProjectFileLost:
        project = self.project.path
        try:
            self.path, n = write_recovery(self.project, self.session, self.extra, self.path)
        except OSError as error:
            return ProjectFileLost(
                f"{exc.message}; nothing more is saved, and this session's changes could not"
                f" be written to a recovery file either ({error.strerror or error})", path=project)
        merge = f"annotator recover {shlex.quote(str(project))} {shlex.quote(str(self.path))}"
        return ProjectFileLost(
            f"{exc.message}; nothing more is saved to it. This session's changes"
            f" ({n} segment{'s' if n != 1 else ''}) are kept in {self.path}; merge them back"
            f" with: {merge} (keep projects out of synced and network folders)", path=project)


__all__ = ["Rescue"]
