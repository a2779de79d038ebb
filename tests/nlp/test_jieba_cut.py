"""The word cutter gives exactly ``jieba.lcut``'s words: on the bundled texts, on the
benchmark's generated Chinese, on random hostile strings, and after the dictionary changes."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import jieba
import pytest

from annotator.nlp.jieba_cut import WordCutter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cutter() -> WordCutter:
    jieba.initialize()
    return WordCutter()


def _bundled_texts() -> Iterator[str]:
    for path in sorted((ROOT / "corpora").rglob("*.txt")) + sorted((ROOT / "tests" / "data").rglob("*.txt")):
        try:
            yield from path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
    jsonl = sorted((ROOT / "benchmarks" / "data").glob("*.jsonl"))
    for path in [*jsonl, ROOT / "tests" / "data" / "transcripts" / "interview.jsonl"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield from (v for v in json.loads(line).values() if isinstance(v, str))


def _assert_same(cutter: WordCutter, texts: list[str], tokenizer: object = None) -> None:
    lcut = getattr(tokenizer, "lcut", None) or jieba.lcut
    for text in texts:
        assert cutter.cut(text) == lcut(text), text


def test_the_bundled_corpora_are_cut_as_jieba_cuts_them(cutter: WordCutter) -> None:
    texts = list(_bundled_texts())
    assert len(texts) > 500
    _assert_same(cutter, texts)
    _assert_same(cutter, texts)  # again, from the memo of runs already cut


def test_the_benchmark_s_generated_chinese_is_cut_as_jieba_cuts_it(cutter: WordCutter) -> None:
    import numpy as np

    from annotator.codebook import bundled_codebook_path, load_codebook
    from benchmarks.generate import chinese_vocabulary

    codebook = load_codebook(bundled_codebook_path())
    vocabulary = chinese_vocabulary([k for c in codebook.codes for k in c.keywords_zh])
    texts = ["".join(vocabulary.words[picks]) + "。"
             for picks in vocabulary.sentences(np.random.default_rng(7), 1500, 8, 60)]
    _assert_same(cutter, texts)


#: Characters hostile strings are drawn from: common and rare Han characters (some outside
#: jieba's range), letters, digits, the symbols jieba keeps in runs, whitespace of all kinds,
#: punctuation, emoji, combining marks, a lone surrogate's neighbours.
_POOLS = [
    "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会",
    "痕迹主义网格员街道社区居民诉求接诉即办考核权责匹配",
    "\u9fd5\u9fd6\u9fff\u4e00\u3400\u4dbf\u20000\u3007",
    "abcxyzABCXYZ0123456789",
    "+#&._%-",
    " \t\n\r\x0b\x0c\u3000\xa0\u2028\u200b",
    "，。！？、；：“”‘’（）《》【】…—·,.!?;:'\"()[]{}<>/\\|@$^*=~`",
    "😀👍🏽🇨🇳\u0301\u200d\ufeff\ufffd",
]


def _hostile(rng: random.Random) -> str:
    length = rng.choice([0, 1, 2, 3, 5, 8, 13, 30, 80, 200])
    weights = [rng.random() for _ in _POOLS]
    text = []
    for _ in range(length):
        pool = rng.choices(_POOLS, weights)[0]
        text.append(pool[rng.randrange(len(pool))])
    if rng.random() < 0.2:
        text.insert(rng.randrange(len(text) + 1), "\r\n")
    return "".join(text)


def test_random_hostile_strings_are_cut_as_jieba_cuts_them(cutter: WordCutter) -> None:
    rng = random.Random(15)
    _assert_same(cutter, [_hostile(rng) for _ in range(4000)])


def test_long_runs_and_empty_text_are_cut_as_jieba_cuts_them(cutter: WordCutter) -> None:
    rng = random.Random(3)
    han = "".join(chr(rng.randrange(0x4E00, 0x9FD6)) for _ in range(3000))
    words = "".join(rng.choice(["社区", "网格员", "我们", "的", "考核", "痕迹主义"]) for _ in range(800))
    _assert_same(cutter, ["", " ", "\r\n", han, words, "x" * 500, "3.14%" * 200, han[:100] * 30])


def test_words_added_to_the_dictionary_are_followed() -> None:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    cutter = WordCutter(tokenizer)
    texts = ["我们的痕迹主义考核让网格员很累", "接诉即办以后居民的诉求很多", "社区书记说痕迹管理"]
    _assert_same(cutter, texts, tokenizer)
    tokenizer.add_word("网格员很累")
    tokenizer.add_word("诉求很多", freq=10**7)
    _assert_same(cutter, texts, tokenizer)
    assert "网格员很累" in cutter.cut(texts[0])
