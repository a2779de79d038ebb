"""Keeping a project file safe: copies, checks, and merging a coding screen's recovery file."""

from __future__ import annotations

from annotator.storage.backup import copy_project, default_backup_path, set_backups_kept
from annotator.storage.check import CheckReport, check_project
from annotator.storage.merge import merge_projects
from annotator.storage.recovery import merge_recovery

__all__ = [
    "CheckReport",
    "check_project",
    "copy_project",
    "default_backup_path",
    "merge_projects",
    "merge_recovery",
    "set_backups_kept",
]
