"""The word cutter gives exactly ``jieba.lcut``'s words on text a reader could let through or a
hostile file could hold: controls, astral characters, marks, full-width forms, long runs of one
character, every kind of line break; and after the dictionary is changed in every way jieba
allows (a word as likely as the whole dictionary, a word deleted, added and deleted again)."""

from __future__ import annotations

import random
from pathlib import Path

import jieba
import pytest

from annotator.nlp import jieba_cut
from annotator.nlp.jieba_cut import WordCutter


@pytest.fixture(scope="module")
def cutter() -> WordCutter:
    jieba.initialize()
    return WordCutter()


def _assert_same(cutter: WordCutter, texts: list[str], tokenizer: object = None) -> None:
    lcut = getattr(tokenizer, "lcut", None) or jieba.lcut
    for text in texts:
        mine = cutter.cut(text)
        assert mine == lcut(text), repr(text[:200])
        assert "".join(mine) == text


UNUSUAL = [
    "", " ", "   ", "\t", "\n", "\r", "\r\n", "\r\r\n", "\n\r", "\u2028", "\u2029", "\u3000",
    "\x00", "\x00\x00社区\x00", "社\x00区", "\x07\x1b[31m红\x1b[0m", "\x7f\x85\x9f", "\ufeff社区",
    "\ud800", "社\udc00区", "\udbff\udfff",  # lone surrogates (the readers refuse them)
    "😀", "社区😀网格员", "👍🏽🇨🇳", "𠮷野家", "𠮷𠮷𠮷", "\U00020000\U0002a6df\U00030000",
    "社\u0301区", "e\u0301", "\u0301\u0301\u0301", "网\u200d格", "a\u200bb",
    "１２３４", "ＡＢＣ社区", "社区ＫＰＩ考核", "ｈｅｌｌｏ，ｗｏｒｌｄ", "全角　空格",
    "Hello世界123abc测试", "KPI考核100%完成", "3.14159圆周率", "v1.2.3版本", "C++和C#语言",
    "a-b_c.d%e&f+g#h", "--__..%%", "社区-网格员_街道.居民", "1。2，3", "abc的def",
    "，。！？、；：", "……——", "!!!???", "「」『』〈〉", "・", "～～～",
    "第一行\r\n第二行", "第一行\u2028第二行", "社区\n\n\n网格员", "  前后  空格  ",
    "\u9fd5\u9fd6", "\u4dff\u4e00", "\u3400\u4dbf", "\uf900\ufa6d", "\u2e80\u2fd5",
    "社区" * 50, "的了" * 200, "我们的痕迹主义考核让网格员很累" * 30,
]


def test_unusual_texts_are_cut_as_jieba_cuts_them(cutter: WordCutter) -> None:
    _assert_same(cutter, UNUSUAL)
    _assert_same(cutter, UNUSUAL)  # again, from the memos


#: Long runs of one kind (10,000 characters: jieba's own HMM copies its paths, quadratic).
LONG = ["的" * 10_000, "a" * 10_000, "1" * 10_000, "。" * 10_000, "𠮷" * 10_000, " " * 10_000,
        "\x00" * 10_000, "-" * 10_000, "社区" * 5_000, "ab" * 5_000, "3.1" * 3_000,
        "的a" * 5_000, "痕迹主义" * 2_500, "\r\n" * 5_000]


def test_long_runs_of_one_kind_are_cut_as_jieba_cuts_them(cutter: WordCutter) -> None:
    _assert_same(cutter, LONG)


@pytest.mark.slow
def test_runs_of_a_hundred_thousand_characters_are_cut_as_jieba_cuts_them(cutter: WordCutter) -> None:
    # only runs jieba's HMM does not see whole (its paths make it quadratic on one run)
    _assert_same(cutter, ["a" * 100_000, "1" * 100_000, "。" * 100_000, "社区" * 50_000,
                          " " * 100_000, "痕迹主义" * 25_000, "\r\n" * 50_000, "𠮷" * 100_000])


