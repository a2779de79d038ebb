"""English tokens and terms, chunk by chunk: spaCy's tokenizer's output at less processor time.

spaCy's tokenizer cuts a text at whitespace first and tokenises each chunk between on its own
(prefixes, suffixes, infixes, special cases); the whitespace itself becomes tokens only where
it is not a single space, and those are no words. So a text's words are its chunks' words in
order, and each distinct chunk ("community,", "don't") need be tokenised once per process:
:class:`ChunkWords` keeps each chunk's (tokens, terms) in a bounded memo and builds a text's
from ``str.split()``, without a spaCy Doc per text. A chunk of ASCII letters alone that is no
special case is one word, whose flags are read from its text, without a spaCy lexeme.

One exception: the tokenizer's last step looks for its special cases ("(:", "a.m.") among the
whole text's tokens, where a match across a space is not applied but can stop an overlapping
one from being applied ("( :(" keeps ":" and "(" apart). A text where two chunks meet as the
tokens of a special case can ("(" then ":", "s" then ".") is tokenised whole, as before. Tests
compare the result with the tokenizer run on whole texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import pairwise
from operator import itemgetter
from typing import Any

#: Distinct chunks remembered at most; the memo is emptied when full.
CHUNKS = 200_000

#: (token, content term) of a word, None where it is none (spaces, stop words, punctuation).
Entry = tuple[str | None, str | None]


#: A chunk's words joined by spaces (as stored), its tokens' and its terms'; None for none.
Joined = tuple[str | None, str | None]

#: Whitespace beside a character that is no ASCII letter: only there can two chunks meet as a
#: special case's tokens (each pair has such a character on one side; ``_joins`` checks).
_MAYBE_JOINED = re.compile(r"\s(?:(?<=[^\sA-Za-z]\s)|(?=[^\sA-Za-z]))")


class ChunkWords:
    """``words(text)``: the tokens and the terms of an English text; ``joined(text)``: the
    same, each joined by spaces as the project stores them."""

    def __init__(self, tokenizer: Any, entry: Callable[[int], Entry],
                 word_entry: Callable[[str], Entry]) -> None:
        from spacy.attrs import ORTH

        self._tokenizer = tokenizer
        self._maybe, self._joins = _joins(tokenizer)
        self._special = frozenset(tokenizer.rules or ())
        self._entry = entry  # a word's entry from its id (spaCy's ORTH hash)
        self._word_entry = word_entry  # a word's entry from its text, without a spaCy lexeme
        self._orth = ORTH
        self._entries: dict[int, Entry] = {}
        self._chunks: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._joined = _Memo(self._joined_chunk)  # chunk → its words joined, made on first use
        self._empty = False

    def _whole(self, text: str) -> bool:
        """Whether ``text`` must be tokenised whole: two of its chunks may meet as the tokens
        of a special case."""
        return self._maybe.search(text) is not None and self._joins.search(text) is not None

    def words(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if self._whole(text):
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

    def joined(self, text: str) -> tuple[str, str]:
        """The tokens and the terms of ``text``, each joined by spaces (spaces inside a word
        dropped), as ``" ".join`` of :meth:`words` would give them."""
        if self._whole(text):
            tokens, terms = self._of(self._tokenizer(text))
            return _join(tokens) or "", _join(terms) or ""
        got = list(map(self._joined.__getitem__, text.split()))
        if self._empty:  # a chunk's words joined to "" (never seen): keep it as a word
            return (" ".join([g[0] for g in got if g[0] is not None]),
                    " ".join([g[1] for g in got if g[1] is not None]))
        return " ".join(filter(None, map(_FIRST, got))), " ".join(filter(None, map(_SECOND, got)))

    def _joined_chunk(self, chunk: str) -> Joined:
        if len(self._joined) >= CHUNKS:
            self._joined.clear()
        tokens, terms = self._chunk(chunk)
        got = self._joined[chunk] = (_join(tokens), _join(terms))
        self._empty = self._empty or "" in got
        return got

    def _chunk(self, chunk: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if chunk.isascii() and chunk.isalpha() and chunk not in self._special:
            # letters alone: no prefix, suffix or infix of the tokenizer splits them (tests
            # check every such word of spaCy's English word list), so the chunk is one word
            token, term = self._word_entry(chunk)
            return ((token,) if token is not None else ()), ((term,) if term is not None else ())
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


class _Memo(dict[str, Joined]):
    def __init__(self, make: Callable[[str], Joined]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: str) -> Joined:
        return self._make(key)


_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def _join(words: tuple[str, ...]) -> str | None:
    """Words joined by spaces as stored (a space inside a word dropped); None for no word."""
    return " ".join(w.replace(" ", "") for w in words) if words else None

def _joins(tokenizer: Any) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Whitespace between two characters that end and begin consecutive tokens of one of the
    tokenizer's special cases as its last step matches them (the special cases that prefixes,
    suffixes or infixes would split, unless the tokenizer checks them all); and a quicker
    pattern that finds all of that whitespace and more, to look with first."""
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
        nothing = re.compile(r"(?!x)x")
        return nothing, nothing
    letters = {chr(c) for c in range(ord("A"), ord("z") + 1) if chr(c).isalpha()}
    both = any(left in letters and not rights.isdisjoint(letters) for left, rights in follows.items())
    # one alternative per set of following characters (letters share theirs): few branches
    led: dict[str, list[str]] = {}
    for left, rights in follows.items():
        led.setdefault("".join(sorted(rights)), []).append(left)
    joins = re.compile("|".join(f"[{_chars(lefts)}]\\s+[{_chars(rights)}]"
                                for rights, lefts in sorted(led.items())))
    return (joins if both else _MAYBE_JOINED), joins


def _chars(chars: Iterable[str]) -> str:
    return "".join(re.escape(ch) for ch in sorted(chars))
