"""The coders' selections on one document's sources in a ``project.qde``, formatted straight from
the rows (:class:`annotator.model.DocumentRows`) into strings, byte for byte what ``ElementTree``
writes for the same elements indented (see :mod:`annotator.io.refi_project` for the layout).

An export of a million segments writes millions of selections and codings, so the common case
(a coder's codes and memo on a whole segment) is one formatted string per element, with what
does not depend on the language (the coding's user, date and code) formatted once for both
sources, and a source's GUIDs made all at once (:func:`annotator.io.refi_guids.name_guids`);
segments with narrower spans take the general path (:meth:`DocumentSelections._spanned`).
Positions are code points of the source text (``len`` of Python strings), end exclusive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from annotator.io import refi_xml as X
from annotator.io.refi_export import Stamps
from annotator.io.refi_guids import name_guid, name_guids
from annotator.io.refi_sources import paragraphs
from annotator.model import DocumentRows, SegmentRow, Span

_TEXT = {"zh": 2, "en": 3}  # a SegmentRow's text column per language


@dataclass
class Shared:
    """What every document's selections are made with: the languages asked for, the coders in
    order, the live codes' GUIDs, the users' GUIDs, the GUID namespace's bytes and stored
    stamps as written."""

    langs: tuple[str, ...]
    coders: list[str]
    code_guid: dict[str, str]
    user_guid: dict[str, str]
    namespace: bytes
    when: Stamps
    #: the end of each ``Coding`` element after its date, per code
    code_ref: dict[str, str] = field(default_factory=dict)
    #: ``code/lang`` in UTF-8, the end of a coding's GUID key, per language and code
    coding_keys: dict[str, dict[str, bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.code_ref = {c: f'">\n          <CodeRef targetGUID="{g}" />\n        </Coding>'
                         for c, g in self.code_guid.items()}
        self.coding_keys = {lg: {c: f"{c}/{lg}".encode() for c in self.code_guid} for lg in ("zh", "en")}

    def guid(self, key: str) -> str:
        return name_guid(self.namespace + key.encode("utf-8"))


class _Item(NamedTuple):
    """One coder's work on one segment worth a selection: codes (sorted) with the language-free
    rest of each ``Coding`` element, the memo and when it was written, the end of the selection's
    start tag (user and earliest date), and the GUID keys of its selections and codings up to
    the language (``namespace + "selection/<segment>/<coder>/"``, ``…"coding/…/"``)."""

    coder: str
    codes: list[tuple[str, str]]
    memo: str
    memo_at: str | None
    times: dict[str, str]
    head: str
    selection_key: bytes
    coding_key: bytes


_Step = tuple[_Item, str, str, list[tuple[str, str]], int, int]
"""A whole-segment selection to write: the work, segment id, name attribute, codes, range."""


@dataclass
class DocumentSelections:
    """The selections of one document, made from its rows. ``marks`` collects each coder's
    ``done``/``open`` lines; ``memo_note(guid, name, text, coder, when)`` is called once per
    memo written (a ``Note`` elsewhere in the project). ``langs``: the languages the document
    has text in."""

    shared: Shared
    rows: DocumentRows
    memo_note: Callable[[str, str, str, str, str | None], None]
    langs: list[str] = field(default_factory=list)
    marks: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    selections: int = 0
    codings: int = 0
    done_without_codes: int = 0
    #: (segment's index, the languages of its selections, its name attribute, its items)
    _work: list[tuple[int, tuple[str, ...], str, list[_Item]]] = field(default_factory=list)
    _noted: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        r = self.rows
        self.langs = [lg for lg in ("zh", "en") if any(s[_TEXT[lg]] for s in r.segments)]
        worked = {k[1] for k in r.codes}
        worked.update(k[1] for k in r.done)
        worked.update(k[1] for k in r.memos)
        for i, seg in enumerate(r.segments):
            if seg[0] in worked and (items := self._items(seg[0])):
                self._work.append((i, self.selection_langs(seg), X.attr(seg[0]), items))

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
                items.append(self._item(sid, coder, codes, times or {}, done_at, memo, memo_at))
        return items

    def _item(self, sid: str, coder: str, codes: list[str], times: dict[str, str], done_at: str | None,
              memo: str, memo_at: str | None) -> _Item:
        sh = self.shared
        when, code_ref = sh.when, sh.code_ref
        user = f' creatingUser="{sh.user_guid[coder]}" creationDateTime="'
        first = min(times.values()) if times else None  # the earliest of all the work's dates
        for t in (done_at, memo_at):
            if t and (first is None or t < first):
                first = t
        tails = [(c, f"{user}{when[times.get(c)]}{code_ref[c]}") for c in codes]
        ns = sh.namespace
        return _Item(coder, tails, memo, memo_at, times, f'{user}{when[first]}">',
                     ns + f"selection/{sid}/{coder}/".encode(), ns + f"coding/{sid}/{coder}/".encode())

    def selection_langs(self, seg: SegmentRow) -> tuple[str, ...]:
        """The sources a segment's selections go into: the chosen ones where it has text, else
        the other language's."""
        chosen = tuple(lg for lg in self.shared.langs if seg[_TEXT[lg]] and lg in self.langs)
        return chosen or tuple(lg for lg in self.langs if seg[_TEXT[lg]])[:1]

    def xml(self, lang: str, paras: list[str], starts: list[int]) -> str:
        """The ``PlainTextSelection`` elements of the ``lang`` source: their GUIDs are made all
        at once (:func:`name_guids`), then the elements, in the same order."""
        plan, names = self._plan(lang, paras, starts)
        guids = iter(name_guids(names))
        out: list[str] = []
        for step in plan:
            if isinstance(step, str):  # selections of narrow spans, written already
                out.append(step)
                continue
            item, sid, name, codes, start, end = step
            out.append(f'\n      <PlainTextSelection guid="{next(guids)}" name="{name}"'
                       f' startPosition="{start}" endPosition="{end}"{item.head}')
            if item.memo:
                self._memo(out, sid, item)
            out.extend([f'\n        <Coding guid="{next(guids)}"{tail}' for _c, tail in codes])
            if item.memo:
                out.append(f'\n        <NoteRef targetGUID="{self.shared.guid(f"note/{sid}/{item.coder}")}" />')
            out.append("\n      </PlainTextSelection>")
            self.selections += 1
            self.codings += len(codes)
        return "".join(out)

    def _plan(self, lang: str, paras: list[str], starts: list[int]) -> tuple[list[str | _Step], list[bytes]]:
        """The selections of the ``lang`` source in order, and the GUID names of the whole-segment
        ones and their codings in the same order."""
        segments, suffix, lang_key, spans = self.rows.segments, self.shared.coding_keys[lang], lang.encode(), self.rows.spans
        plan: list[str | _Step] = []
        names: list[bytes] = []
        for i, langs, name, items in self._work:
            if lang not in langs:
                continue
            sid, start = segments[i][0], starts[i]
            for item in items:
                codes = item.codes
                if spans and (item.coder, sid) in spans:
                    narrow: list[str] = []
                    codes = self._spanned(narrow, segments[i], item, lang, start)
                    plan.extend(narrow)
                    if not codes and not item.memo:
                        continue
                plan.append((item, sid, name, codes, start, start + len(paras[i])))
                names.append(item.selection_key + lang_key)
                names.extend([item.coding_key + suffix[c] for c, _tail in codes])
        return plan, names

    def _memo(self, out: list[str], sid: str, item: _Item) -> None:
        """The memo as the selection's description (where QualCoder and others read it), and its
        note, once."""
        out.append(X.text_element("Description", item.memo, 4))
        ng = self.shared.guid(f"note/{sid}/{item.coder}")
        if ng not in self._noted:
            self._noted.add(ng)
            self.memo_note(ng, f"memo {sid} ({item.coder})", item.memo, item.coder, item.memo_at)

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