#: Characters random strings are drawn from, by kind.
_KINDS = [
    "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会",
    "痕迹主义网格员街道社区居民诉求接诉即办考核权责匹配书记主任工作",
    "\u9fd5\u9fd6\u9fff\u4e00\u3400\u4dbf\u3007\uf900",
    "abcxyzABCXYZ",
    "0123456789",
    "+#&._%-",
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u3000\xa0\u2028\u2029\u200b",
    "\x00\x01\x07\x08\x1b\x7f\x9f",
    "，。！？、；：“”‘’（）《》【】…—·,.!?;:'\"()[]{}<>/\\|@$^*=~`",
    "１２３ＡＢＣａｂｃ＋＃％",
    "😀👍🏽🇨🇳𠮷\U00020000\U0002b734",
    "\u0301\u0308\u200d\ufeff\ufffd",
]


def _random_text(rng: random.Random) -> str:
    length = rng.choice([0, 1, 2, 3, 4, 6, 9, 16, 25, 40, 100, 400])
    weights = [rng.random() ** 2 for _ in _KINDS]
    chars = []
    for _ in range(length):
        kind = rng.choices(_KINDS, weights)[0]
        if rng.random() < 0.05:
            chars.append(chr(rng.randrange(0x4E00, 0xA000)))  # any Han character of the block
        else:
            chars.append(kind[rng.randrange(len(kind))])
    return "".join(chars)


def test_random_texts_of_every_kind_of_character_are_cut_as_jieba_cuts_them(cutter: WordCutter) -> None:
    rng = random.Random(2026)
    _assert_same(cutter, [_random_text(rng) for _ in range(3000)])


@pytest.mark.slow
def test_many_more_random_texts_are_cut_as_jieba_cuts_them(cutter: WordCutter) -> None:
    for seed in range(8):
        rng = random.Random(seed)
        _assert_same(cutter, [_random_text(rng) for _ in range(5000)])


def _tiny_tokenizer(tmp_path: Path, lines: str) -> jieba.Tokenizer:
    path = tmp_path / "dict.txt"
    path.write_text(lines, encoding="utf-8")
    tokenizer = jieba.Tokenizer(str(path))
    tokenizer.tmp_dir = str(tmp_path)
    tokenizer.initialize()
    return tokenizer


def test_a_dictionary_of_one_word_cuts_that_word(tmp_path: Path) -> None:
    # the word's log probability is log(total) - log(total) = 0.0: still a word
    tokenizer = _tiny_tokenizer(tmp_path, "社区 5\n")
    _assert_same(WordCutter(tokenizer), ["社区", "社区网格员社区", "社社区区"], tokenizer)


def test_a_word_deleted_added_and_deleted_again_is_cut_as_jieba_cuts_it() -> None:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    cutter = WordCutter(tokenizer)
    texts = ["社区网格员很累", "网格员很累", "社区里的网格员"]
    _assert_same(cutter, texts, tokenizer)
    try:
        tokenizer.del_word("网格员")
        _assert_same(cutter, texts, tokenizer)
        tokenizer.add_word("网格员", 1000)
        _assert_same(cutter, texts, tokenizer)
        tokenizer.del_word("网格员")  # forced apart already: neither total nor that set change
        _assert_same(cutter, texts, tokenizer)
    finally:
        jieba.finalseg.Force_Split_Words.discard("网格员")


def test_the_memos_hold_no_long_runs(cutter: WordCutter) -> None:
    rng = random.Random(5)
    for _ in range(50):
        text = "".join(rng.choice("乙丙丁戊己庚辛壬癸") for _ in range(5000))
        cutter.cut(text)
    held = sum(len(k) for k in cutter._memo) + sum(len(k) for k in cutter._hmm_memo)
    assert held <= (jieba_cut.MEMO_RUNS + jieba_cut.HMM_RUNS) * jieba_cut.MEMO_CHARS
    assert max(map(len, cutter._hmm_memo), default=0) <= jieba_cut.MEMO_CHARS


def test_codebook_keywords_added_between_imports_are_cut_as_jieba_cuts_them() -> None:
    from annotator.nlp.tokenize import _cutter, add_terms, language_terms

    text = "我们的留痕考核网格化管理让居民诉求很难办"
    before = language_terms([text], "zh")[0][0]
    add_terms(["留痕考核网格化"])  # as an import does with its codebook's Chinese keywords
    assert _cutter().cut(text) == jieba.lcut(text)
    after = language_terms([text], "zh")[0][0]
    assert "留痕考核网格化" in after.split() and "留痕考核网格化" not in before.split()
