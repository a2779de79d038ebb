"""Tokenise Chinese (jieba, flagged as spaCy's Chinese lexemes) and English (spaCy, lookup lemmas).

Nothing heavy is imported until the first call. ``tokenize`` returns, per text, all tokens
(for phrase matching and search) and the content terms (no stop words, punctuation, numbers
or symbols; English lower-cased lemmas) used for keywords and suggestions.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from annotator.model import SegmentTerms

_lock = threading.Lock()
_state: dict[str, Any] = {}
_added_terms: set[str] = set()


@dataclass(frozen=True)
class Tokens:
    tokens: tuple[str, ...]
    terms: tuple[str, ...]


def _jieba() -> Any:
    if "jieba" not in _state:
        import jieba

        from annotator.config import data_dir

        jieba.setLogLevel(logging.WARNING)
        logging.getLogger("jieba").setLevel(logging.CRITICAL)
        try:
            jieba.dt.tmp_dir = str(data_dir())
        except OSError:
            pass
        jieba.initialize()
        _state["jieba"] = jieba
    return _state["jieba"]


def _cutter() -> Any:
    """jieba's default cut, word for word, at less processor time (see :mod:`.jieba_cut`)."""
    if "cutter" not in _state:
        from annotator.nlp.jieba_cut import WordCutter

        _state["cutter"] = WordCutter(_jieba().dt)
    return _state["cutter"]


def _en() -> tuple[Any, dict[str, str]]:
    if "en" not in _state:
        import spacy
        from spacy.lookups import load_lookups

        nlp = spacy.blank("en")
        table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        _state["en"] = (nlp, table)  # a spaCy Table: .get() takes strings
    return _state["en"]


def load(langs: Sequence[str] = ("zh", "en")) -> None:
    """Load the pipelines now (e.g. in a worker thread), so later calls are fast."""
    with _lock:
        if "zh" in langs:
            _cutter()
            _zh_attrs()
        if "en" in langs:
            _english()


def add_terms(terms: Iterable[str]) -> None:
    """Keep multi-character Chinese terms (codebook keywords) whole when segmenting."""
    with _lock:
        jieba = _jieba()
        for term in terms:
            term = term.strip()
            if term and term not in _added_terms and any("\u4e00" <= ch <= "\u9fff" for ch in term):
                jieba.add_word(term, freq=None)
                _added_terms.add(term)


_ZH_NUMERALS = set("零〇一二三四五六七八九十百千万亿两几第半每多数")
_ZH_MEASURES = set("个次年月日天号位名人件条项家户张本些点种回遍场份批周岁元块层级")
#: Lookup-table lemmas that are wrong for this domain's English ("bit" is not "bite").
_EN_LEMMA_FIXES = {"bit": "bit", "masses": "mass", "tired": "tired", "as": "as", "data": "data",
                   "was": "be", "ones": "one", "media": "media", "news": "news"}


_ZH_NUMBER_CHARS = "".join(sorted(_ZH_NUMERALS)) + "0123456789"


def _is_quantity_zh(text: str) -> bool:
    """三个, 两次, 第一, 一些: numerals with at most one measure word carry no topic."""
    rest = text.lstrip(_ZH_NUMBER_CHARS)
    return len(rest) < len(text) and (not rest or (len(rest) == 1 and rest in _ZH_MEASURES))


def _en_entry(lex: Any, table: Any, stop_words: Any) -> tuple[str | None, str | None]:
    """(lemma, content lemma) of an English lexeme; None where it is not one."""
    if lex.is_space:
        return None, None
    low = lex.lower_
    lemma = _EN_LEMMA_FIXES.get(low) or table.get(low, low)
    content = not (lex.is_stop or lex.is_punct or lex.like_num or lex.is_digit
                   or not any(ch.isalpha() for ch in low) or lemma in stop_words)
    return lemma, lemma if content else None


class _WordFlags:
    """The flags of a lexeme of ``word``, read from its text by the functions spaCy sets them
    with (its vocabulary's lexical attribute getters), without adding it to the vocabulary."""

    def __init__(self, word: str, attrs: Any) -> None:
        from spacy.attrs import IS_DIGIT, IS_PUNCT, IS_SPACE, IS_STOP, LIKE_NUM

        self.lower_ = word.lower()
        self.is_space = attrs[IS_SPACE](word)
        self.is_stop = attrs[IS_STOP](word)
        self.is_punct = attrs[IS_PUNCT](word)
        self.like_num = attrs[LIKE_NUM](word)
        self.is_digit = attrs[IS_DIGIT](word)


def _zh_attrs() -> Any:
    """spaCy's Chinese lexical attribute functions (stop words, punctuation, numbers), which
    decide a lexeme's flags; called on strings, without building a Doc."""
    if "zh_attrs" not in _state:
        import spacy

        _state["zh_attrs"] = spacy.blank("zh").vocab.lex_attr_getters  # type: ignore[attr-defined]
    return _state["zh_attrs"]


def _zh_word(word: str, attrs: Any) -> tuple[str | None, str | None]:
    """(token, content term) of a word jieba cut, flagged as spaCy's Chinese lexeme would be
    (the checks, pure functions of the word, cheapest first)."""
    from spacy.attrs import IS_DIGIT, IS_PUNCT, IS_SPACE, IS_STOP, LIKE_NUM

    if not word.strip() or attrs[IS_SPACE](word):
        return None, None
    content = not (not any(ch.isalnum() for ch in word) or attrs[IS_STOP](word)
                   or attrs[IS_DIGIT](word) or _is_quantity_zh(word) or attrs[IS_PUNCT](word)
                   or attrs[LIKE_NUM](word))
    return word, word.lower() if content else None


