"""Coded test projects for the interchange tests (exports, REFI-QDA, JSONL, merge).

Built with the real pipeline (the session's demo project, jieba/spaCy tokenising) once per
session and copied per test, so each test gets its own file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from annotator.application.transcripts import import_transcripts
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import set_memo, tag
from annotator.storage.db import open_project
from tests.templates import copy_project, demo_template

DATA = Path(__file__).parent / "data" / "refi"
SAMPLES = Path("/work/shared/refi-qda/samples")
PROJECT_XSD = Path("/work/shared/refi-qda/Project.xsd")
CODEBOOK_XSD = Path("/work/shared/refi-qda/Codebook.xsd")
if not SAMPLES.exists():  # the shared folder next to the checkout
    SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "refi-qda" / "samples"
    PROJECT_XSD = SAMPLES.parent / "Project.xsd"
    CODEBOOK_XSD = SAMPLES.parent / "Codebook.xsd"

_CACHE: dict[str, Path] = {}


def coded_project(base: Path) -> Path:
    """The demo (coder 'paper') plus an astral/emoji interview and a second coder 'li' with memos."""
    if "coded" not in _CACHE:
        path = copy_project(demo_template(base), base / "coded.db")
        with open_project(path) as p:
            import_transcripts(p, [DATA / "astral.zh.txt"], translation=DATA / "astral.en.txt",
                               lang="zh", document="astral",
                               attributes={"astral": {"respondent": "Z", "role": "=cmd|' /C calc'!A0"}})
            cb = load_codebook(p)
            tag(p, cb, "li", "astral-001", ["adaptation", "trace_formalism"])
            tag(p, cb, "li", "astral-002", ["goal_attainment", "inspection_pressure", "rights_mismatch"])
            tag(p, cb, "li", "astral-003", [], none=True)
            set_memo(p, "li", "astral-002", "督查😀太多 — too many inspections")
            tag(p, cb, "paper", "astral-002", ["goal_attainment", "inspection_pressure"])
            tag(p, cb, "li", "A20230321-001", ["integration"])
            set_memo(p, "paper", "A20230321-001", "-first memo")
        _CACHE["coded"] = path
    target = base / f"copy{len(list(base.glob('copy*.db')))}.db"
    shutil.copy(_CACHE["coded"], target)
    return target
