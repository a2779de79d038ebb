"""A code's coded examples (``examples:``): segments coded as the codebook intends.

Qualitative content analysis gives each category of a coding agenda its definition, its
coding rules and *anchor examples*, passages that typically belong to it (Mayring 2014,
"Qualitative Content Analysis", ch. 6.5). A code's ``examples`` are such passages, each a text
(one language or both) or ``{zh, en, also}``, where ``also`` names the codes of other facets
(or other codes of a multi-choice facet) that the passage holds besides this one::

    - id: rights_mismatch
      examples:
        - zh: 没有执法权，却要我们去查餐馆的食品安全。
          en: We have no power to enforce anything, yet we are sent to check restaurants' food safety.
          also: [adaptation]

The suggester learns from them as from coded segments (:mod:`annotator.nlp.suggest`), so that a
project's suggestions start from what the codebook shows, not only from what it says; what the
coders code weighs as much and soon outweighs them. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from annotator.model import Bilingual, Codebook, Facet

ITEM_FIELDS = frozenset({"zh", "en", "also"})


@dataclass(frozen=True)
class CodedExample:
    """One example passage and every code it holds."""

    text: Bilingual
    codes: frozenset[str]


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, str | int | float) and not isinstance(value, bool) else ""


def _item(value: Any) -> tuple[Bilingual, tuple[str, ...]] | None:
    """An example's text and ``also`` codes (None: not an example)."""
    if isinstance(value, str):
        text = value.strip()
        cjk = any("\u4e00" <= ch <= "\u9fff" for ch in text)
        if not text:
            return None
        return (Bilingual(zh=text) if cjk else Bilingual(en=text)), ()
    if not isinstance(value, dict):
        return None
    found = Bilingual(zh=_text(value.get("zh")), en=_text(value.get("en")))
    if not (found.zh or found.en):
        return None
    also = value.get("also") or ()
    if isinstance(also, str):
        also = (also,)
    if not isinstance(also, list | tuple):
        return None
    return found, tuple(str(c) for c in also)


def shape_problems(value: Any, line: int) -> list[tuple[int, str]]:
    """What is wrong with the shape of a code's ``examples`` (line, message)."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [(line, "examples must be a list of texts or {zh: ..., en: ..., also: [...]}")]
    out: list[tuple[int, str]] = []
    for item in value:
        at = getattr(item, "line", line)
        if isinstance(item, dict):
            out.extend((at, f"unknown field {k!r} in an example (use zh, en, also)")
                       for k in item if k not in ITEM_FIELDS)
            also = item.get("also")
            if also is not None and not (isinstance(also, str) or (
                    isinstance(also, list) and all(isinstance(c, str) for c in also))):
                out.append((at, "an example's also must be a list of code ids"))
                continue
        if _item(item) is None:
            out.append((at, "an example must be text or {zh: ..., en: ...} with some text"))
    return out


def code_problems(code_id: str, value: Any, line: int, facets: Iterable[Facet]) -> list[tuple[int, str]]:
    """The codes an example of ``code_id`` names in ``also`` that do not exist, or that give it
    two codes of one single-choice facet (line, message)."""
    facets = list(facets)
    facet_of = {c.id: f for f in facets for c in f.codes}
    out: list[tuple[int, str]] = []
    for at, (_, also) in _lined(value, line):
        unknown = [c for c in also if c not in facet_of]
        if unknown:
            out.append((at, f"an example's also names no code of the codebook: {', '.join(unknown)}"))
            continue
        held: dict[str, set[str]] = {}
        for code in {code_id, *also}:
            if code in facet_of:
                held.setdefault(facet_of[code].id, set()).add(code)
        out.extend((at, f"an example holds {' and '.join(sorted(codes))}, two codes of the"
                        f" single-choice facet {fid!r}")
                   for fid, codes in sorted(held.items())
                   if len(codes) > 1 and not next(f for f in facets if f.id == fid).multiple)
    return out


def _lined(value: Any, line: int) -> Iterator[tuple[int, tuple[Bilingual, tuple[str, ...]]]]:
    if not isinstance(value, list):
        return
    for item in value:
        found = _item(item)
        if found is not None:
            yield getattr(item, "line", line), found


def coded_examples(codebook: Codebook) -> tuple[CodedExample, ...]:
    """Every code's examples, one per distinct text, with all the codes it is listed under or
    names (codes the codebook lacks left out), in codebook order."""
    known = {c.id for c in codebook.codes}
    found: dict[Bilingual, set[str]] = {}
    for code in codebook.codes:
        for _, (text, also) in _lined(code.extra.get("examples"), 0):
            found.setdefault(text, set()).update(c for c in (code.id, *also) if c in known)
    return tuple(CodedExample(text, frozenset(codes)) for text, codes in found.items())
