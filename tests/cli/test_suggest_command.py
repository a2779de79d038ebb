"""``annotator suggest``: what it refuses before doing any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.cli_helpers import run


def test_an_unknown_segment_is_refused_before_the_engine_is_built(
        demo_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path / "home"))  # a data folder of its own
    code, out = run("suggest", demo_project, "NO-SUCH-SEGMENT", "--coder", "paper")
    assert code == 1
    assert out.strip().splitlines() == [
        "annotator: error: no segment with id 'NO-SUCH-SEGMENT' (see 'annotator segments')"]
    engines = tmp_path / "home" / "engines"
    assert not engines.exists() or not any(engines.iterdir())


def test_a_known_segment_gets_its_suggestions(demo_project: Path) -> None:
    code, out = run("segments", demo_project, "--json")
    first = out.splitlines()[0].split('"id": "')[1].split('"')[0]
    code, out = run("suggest", demo_project, first, "--coder", "paper")
    assert code == 0
    assert out.splitlines()[0] == first
