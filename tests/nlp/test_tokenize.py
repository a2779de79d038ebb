"""Chinese tokens and terms are those of spaCy's Chinese pipeline with the jieba segmenter,
computed per distinct word rather than through a spaCy Doc per text."""

from __future__ import annotations

import spacy

from annotator.nlp.tokenize import segment_terms, tokenize

TEXTS = [
    "我们街道现在最大的问题还是权责不匹配，痕迹主义并没有根本改变。",
    "网格员每天要填很多表格  真正入户走访的时间反而少了\n三个月，两次，第一，KPI考核 100%",
    "",
    "“接诉即办”以后……居民的诉求能很快转到社区。",
]


def _through_spacy(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from annotator.nlp.tokenize import _is_quantity_zh

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    toks, terms = [], []
    for lex in nlp(text):
        if lex.is_space or not lex.text.strip():
            continue
        toks.append(lex.text)
        if not (lex.is_stop or lex.is_punct or lex.like_num or lex.is_digit
                or not any(ch.isalnum() for ch in lex.text) or _is_quantity_zh(lex.text)):
            terms.append(lex.text.lower())
    return tuple(toks), tuple(terms)


def test_chinese_tokens_and_terms_are_the_spacy_chinese_pipeline_s() -> None:
    for text, got in zip(TEXTS, tokenize(TEXTS, "zh"), strict=True):
        assert (got.tokens, got.terms) == _through_spacy(text)


def test_segment_terms_join_tokens_with_spaces_per_language() -> None:
    [both, english_only] = segment_terms([("居民的诉求很多", "Grid workers visit"), ("", "Forms")])
    zh = tokenize(["居民的诉求很多"], "zh")[0]
    assert both.zh_tokens == " ".join(zh.tokens) and both.zh_terms == " ".join(zh.terms)
    assert len(both.zh_tokens.split()) >= 2  # words, not one string
    assert both.en_tokens == "grid worker visit"
    assert english_only.zh_tokens == "" and english_only.en_terms == "form"


def test_stored_terms_are_the_tokens_joined_for_every_bundled_text() -> None:
    from annotator.nlp.tokenize import language_terms
    from tests.nlp.test_jieba_cut import _bundled_texts

    texts = [t for t in _bundled_texts() if t] + TEXTS
    for lang in ("zh", "en"):
        stored = language_terms(texts, lang)
        for text, joined, tokens in zip(texts, stored, tokenize(texts, lang), strict=True):
            assert joined == (" ".join(tokens.tokens), " ".join(tokens.terms)), text
