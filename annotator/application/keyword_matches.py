"""The codebook's keywords found in stored segments, by the one matcher
(:class:`annotator.nlp.lexicon.Lexicon`) whose matches a keyword suggestion cites and the coding
screen highlights."""

from __future__ import annotations

from annotator.nlp.lexicon import Lexicon, Match
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project
from annotator.storage.documents import get_segment, segment_terms


def codebook_matcher(project: Project) -> Lexicon:
    """The keyword matcher of ``project``'s codebook (its :attr:`Lexicon.codebook`)."""
    return Lexicon.build(load_codebook(project))


def segment_matches(project: Project, lexicon: Lexicon, segment_id: str) -> tuple[Match, ...]:
    """The codebook keywords ``lexicon`` finds in the stored segment ``segment_id``."""
    seg = get_segment(project, segment_id)
    tokens = segment_terms(project, segment_id)
    return tuple(lexicon.match(seg.zh, tokens["zh_tokens"], tokens["en_tokens"]))
