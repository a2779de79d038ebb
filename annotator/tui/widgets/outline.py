"""The outline of documents and segments with done marks: a line-API ScrollView that renders
only the visible rows, so it stays fast for 100,000 segments."""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.tui.messages import SegmentPicked
from annotator.tui.session import CodingSession

SNIPPET_BLOCK = 200
DONE_MARK = "✓"
OPEN_MARK = "·"


class Outline(ScrollView, can_focus=False):
    """One row per document heading and per segment; the current segment is highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"outline--current", "outline--document", "outline--done"}

    def __init__(self, session: CodingSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        # row → segment index, or -(document number + 1) for a document heading
        self._doc_rows: list[int] = []  # row of each document heading, ascending
        self._doc_ids: list[str] = []
        prev = None
        for i, doc in enumerate(session.doc_of):
            if doc != prev:
                self._doc_rows.append(i + len(self._doc_rows))
                self._doc_ids.append(doc)
                prev = doc
        self._doc_first: list[int] = [r - n for n, r in enumerate(self._doc_rows)]
        self.row_count = len(session.order) + len(self._doc_rows)
        self._snippets: dict[int, str] = {}
        self.virtual_size = Size(0, self.row_count)

    def row_of(self, index: int) -> int:
        """The row of segment ``index``."""
        docs_before = bisect_right(self._doc_first, index)
        return index + docs_before

    def _row_target(self, row: int) -> int:
        """Segment index at ``row``; for a heading, -(document number + 1)."""
        n = bisect_right(self._doc_rows, row) - 1
        if n >= 0 and self._doc_rows[n] == row:
            return -(n + 1)
        return row - (n + 1)

    def _snippet(self, index: int) -> str:
        text = self._snippets.get(index)
        if text is not None:
            return text
        if len(self._snippets) > 20 * SNIPPET_BLOCK:
            self._snippets.clear()
        lo = max(0, index - SNIPPET_BLOCK // 2)
        ids = self.session.order[lo : lo + SNIPPET_BLOCK]
        marks = ",".join("?" for _ in ids)
        rows = self.session.project.execute(
            f"SELECT id, coalesce(speaker, ''), substr(zh, 1, 40), substr(en, 1, 60)"
            f" FROM segments WHERE id IN ({marks})",
            ids,
        )
        for seg, speaker, zh, en in rows:
            i = self.session.index_of[seg]
            body = (zh or en).replace("\n", " ")
            self._snippets[i] = f"{speaker}: {body}" if speaker else body
        return self._snippets.setdefault(index, "")

    def show_current(self) -> None:
        """Scroll so that the current segment is visible, then repaint."""
        if self.session.empty:
            return
        row = self.row_of(self.session.pos)
        top = round(self.scroll_offset.y)
        height = max(self.size.height, 1)
        if row < top or row >= top + height:
            self.scroll_to(y=max(0, row - height // 2), animate=False, immediate=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = round(self.scroll_offset.y) + y
        base = self.rich_style
        if row >= self.row_count or width <= 0:
            return Strip.blank(width, base)
        target = self._row_target(row)
        session = self.session
        if target < 0:
            doc = self._doc_ids[-target - 1]
            done, total = session.doc_done[doc], session.doc_total[doc]
            style = self.get_component_rich_style("outline--document")
            strip = Strip([Segment(f"▸ {doc} {done}/{total}", style)])
        else:
            seg = session.order[target]
            is_done = seg in session.done
            mark = DONE_MARK if is_done else OPEN_MARK
            num = f"{target + 1:>{len(str(len(session.order)))}} "
            if target == session.pos:
                style = self.get_component_rich_style("outline--current")
            elif is_done:
                style = self.get_component_rich_style("outline--done")
            else:
                style = base
            strip = Strip([Segment(f"{mark}{num}{self._snippet(target)}", style)])
        return strip.crop_extend(0, width, base if target != session.pos else style)

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_offset.y) + event.y
        if 0 <= row < self.row_count:
            target = self._row_target(row)
            if target < 0:  # a heading: its first segment
                target = self._doc_first[-target - 1]
            self.post_message(SegmentPicked(target))

