"""English built chunk by chunk is what spaCy's tokenizer gives the whole text, on hostile text:
very long words, URLs, texts with no whitespace for 100,000 characters, every special case of
the tokenizer next to every other across every kind of whitespace, Chinese mixed in."""

from __future__ import annotations

import random

import pytest
import spacy

from tests.nlp.test_english_chunks import _assert_same

URLS = ["https://example.org/a?b=1&c=d#e", "http://x.y.z/path/to/thing.html", "www.example.com",
        "example.com/a/b", "ftp://user:pass@host:21/x", "x@y.com", "mailto:a@b.cn",
        "https://例子.中国/路径?查询=值", "https://" + "a" * 300 + ".com/" + "b/" * 200]


def test_long_words_urls_and_mixed_scripts_are_tokenised_as_the_whole_text_is() -> None:
    texts = [
        "a" * 10_000, "A" * 5_000 + " " + "b" * 5_000, "don't" * 2_000, "x-" * 3_000,
        " ".join(URLS), "see " + ", ".join(URLS) + ".", "(" + URLS[0] + ")", "<" + URLS[1] + ">",
        "社区 community 网格员grid workers 的 the", "the社区community", "社区。The end.",
        "Ｆｕｌｌ－ｗｉｄｔｈ ｔｅｘｔ", "naïve café résumé", "e\u0301 a\u0301b", "😀 :) 👍🏽 <3",
        "a\u2028b\u2029c\x85d\x1ce\x1df\x1eg\x1fh", "a\u3000b\xa0c\u200bd", "\t\n\r\x0b\x0c",
        "", " ", "  ", "\n", "x", ".", "'", "''", "\"", "--", "...",
        "U.S.A. vs. U.K. e.g. i.e. etc. a.m. p.m.", "Mr. Mrs. Dr. St. Jan. Feb.",
        "I'm you're he's she'd we'll they've can't won't shan't y'all ma'am o'clock",
        "Im Ive dont cant wont Ill hell shell wed", "1990s '90s 10km 3.5kg $20 50% #1 @me",
    ]
    _assert_same(texts)


@pytest.mark.slow
def test_a_hundred_thousand_characters_without_whitespace_are_tokenised_as_the_whole_text_is() -> None:
    rng = random.Random(4)
    pieces = ["a", "b", "Z", ",", ".", "-", "'", "(", ")", ":", "1", "/", "社", "😀", "e\u0301"]
    # (spaCy's own tokenizer is quadratic on runs of emoticons: 8,000 characters of ":)" take
    # it 8 s, so only 2,000 here)
    _assert_same(["".join(rng.choice(pieces) for _ in range(100_000)), "abc" * 33_334,
                  "a.b," * 25_000, ":)" * 1_000])


def _specials() -> list[str]:
    return sorted(spacy.blank("en").tokenizer.rules)


_SPACES = [" ", " ", " ", "  ", "\n", "\t", "\u3000", "\xa0", "\u2028", "\r\n", " \n "]
_OTHER = ["(", ")", ":", ";", "-", "'", '"', ".", ",", "s", "a", "m", "I", "the", "社区", "1", "😀"]


def _random_texts(rng: random.Random, count: int, specials: list[str]) -> list[str]:
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randrange(1, 12)):
            piece = rng.choice(specials) if rng.random() < 0.6 else rng.choice(_OTHER)
            parts.append(piece + (rng.choice(_SPACES) if rng.random() < 0.8 else ""))
        texts.append("".join(parts))
    return texts


def test_special_cases_next_to_each_other_are_tokenised_as_the_whole_text_is() -> None:
    _assert_same(_random_texts(random.Random(11), 3000, _specials()))


@pytest.mark.slow
def test_many_more_special_cases_next_to_each_other_are_tokenised_as_the_whole_text_is() -> None:
    specials = _specials()
    for seed in range(5):
        _assert_same(_random_texts(random.Random(seed), 6000, specials))


def test_every_special_case_beside_every_character_after_a_space_is_tokenised_whole() -> None:
    specials = _specials()
    chars = sorted({ch for case in specials for ch in case} | {"a", "s", "("})
    texts = [f"{case} {ch}" for case in specials for ch in chars[::7]]
    texts += [f"{ch} {case}" for case in specials for ch in chars[3::7]]
    _assert_same(texts)


def test_random_characters_of_the_special_cases_are_tokenised_as_the_whole_text_is() -> None:
    specials = _specials()
    chars = [*sorted({ch for case in specials for ch in case}), "社", "😀", "1"]
    rng = random.Random(23)
    texts = ["".join(rng.choice(chars) if rng.random() < 0.7 else rng.choice(_SPACES)
                     for _ in range(rng.randrange(1, 30))) for _ in range(4000)]
    _assert_same(texts)


def test_random_texts_of_every_kind_of_character_are_tokenised_as_the_whole_text_is() -> None:
    from tests.nlp.test_jieba_cut_hostile import _random_text

    rng = random.Random(77)  # (no lone surrogates: the readers refuse them, spaCy cannot hash them)
    _assert_same([_random_text(rng) for _ in range(3000)])
