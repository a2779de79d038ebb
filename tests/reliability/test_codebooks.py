"""Codebook changes after coding keep every annotation; hostile codebook files fail cleanly."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from annotator.cli import app
from annotator.storage.check import check_project
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import REPO, env, table_digest

BUNDLED = REPO / "codebook.yaml"
runner = CliRunner()


def _bundled() -> dict[str, Any]:
    """The bundled codebook without its coded examples (they name codes these tests remove)."""
    data: dict[str, Any] = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    for facet in data["facets"]:
        for code in facet["codes"]:
            code.pop("examples", None)
    return data


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _code(data: dict[str, Any], code_id: str) -> dict[str, Any]:
    return next(c for f in data["facets"] for c in f["codes"] if c["id"] == code_id)


def _coded(project: Path) -> list[tuple[str, str, str, str]]:
    """Tag a few segments as two coders; return the annotation rows."""
    with open_project(project) as p:
        cb = load_codebook(p)
        for i in range(1, 13):
            seg = f"interview-{i:03d}"
            tag(p, cb, "ana", seg, ["adaptation" if i % 2 else "latency", "trace_formalism"])
            tag(p, cb, "bo", seg, ["integration", "feedback_gap", "rights_mismatch"] if i % 3 == 0
                else ["integration", "feedback_gap"])
    return _annotations(project)


def _annotations(project: Path) -> list[tuple[str, str, str, str]]:
    conn = sqlite3.connect(project)
    rows = sorted(conn.execute("SELECT coder, segment, code, created_at FROM annotations"))
    conn.close()
    return rows


def _set(project: Path, file: Path, *extra: str) -> Any:
    return runner.invoke(app, ["codebook", "set", str(project), str(file), *extra])


def _assert_consistent(project: Path) -> None:
    with open_project(project) as p:
        report = check_project(p)
    assert report.ok, list(report.lines())


def test_new_codes_facets_labels_and_keys_keep_every_annotation(project: Path, tmp_path: Path) -> None:
    before = _coded(project)
    data = _bundled()
    dims = data["facets"][0]["codes"]
    dims.append({"id": "new_dimension", "key": "5", "label": {"zh": "新维度", "en": "New dimension"}})
    data["facets"].append({
        "id": "tone", "multiple": False, "label": {"zh": "语气", "en": "Tone"},
        "codes": [{"id": "positive", "key": "+", "label": {"zh": "积极", "en": "Positive"}},
                  {"id": "negative", "key": "-", "label": {"zh": "消极", "en": "Negative"}}],
    })
    _code(data, "adaptation")["label"] = {"zh": "适应", "en": "Adapting"}
    # two codes swap their keys
    a, b = _code(data, "adaptation"), _code(data, "latency")
    a["key"], b["key"] = b["key"], a["key"]
    result = _set(project, _write(tmp_path / "v2.yaml", data))
    assert result.exit_code == 0, result.stderr
    assert _annotations(project) == before
    with open_project(project) as p:
        cb = load_codebook(p)
        assert cb.code("adaptation").label.en == "Adapting"  # type: ignore[union-attr]
        assert cb.code("adaptation").key == "4" and cb.code("latency").key == "1"  # type: ignore[union-attr]
        assert cb.facet("tone") is not None and cb.code("new_dimension") is not None
        # the new codes are usable at once
        tag(p, cb, "ana", "interview-001", ["positive", "new_dimension"])
    _assert_consistent(project)


def test_removing_a_used_code_needs_force_and_archives_recoverably(project: Path, tmp_path: Path) -> None:
    before = _coded(project)
    data = _bundled()
    for facet in data["facets"]:
        facet["codes"] = [c for c in facet["codes"] if c["id"] != "trace_formalism"]
    file = _write(tmp_path / "fewer.yaml", data)
    digest = table_digest(project)
    refused = _set(project, file)
    assert refused.exit_code == 1 and isinstance(refused.exception, SystemExit)
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "trace_formalism" in lines[0] and "--force" in lines[0]
    assert table_digest(project) == digest
    forced = _set(project, file, "--force")
    assert forced.exit_code == 0, forced.stderr
    removed = [r for r in before if r[2] == "trace_formalism"]
    assert removed and _annotations(project) == [r for r in before if r[2] != "trace_formalism"]
    conn = sqlite3.connect(project)
    archived = sorted(conn.execute(
        "SELECT coder, segment, code, created_at FROM archived_annotations").fetchall())
    conn.close()
    assert archived == removed  # every removed annotation is recoverable, with its time
    with open_project(project) as p:
        assert load_codebook(p).code("trace_formalism") is None
        assert load_codebook(p, include_archived=True).code("trace_formalism") is not None
    _assert_consistent(project)
    # an unused code goes without --force
    for facet in data["facets"]:
        facet["codes"] = [c for c in facet["codes"] if c["id"] != "smart_governance"]
    assert _set(project, _write(tmp_path / "fewer2.yaml", data)).exit_code == 0


def test_switching_to_single_choice_reports_the_segments_that_break_it(project: Path, tmp_path: Path) -> None:
    before = _coded(project)
    data = _bundled()
    burden = next(f for f in data["facets"] if f["id"] == "burden")
    burden["multiple"] = False
    result = _set(project, _write(tmp_path / "single.yaml", data))
    assert result.exit_code == 0, result.stderr
    assert _annotations(project) == before  # nothing dropped silently
    expected = {(seg, coder) for coder, seg in {(r[0], r[1]) for r in before}
                if sum(1 for x in before if x[:2] == (coder, seg) and x[2] not in
                       {"adaptation", "goal_attainment", "integration", "latency"}) > 1}
    assert expected  # bo's segments hold two or three burdens
    reported = {(w.split()[1], w.split()[2].strip("()")) for w in result.stdout.splitlines()
                if w.startswith("warning:")}
    assert reported == expected
    check = runner.invoke(app, ["check", str(project)])
    assert check.exit_code == 1
    assert sum("single-choice" in line for line in check.stdout.splitlines()) == len(expected)
    assert f"{len(expected)} problems" in check.stderr


# --- hostile codebook files ----------------------------------------------------------------

HOSTILE = {
    "python-object": "facets: !!python/object/apply:os.system ['touch {marker}']\n",
    "python-name": "facets:\n  - id: !!python/name:os.system\n    codes: []\n",
    "duplicate-keys": "facets:\n  - id: a\n    id: b\n    codes:\n      - {{id: x, label: X}}\n",
    "deep-flow": "facets: " + "[" * 3000 + "]" * 3000 + "\n",
    "deep-block": "facets:\n" + "".join(" " * i + "a:\n" for i in range(1, 2000)),
    "not-yaml": "facets: [unclosed\n  - {{\n",
    "binary": "\x00\x01\x02facets",
    "scalar": "just a sentence\n",
    "empty": "",
}


def _assert_clean_cli(result: Any) -> None:
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    assert "Traceback" not in result.stderr + result.stdout
    if result.exit_code:
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert lines and all(line.startswith("annotator: ") for line in lines), result.stderr


@pytest.mark.parametrize("name", [  # YAML nested thousands deep takes PyYAML seconds to refuse
    pytest.param(n, marks=pytest.mark.slow) if n.startswith("deep") else n for n in sorted(HOSTILE)])
def test_hostile_codebook_files_fail_cleanly(name: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    file = tmp_path / f"{name}.yaml"
    file.write_text(HOSTILE[name].format(marker=marker), encoding="utf-8")
    checked = runner.invoke(app, ["codebook", "check", str(file)])
    _assert_clean_cli(checked)
    assert checked.exit_code == 1
    target = tmp_path / "p.db"
    init = runner.invoke(app, ["init", str(target), "--codebook", str(file)])
    _assert_clean_cli(init)
    assert init.exit_code == 1 and len(init.stderr.strip().splitlines()) == 1
    assert not target.exists()
    assert not marker.exists()  # no YAML tag ever ran anything


@pytest.mark.slow  # a fresh Python process
def test_billion_laughs_codebook_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    file = tmp_path / "laughs.yaml"
    file.write_text("\n".join(lines) + "\nfacets: *i\n", encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "annotator", "codebook", "check", str(file)],
                              capture_output=True, text=True, env=env(), cwd=REPO, timeout=4)
    except subprocess.TimeoutExpired:
        pytest.fail("codebook check still running after 4 s")
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) >= 1


_BUNDLED_TEXT = BUNDLED.read_text(encoding="utf-8")


def test_control_character_in_codebook_gives_one_line(tmp_path: Path) -> None:
    file = tmp_path / "control.yaml"
    file.write_text("\x1f" + _BUNDLED_TEXT, encoding="utf-8")
    result = runner.invoke(app, ["codebook", "check", str(file)])
    assert result.exit_code == 1
    _assert_clean_cli(result)


@pytest.mark.slow  # fuzzing
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cut=st.integers(0, len(_BUNDLED_TEXT)), junk=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
       where=st.integers(0, len(_BUNDLED_TEXT)))
def test_mangled_codebooks_fail_cleanly(cut: int, junk: str, where: int, tmp_path: Path) -> None:
    text = _BUNDLED_TEXT[:where] + junk + _BUNDLED_TEXT[where:cut] if where < cut else _BUNDLED_TEXT[:cut]
    file = tmp_path / "mangled.yaml"
    file.write_text(text, encoding="utf-8", errors="surrogatepass")
    _assert_clean_cli(runner.invoke(app, ["codebook", "check", str(file)]))
    target = tmp_path / "mangled.db"
    target.unlink(missing_ok=True)
    init = runner.invoke(app, ["init", str(target), "--codebook", str(file)])
    _assert_clean_cli(init)
    assert target.exists() == (init.exit_code == 0)
