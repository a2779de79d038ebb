"""One document of a ``project.qde``: its plain-text sources and the coders' selections on them,
formatted straight from the rows (:class:`annotator.model.DocumentRows`) into strings, byte for
byte what ``ElementTree`` writes for the same elements indented (see
:mod:`annotator.io.refi_project` for the layout).

An export of a million segments writes millions of selections and codings, so the common case
(a coder's codes and memo on a whole segment) is one formatted string per element, with what
does not depend on the language (the coding's user, date and code) formatted once for both
sources; segments with narrower spans take the general path (:meth:`DocumentSelections._spanned`).
Positions are code points of the source text (``len`` of Python strings), end exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import NamedTuple

from annotator.io import refi_xml as X
from annotator.io.refi_export import refi_stamp
from annotator.model import DocumentRows, SegmentRow, Span

_BLANK_LINES = re.compile(r"\n\s*\n")
_TEXT = {"zh": 2, "en": 3}  # a SegmentRow's text column per language


def paragraph_text(text: str) -> str:
    """A segment's text with no blank line inside (a paragraph and a segment stay one to one)."""
    if "\n" in text or "\r" in text:
        text = _BLANK_LINES.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n")).strip("\n")
    return text


def paragraphs(segments: list[SegmentRow], lang: str) -> list[str]:
    """Each segment as one paragraph of the ``lang`` source: ``speaker：text`` (``: `` in English)."""
    texts = [s[2] for s in segments] if lang == "zh" else [s[3] for s in segments]
    joined = "".join(texts)
    if "\n" in joined or "\r" in joined:
        texts = [paragraph_text(t) for t in texts]
    sep = "：" if lang == "zh" else ": "
    return [f"{s[1]}{sep}{t}" if s[1] else t for s, t in zip(segments, texts, strict=True)]


def source_text(paras: list[str]) -> tuple[str, list[int]]:
    """The source made of ``paras`` (one blank line between them, a line break at the end) and
    where each paragraph starts in it."""
    starts = [0, *accumulate(len(p) + 2 for p in paras)]
    return "\n\n".join(paras) + "\n", starts


class Stamps(dict[str | None, str]):
    """Stored time stamps as REFI-QDA writes them (``stamps[stored]``), remembered: a project has
    few distinct seconds per coder session, and reading each is the slow part."""

    def __init__(self, default: str):
        super().__init__()
        self.default = default

    def __missing__(self, stamp: str | None) -> str:
        if len(self) > 100_000:
            self.clear()
        got = self[stamp] = refi_stamp(stamp) or self.default
        return got


@dataclass
class Shared:
    """What every document's selections are made with: the languages asked for, the coders in
    order, the live codes' GUIDs, the users' GUIDs, GUIDs of keys and stored stamps as written."""

    langs: tuple[str, ...]
    coders: list[str]
    code_guid: dict[str, str]
    user_guid: dict[str, str]
    guid: Callable[[str], str]
    when: Stamps


class _Item(NamedTuple):
    """One coder's work on one segment worth a selection: codes (sorted) with the language-free
    rest of each ``Coding`` element, the memo and when it was written, and the earliest date."""

    coder: str
    codes: list[tuple[str, str]]
    memo: str
    memo_at: str | None
    first: str
    times: dict[str, str]


