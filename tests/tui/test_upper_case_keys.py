"""Upper-case code keys work everywhere the checker accepts them; reserved keys are refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.content import Content

from annotator.codebook import parse_codebook
from annotator.model import RESERVED_KEYS, CoderState
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from annotator.tui.widgets.codebook_panel import blind_lines, lead_lines

from .conftest import ZH, app_for, drive, screen, state_on_disk

CODEBOOK = """facets:
  - id: stance
    label: {en: Stance}
    codes:
      - {id: favour, key: F, label: {en: Favour}}
      - {id: neutral, key: N, label: {en: Neutral}}
      - {id: against, label: {en: Against (no key)}}
  - id: topic
    multiple: true
    label: {en: Topic}
    codes:
      - {id: tasks, key: T, label: {en: "[Tasks] and checks"}}
      - {id: money, key: "1", label: {en: Money}}
"""


@pytest.fixture()
def upper_db(tmp_path: Path) -> Path:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts

    (tmp_path / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "talk.zh.txt").write_text(ZH, encoding="utf-8")
    path = tmp_path / "upper.db"
    create_project(path, tmp_path / "cb.yaml")
    with open_project(path) as p:
        import_transcripts(p, [tmp_path / "talk.zh.txt"], lang="zh", document="talk")
    return path


@pytest.mark.parametrize("key", sorted(k for k in RESERVED_KEYS if len(k) == 1 and not k.isspace()))
def test_checker_refuses_every_reserved_key(key: str) -> None:
    text = CODEBOOK.replace("key: F,", f"key: {key!r},")
    codebook, problems = parse_codebook(text)
    assert codebook is None
    assert any("reserved" in p.message and repr(key) in p.message for p in problems)


def test_checker_refuses_the_lead_refresh_key() -> None:
    _, problems = parse_codebook(CODEBOOK.replace("key: N,", "key: R,"))
    assert [p.message for p in problems] == ["key 'R' is reserved by the coding screen (its own keys: j k n p u g x m q ? / f R)"]


def _plain(markup: str) -> str:
    return Content.from_markup(markup).plain


def test_blind_panel_shows_upper_case_badges_and_bracketed_labels(upper_db: Path) -> None:
    with open_project(upper_db) as p:
        codebook = load_codebook(p)
    text = "\n".join(_plain(line) for line in blind_lines(codebook, "en", CoderState()))
    assert "[F]·Favour" in text and "[N]·Neutral" in text
    assert "[T]·[Tasks] and checks" in text and "[1]·Money" in text


def test_lead_grid_rows_align_with_and_without_badges(upper_db: Path) -> None:
    with open_project(upper_db) as p:
        codebook = load_codebook(p)
    states = {"me": CoderState(frozenset({"favour"})), "other": CoderState(frozenset({"against"}))}
    rows = [_plain(line) for line in lead_lines(codebook, "en", states)]
    code_rows = [r for r in rows if "●" in r or "·" in r]
    assert len(code_rows) == len(codebook.codes)
    assert {cell_len(r) for r in code_rows} == {cell_len(code_rows[0])}
    assert code_rows[0].startswith("[F] Favour")
    assert code_rows[2].startswith("    Against")
    first_marks = {min(i for i, ch in enumerate(r) if ch in "●·") for r in code_rows}
    assert len(first_marks) == 1


def test_upper_case_key_toggles_its_code_on_the_screen(upper_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        seg = screen(app).session.current
        await pilot.press("F")
        assert state_on_disk(upper_db, "t", seg).codes == {"favour"}
        await pilot.press("T")
        assert state_on_disk(upper_db, "t", seg).codes == {"favour", "tasks"}
        await pilot.press("N")
        assert state_on_disk(upper_db, "t", seg).codes == {"neutral", "tasks"}

    drive(app_for(upper_db), steps)
