"""Tokenise Chinese (jieba through spaCy's Chinese tokenizer) and English (spaCy, lookup lemmas).

Nothing heavy is imported until the first call. ``tokenize`` returns, per text, all tokens
(for phrase matching and search) and the content terms (no stop words, punctuation, numbers
or symbols; English lower-cased lemmas) used for keywords and suggestions.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

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


def _zh() -> Any:
    if "zh" not in _state:
        _jieba()
        import spacy

        _state["zh"] = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return _state["zh"]


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
            _zh()
        if "en" in langs:
            _en()


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


def _is_quantity_zh(text: str) -> bool:
    """三个, 两次, 第一, 一些: numerals with at most one measure word carry no topic."""
    rest = text.lstrip("".join(_ZH_NUMERALS) + "0123456789")
    return len(rest) < len(text) and (not rest or (len(rest) == 1 and rest in _ZH_MEASURES))


def _zh_entry(lex: Any) -> tuple[str | None, str | None]:
    """(token, content term) of a Chinese lexeme; None where it is not one."""
    text = lex.text
    if lex.is_space or not text.strip():
        return None, None
    content = not (lex.is_stop or lex.is_punct or lex.like_num or lex.is_digit
                   or not any(ch.isalnum() for ch in text) or _is_quantity_zh(text))
    return text, text.lower() if content else None


def _en_entry(lex: Any, table: Any, stop_words: Any) -> tuple[str | None, str | None]:
    """(lemma, content lemma) of an English lexeme; None where it is not one."""
    if lex.is_space:
        return None, None
    low = lex.lower_
    lemma = _EN_LEMMA_FIXES.get(low) or table.get(low, low)
    content = not (lex.is_stop or lex.is_punct or lex.like_num or lex.is_digit
                   or not any(ch.isalpha() for ch in low) or lemma in stop_words)
    return lemma, lemma if content else None


def tokenize(texts: Sequence[str], lang: str) -> list[Tokens]:
    """Tokens and content terms of each text, in ``lang`` ("zh" or "en").

    Works on the documents' word ids (no spaCy Token objects) with a per-word cache: the
    same word is looked up once per process, which keeps import close to jieba's own speed.
    """
    from spacy.attrs import ORTH

    with _lock:
        if lang == "zh":
            nlp = _zh()
            docs = nlp.pipe(texts, batch_size=256)
            cache = _state.setdefault("zh_cache", {})

            def entry(h: int) -> tuple[str | None, str | None]:
                return _zh_entry(nlp.vocab[h])
        elif lang == "en":
            nlp, table = _en()
            docs = nlp.tokenizer.pipe(texts, batch_size=256)
            cache = _state.setdefault("en_cache", {})
            stop_words = nlp.Defaults.stop_words

            def entry(h: int) -> tuple[str | None, str | None]:
                return _en_entry(nlp.vocab[h], table, stop_words)
        else:
            raise ValueError(f"unknown language {lang!r}")
        if len(cache) > 500_000:
            cache.clear()
        out: list[Tokens] = []
        for doc in docs:
            toks: list[str] = []
            terms: list[str] = []
            if len(doc):
                for h in doc.to_array(ORTH).tolist():
                    got = cache.get(h)
                    if got is None:
                        got = cache[h] = entry(h)
                    if got[0] is not None:
                        toks.append(got[0])
                    if got[1] is not None:
                        terms.append(got[1])
            out.append(Tokens(tuple(toks), tuple(terms)))
        return out
