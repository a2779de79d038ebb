"""Shared fixtures: isolated user data folder, small real projects."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.getbasetemp() / "annotator-home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))


@pytest.fixture(scope="session")
def demo_project_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo corpus built once per test session (real jieba and spaCy)."""
    from annotator.application.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture
def demo_project(demo_project_master: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the demo project for one test."""
    from annotator.storage.db import open_project

    with open_project(demo_project_master) as p:  # fold the WAL into the main file
        p.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / "demo.db"
    shutil.copy(demo_project_master, path)
    yield path
