"""What agree reads as integer arrays is the coders' finished work, in the order it always had."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotator.application.agreement import load_input
from annotator.model import CoderState
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import done_code_sets, set_state
from annotator.storage.db import open_project
from annotator.storage.documents import iter_segments


@pytest.fixture
def worked(demo_project: Path) -> Path:
    """The demo plus three coders: done with codes, done with none, codes not yet done."""
    rng = np.random.default_rng(3)
    with open_project(demo_project) as p:
        codes = [c.id for c in load_codebook(p).codes]
        segments = [s.id for s in iter_segments(p)]
        for coder in ("zoe", "amy", "mo"):
            for seg in rng.permutation(segments)[: len(segments) * 2 // 3].tolist():
                picked = frozenset(rng.choice(codes, size=int(rng.integers(0, 3)), replace=False).tolist())
                set_state(p, coder, seg, CoderState(picked, bool(rng.random() < 0.8), ""))
    return demo_project


def _expected(path: Path, coders: list[str] | None, document: str | None) -> dict[str, dict[str, frozenset[str]]]:
    with open_project(path) as p:
        return done_code_sets(p, coders, document=document)


@pytest.mark.parametrize("coders", [None, ["zoe", "mo"], ["mo", "paper", "amy"]])
def test_the_arrays_hold_each_finished_segment_with_its_codes_in_the_usual_order(
        worked: Path, coders: list[str] | None) -> None:
    expected = _expected(worked, coders, None)
    got = load_input(worked, coders, None).states
    assert list(got) == list(expected)  # the order decides the bootstrap's draws
    assert got == expected
    assert any(not codes for per in got.values() for codes in per.values())  # done, no code


def test_one_document_and_the_documents_of_the_units(worked: Path) -> None:
    with open_project(worked) as p:
        document = next(iter_segments(p)).document
    data = load_input(worked, None, document, with_documents=True)
    expected = _expected(worked, None, document)
    assert list(data.states) == list(expected) and data.states == expected
    assert data.segment_document == [document] * len(expected)
    some = list(expected)[:3]
    assert set(data.texts(some)) == set(some)
