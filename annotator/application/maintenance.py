"""Keeping a project file safe: copies, checks, and merging a coding screen's recovery file.

Each name is imported from its storage module when first used: a command that checks a file
does not load the merge, nor a merge the checks (a batch command's start-up counts)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.storage.backup import copy_project, default_backup_path, set_backups_kept
    from annotator.storage.check import CheckReport, check_project
    from annotator.storage.merge import merge_projects
    from annotator.storage.recovery import merge_recovery

_HOME = {
    "copy_project": "backup", "default_backup_path": "backup", "set_backups_kept": "backup",
    "CheckReport": "check", "check_project": "check",
    "merge_projects": "merge",
    "merge_recovery": "recovery",
}

__all__ = [
    "CheckReport",
    "check_project",
    "copy_project",
    "default_backup_path",
    "merge_projects",
    "merge_recovery",
    "set_backups_kept",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"annotator.storage.{_HOME[name]}"), name)
    globals()[name] = value
    return value
