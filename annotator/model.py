"""Plain domain objects: codebook, documents, segments, coders' work. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGS: tuple[str, ...] = ("zh", "en")

#: Keys the coding screen reserves for navigation; a code may not use them.
RESERVED_KEYS: frozenset[str] = frozenset(
    {"j", "k", "n", "p", "u", "g", "x", "m", "q", "?", "/", "f", "enter",
     "up", "down", "left", "right", "escape", "tab", "space", " "}
)


@dataclass(frozen=True)
class Text2:
    """A text in Chinese and/or English."""

    zh: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        """The text in ``lang``, falling back to the other language."""
        primary = self.zh if lang == "zh" else self.en
        return primary or self.en or self.zh

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("zh", self.zh), ("en", self.en)) if v}


@dataclass(frozen=True)
class Code:
    id: str
    facet: str
    label: Text2
    key: str | None = None
    definition: Text2 = field(default_factory=Text2)
    when_to_use: Text2 = field(default_factory=Text2)
    when_not_to_use: Text2 = field(default_factory=Text2)
    keywords_zh: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()
    color: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: (facet id, code id) pairs: applying this code is evidence for those codes of other facets
    #: (the codebook's ``implies:``, e.g. a burden type and the AGIL dimension it belongs to)
    implies: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Facet:
    id: str
    codes: tuple[Code, ...]
    multiple: bool = False
    label: Text2 = field(default_factory=Text2)
    description: Text2 = field(default_factory=Text2)
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Codebook:
    facets: tuple[Facet, ...]

    @property
    def codes(self) -> tuple[Code, ...]:
        return tuple(c for f in self.facets for c in f.codes)

    def code(self, code_id: str) -> Code | None:
        for c in self.codes:
            if c.id == code_id:
                return c
        return None

    def facet(self, facet_id: str) -> Facet | None:
        for f in self.facets:
            if f.id == facet_id:
                return f
        return None

    def by_key(self) -> dict[str, Code]:
        return {c.key: c for c in self.codes if c.key}


@dataclass(frozen=True)
class Document:
    id: str
    title: str = ""
    attributes: dict[str, Any] = field(default_factory=dict, compare=True, hash=False)
    position: int = 0


@dataclass(frozen=True)
class Segment:
    id: str
    document: str
    position: int
    zh: str = ""
    en: str = ""
    speaker: str | None = None
    start: float | None = None
    end: float | None = None

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class CoderState:
    """One coder's work on one segment: the codes applied, the done mark and the memo."""

    codes: frozenset[str] = frozenset()
    done: bool = False
    memo: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"codes": sorted(self.codes), "done": self.done, "memo": self.memo}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CoderState:
        return cls(frozenset(data.get("codes", ())), bool(data.get("done")), data.get("memo") or "")
