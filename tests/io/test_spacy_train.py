"""Exported files train with ``python -m spacy train`` as they are: an exclusive facet with the
exclusive ``textcat``, a multi-choice facet with ``textcat_multilabel`` (a blank pipeline, a few
steps). Before the per-facet export, one mixed ``doc.cats`` failed the exclusive textcat (E895)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.application.exporting import export_spacy
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from tests.interchange_fixtures import coded_project

pytestmark = pytest.mark.slow


def _spacy(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "spacy", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("multiple", [False, True])
def test_spacy_train_completes_on_an_exported_facet(tmp_path: Path, multiple: bool) -> None:
    with open_project(coded_project(tmp_path)) as p:
        facet = next(f for f in load_codebook(p).facets if f.multiple == multiple)
        st = export_spacy(p, tmp_path / "train.spacy", coder="paper", lang="both", facet=facet.id)
    assert st.docs > 4
    init = _spacy("init", "config", "cfg.cfg", "-l", "zh", "-p", st.component, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    train = _spacy("train", "cfg.cfg", "--output", "model", "--paths.train", "train.spacy",
                   "--paths.dev", "train.spacy", "--training.max_steps", "4",
                   "--training.eval_frequency", "2", cwd=tmp_path)
    assert train.returncode == 0, train.stdout[-2000:] + train.stderr[-2000:]
    assert (tmp_path / "model" / "model-last" / st.component).is_dir()
