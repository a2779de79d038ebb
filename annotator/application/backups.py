"""The rotating backups the coding screen makes when it opens (a module of its own: it is
imported in the background while the coder works, so it stays light)."""

from __future__ import annotations

from annotator.storage.backup import rotate_backup

__all__ = ["rotate_backup"]
