"""The codebook dialog: every code's definition, notes and examples, data shown as written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text

from annotator.codebook import load_codebook as read_codebook
from annotator.model import Bilingual
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from annotator.tui import code_details
from annotator.tui.code_details import codebook_text
from annotator.tui.screens.coding import CodingScreen
from annotator.tui.screens.dialogs import HelpDialog

from .conftest import app_for, drive, screen

HOSTILE = """\
facets:
  - id: kind
    label: {en: "Kind [b]bold[/b]", zh: 类型}
    codes:
      - id: f
        key: F
        label: {en: "[F] Formal", zh: 形式}
        definition: {en: "Paperwork first,\\n  then [red]work", zh: 先做台账}
        when_to_use: {en: "Ledgers and photos", zh: 台账照片}
        keywords: {zh: [台账], en: [ledger]}
        examples:
          - zh: 一件事要拍三张照片。
            en: One task, three photos.
          - 台账一本接一本。
          - Forms again.
      - id: g
        key: G
        label: {en: Goal, zh: 目标}
"""


def plain(markup: str) -> str:
    return Text.from_markup(markup).plain


def test_every_field_shows_as_written_and_control_characters_do_not_reach_the_screen(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    text = plain(codebook_text(read_codebook(path), "en"))
    assert "Kind [b]bold[/b]" in text
    assert "definition: Paperwork first, then [red]work" in text
    assert "[F] Formal" in text
    assert "when to use: Ledgers and photos" in text
    assert "keywords: 台账, ledger" in text
    assert "coded examples (3; the first shown)" in text
    assert "一件事要拍三张照片。" in text and "One task, three photos." in text
    assert "台账一本接一本。" in text and "Forms again." not in text  # only the first SHOWN_EXAMPLES


def test_the_number_of_examples_shown_follows_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    monkeypatch.setattr(code_details, "SHOWN_EXAMPLES", 3)
    assert "Forms again." in plain(codebook_text(read_codebook(path), "en"))
    monkeypatch.setattr(code_details, "SHOWN_EXAMPLES", 1)
    text = plain(codebook_text(read_codebook(path), "en"))
    assert "一件事要拍三张照片。" in text and "台账一本接一本。" not in text


def test_a_control_character_in_a_stored_text_is_written_out_not_sent_to_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    codebook = read_codebook(path)
    code = replace(codebook.codes[0], definition=Bilingual(en="then \x1b[31mwork"))
    facet = replace(codebook.facets[0], codes=(code, *codebook.facets[0].codes[1:]))
    text = plain(codebook_text(replace(codebook, facets=(facet,)), "en"))
    assert "definition: then \\u001b[31mwork" in text
    assert "\x1b" not in text


def test_the_ui_language_chooses_the_text_and_a_code_with_nothing_more_shows_its_label(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    text = plain(codebook_text(read_codebook(path), "zh"))
    assert "定义: 先做台账" in text and "形式" in text
    goal = text[text.index("目标"):]
    assert "定义" not in goal and "编码示例" not in goal


def test_the_palette_opens_the_codebook_with_the_bundled_definitions_and_examples(demo_db: Path) -> None:
    codebook = load_codebook(open_project(demo_db))
    latency = codebook.code("latency")
    assert latency is not None

    async def steps(app: Any, pilot: Any) -> None:
        names = {name: callback for name, _key, callback in screen(app).palette_commands()}
        names["show the codebook: definitions and examples"]()
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        shown = plain(app.screen.text)
        assert " ".join(latency.definition.en.split()) in shown
        for code in codebook.codes:
            assert (code.label.en or code.id) in shown
        assert "coded examples (" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, CodingScreen)

    drive(app_for(demo_db), steps)
