"""Codebook text with lone surrogates, control characters, huge numbers and deep nesting:
``parse_codebook`` gives problems or a codebook every command can store and print."""

from __future__ import annotations

import json

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotator.codebook import parse_codebook
from annotator.safe_text import codebook_problem

HOSTILE = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["\ud800", "x\udfff", "\x1b[31m", "\x07", "a\u202eb", "two\nlines", "\x9b"]),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.integers(min_value=1, max_value=400).map(lambda n: json.loads("[" * n + "]" * n)),
)


def _book(label: object, definition: object, keyword: object, key: object) -> str:
    code = {"id": "c1", "label": label, "definition": definition, "keywords": [keyword], "key": key}
    data = {"facets": [{"id": "f", "codes": [code, {"id": "c2", "label": "ok"}]}]}
    return yaml.safe_dump(data, allow_unicode=False)  # \ud800 and \e written as YAML escapes


@example(label="x", definition="d", keyword="two\nlines", key=None)  # passed check, failed init
@settings(max_examples=200, deadline=None)
@given(label=st.one_of(st.text(max_size=8), HOSTILE), definition=HOSTILE, keyword=HOSTILE,
       key=st.one_of(st.none(), st.sampled_from("123456789"), HOSTILE))
def test_any_codebook_text_is_refused_or_safe(label: object, definition: object, keyword: object,
                                              key: object) -> None:
    try:
        text = _book(label, definition, keyword, key)
    except (yaml.YAMLError, RecursionError):
        return
    codebook, problems = parse_codebook(text)
    if codebook is None:
        assert problems and all("\n" not in p.message for p in problems)
        return
    assert codebook_problem(codebook) is None
    for code in codebook.codes:  # storable (UTF-8) and printable
        for value in (code.label.zh, code.label.en, *code.keywords_zh, *code.keywords_en):
            value.encode("utf-8")
            assert "\x1b" not in value and "\n" not in value
