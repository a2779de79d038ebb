"""English tokens and terms, chunk by chunk: spaCy's tokenizer's output at less processor time.

spaCy's tokenizer cuts a text at whitespace first and tokenises each chunk between on its own
(prefixes, suffixes, infixes, special cases); the whitespace itself becomes tokens only where
it is not a single space, and those are no words. So a text's words are its chunks' words in
order, and each distinct chunk ("community,", "don't") need be tokenised once per process:
:class:`ChunkWords` keeps each chunk's (tokens, terms) in a bounded memo and builds a text's
from ``str.split()``, without a spaCy Doc per text.

One exception: the tokenizer's last step looks for its special cases ("(:", "a.m.") among the
whole text's tokens, where a match across a space is not applied but can stop an overlapping
one from being applied ("( :(" keeps ":" and "(" apart). A text where two chunks meet as the
tokens of a special case can ("(" then ":", "s" then ".") is tokenised whole, as before. Tests
compare the result with the tokenizer run on whole texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import Any

#: Distinct chunks remembered at most; the memo is emptied when full.
CHUNKS = 200_000

#: (token, content term) of a word, None where it is none (spaces, stop words, punctuation).
Entry = tuple[str | None, str | None]


class ChunkWords:
    """``words(text)``: the tokens and the terms of an English text."""

    def __init__(self, tokenizer: Any, entry: Callable[[int], Entry]) -> None:
        from spacy.attrs import ORTH

        self._tokenizer = tokenizer
        self._joins = _joins(tokenizer)
        self._entry = entry  # a word's entry from its id (spaCy's ORTH hash)
        self._orth = ORTH
        self._entries: dict[int, Entry] = {}
        self._chunks: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def words(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if self._joins.search(text):
            return self._of(self._tokenizer(text))
        chunks = self._chunks
        tokens: list[str] = []
        terms: list[str] = []
        for chunk in text.split():
            got = chunks.get(chunk)
            if got is None:
                if len(chunks) >= CHUNKS:
                    chunks.clear()
                got = chunks[chunk] = self._chunk(chunk)
            tokens += got[0]
            terms += got[1]
        return tuple(tokens), tuple(terms)

    def _chunk(self, chunk: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return self._of(self._tokenizer(chunk))

    def _of(self, doc: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        entries = self._entries
        if len(entries) >= CHUNKS:
            entries.clear()
        tokens: list[str] = []
        terms: list[str] = []
        for orth in (doc.to_array(self._orth).tolist() if len(doc) else ()):
            got = entries.get(orth)
            if got is None:
                got = entries[orth] = self._entry(orth)
            if got[0] is not None:
                tokens.append(got[0])
            if got[1] is not None:
                terms.append(got[1])
        return tuple(tokens), tuple(terms)


def _joins(tokenizer: Any) -> re.Pattern[str]:
    """Whitespace between two characters that end and begin consecutive tokens of one of the
    tokenizer's special cases as its last step matches them (the special cases that prefixes,
    suffixes or infixes would split, unless the tokenizer checks them all)."""
    from spacy.tokenizer import Tokenizer

    plain = Tokenizer(tokenizer.vocab, rules={}, prefix_search=tokenizer.prefix_search,
                      suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                      token_match=tokenizer.token_match, url_match=tokenizer.url_match)
    follows: dict[str, set[str]] = {}
    for case in tokenizer.rules or {}:
        if tokenizer.faster_heuristics and not (
                tokenizer.find_prefix(case) or tokenizer.find_infix(case)
                or tokenizer.find_suffix(case) or " " in case):
            continue
        pieces = [t.text for t in plain(case)]
        for left, right in pairwise(pieces):
            if left and right:
                follows.setdefault(left[-1], set()).add(right[0])
    if not follows:
        return re.compile(r"(?!x)x")  # matches nothing
    return re.compile("|".join(f"{re.escape(a)}\\s+[{''.join(map(re.escape, sorted(b)))}]"
                               for a, b in sorted(follows.items())))
