"""Shared fixtures: isolated user data folder, small real projects."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.templates import copy_project, demo_template


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.getbasetemp() / "annotator-home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo corpus built once per test session (real jieba and spaCy); never changed."""
    return demo_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_project(demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo project for one test."""
    return copy_project(demo_master, tmp_path / "demo.db")
