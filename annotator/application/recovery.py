"""A coding session's changes kept in a recovery file when its project file is lost under it
(``annotator recover`` merges the file back: :mod:`annotator.application.maintenance`)."""

from __future__ import annotations

from annotator.storage.recovery import Change, write_recovery

__all__ = ["Change", "write_recovery"]
