"""Whether the double-coding sample assigns a coder anything: what the filter dialog asks
before offering "assigned to me" (one probe, not the sample's segments read)."""

from __future__ import annotations

from pathlib import Path

from annotator.storage.db import open_project
from annotator.storage.study import has_assignments, save_sample, segments_assigned


def test_only_coders_with_sampled_segments_have_assignments(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        assert not has_assignments(p, "t")
        segment = p.execute("SELECT id FROM segments LIMIT 1").fetchone()[0]
        save_sample(p, {segment: ["t", "u"]}, {}, replace=False)
        assert has_assignments(p, "t") and has_assignments(p, "u")
        assert not has_assignments(p, "v")
        assert [has_assignments(p, c) for c in "tuv"] == [bool(segments_assigned(p, c)) for c in "tuv"]
