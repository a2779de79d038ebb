"""The codebook keywords highlighted on the coding screen are the ones its suggestions cite:
one matcher (annotator.nlp.lexicon.Lexicon) finds them for both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.application.suggesting import suggester_for_project
from annotator.model import Codebook
from annotator.storage.db import open_project
from annotator.storage.documents import get_segment, segment_order
from annotator.tui.highlight import Highlighter
from annotator.tui.suggestions import KeywordSuggester

SEGMENTS = 60


def _cjk(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)


def _keywords(codebook: Codebook) -> set[str]:
    out = set()
    for code in codebook.codes:
        out |= {k.strip().lower() for k in code.keywords_zh + code.keywords_en}
    return out


def _highlighted(suggester: Any, codebook: Codebook, zh: str, en: str, seg_id: str
                 ) -> dict[str, set[str]]:
    """code → the words the highlighter styles in the code's colour, per the screen's path."""
    mark = Highlighter(codebook)
    colours = {c.id: mark._styles[c.id] for c in codebook.codes}
    matches = suggester.matches(seg_id)
    out: dict[str, set[str]] = {}
    for lang, text in (("zh", zh), ("en", en)):
        spans = suggester.lexicon.locate(text, lang, matches)
        rendered = mark(text, lang, spans)
        for span in rendered.spans:
            code = next(c for c, style in colours.items() if style == span.style)
            out.setdefault(code, set()).add(text[span.start : span.end].lower())
        for m in matches:  # every cited keyword stands somewhere in the text it was found in
            if m.lang == lang:
                assert any(c == m.code for _a, _b, c in spans), (seg_id, m)
    return out


def _segments(path: Path) -> Iterator[tuple[str, str, str]]:
    with open_project(path) as p:
        for seg_id, _doc in segment_order(p)[:SEGMENTS]:
            seg = get_segment(p, seg_id)
            yield seg_id, seg.zh, seg.en


@pytest.mark.parametrize("kind", ["engine", "keywords"])
def test_highlighted_keywords_are_the_cited_evidence(demo_db: Path, kind: str) -> None:
    project = open_project(demo_db)
    try:
        if kind == "engine":
            suggester: Any = suggester_for_project(project, learned=False)
        else:
            suggester = KeywordSuggester(project)
        codebook = suggester.lexicon.codebook
        keywords = _keywords(codebook)
        with_evidence = 0
        for seg_id, zh, en in _segments(demo_db):
            cited = {
                c.code: {w.strip().lower() for w in c.evidence if w.strip().lower() in keywords}
                for c in suggester.suggest(seg_id, top=100).codes
            }
            cited = {code: words for code, words in cited.items() if words}
            matched: dict[str, set[str]] = {}
            for m in suggester.matches(seg_id):
                matched.setdefault(m.code, set()).add(m.keyword.strip().lower())
            assert cited == matched, seg_id
            shown = _highlighted(suggester, codebook, zh, en, seg_id)
            assert set(shown) == set(cited), seg_id  # the same codes are coloured and cited
            for code, words in cited.items():  # Chinese keywords: the very same words
                assert {w for w in shown[code] if _cjk(w)} == {w for w in words if _cjk(w)}
            with_evidence += bool(cited)
        assert with_evidence >= 10  # the demo interviews do mention the codebook's keywords
    finally:
        if kind == "engine":
            suggester.close()
        project.close()
