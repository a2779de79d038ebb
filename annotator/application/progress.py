"""How the interfaces show storage's long work (see :mod:`annotator.storage.progress`).

Kept apart from the heavier application modules: every command installs it at start-up."""

from __future__ import annotations

from annotator.storage.progress import set_reporter as set_progress_reporter

__all__ = ["set_progress_reporter"]
