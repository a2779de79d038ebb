"""Team merge: coders' copies into the lead's file; idempotent, conflicts reported, refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.errors import UsageError
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import coder_states, set_memo, tag
from annotator.storage.db import open_project
from annotator.storage.merge import merge_projects
from tests.interchange_fixtures import coded_project


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coded")


@pytest.fixture
def team(base: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    lead = tmp_path / "lead.db"
    shutil.copy(coded_project(base), lead)
    a, b = tmp_path / "wang.db", tmp_path / "zhao.db"
    shutil.copy(lead, a)
    shutil.copy(lead, b)
    with open_project(a) as p:
        cb = load_codebook(p)
        tag(p, cb, "wang", "B20230512-001", ["latency", "feedback_gap"])
        set_memo(p, "wang", "B20230512-001", "@lead please check")
        tag(p, cb, "wang", "astral-001", [], none=True)
    with open_project(b) as p:
        cb = load_codebook(p)
        tag(p, cb, "zhao", "B20230512-001", ["integration"])
    return lead, a, b


def _events(path: Path) -> int:
    with open_project(path) as p:
        return int(p.execute("SELECT count(*) FROM events").fetchone()[0])


def test_merge_brings_work_and_is_idempotent(team: tuple[Path, Path, Path]) -> None:
    lead, a, b = team
    with open_project(lead) as p:
        report = merge_projects(p, [a, b])
        states = coder_states(p)
        merged = p.execute("SELECT count(*) FROM events WHERE action = 'merge'").fetchone()[0]
    assert report.written == {str(a): 2, str(b): 1}
    assert states["B20230512-001"]["wang"].codes == {"latency", "feedback_gap"}
    assert states["B20230512-001"]["wang"].memo == "@lead please check"
    assert states["astral-001"]["wang"].done and not states["astral-001"]["wang"].codes
    assert states["B20230512-001"]["zhao"].codes == {"integration"}
    assert merged == 3
    before = _events(lead)
    with open_project(lead) as p:
        again = merge_projects(p, [a, b])
    assert sum(again.written.values()) == 0 and _events(lead) == before


def test_coder_who_kept_working_after_a_merge_wins(team: tuple[Path, Path, Path]) -> None:
    lead, a, _b = team
    with open_project(lead) as p:
        merge_projects(p, [a])
    with open_project(a) as p:
        tag(p, load_codebook(p), "wang", "B20230512-001", ["feedback_gap"], remove=True)
    with open_project(lead) as p:
        report = merge_projects(p, [a])
        assert report.conflicts == []
        assert coder_states(p)["B20230512-001"]["wang"].codes == {"latency"}


def test_conflict_refused_then_prefer(team: tuple[Path, Path, Path]) -> None:
    lead, a, b = team
    with open_project(b) as p:  # zhao's copy also has work under the name wang
        tag(p, load_codebook(p), "wang", "B20230512-001", ["goal_attainment"])
    with open_project(lead) as p:
        with pytest.raises(UsageError, match="conflicting") as info:
            merge_projects(p, [a, b])
        assert "B20230512-001 wang" in str(info.value)
        assert "wang" not in {c for per in coder_states(p).values() for c in per}  # nothing kept
        report = merge_projects(p, [a, b], prefer="target")
        assert len(report.conflicts) == 1
        assert coder_states(p)["B20230512-001"]["wang"].codes == {"latency", "feedback_gap"}


def test_differing_transcripts_and_unknown_codes_refused(team: tuple[Path, Path, Path]) -> None:
    lead, a, _b = team
    with open_project(a) as p:
        p.execute("UPDATE segments SET zh = zh || '改' WHERE id = 'C20230623-001'")
    with open_project(lead) as p, pytest.raises(UsageError, match="C20230623 \\(segments differ\\)"):
        merge_projects(p, [a])
    with open_project(a) as p:
        p.execute("UPDATE segments SET zh = substr(zh, 1, length(zh) - 1) WHERE id = 'C20230623-001'")
        p.execute("INSERT INTO codes (id, facet, position) VALUES ('new_code', 'burden', 99)")
        p.execute("INSERT INTO annotations VALUES ('wang', 'C20230623-001', 'new_code', 'now')")
    with open_project(lead) as p, pytest.raises(UsageError, match="new_code"):
        merge_projects(p, [a])


def test_cli_merge_and_export(team: tuple[Path, Path, Path], tmp_path: Path) -> None:
    lead, a, b = team
    runner = CliRunner()
    result = runner.invoke(app, ["merge", str(lead), str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert "coders: wang, zhao" in result.output
    result = runner.invoke(app, ["merge", str(lead), str(lead)])
    assert result.exit_code == 1 and "itself" in result.output
    for fmt in ("csv", "jsonl", "qdpx", "qdc"):
        result = runner.invoke(app, ["export", str(lead), "-f", fmt, "-o", str(tmp_path / f"o.{fmt}")])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", str(lead), "-f", "xml", "-o", str(tmp_path / "o.xml")])
    assert result.exit_code == 1 and "--format" in result.output
