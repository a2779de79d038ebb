"""Looking many stored terms up with numpy gives exactly what ``dict.get`` gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.nlp import term_lookup
from annotator.nlp.keywords import TABLE_WORTH, Vocabulary
from annotator.nlp.term_lookup import TermLookup

#: Characters of every width in UTF-8, a lone surrogate and a space (terms holding one are never
#: matched by a space-separated term)
_CHARS = st.sampled_from([*"ab中文词語é ", "\U0001f600", "\ud800", "\x00"])
_TERM = st.text(_CHARS, min_size=0, max_size=6) | st.text(_CHARS, min_size=60, max_size=80)


def _expected(table: dict[str, int], joined: str) -> list[int]:
    return [table.get(t, -1) for t in joined.split(" ")]


@settings(max_examples=150, deadline=None)
@given(known=st.lists(_TERM, max_size=40, unique=True), others=st.lists(_TERM, max_size=20),
       picks=st.lists(st.integers(0, 200), max_size=60))
def test_every_term_gets_the_id_the_dictionary_gives(known: list[str], others: list[str],
                                                     picks: list[int]) -> None:
    table = {term: 7 * i + 3 for i, term in enumerate(known)}
    pool = [*known, *others, ""]
    joined = " ".join(pool[p % len(pool)] for p in picks)
    assert TermLookup(table).ids(joined).tolist() == _expected(table, joined)
    whole = term_lookup.PART
    try:  # the text looked up a few bytes at a time, cut at spaces
        term_lookup.PART = 5
        assert TermLookup(table).ids(joined).tolist() == _expected(table, joined)
    finally:
        term_lookup.PART = whole


def test_terms_whose_hashes_collide_are_still_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # one multiplier for every position: anagrams of the same length share a hash
    monkeypatch.setattr(term_lookup, "_MULTIPLIERS", np.ones(term_lookup._POSITIONS, dtype=np.uint64))
    table = {"ab": 1, "ba": 2, "中文": 3, "xyz": 4}
    joined = "ba ab 文中 zyx xyz ab  中文 ba"
    assert TermLookup(table).ids(joined).tolist() == _expected(table, joined)


def test_an_empty_table_finds_nothing() -> None:
    assert TermLookup({}).ids("a b  c").tolist() == [-1, -1, -1, -1]


def _vocabulary() -> tuple[Vocabulary, list[str], list[str]]:
    vocab = Vocabulary(pieces=True)
    vocab.extend("zh", ["社区", "居民", "委员会", "社", "会"])
    vocab.extend("en", ["community", "resident", "committee"])
    zh = ["社区 居民 委员会", "", "未知 社区 社区", "会"]
    en = ["community committee", "resident unknown", "", "community"]
    return vocab, zh, en


def test_occurrences_are_the_same_through_the_tables_and_without_them() -> None:
    vocab, zh, en = _vocabulary()
    plain = vocab.occurrences(zh, en)
    with vocab.bulk_lookups(TABLE_WORTH * len(vocab)):
        assert vocab._lookups  # the tables are made and used
        tabled = vocab.occurrences(zh, en)
    assert not vocab._lookups  # and dropped after
    for a, b in zip(plain, tabled, strict=True):
        assert a.tolist() == b.tolist()


def test_few_lookups_make_no_tables_and_a_grown_vocabulary_is_not_looked_up_in_old_ones() -> None:
    vocab, zh, en = _vocabulary()
    with vocab.bulk_lookups(TABLE_WORTH * len(vocab) - 1):
        assert not vocab._lookups
    with vocab.bulk_lookups(TABLE_WORTH * len(vocab)):
        vocab.extend("zh", ["未知"])
        _rows, ids = vocab.occurrences(zh, en)
    assert vocab._ids["zh"]["未知"] in ids.tolist()
