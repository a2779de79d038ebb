"""The codebook's text is tokenised in a process of its own, so that the engine's process never
holds jieba's dictionary or spaCy's tables for a few hundred words."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, sys
from pathlib import Path
from annotator.application.codebook_terms import tokenise_codebook_apart
from annotator.nlp.lexicon import codebook_terms_known
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
with open_project(Path(sys.argv[1])) as p:
    taken = tokenise_codebook_apart(p, Path(sys.argv[1]), coder="paper", lead=False)
    taken()
    known = codebook_terms_known(load_codebook(p))
import jieba
print(json.dumps({"known": known, "spacy": "spacy" in sys.modules,
                  "jieba_loaded": bool(jieba.dt.initialized)}))
"""


@pytest.mark.slow
def test_the_engine_process_gets_the_codebook_terms_without_loading_a_tokeniser(
        demo_project: Path, tmp_path: Path) -> None:
    with sqlite3.connect(demo_project) as db:  # as after an import: nothing tokenised yet
        db.execute("DELETE FROM project WHERE key = 'codebook_terms'")
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path / "fresh-home"),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(demo_project)], env=env,
                         capture_output=True, text=True, timeout=300, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"known": True, "spacy": False, "jieba_loaded": False}
    with sqlite3.connect(demo_project) as db:  # kept for the next start too
        (kept,) = db.execute("SELECT value FROM project WHERE key = 'codebook_terms'").fetchone()
    assert json.loads(kept)["descriptions"]


PROCESS_WITH_KEPT_ENGINE = """
import json, sys
from pathlib import Path
from annotator.application.suggesting import keep_codebook_terms, suggester_for_project
from annotator.storage.db import open_project
with open_project(Path(sys.argv[1])) as p:
    suggester_for_project(p, coder="paper")  # the kept engine: nothing tokenised here
    keep_codebook_terms(p)
"""


@pytest.mark.slow
def test_a_process_that_loaded_a_kept_engine_keeps_the_projects_terms(
        demo_project: Path, tmp_path: Path) -> None:
    """Such a process knew none of the codebook's terms and kept "none" in the project."""
    home = tmp_path / "home"
    env = {**os.environ, "ANNOTATOR_HOME": str(home), "PYTHONPATH": os.pathsep.join(sys.path)}
    run = [sys.executable, "-c", PROCESS_WITH_KEPT_ENGINE, str(demo_project)]
    subprocess.run(run, env=env, capture_output=True, text=True, timeout=300, check=True)  # builds, keeps
    with sqlite3.connect(demo_project) as db:
        (first,) = db.execute("SELECT value FROM project WHERE key = 'codebook_terms'").fetchone()
    assert json.loads(first)["descriptions"]
    (home / "codebook-terms.json").unlink()  # a later process has only the kept engine
    subprocess.run(run, env=env, capture_output=True, text=True, timeout=300, check=True)
    with sqlite3.connect(demo_project) as db:
        (kept,) = db.execute("SELECT value FROM project WHERE key = 'codebook_terms'").fetchone()
    assert kept == first
