"""Corpus TF-IDF keywords over stored terms of both languages."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from annotator.application.suggesting import project_keywords
from annotator.errors import UsageError
from annotator.nlp.keywords import (
    PIECE,
    DocumentFrequencies,
    Vocabulary,
    idf_value,
    keyword_worthy,
    tfidf_keywords,
    word_pieces,
)
from annotator.storage.db import open_project

ROWS = [
    ("D1", "社区干部说台账太多，台账要反复填写。", "Cadres say the Ledgers are too many; ledgers are filled in again and again."),
    ("D1", "社区干部每周参加培训。", "Cadres attend training every week."),
    ("D2", "社区干部说网格员上报问题很快。", "Cadres say grid workers report problems quickly."),
    ("D2", "社区干部觉得考核压力大。", "Cadres feel the assessment pressure is high."),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts

    folder = tmp_path_factory.mktemp("kw")
    source = folder / "t.jsonl"
    with source.open("w", encoding="utf-8") as f:
        for doc, zh, en in ROWS:
            f.write(json.dumps({"document": doc, "zh": zh, "en": en}, ensure_ascii=False) + "\n")
    path = folder / "kw.db"
    create_project(path)
    with open_project(path) as p:
        import_transcripts(p, [source])
    return path


def test_idf_and_ranking_by_hand() -> None:
    vocab = Vocabulary()
    dfs = DocumentFrequencies()
    docs = [(["社区", "台账", "台账"], ["ledger"]), (["社区", "培训"], []), (["社区"], ["ledger"])]
    encoded = [vocab.encode(zh, en) for zh, en in docs]
    for ids, _ in encoded:
        dfs.add(ids)
    ids, counts = encoded[0]
    assert dfs.n_docs == 3
    got = {vocab.terms[i]: float(w) for i, w in zip(ids, dfs.idf(ids), strict=True)}
    assert got["社区"] == pytest.approx(idf_value(3, 3)) == pytest.approx(1.0)
    assert got["台账"] == pytest.approx(math.log(4 / 2) + 1)
    kws = tfidf_keywords(ids, counts, vocab, dfs, top=5)
    zh = [k for k in kws if k.lang == "zh"]
    assert [k.text for k in zh] == ["台账", "社区"]  # rare and repeated beats everywhere
    # scores are L2-normalised per language
    assert sum(k.score**2 for k in zh) == pytest.approx(1.0, abs=1e-3)
    assert [k.text for k in kws if k.lang == "en"] == ["ledger"]
    # unknown terms are ignored when not adding; empty input gives nothing
    unknown = vocab.encode(["没见过"], ["never"], add=False)
    assert len(unknown[0]) == 0
    assert tfidf_keywords(np.zeros(0, dtype=np.int64), np.zeros(0), vocab, dfs) == ()


def test_keyword_worthy() -> None:
    assert keyword_worthy("台账", "zh") and keyword_worthy("ledger", "en")
    assert not keyword_worthy("年", "zh") and not keyword_worthy("x", "en")
    assert not keyword_worthy("2023", "en") and not keyword_worthy("", "zh")


def test_corpus_keywords_of_a_project(project: Path) -> None:
    with open_project(project) as p:
        whole = project_keywords(p, top=50)
        d1 = project_keywords(p, document="D1", top=3)
        with pytest.raises(UsageError):
            project_keywords(p, document="nope")
    zh = [k.text for k in whole["zh"]]
    en = [k.text for k in whole["en"]]
    # a word in every segment is no keyword of the corpus; words particular to a segment are
    assert "台账" in zh and "社区" not in zh and "干部" not in zh
    # case-insensitive lemmas: Ledgers / ledgers are one keyword, Cadres / cadres too
    assert "ledger" in en and "cadre" not in en and not {"Ledgers", "ledgers", "Cadres"} & set(en)
    with open_project(project) as p:
        stored = " ".join(r[0] for r in p.execute("SELECT en_terms FROM segments")).split()
    assert stored.count("cadre") == 4 and stored.count("ledger") == 2
    # no stop words, punctuation or numbers
    assert not {"the", "are", "。", "，", "说", "every"} & set(zh + en)
    assert all(len(v) <= 3 for v in d1.values())
    assert d1["zh"][0].text == "台账" and d1["en"][0].text == "ledger"


def test_corpus_counter_and_encode_many_agree_with_one_by_one() -> None:
    from annotator.nlp.keywords import CorpusCounter

    stored = [("社区 台账 台账", "ledger cadre"), (None, "ledger"), ("社区 培训", None), ("", ""),
              ("台账", "cadre cadre cadre")]
    one = Vocabulary(pieces=True)  # the counter's vocabulary has the Chinese words' pieces
    dfs = DocumentFrequencies()
    encoded = []
    for zh, en in stored:
        ids, counts = one.encode(zh.split(" ") if zh else [], en.split(" ") if en else [])
        dfs.add(ids)
        encoded.append(dict(zip((one.terms[i] for i in ids), counts.tolist(), strict=True)))
    counter = CorpusCounter()
    counter.add([s[0] for s in stored[:2]], [s[1] for s in stored[:2]])  # in two chunks
    counter.add([s[0] for s in stored[2:]], [s[1] for s in stored[2:]])
    vocab, got = counter.finish()
    assert got.n_docs == dfs.n_docs == 5 and counter.terms == 12
    assert sorted(vocab.terms) == sorted(one.terms)
    for term in one.terms:
        lang = one.langs[one.terms.index(term)]
        i, j = vocab.id(lang, term, add=False), one.id(lang, term, add=False)
        assert i is not None and j is not None and got.df[i] == dfs.df[j]
    rows, ids, counts = vocab.encode_many([s[0] for s in stored], [s[1] for s in stored])
    for n, want in enumerate(encoded):
        mine = {vocab.terms[i]: c for i, c in zip(ids[rows == n].tolist(), counts[rows == n].tolist(),
                                                  strict=True)}
        assert mine == want
    is_zh, worthy = vocab.flags()
    assert [bool(is_zh[vocab.id("zh", "社区", add=False) or 0])] == [True]
    assert not is_zh[vocab.id("en", "ledger", add=False) or 0]
    # every word may be shown as a keyword; its pieces never
    assert all(w == (not t.startswith(PIECE)) for t, w in zip(vocab.terms, worthy.tolist(), strict=True))


def test_chinese_words_bring_their_character_pieces() -> None:
    assert word_pieces("居住证明") == tuple(PIECE + p for p in ("居", "住", "证", "明", "居住", "住证", "证明"))
    assert word_pieces("证明") == (PIECE + "证", PIECE + "明")
    assert word_pieces("责") == () and word_pieces("ledger") == () and word_pieces("APP录入") == ()
    vocab = Vocabulary(pieces=True)
    ids, counts = vocab.encode(["开证明", "证明", "证明"], ["certificate"])
    got = {vocab.terms[i]: c for i, c in zip(ids.tolist(), counts.tolist(), strict=True)}
    # 证明 twice as a word and once inside 开证明: its piece 证 counts three times
    assert got["证明"] == 2 and got["开证明"] == 1 and got[PIECE + "证"] == 3
    assert got[PIECE + "证明"] == 1 and got["certificate"] == 1
    assert Vocabulary().encode(["开证明"], [])[0].tolist() == [0]  # no pieces unless asked


def test_a_pieces_document_frequency_is_an_upper_bound() -> None:
    from annotator.nlp.keywords import CorpusCounter

    counter = CorpusCounter()
    counter.add(["证明 开证明", "证明", "台账"], [None, None, None])
    vocab, dfs = counter.finish()
    piece = vocab.id("zh", PIECE + "证", add=False)
    assert piece is not None
    # in two segments, counted 3 (one segment has both words), never above the segment count
    assert dfs.df[piece] == 3 and dfs.df[vocab.id("zh", PIECE + "台", add=False) or 0] == 1
    counter = CorpusCounter()
    counter.add(["证明 开证明"], [None])
    vocab, dfs = counter.finish()
    assert dfs.df[vocab.id("zh", PIECE + "证", add=False) or 0] == 1


def _one_by_one(rows: list[tuple[str, str | None, str | None]], document: str | None, top: int
                ) -> dict[str, list[tuple[str, float]]]:
    """The corpus keywords as first written: every segment encoded on its own, its vectors kept,
    document frequencies counted from them (the reference the streamed version must equal)."""
    vocab, dfs, chosen = Vocabulary(), DocumentFrequencies(), []
    for doc, zh, en in rows:
        ids, counts = vocab.encode(zh.split(" ") if zh else [], en.split(" ") if en else [])
        dfs.add(ids)
        if document is None or doc == document:
            chosen.append((ids, counts))
    langs = np.array([lang == "zh" for lang in vocab.langs], dtype=bool)
    for shift in (1.0, 0.0):
        total = np.zeros(len(vocab))
        for ids, counts in chosen:
            w = counts * (dfs.idf(ids) - shift)
            for mask in (langs[ids], ~langs[ids]):
                norm = float(np.sqrt(np.sum(w[mask] ** 2)))
                if norm:
                    total[ids[mask]] += w[mask] / norm
        if total.any():
            break
    out: dict[str, list[tuple[str, float]]] = {"zh": [], "en": []}
    for i in np.argsort(-total, kind="stable").tolist():
        lang = vocab.langs[i]
        if total[i] > 0 and vocab.worthy[i] and len(out[lang]) < top:
            out[lang].append((vocab.terms[i], total[i] / max(len(chosen), 1)))
    return out


@pytest.mark.parametrize("document", [None, "A20230321"])
def test_streamed_corpus_keywords_equal_one_segment_at_a_time(demo_project: Path, document: str | None) -> None:
    with open_project(demo_project) as p:
        got = project_keywords(p, document=document, top=15)
        rows = list(p.execute("SELECT document, zh_terms, en_terms FROM segments"))
    every = _one_by_one(rows, document, 10_000)
    for lang in ("zh", "en"):
        want = {t: round(float(s), 4) for t, s in every[lang]}
        assert len(got[lang]) == min(15, len(want)) > 0
        assert [k.score for k in got[lang]] == [round(float(s), 4) for _t, s in every[lang][:15]]
        assert all(want[k.text] == k.score for k in got[lang])  # each word its reference score
        last = got[lang][-1].score  # words tied with the last may be left out in either order
        assert {k.text for k in got[lang] if k.score > last} == {t for t, s in want.items() if s > last}
