"""Many words cut into pieces at once give what cutting them one by one gives."""

from __future__ import annotations

from annotator.nlp import keywords
from annotator.nlp.keywords import Vocabulary, word_pieces
from annotator.nlp.pieces import WIDEST, has_pieces, many_word_pieces

WORDS = ["居住证明", "哈哈哈", "开证明", "证明", "社区", "处罚权", "执法权", "哈哈", "居住", "中华人民共和国"]


def test_many_words_are_cut_as_one_by_one() -> None:
    cut = many_word_pieces(WORDS)
    assert cut is not None
    lengths, flat, names = cut
    at = 0
    for word, n in zip(WORDS, lengths.tolist(), strict=True):
        assert tuple(names[i] for i in flat[at : at + n].tolist()) == word_pieces(word)
        at += n
    assert len(set(names)) == len(names)


def test_a_very_long_word_is_left_to_the_word_by_word_cut() -> None:
    assert many_word_pieces(["中" * (WIDEST + 1), "证明"]) is None


def test_only_chinese_words_of_two_characters_or_more_have_pieces() -> None:
    assert [w for w in ["证", "证明", "ab", "证a", "·证明"] if has_pieces(w)] == ["证明"]


def test_a_vocabulary_built_at_once_matches_one_built_word_by_word(monkeypatch) -> None:
    words = sorted({*WORDS, "证", "abc", *(a + b for a in "居住证明开哈" for b in "明证住哈权")})
    monkeypatch.setattr(keywords, "MANY_WORDS", 1)
    at_once = Vocabulary(pieces=True)
    at_once.extend("zh", words)
    monkeypatch.setattr(keywords, "MANY_WORDS", 10**9)
    one_by_one = Vocabulary(pieces=True)
    one_by_one.extend("zh", words)
    assert at_once.terms == one_by_one.terms
    assert at_once.worthy == one_by_one.worthy
    for i in range(len(words)):
        assert at_once.pieces_of(i) == one_by_one.pieces_of(i)
