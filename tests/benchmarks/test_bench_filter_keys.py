"""The filter benchmark presses keys before and while the lead's filter is computed, and the
filter lands with the segments the filter finds on the screen's thread."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from benchmarks.bench_filter_keys import main


def test_keys_are_timed_before_and_while_the_filter_is_computed(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_project(demo_project) as p:  # the lead decides A1 otherwise than the demo's coder
        tag(p, load_codebook(p), "lead", "A20230321-001", ["latency"])
    main([str(demo_project), "--before", "0.5", "--spacing", "0.05"])
    out = capsys.readouterr().out
    landed = re.search(r"landed after [\d.]+ s \((\d+) segments\)", out)
    assert landed and int(landed.group(1)) > 0, out
    assert "thread: " in out and f"({landed.group(1)} segments)" in out.split("thread:")[1], out
    before = re.search(r"nothing running\s+n=(\d+)", out)
    assert before and int(before.group(1)) >= 5, out
    assert "keys while filtering" in out
