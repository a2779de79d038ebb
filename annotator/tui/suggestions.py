"""Suggested codes for the coding screen: the suggestion engine when present, else codebook
keyword matches shown through the same interface. No Textual here.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any, Protocol

from annotator.model import Codebook
from annotator.nlp.suggest import CodeSuggestion, Suggestions
from annotator.storage.db import Project
from annotator.storage.documents import get_segment


class SuggesterLike(Protocol):
    def suggest(self, segment_id: str, *, top: int = 5) -> Any: ...

    def learn(self, segment_id: str, codes: frozenset[str]) -> None: ...


def keyword_hits(codebook: Codebook, zh: str, en: str) -> dict[str, list[str]]:
    """code id → the codebook keywords found in the texts (substring match; English
    case-insensitive)."""
    low = en.lower()
    hits: dict[str, list[str]] = {}
    for code in codebook.codes:
        found = [k for k in code.keywords_zh if k and k in zh]
        found += [k for k in code.keywords_en if k and k.lower() in low]
        if found:
            hits[code.id] = found
    return hits


class KeywordSuggester:
    """Codebook-keyword matches ranked by how many keywords (and how long) each code has."""

    def __init__(self, project: Project) -> None:
        from annotator.storage.codebook_store import load_codebook

        self.project = project
        self.codebook = load_codebook(project)

    def suggest(self, segment_id: str, *, top: int = 5) -> Suggestions:
        seg = get_segment(self.project, segment_id)
        hits = keyword_hits(self.codebook, seg.zh, seg.en)
        ranked = sorted(
            hits.items(), key=lambda kv: (-len(kv[1]), -sum(len(k) for k in kv[1]), kv[0])
        )
        codes = []
        for code_id, words in ranked[:top]:
            code = self.codebook.code(code_id)
            facet = code.facet if code else ""
            codes.append(CodeSuggestion(code_id, facet, float(len(words)), tuple(words)))
        return Suggestions(segment_id, (), tuple(codes))

    def learn(self, segment_id: str, codes: frozenset[str]) -> None:
        """Keyword matches do not learn."""


def engine_available() -> bool:
    try:
        return importlib.util.find_spec("annotator.nlp.suggest") is not None
    except ModuleNotFoundError:
        return False


def build_suggester(project: Project, *, coder: str, lead: bool, kind: str = "auto") -> SuggesterLike:
    """The suggester for the coding screen (may take a second: call it in a worker thread
    with its own project connection). ``kind``: auto, engine or keywords."""
    if kind in ("auto", "engine") and engine_available():
        logging.getLogger("jieba").setLevel(logging.CRITICAL)
        from annotator.suggesting import suggester_for_project

        engine: SuggesterLike = suggester_for_project(project, coder=coder, lead=lead)
        try:
            import jieba

            jieba.setLogLevel(logging.WARNING)
        except ModuleNotFoundError:
            pass
        return engine
    return KeywordSuggester(project)
