"""Fixtures of the reliability tests: an isolated user folder and a ready-made coded project."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.application.importing import import_any
from tests.reliability.reliability_helpers import write_transcript

TEMPLATE_SEGMENTS = 200


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups and the jieba cache go to a temporary folder, also in subprocesses."""
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path_factory.getbasetemp() / "home"))


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of 200 Chinese segments with the bundled codebook, made by the real import."""
    import os

    folder = tmp_path_factory.mktemp("template")
    old = os.environ.get("ANNOTATOR_HOME")
    os.environ["ANNOTATOR_HOME"] = str(tmp_path_factory.getbasetemp() / "home")
    try:
        source = write_transcript(folder / "interview.txt", TEMPLATE_SEGMENTS)
        path = folder / "template.db"
        import_any(path, [source])
    finally:
        if old is None:
            os.environ.pop("ANNOTATOR_HOME", None)
        else:
            os.environ["ANNOTATOR_HOME"] = old
    return path


@pytest.fixture
def project(template_project: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the template project for one test."""
    path = tmp_path / "project.db"
    shutil.copy(template_project, path)
    yield path
