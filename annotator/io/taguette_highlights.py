"""Taguette's highlights export (CSV ``id``, ``document``, ``tag``, ``content``) as one coder's
coded segments.

Taguette keeps no positions in this export, only the highlighted text: each highlight is found
in its document's segments (Chinese or English text, whitespace compared loosely) and its tag
becomes the code of that id (or of that label). A highlight inside one segment keeps its exact
extent as a span; one over several segments codes each of them. Highlights whose document, tag
or text is not found are counted in the summary, never dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import ImportFormatError
from annotator.model import Codebook, CoderState, ImportPlan, Segment, Span

HEADER = ["id", "document", "tag", "content"]
_WS = re.compile(r"\s+")
_SPEAKER = re.compile(r"^[^:：\n]{1,30}(?:：\s*|:\s+)")
_SUFFIX = re.compile(r"(\.(zh|en))?\.(txt|docx?|md|html?|pdf|odt|rtf|epub)$", re.IGNORECASE)


@dataclass(frozen=True)
class Highlight:
    line: int
    id: str
    document: str
    tag: str
    content: str


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ImportFormatError(f"cannot read the file: {exc.strerror}", path=path) from None
    except UnicodeDecodeError:
        raise ImportFormatError("not UTF-8 text", path=path) from None


def is_taguette_highlights(path: Path) -> bool:
    """A CSV whose header is Taguette's highlights export."""
    if path.suffix.lower() != ".csv":
        return False
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as f:
            first = f.readline()
    except OSError:
        return False
    return [c.strip().lower() for c in next(csv.reader([first]), [])] == HEADER


def read_highlights(path: Path) -> list[Highlight]:
    rows = list(csv.reader(io.StringIO(_text(path))))
    if not rows or [c.strip().lower() for c in rows[0]] != HEADER:
        raise ImportFormatError("expected Taguette's highlights header: id,document,tag,content",
                                path=path, line=1)
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 4:
            raise ImportFormatError(f"expected 4 columns, found {len(row)}", path=path, line=n)
        out.append(Highlight(n, row[0].strip(), row[1].strip(), row[2].strip(), row[3]))
    return out


def _loose(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass
class _Tally:
    highlights: int = 0
    no_tag: int = 0
    no_document: set[str] = field(default_factory=set)
    no_code: set[str] = field(default_factory=set)
    not_found: list[int] = field(default_factory=list)
    lost: int = 0


def _document_of(name: str, documents: dict[str, list[Segment]], titles: dict[str, str]) -> str | None:
    for candidate in (name, _SUFFIX.sub("", name), name.replace(" ", "_"), _SUFFIX.sub("", name).replace(" ", "_")):
        if candidate in documents:
            return candidate
        if candidate in titles:
            return titles[candidate]
    return None


def _code_of(tag: str, codebook: Codebook) -> str | None:
    for code in codebook.codes:
        if tag in (code.id, code.label.zh, code.label.en):
            return code.id
    return None


def _locate(content: str, segments: list[Segment]) -> list[tuple[Segment, str, tuple[int, int] | None]]:
    """The segments a highlight's text is in: (segment, language, exact part or None)."""
    want = _loose(content)
    if not want:
        return []
    bare = _SPEAKER.sub("", content.strip(), count=1)  # the transcript's "A：" is the speaker
    for lang in ("zh", "en"):
        for seg in segments:
            text = seg.text(lang)
            for needle in dict.fromkeys((content.strip(), bare)):
                at = text.find(needle) if needle else -1
                if at >= 0:
                    end = at + len(needle)
                    return [(seg, lang, None if (at, end) == (0, len(text)) else (at, end))]
            if want in _loose(text) or (bare and _loose(bare) in _loose(text)):
                return [(seg, lang, None)]
    for lang in ("zh", "en"):  # over several segments
        joined, owners = "", []
        for seg in segments:
            piece = _loose(seg.text(lang))
            owners.append((len(joined), len(joined) + len(piece), seg))
            joined += piece + " "
        at = joined.find(want)
        if at >= 0:
            return [(seg, lang, None) for s, e, seg in owners if s < at + len(want) and at < e]
    return []


def plan_highlights(path: Path, highlights: list[Highlight], documents: dict[str, list[Segment]],
                    titles: dict[str, str], codebook: Codebook, coder: str) -> ImportPlan:
    """``coder``'s work from Taguette highlights on the project's documents."""
    plan = ImportPlan(source=str(path))
    tally = _Tally()
    codes: dict[str, set[str]] = {}
    spans: set[Span] = set()
    for h in highlights:
        tally.highlights += 1
        if not h.tag:
            tally.no_tag += 1
            continue
        doc = _document_of(h.document, documents, titles)
        code = _code_of(h.tag, codebook)
        if doc is None or code is None:
            (tally.no_document.add(h.document) if doc is None else tally.no_code.add(h.tag))
            tally.lost += 1
            continue
        found = _locate(h.content, documents[doc])
        if not found:
            tally.not_found.append(h.line)
            continue
        for seg, lang, part in found:
            codes.setdefault(seg.id, set()).add(code)
            if part:
                spans.add(Span(coder, seg.id, code, lang, *part))
    plan.work = {(coder, sid): CoderState(frozenset(c), True) for sid, c in sorted(codes.items())}
    plan.spans = sorted(spans, key=lambda s: (s.segment, s.code, s.start))
    plan.event = {"file": str(path), "taguette_highlights": tally.highlights, "coder": coder}
    _summarise(plan, tally, coder)
    return plan


def _summarise(plan: ImportPlan, tally: _Tally, coder: str) -> None:
    n = sum(len(s.codes) for s in plan.work.values())
    plan.summary.imported.append(
        f"{tally.highlights} Taguette highlights → {n} annotations on {len(plan.work)} segments by"
        f" {coder} ({len(plan.spans)} narrower than their segment kept as spans)")
    if tally.no_tag:
        plan.summary.dropped.append(f"{tally.no_tag} highlight(s) with no tag")
    if tally.no_document:
        plan.summary.dropped.append(f"highlights of {len(tally.no_document)} document(s) not in the"
                                    f" project: {', '.join(sorted(tally.no_document)[:5])}")
    if tally.no_code:
        plan.summary.dropped.append(f"highlights of {len(tally.no_code)} tag(s) not in the codebook"
                                    f" (import the codebook first): {', '.join(sorted(tally.no_code)[:5])}")
    if tally.not_found:
        plan.summary.dropped.append(f"{len(tally.not_found)} highlight(s) whose text is not in their"
                                    f" document (lines {', '.join(map(str, tally.not_found[:8]))})")
