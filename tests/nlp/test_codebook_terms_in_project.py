"""The tokenised codebook text (English keyword lemmas, code descriptions' terms) is kept in the
project, so a process with a cold cache builds the keyword matcher without loading spaCy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.application.projects import create_project

pytestmark = pytest.mark.slow  # fresh processes

BUILD = """
import sys, time
from annotator.storage.db import open_project
from annotator.tui.suggestions import build_suggester
with open_project(sys.argv[1]) as p:
    build_suggester(p, coder="t", lead=False, kind="keywords")
print("spacy" in sys.modules)
"""


def _build(db: Path, home: Path) -> bool:
    env = {"ANNOTATOR_HOME": str(home), "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    out = subprocess.run([sys.executable, "-c", BUILD, str(db)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return out.strip() == "True"


def test_a_second_process_with_a_cold_cache_reads_the_lemmas_from_the_project(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    create_project(db)
    assert _build(db, tmp_path / "home1")  # the first one lemmatises with spaCy, and keeps them
    assert not _build(db, tmp_path / "home2")  # a new data folder: no cache but the project's
