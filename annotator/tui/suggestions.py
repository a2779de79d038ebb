"""Suggested codes for the coding screen: the suggestion engine when present, else codebook
keyword matches shown through the same interface. Either way the codebook keywords are found by
one matcher (:class:`annotator.nlp.lexicon.Lexicon`), whose matches are both the evidence a
suggestion cites and the words the screen highlights. No Textual here.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
from collections.abc import Callable
from typing import Protocol

from annotator.application.keyword_matches import codebook_matcher, segment_matches
from annotator.application.project_file import Project
from annotator.model import Code
from annotator.nlp.lexicon import Lexicon, Match
from annotator.nlp.suggest import CodeSuggestion, Suggestions

#: Segments whose keyword matches the keyword suggester keeps.
KEPT = 64


class SuggesterLike(Protocol):
    lexicon: Lexicon

    def suggest(self, segment_id: str, *, top: int = 5) -> Suggestions: ...

    def matches(self, segment_id: str) -> tuple[Match, ...]: ...

    def learn(self, segment_id: str, codes: frozenset[str]) -> None: ...


class KeywordSuggester:
    """Codebook-keyword matches ranked by their summed weight (see :mod:`annotator.nlp.lexicon`)."""

    def __init__(self, project: Project, lexicon: Lexicon | None = None) -> None:
        self.project = project
        self.lexicon = codebook_matcher(project) if lexicon is None else lexicon
        self.codebook = self.lexicon.codebook
        self._matched: dict[str, tuple[Match, ...]] = {}

    def matches(self, segment_id: str) -> tuple[Match, ...]:
        """The codebook keywords in a stored segment (the last :data:`KEPT` are kept)."""
        found = self._matched.get(segment_id)
        if found is None:
            found = self._matched[segment_id] = segment_matches(self.project, self.lexicon, segment_id)
            while len(self._matched) > KEPT:
                del self._matched[next(iter(self._matched))]
        return found

    def suggest(self, segment_id: str, *, top: int = 5) -> Suggestions:
        """The codes with keywords in the segment, most keywords (then longest) first; each
        cites its keywords as the codebook writes them, Chinese first."""
        found: dict[str, set[str]] = {}
        for m in self.matches(segment_id):
            found.setdefault(m.code, set()).add(m.keyword)
        hits: dict[str, list[str]] = {}
        for code in self.codebook.codes:
            words = found.get(code.id)
            if words:
                hits[code.id] = _as_written(code, words)
        ranked = sorted(
            hits.items(), key=lambda kv: (-len(kv[1]), -sum(len(k) for k in kv[1]), kv[0])
        )
        codes = [CodeSuggestion(code_id, self.codebook.code(code_id).facet,  # type: ignore[union-attr]
                                float(len(words)), tuple(words))
                 for code_id, words in ranked[:top]]
        return Suggestions(segment_id, (), tuple(codes))

    def learn(self, segment_id: str, codes: frozenset[str]) -> None:
        """Keyword matches do not learn."""


def _as_written(code: Code, matched: set[str]) -> list[str]:
    """``code``'s keywords among ``matched`` (keywords as the matcher reports them), in the
    codebook's order and spelling, Chinese first."""
    zh = [k for k in code.keywords_zh if k.strip().lower() in matched]
    en = [k for k in code.keywords_en if k.strip() in matched]
    return list(dict.fromkeys(zh + en))


def engine_available() -> bool:
    try:
        return importlib.util.find_spec("annotator.nlp.suggest") is not None
    except ModuleNotFoundError:
        return False


def build_suggester(project: Project, *, coder: str, lead: bool, kind: str = "auto") -> SuggesterLike:
    """The suggester for the coding screen (may take a second: call it in a worker thread
    with its own project connection). ``kind``: auto, engine or keywords."""
    return build_first_suggester(project, coder=coder, lead=lead, kind=kind, whole=True)[0]


Rest = Callable[[Project], SuggesterLike]


def build_first_suggester(project: Project, *, coder: str, lead: bool, kind: str = "auto",
                          whole: bool = False, limit: int | None = None,
                          terms_ready: Callable[[], None] = lambda: None
                          ) -> tuple[SuggesterLike, Rest | None]:
    """:func:`build_suggester`, but when no engine is kept and the coder has coded many segments,
    first an engine learning from the latest of them, and what builds the one learning from all
    (:func:`annotator.application.suggesting.first_suggester`, from the latest ``limit`` when
    given; ``whole``: at once, never so). ``terms_ready``: see ``first_suggester``."""
    from annotator.application.suggesting import (
        first_suggester,
        keep_codebook_terms,
        recall_codebook_terms,
        suggester_for_project,
    )

    recall_codebook_terms(project)
    rest: Rest | None = None
    if kind in ("auto", "engine") and engine_available():
        logging.getLogger("jieba").setLevel(logging.CRITICAL)
        if whole:
            terms_ready()
            engine: SuggesterLike = suggester_for_project(project, coder=coder, lead=lead)
        else:
            first = (first_suggester(project, coder=coder, lead=lead, terms_ready=terms_ready)
                     if limit is None else
                     first_suggester(project, coder=coder, lead=lead, limit=limit,
                                     terms_ready=terms_ready))
            engine, rest = first.engine, first.rest
        with contextlib.suppress(ModuleNotFoundError):
            import jieba

            jieba.setLogLevel(logging.WARNING)
    else:
        terms_ready()
        engine = KeywordSuggester(project)
    keep_codebook_terms(project)
    return engine, rest
