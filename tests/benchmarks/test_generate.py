"""A generated project is what an import makes: its corpus counts kept, every segment counted."""

from __future__ import annotations

from pathlib import Path

from annotator.storage.db import open_project
from annotator.storage.term_counts import counts_state
from benchmarks.generate import generate


def test_a_generated_project_keeps_the_corpus_counts_of_every_segment(tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    generate(path, 500, coders=2, coded=0.2, per_doc=100)
    with open_project(path) as project:
        state = counts_state(project)
        segments = project.execute("SELECT count(*) FROM segments").fetchone()[0]
    assert state.valid and state.pending == 0
    assert state.n_docs == segments == 500