@dataclass
class DocumentSelections:
    """The selections of one document, made from its rows. ``marks`` collects each coder's
    ``done``/``open`` lines; ``memo_note(guid, name, text, coder, when)`` is called once per
    memo written (a ``Note`` elsewhere in the project)."""

    shared: Shared
    rows: DocumentRows
    memo_note: Callable[[str, str, str, str, str | None], None]
    marks: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    selections: int = 0
    codings: int = 0
    done_without_codes: int = 0
    _work: list[tuple[int, list[_Item]]] = field(default_factory=list)
    _noted: set[str] = field(default_factory=set)
    _code_ref: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        r = self.rows
        self._code_ref = {c: f'">\n          <CodeRef targetGUID="{g}" />\n        </Coding>'
                          for c, g in self.shared.code_guid.items()}
        worked = {k[1] for k in r.codes}
        worked.update(k[1] for k in r.done)
        worked.update(k[1] for k in r.memos)
        for i, seg in enumerate(r.segments):
            if seg[0] in worked:
                self._work.append((i, self._items(seg[0])))

    def _items(self, sid: str) -> list[_Item]:
        """Each coder's work on ``sid`` worth a selection, in coder order; notes the marks."""
        sh, r = self.shared, self.rows
        live = sh.code_guid.keys()
        items: list[_Item] = []
        for coder in sh.coders:
            key = (coder, sid)
            times, memo_row, done_at = r.codes.get(key), r.memos.get(key), r.done.get(key)
            if times is None and memo_row is None and done_at is None:
                continue
            if not times:
                codes = []
            elif times.keys() <= live:
                codes = sorted(times)
            else:
                codes = sorted(c for c in times if c in live)
            memo, memo_at = memo_row or ("", None)
            if done_at is not None and not codes:
                self.done_without_codes += 1
                self.marks.setdefault((coder, "done"), []).append(f"done {sid}\n")
            elif done_at is None and (codes or memo):
                self.marks.setdefault((coder, "open"), []).append(f"open {sid}\n")
            if codes or memo:
                items.append(self._item(coder, codes, times or {}, done_at, memo, memo_at))
        return items

    def _item(self, coder: str, codes: list[str], times: dict[str, str], done_at: str | None, memo: str,
              memo_at: str | None) -> _Item:
        when, code_ref = self.shared.when, self._code_ref
        user = f' creatingUser="{self.shared.user_guid[coder]}" creationDateTime="'
        dates = [*times.values(), *(t for t in (done_at, memo_at) if t)]
        tails = [(c, f"{user}{when[times.get(c)]}{code_ref[c]}") for c in codes]
        return _Item(coder, tails, memo, memo_at, when[min(dates) if dates else None], times)

    def selection_langs(self, seg: SegmentRow, langs: list[str]) -> tuple[str, ...]:
        """The sources a segment's selections go into: the chosen ones where it has text, else
        the other language's."""
        chosen = tuple(lg for lg in self.shared.langs if seg[_TEXT[lg]] and lg in langs)
        return chosen or tuple(lg for lg in langs if seg[_TEXT[lg]])[:1]

    def xml(self, lang: str, langs: list[str], paras: list[str], starts: list[int]) -> str:
        """The ``PlainTextSelection`` elements of the ``lang`` source (``langs``: the languages
        the document has text in)."""
        out: list[str] = []
        segments = self.rows.segments
        for i, items in self._work:
            if items and lang in self.selection_langs(segments[i], langs):
                start = starts[i]
                self._segment(out, segments[i], items, lang, start, start + len(paras[i]))
        return "".join(out)

    def _segment(self, out: list[str], seg: SegmentRow, items: list[_Item], lang: str,
                 start: int, end: int) -> None:
        sid, g, user_guid = seg[0], self.shared.guid, self.shared.user_guid
        name = X.attr(sid)
        spans = self.rows.spans
        for item in items:
            coder, codes, memo = item.coder, item.codes, item.memo
            if spans and (coder, sid) in spans:
                codes = self._spanned(out, seg, item, lang, start)
                if not codes and not memo:
                    continue
            out.append(f'\n      <PlainTextSelection guid="{g(f"selection/{sid}/{coder}/{lang}")}" name="{name}"'
                       f' startPosition="{start}" endPosition="{end}" creatingUser="{user_guid[coder]}"'
                       f' creationDateTime="{item.first}">')
            if memo:  # QualCoder and others read a selection's memo from its description
                out.append(X.text_element("Description", memo, 4))
            for code, tail in codes:
                out.append(f'\n        <Coding guid="{g(f"coding/{sid}/{coder}/{code}/{lang}")}"{tail}')
            if memo:
                ng = g(f"note/{sid}/{coder}")
                out.append(f'\n        <NoteRef targetGUID="{ng}" />')
                if ng not in self._noted:
                    self._noted.add(ng)
                    self.memo_note(ng, f"memo {sid} ({coder})", memo, coder, item.memo_at)
            out.append("\n      </PlainTextSelection>")
            self.selections += 1
            self.codings += len(codes)

    def _spanned(self, out: list[str], seg: SegmentRow, item: _Item, lang: str,
                 start: int) -> list[tuple[str, str]]:
        """Writes a selection of its own for each span of the coder's codes on ``seg`` in
        ``lang``; the codes left for the whole-segment selection."""
        narrow = self._narrow(seg, item, lang, start)
        if not narrow:
            return item.codes
        sh, sid, coder = self.shared, seg[0], item.coder
        g, user = sh.guid, sh.user_guid[coder]
        for code, (a, b) in narrow:
            when = sh.when[item.times.get(code)]
            out.append(f'\n      <PlainTextSelection guid="{g(f"span/{sid}/{coder}/{code}/{lang}/{a}")}"'
                       f' name="{X.attr(sid)}" startPosition="{a}" endPosition="{b}"'
                       f' creatingUser="{user}" creationDateTime="{when}">'
                       f'\n        <Coding guid="{g(f"span-coding/{sid}/{coder}/{code}/{lang}/{a}")}"'
                       f' creatingUser="{user}" creationDateTime="{when}">'
                       f'\n          <CodeRef targetGUID="{sh.code_guid[code]}" />\n        </Coding>'
                       "\n      </PlainTextSelection>")
        self.selections += len(narrow)
        self.codings += len(narrow)
        spanned = {code for code, _ in narrow}
        return [(c, tail) for c, tail in item.codes if c not in spanned]

    def _narrow(self, seg: SegmentRow, item: _Item, lang: str, start: int) -> list[tuple[str, tuple[int, int]]]:
        """(code, source range) of each span of the coder's codes here in ``lang``; none when the
        paragraph does not hold the segment's text as it is (blank lines collapsed)."""
        codes = {c for c, _ in item.codes}
        spans: list[Span] = [x for x in self.rows.spans[(item.coder, seg[0])] if x.lang == lang and x.code in codes]
        text = seg[2] if lang == "zh" else seg[3]
        para = paragraphs([seg], lang)[0]
        if not spans or not text or not para.endswith(text):
            return []
        body = start + len(para) - len(text)
        return [(x.code, (body + x.start, body + min(x.end, len(text)))) for x in spans if x.start < len(text)]
