"""Words and labels from data are shown as typed on the coding screen, never read as markup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.nlp.suggest import CodeSuggestion, Suggestions
from annotator.tui.widgets.suggestion_panel import suggestion_markup

from .conftest import app_for, drive, screen

HOSTILE = ("[/", "[bold red]RED[/]", "a\\", "[@click=app.quit]x")


def test_evidence_words_with_markup_are_shown_as_typed(small_db: Path) -> None:
    async def steps(app: Any, pilot: Any) -> None:
        coding = screen(app)
        code = coding.session.codebook.codes[0]
        hostile = Suggestions(coding.session.current, (), (
            CodeSuggestion(code.id, code.facet, 0.9, HOSTILE, True),))
        coding.suggestion_panel.show(
            suggestion_markup(coding.session.codebook, "en", hostile, frozenset()))
        await pilot.pause()
        shown = str(coding.suggestion_panel.render())
        for word in HOSTILE:
            assert word in shown
        assert app.is_running

    drive(app_for(small_db), steps)