def _tokenize_zh(texts: Sequence[str]) -> list[Tokens]:
    """jieba's words, as spaCy's Chinese tokenizer with the jieba segmenter gives them, flagged
    once per distinct word (a spaCy Doc per text costs as much again as jieba itself)."""
    cut = _cutter().cut
    attrs = _zh_attrs()
    cache: dict[str, tuple[str | None, str | None]] = _state.setdefault("zh_words", {})
    if len(cache) > 200_000:
        cache.clear()
    return [_cached_tokens(cut(text), cache, lambda w: _zh_word(w, attrs))
            for text in texts]


class _ZhWords(dict[str, tuple[str | None, str | None]]):
    """word → (token, term) as stored (None: left out), each made on first use."""

    def __init__(self, attrs: Any) -> None:
        super().__init__()
        self.attrs = attrs

    def __missing__(self, word: str) -> tuple[str | None, str | None]:
        token, term = _zh_word(word, attrs=self.attrs)
        # a kept word never holds a space (whitespace is no token); as stored, none would
        got = self[word] = (None if token is None else token.replace(" ", ""),
                            None if term is None else term.replace(" ", ""))
        return got


def _zh_joined(texts: Sequence[str]) -> list[tuple[str, str]]:
    """:func:`_tokenize_zh`'s tokens and terms of each text, each joined by spaces as stored
    (a kept token or term is never empty, so ``filter(None, ...)`` leaves out just the Nones)."""
    cut = _cutter().cut
    words = _state.get("zh_joined")
    if words is None or len(words) > 200_000:
        words = _state["zh_joined"] = _ZhWords(_zh_attrs())
    look = words.__getitem__
    out = []
    for text in texts:
        got = list(map(look, cut(text)))
        out.append((" ".join(filter(None, map(_FIRST, got))), " ".join(filter(None, map(_SECOND, got)))))
    return out


_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def _cached_tokens(keys: Iterable[Any], cache: dict[Any, Any], make: Any) -> Tokens:
    """The token and the term of each key (a word or a word id), each made once per process
    and kept in ``cache``; None parts (punctuation, stop words) are left out."""
    toks: list[str] = []
    terms: list[str] = []
    for key in keys:
        got = cache.get(key)
        if got is None:
            got = cache[key] = make(key)
        if got[0] is not None:
            toks.append(got[0])
        if got[1] is not None:
            terms.append(got[1])
    return Tokens(tuple(toks), tuple(terms))


def _english() -> Any:
    """English words chunk by chunk (see :mod:`.english_chunks`)."""
    if "en_chunks" not in _state:
        from annotator.nlp.english_chunks import ChunkWords

        nlp, table = _en()
        stop_words = nlp.Defaults.stop_words

        def entry(orth: int) -> tuple[str | None, str | None]:
            return _en_entry(nlp.vocab[orth], table, stop_words)

        attrs = nlp.vocab.lex_attr_getters

        def word_entry(word: str) -> tuple[str | None, str | None]:
            return _en_entry(_WordFlags(word, attrs), table, stop_words)

        _state["en_chunks"] = ChunkWords(nlp.tokenizer, entry, word_entry)
    return _state["en_chunks"]


def tokenize(texts: Sequence[str], lang: str) -> list[Tokens]:
    """Tokens and content terms of each text, in ``lang`` ("zh" or "en").

    Chinese: jieba's words (see :func:`_tokenize_zh`). English: spaCy's tokenizer's words,
    tokenised once per distinct whitespace-separated chunk and looked up once per distinct word
    per process, which keeps import close to jieba's own speed.
    """
    with _lock:
        if lang == "zh":
            return _tokenize_zh(texts)
        if lang != "en":
            raise ValueError(f"unknown language {lang!r}")
        words = _english().words
        return [Tokens(*words(text)) for text in texts]


def language_terms(texts: Sequence[str], lang: str) -> list[tuple[str, str]]:
    """(tokens, terms), space-separated as stored (a space inside a word dropped), of each text
    in ``lang``; ("", "") for an empty one (nothing is loaded when every text is empty)."""
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r}")
    out = [("", "")] * len(texts)
    having = [k for k, text in enumerate(texts) if text]
    if not having:
        return out
    with _lock:
        if lang == "zh":
            for k, terms in zip(having, _zh_joined([texts[k] for k in having]), strict=True):
                out[k] = terms
        else:
            joined = _english().joined
            for k in having:
                out[k] = joined(texts[k])
    return out


def joined_terms(zh: Sequence[tuple[str, str]], en: Sequence[tuple[str, str]]) -> list[SegmentTerms]:
    """Segments' terms from their Chinese and their English (tokens, terms)."""
    return [SegmentTerms(zh_tokens=z[0], zh_terms=z[1], en_tokens=e[0], en_terms=e[1])
            for z, e in zip(zh, en, strict=True)]


def segment_terms(texts: Sequence[tuple[str, str]]) -> list[SegmentTerms]:
    """Tokens and terms (space-separated, as stored) of each (zh, en) pair of texts."""
    return joined_terms(language_terms([pair[0] for pair in texts], "zh"),
                        language_terms([pair[1] for pair in texts], "en"))
