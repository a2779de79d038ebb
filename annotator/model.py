"""Plain domain objects: codebook, documents, segments, coders' work. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGS: tuple[str, ...] = ("zh", "en")

#: Keys the coding screen reserves for its own actions; a code may not use them (``R``: the
#: lead's refresh).
RESERVED_KEYS: frozenset[str] = frozenset(
    {"j", "k", "n", "p", "u", "g", "x", "m", "q", "?", "/", "f", "R", "enter",
     "up", "down", "left", "right", "escape", "tab", "space", " "}
)


@dataclass(frozen=True)
class Bilingual:
    """A text in Chinese and/or English (either may be empty)."""

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
    label: Bilingual
    key: str | None = None
    definition: Bilingual = field(default_factory=Bilingual)
    when_to_use: Bilingual = field(default_factory=Bilingual)
    when_not_to_use: Bilingual = field(default_factory=Bilingual)
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
    label: Bilingual = field(default_factory=Bilingual)
    description: Bilingual = field(default_factory=Bilingual)
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


@dataclass
class WorkDates:
    """When one coder's work on one segment was made (``None`` where there is none)."""

    codes: dict[str, str] = field(default_factory=dict)
    done_at: str | None = None
    memo_at: str | None = None

    def first(self) -> str | None:
        """The earliest of these times."""
        times = [*self.codes.values(), *(t for t in (self.done_at, self.memo_at) if t)]
        return min(times) if times else None


@dataclass(frozen=True)
class Span:
    """The exact part of a segment a coder's annotation was made on: code points ``start`` to
    ``end`` (exclusive) of the segment's text in ``lang``."""

    coder: str
    segment: str
    code: str
    lang: str
    start: int
    end: int


@dataclass(frozen=True)
class TargetNote:
    """A coder's memo on a document or a code (``kind`` is ``document`` or ``code``)."""

    kind: str
    target: str
    coder: str
    text: str


SegmentRow = tuple[str, str | None, str, str]
"""A segment as an export reads it: (id, speaker, zh, en)."""


@dataclass
class DocumentRows:
    """One document as an interchange export reads it: its segments in reading order, and the
    coders' work on them by (coder, segment): the codes with when each was applied (in code
    order), when it was marked done, the memo with when it was written, and the narrower spans."""

    segments: list[SegmentRow] = field(default_factory=list)
    codes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    done: dict[tuple[str, str], str] = field(default_factory=dict)
    memos: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    spans: dict[tuple[str, str], list[Span]] = field(default_factory=dict)


def segment_id(document: str, position: int) -> str:
    """The id of the segment at ``position`` (1-based) of ``document``."""
    return f"{document}-{position:03d}"


@dataclass
class ImportSummary:
    """What an import read, what it brought in and what it left out.

    ``imported``, ``dropped`` and ``warnings`` are lines to show the user; the other fields count
    what a transcript import wrote.
    """

    imported: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    segments: int = 0
    replaced: list[str] = field(default_factory=list)
    archived_annotations: int = 0
    #: segments of replaced documents whose text changed while coders' work on them was kept
    changed_with_work: list[str] = field(default_factory=list)
    #: the language of a translation added to an existing document (``--document ID --translation``)
    translation_added: str | None = None
    #: document → the lines before its first turn taken as its header (attributes, not turns)
    headers: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = list(self.imported)
        out += [f"not imported: {d}" for d in self.dropped]
        out += [f"warning: {w}" for w in self.warnings]
        return out


@dataclass(frozen=True)
class SegmentTerms:
    """A segment's tokens and terms per language, space-separated, as the project stores them."""

    zh_tokens: str = ""
    en_tokens: str = ""
    zh_terms: str = ""
    en_terms: str = ""


@dataclass
class ImportPlan:
    """Everything one import will write, built from a file with no project open.

    ``codebook`` replaces the project's codebook when set. ``work`` is each coder's imported work
    per segment (added to what the coder already has; the segment is marked done). ``terms`` is
    filled by the caller that tokenises (segment id → terms).
    """

    source: str
    documents: list[Document] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    codebook: Codebook | None = None
    work: dict[tuple[str, str], CoderState] = field(default_factory=dict)
    terms: dict[str, SegmentTerms] = field(default_factory=dict)
    #: (coder, segment, code) → when the file says the coding was made
    dates: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: sub-segment selections kept with their annotations
    spans: list[Span] = field(default_factory=list)
    #: coders' memos on the imported documents and on codes
    notes: list[TargetNote] = field(default_factory=list)
    event: dict[str, Any] = field(default_factory=dict)
    summary: ImportSummary = field(default_factory=ImportSummary)
