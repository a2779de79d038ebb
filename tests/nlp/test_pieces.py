"""Many words cut into pieces at once give what cutting them one by one gives."""

from __future__ import annotations

import pickle

import pytest

from annotator.nlp import keywords
from annotator.nlp.keywords import Vocabulary, word_pieces
from annotator.nlp.pieces import WIDEST, has_pieces, many_word_pieces

WORDS = ["居住证明", "哈哈哈", "abc", "开证明", "证明", "证", "社区", "处罚权", "执法权", "哈哈", "居住",
         "中华人民共和国", "证a", "·证明", "䷀䷁", "中" * (WIDEST + 3), "中国" * WIDEST, "豈更"]


def test_many_words_are_cut_as_one_by_one() -> None:
    at, lengths, flat, names = many_word_pieces(WORDS)
    assert [WORDS[i] for i in at.tolist()] == [w for w in WORDS if word_pieces(w)]
    start = 0
    for i, n in zip(at.tolist(), lengths.tolist(), strict=True):
        assert tuple(names[j] for j in flat[start : start + n].tolist()) == word_pieces(WORDS[i])
        start += n
    assert len(set(names)) == len(names)


def test_only_chinese_words_of_two_characters_or_more_have_pieces() -> None:
    assert [w for w in ["证", "证明", "ab", "证a", "·证明"] if has_pieces(w)] == ["证明"]


@pytest.mark.parametrize("known", [False, True], ids=["new", "some pieces known"])
def test_a_vocabulary_built_at_once_matches_one_built_word_by_word(
        monkeypatch: pytest.MonkeyPatch, known: bool) -> None:
    words = sorted({*WORDS, *(a + b for a in "居住证明开哈" for b in "明证住哈权")})
    built = []
    for many in (1, 10**9):
        monkeypatch.setattr(keywords, "MANY_WORDS", many)
        vocab = Vocabulary(pieces=True)
        if known:
            vocab.id("zh", "证明")
        vocab.extend("zh", words)
        built.append(vocab)
    at_once, one_by_one = built
    assert at_once.terms == one_by_one.terms
    assert at_once.worthy == one_by_one.worthy
    for i in range(len(at_once.terms)):
        assert at_once.pieces_of(i) == one_by_one.pieces_of(i)


def test_words_added_one_at_a_time_after_many_keep_every_words_pieces(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keywords, "ROOM", 2)  # the arrays' spare room runs out and grows
    words = sorted({a + b + c for a in "居住证明" for b in "开哈权" for c in "明证住"})
    vocab = Vocabulary(pieces=True)
    vocab.extend("zh", words[:20])
    before = [vocab.pieces_of(i) for i in range(len(vocab))]
    for word in words[20:]:
        vocab.encode([word, "居住"], [])  # each new word's pieces are indexed before encoding
    assert [vocab.pieces_of(i) for i in range(len(before))] == before
    for word in words:
        term = vocab.id("zh", word, add=False)
        assert term is not None
        assert tuple(vocab.terms[j] for j in vocab.pieces_of(term)) == word_pieces(word)


def test_a_vocabulary_kept_and_loaded_again_is_the_same() -> None:
    vocab = Vocabulary(pieces=True)
    vocab.extend("zh", WORDS)
    vocab.extend("en", ["grid", "a", "community"])
    vocab.id("zh", "网格员")
    flags = vocab.flags()
    loaded = pickle.loads(pickle.dumps(vocab))
    assert (loaded.terms, loaded.langs, loaded.worthy) == (vocab.terms, vocab.langs, vocab.worthy)
    assert all(type(w) is bool for w in loaded.worthy)
    assert [(a.dtype, a.tolist()) for a in loaded.flags()] == [(a.dtype, a.tolist()) for a in flags]
    assert loaded.encode(["居住证明", "网格员"], ["grid"], add=False)[0].tolist() \
        == vocab.encode(["居住证明", "网格员"], ["grid"], add=False)[0].tolist()
    assert loaded.id("zh", "新词") == vocab.id("zh", "新词")  # both grow alike
    assert [loaded.pieces_of(i) for i in range(len(loaded))] == [vocab.pieces_of(i) for i in range(len(vocab))]
    vocab.id("en", "odd\x00term")  # the mark that joins the kept terms
    assert pickle.loads(pickle.dumps(vocab)).terms == vocab.terms
    empty = pickle.loads(pickle.dumps(Vocabulary()))
    assert (empty.terms, empty.langs, [f.tolist() for f in empty.flags()]) == ([], [], [[], []])
