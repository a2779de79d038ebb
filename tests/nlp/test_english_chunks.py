"""English tokens and terms built chunk by chunk are those of spaCy's tokenizer run on the whole
text: on the bundled texts, the benchmark's generated English and random hostile strings."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy
from spacy.lookups import load_lookups

from annotator.nlp.tokenize import _en_entry, language_terms, tokenize

ROOT = Path(__file__).resolve().parents[2]


def _through_the_tokenizer(texts: list[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every token of spaCy's tokenizer on the whole text, kept as the English path keeps it."""
    nlp = spacy.blank("en")
    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    out = []
    for doc in nlp.tokenizer.pipe(texts):
        toks, terms = [], []
        for token in doc:
            lemma, term = _en_entry(token.lex, table, nlp.Defaults.stop_words)
            if lemma is not None:
                toks.append(lemma)
            if term is not None:
                terms.append(term)
        out.append((tuple(toks), tuple(terms)))
    return out


def _assert_same(texts: list[str]) -> None:
    got = [(t.tokens, t.terms) for t in tokenize(texts, "en")]
    stored = language_terms(texts, "en")
    for text, mine, joined, whole in zip(texts, got, stored, _through_the_tokenizer(texts), strict=True):
        assert mine == whole, text
        assert joined == (" ".join(whole[0]), " ".join(whole[1])), text


def _bundled_texts() -> Iterator[str]:
    for path in sorted((ROOT / "corpora").rglob("*.en.txt")) + sorted((ROOT / "tests" / "data").rglob("*en*")):
        if path.suffix in (".txt", ".tsv", ".vtt"):
            yield from path.read_text(encoding="utf-8").splitlines()
    for path in sorted((ROOT / "benchmarks" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield from (v for v in json.loads(line).values() if isinstance(v, str))


def test_the_bundled_english_is_tokenised_as_the_whole_text_is() -> None:
    texts = list(_bundled_texts())
    assert len(texts) > 300
    _assert_same(texts)


def test_the_benchmark_s_generated_english_is_tokenised_as_the_whole_text_is() -> None:
    import numpy as np

    from annotator.codebook import bundled_codebook_path, load_codebook
    from benchmarks.generate import english_vocabulary

    codebook = load_codebook(bundled_codebook_path())
    vocabulary = english_vocabulary([k for c in codebook.codes for k in c.keywords_en if " " not in k])
    texts = [" ".join(vocabulary.words[picks]).capitalize() + "."
             for picks in vocabulary.sentences(np.random.default_rng(7), 1500, 10, 70)]
    _assert_same(texts)


#: Pieces hostile strings are made of: words, contractions and spaCy's special cases,
#: emoticons, abbreviations, numbers and units, URLs, punctuation alone, every kind of space.
_PIECES = [
    "the", "Community", "grid", "workers'", "don't", "can't", "cannot", "gonna", "I'm", "it's",
    "a.m.", "p.m.", "U.S.", "e.g.", "etc.", "Mr.", "vs.", ":)", ":-)", "<3", ":(", "^_^", "o_O",
    "(:", ":))", "((", "))", "...", "..", "--", "-", "—", "'", '"', "''", "``", "(", ")", "[", "]",
    "10km", "3.5", "1,000", "50%", "$20", "#hashtag", "@name", "https://example.org/a?b=1",
    "x@y.com", "well-being", "co-operate", "N/A", "and/or", "1990s", "'90s", "naïve", "café",
    "社区", "😀", "!", "?", ",", ".", ";", ":", "&", "*", "\u0301", "ﬁ", "Ⅻ", "²",
]
_SPACES = [" ", " ", " ", "", "  ", "\n", "\t", "\u3000", "\xa0", " \n ", "\r\n"]


def test_random_hostile_strings_are_tokenised_as_the_whole_text_is() -> None:
    rng = random.Random(15)
    texts = []
    for _ in range(3000):
        parts = [rng.choice(_PIECES) + rng.choice(_SPACES) for _ in range(rng.randrange(0, 25))]
        texts.append("".join(parts))
    _assert_same(texts)


def _letter_words(every: int) -> list[str]:
    import gzip

    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        words = sorted(w for w in json.load(f) if w.isascii() and w.isalpha())[::every]
    return [form for w in words for form in (w, w.capitalize(), w.upper())]


def _assert_letters_are_one_word(words: list[str]) -> None:
    tokenizer = spacy.blank("en").tokenizer
    split = [w for w in words if w not in tokenizer.rules and [t.text for t in tokenizer(w)] != [w]]
    assert split == []


def test_a_chunk_of_letters_alone_is_one_word_unless_a_special_case() -> None:
    _assert_letters_are_one_word(_letter_words(every=50))


@pytest.mark.slow
def test_every_word_of_letters_in_spacy_s_english_list_is_one_word() -> None:
    _assert_letters_are_one_word(_letter_words(every=1))
