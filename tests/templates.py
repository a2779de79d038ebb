"""Projects that many tests start from, built once per test session with the real pipeline.

Tests never change these files: they take a copy (``copy_project``). Each template's WAL is folded
into the main file when it is built, so a plain file copy is the whole project.
"""

from __future__ import annotations

import shutil
from pathlib import Path

_BUILT: dict[str, Path] = {}


def demo_template(folder: Path) -> Path:
    """The bundled demo project (X community interviews, coder 'paper'), built on the first call
    of the session in ``folder`` and returned as it is on every later call."""
    if "demo" not in _BUILT:
        from annotator.application.demo import build_demo

        path = folder / "demo.db"
        build_demo(path)
        fold_wal(path)
        _BUILT["demo"] = path
    return _BUILT["demo"]


def fold_wal(path: Path) -> None:
    """Write the project's WAL into its main file, so that copying the file copies everything."""
    from annotator.storage.db import open_project

    with open_project(path) as p:
        p.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def copy_project(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target
