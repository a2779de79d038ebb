"""Paths and defaults. ``ANNOTATOR_HOME`` overrides the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

BUSY_TIMEOUT_S = 10.0
BACKUPS_KEPT = 5


def data_dir() -> Path:
    """Where annotator keeps the demo project, backups and the jieba cache."""
    env = os.environ.get("ANNOTATOR_HOME")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "annotator"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resource_path(name: str) -> Path:
    """A file bundled with annotator: ``codebook.yaml`` or something under ``corpora/``.

    A wheel carries them in ``annotator/data/``; a source checkout has them at its top level.
    """
    packaged = Path(__file__).parent / "data" / name
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def ui_language() -> str:
    """zh when the locale says Chinese, else en."""
    for var in ("ANNOTATOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
