"""The coders-disagree filter, computed with numpy from the agreement tables, equals a walk over
every coder's state of every segment."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.application.filters import disagreeing_keys
from annotator.model import CoderState
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import coder_states, set_state
from annotator.storage.db import open_project


def _walk(path: Path, exclude: str | None) -> set[str]:
    with open_project(path) as p:
        states = coder_states(p)
    out = set()
    for seg, per in states.items():
        done = {c: st.codes for c, st in per.items() if st.done and c != exclude}
        if len(done) >= 2 and len(set(done.values())) > 1:
            out.add(seg)
    return out


@pytest.mark.parametrize("packed", [62, 0])  # code sets as bits, or numbered (too many codes)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_filter_equals_the_walk(demo_project: Path, seed: int, packed: int,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import annotator.application.filters as filters

    monkeypatch.setattr(filters, "PACKED_CODES", packed)
    rng = random.Random(seed)
    with open_project(demo_project) as p:
        codes = [c.id for c in load_codebook(p).codes]
        segments = [r[0] for r in p.execute("SELECT id FROM segments")]
        for coder in ("ann", "bob", "judge"):
            for seg in rng.sample(segments, k=len(segments) * 2 // 3):
                chosen = frozenset(rng.sample(codes, k=rng.choice([0, 1, 1, 2])))
                set_state(p, coder, seg, CoderState(chosen, rng.random() < 0.8, ""))
    for exclude in (None, "judge", "paper"):
        want = _walk(demo_project, exclude)
        with open_project(demo_project) as p:
            keys = disagreeing_keys(p, exclude=exclude).tolist()
            key_of = dict(p.execute("SELECT id, rowid FROM segments").fetchall())
        assert keys == sorted(key_of[s] for s in want)  # as row ids, ascending
    assert want  # the draw made some disagreements
