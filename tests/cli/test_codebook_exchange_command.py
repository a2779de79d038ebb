"""Codebooks between annotator and other tools from the command line: ``init --codebook X.qdc``,
``codebook set P.db X.qdc`` and ``codebook export --format qdc|csv|yaml``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.cli_helpers import annotations_of, codes_of, run
from tests.io.test_codebook_files import TAGUETTE_QDC


@pytest.mark.parametrize("fmt", ["qdc", "yaml"])
def test_exported_codebook_starts_a_new_project_with_the_same_codes(project: Path, fmt: str) -> None:
    out = project.parent / f"cb.{fmt}"
    code, text = run("codebook", "export", project, "--format", fmt, "-o", out)
    assert code == 0, text
    assert f"wrote {out}: 13 codes" in text
    code, text = run("init", project.parent / "new.db", "--codebook", out)
    assert code == 0, text
    assert codes_of(project.parent / "new.db") == codes_of(project)


def test_taguette_qdc_starts_a_project_and_codebook_set_reads_qdc(project: Path) -> None:
    (project.parent / "tg.qdc").write_text(TAGUETTE_QDC, encoding="utf-8")
    new = project.parent / "new.db"
    code, text = run("init", new, "--codebook", project.parent / "tg.qdc")
    assert code == 0, text
    code, text = run("codebook", "show", new)
    assert "适应环境" in text and "目标达成" in text
    run("codebook", "export", project, "--format", "qdc", "-o", project.parent / "own.qdc")
    code, text = run("codebook", "set", new, project.parent / "own.qdc", "--force")
    assert code == 0, text
    assert {c[0] for c in codes_of(project)} <= {c[0] for c in codes_of(new)}
    before = annotations_of(project)
    code, text = run("codebook", "set", project, project.parent / "own.qdc")
    assert code == 0 and "0 new, 13 kept" in text, text
    assert annotations_of(project) == before


def test_unknown_codebook_format_is_one_line(project: Path) -> None:
    code, text = run("codebook", "export", project, "--format", "docz", "-o", project.parent / "x")
    assert code == 1 and "--format must be one of md, html, docx, qdc, csv, yaml" in text
    assert len(text.strip().splitlines()) == 1
