"""The outline of documents and segments with done marks: a line-API ScrollView that renders
only the visible rows, so it stays fast for 100,000 segments."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable
from typing import Any, ClassVar

import numpy as np
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.application.segments import segment_snippets
from annotator.tui.messages import SegmentPicked
from annotator.tui.segment_order import SegmentOrder
from annotator.tui.session import CodingSession, View
from annotator.tui.widgets.frames import usable

SNIPPET_BLOCK = 200
DONE_MARK = "✓"
OPEN_MARK = "·"


class Outline(ScrollView, can_focus=False):
    """One row per document heading and per segment; the current segment is highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"outline--current", "outline--document", "outline--done"}

    def __init__(self, session: CodingSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        #: the view whose segments the rows show (None: every segment)
        self.view: View | None = None
        self._left: View | None = None  # the view shown before, until the repaint after it
        self._items: list[int] | None = None  # row position → segment index (None: the same)
        self._everything = self._rows_of(session.order, np.arange(len(session.order.docs)),
                                         session.order.starts[:-1])
        self._doc_rows, self._doc_ids, self._doc_first = self._everything
        self.row_count = len(session.order) + len(self._doc_rows)
        self._snippets: dict[int, str] = {}
        self._lines: dict[tuple[int, int, int], Strip] = {}  # (row, flags, width) → line
        self._styles: dict[str, Style] = {}
        self.virtual_size = Size(0, self.row_count)
        # the last lines drawn, and what they were drawn for (every refresh draws them again)
        self._drawn: tuple[Hashable, list[Strip]] | None = None
        self._dirty_rows: set[int] = set()  # rows refreshed since (widget lines)

    @staticmethod
    def _rows_of(order: SegmentOrder, numbers: np.ndarray, firsts: np.ndarray
                 ) -> tuple[list[int], list[str], list[int]]:
        """For the documents ``numbers`` (of ``order``) whose first segments among the rows
        are at ``firsts``: the row of each document heading, the documents, and the position
        of each document's first segment."""
        first = [int(f) for f in firsts]
        return ([f + n for n, f in enumerate(first)], [order.docs[int(d)] for d in numbers], first)

    @staticmethod
    def view_rows(order: SegmentOrder, indices: np.ndarray) -> tuple[list[int], list[str], list[int]]:
        """:meth:`_rows_of` for the segments at ``indices`` (ascending, an array): milliseconds
        for a view of 170,000 segments, worked out with the view (``View.headings``) by the
        worker that computes it."""
        numbers = order.doc_numbers(indices)
        firsts = np.flatnonzero(np.diff(numbers, prepend=-1))
        return Outline._rows_of(order, numbers[firsts], firsts)

    def use_view(self, view: View | None) -> None:
        """Show only the segments of ``view`` (a search or filter), under their documents'
        headings; None shows every segment again."""
        if view is self.view:
            return
        # the view left behind is freed after this repaint (a million places take milliseconds)
        self._left = self.view
        self.call_after_refresh(self._free_left)
        self.view = view
        if view is None:
            self._items = None
            self._doc_rows, self._doc_ids, self._doc_first = self._everything
            count = len(self.session.order)
        else:
            self._items = view.indices
            headings = view.headings
            if headings is None:  # a view made on this thread (a test's)
                headings = self.view_rows(self.session.order, view.array)
            self._doc_rows, self._doc_ids, self._doc_first = headings
            count = len(view.indices)
        self.row_count = count + len(self._doc_rows)
        self._lines.clear()
        self.virtual_size = Size(0, self.row_count)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _free_left(self) -> None:
        self._left = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._lines.clear()
        self._drawn = None

    def refresh(self, *regions: Region, **options: Any) -> Any:
        if regions and not options.get("layout") and not options.get("recompose"):
            self._dirty_rows.update(y for r in regions for y in range(r.y, r.bottom))
        else:
            self._drawn = None
        return super().refresh(*regions, **options)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of ``crop``. The screen asks for every line of the outline at every key,
        which changes one or two rows: the lines drawn last are kept and only the rows
        refreshed since are drawn again (each as Textual draws it)."""
        key = (crop, self.scroll_offset, self.region.size, self.background_colors)
        drawn, dirty = self._drawn, self._dirty_rows
        self._dirty_rows = set()
        if drawn is None or drawn[0] != key or not usable(self):
            lines = super().render_lines(crop)
        else:
            lines = list(drawn[1])
            for y in dirty:
                if crop.y <= y < crop.bottom:
                    lines[y - crop.y] = super().render_lines(Region(crop.x, y, crop.width, 1))[0]
        self._drawn = (key, lines)
        return lines

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = (
                self.rich_style if name == "base" else self.get_component_rich_style(name))
        return style

    def _place(self, index: int) -> int | None:
        """The position of segment ``index`` among the rows' segments (None: not shown)."""
        if self.view is None:
            return index
        return self.view.where.get(index)

    def row_of(self, index: int) -> int:
        """The row of segment ``index`` (the nearest row when the view leaves it out)."""
        place = self._place(index)
        if place is None:
            place = min(bisect_right(self._items or [], index), max(len(self._items or []) - 1, 0))
        docs_before = bisect_right(self._doc_first, place)
        return place + docs_before

    def _row_target(self, row: int) -> int:
        """Segment index at ``row``; for a heading, -(document number + 1)."""
        n = bisect_right(self._doc_rows, row) - 1
        if n >= 0 and self._doc_rows[n] == row:
            return -(n + 1)
        place = row - (n + 1)
        return place if self._items is None else self._items[place]

    def _snippet(self, index: int) -> str:
        text = self._snippets.get(index)
        if text is not None:
            return text
        if len(self._snippets) > 20 * SNIPPET_BLOCK:
            self._snippets.clear()
        lo = max(0, index - SNIPPET_BLOCK // 2)
        ids = self.session.order[lo : lo + SNIPPET_BLOCK]
        place = {seg: lo + n for n, seg in enumerate(ids)}
        for seg, speaker, zh, en in segment_snippets(self.session.project, ids):
            i = place[seg]
            body = (zh or en).replace("\n", " ")
            self._snippets[i] = f"{speaker}: {body}" if speaker else body
        return self._snippets.setdefault(index, "")

    def show_current(self, previous: int | None = None) -> None:
        """Scroll so that the current segment is visible; repaint the rows that changed
        (only the previous and the current row when no scrolling is needed)."""
        if self.session.empty:
            return
        row = self.row_of(self.session.pos)
        top = round(self.scroll_offset.y)
        height = max(self.size.height, 1)
        if row < top or row >= top + height:
            self.scroll_to(y=max(0, row - height // 2), animate=False, immediate=True)
            self.refresh()
        else:
            self.refresh_rows([self.session.pos] + ([previous] if previous is not None else []))

    def refresh_rows(self, indices: list[int]) -> None:
        """Repaint the rows of these segments and of their documents' headings."""
        top = round(self.scroll_offset.y)
        height = self.size.height
        width = self.size.width
        regions = []
        for index in indices:
            if not 0 <= index < len(self.session.order):
                continue
            place = self._place(index)
            if place is None:
                continue
            row = self.row_of(index)
            heading = self._doc_rows[bisect_right(self._doc_first, place) - 1]
            for r in (row, heading):
                if top <= r < top + height:
                    regions.append(Region(0, r - top, width, 1))
        if regions:
            self.refresh(*regions)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = round(self.scroll_offset.y) + y
        if row >= self.row_count or width <= 0:
            return Strip.blank(width, self._style("base"))
        target = self._row_target(row)
        session = self.session
        if target < 0:
            doc = self._doc_ids[-target - 1]
            flags = session.doc_done(doc) * 4  # a heading changes with its done count
        else:
            flags = (1 if target == session.pos else 0) + (2 if session.is_done(target) else 0)
        key = (row, flags, width)
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > 4000:
                self._lines.clear()
            line = self._lines[key] = self._render_row(target, flags, width)
        return line

    def _render_row(self, target: int, flags: int, width: int) -> Strip:
        session = self.session
        base = self._style("base")
        if target < 0:
            doc = self._doc_ids[-target - 1]
            text = f"▸ {doc} {session.doc_done(doc)}/{session.doc_total(doc)}"
            style = self._style("outline--document")
        else:
            mark = DONE_MARK if flags & 2 else OPEN_MARK
            num = f"{target + 1:>{len(str(len(session.order)))}} "
            text = f"{mark}{num}{self._snippet(target)}"
            if flags & 1:
                style = base = self._style("outline--current")
            elif flags & 2:
                style = self._style("outline--done")
            else:
                style = base
        head = text[: 2 * width + 8]  # a long snippet: only its start is measured and cut
        if cell_len(head) > width:  # a long row ends with "…"
            text = set_cell_size(head, max(width - 1, 0)) + "…"
        elif len(head) < len(text) and cell_len(text) > width:
            text = set_cell_size(text, max(width - 1, 0)) + "…"
        return Strip([Segment(text, style)]).crop_extend(0, width, base)

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_offset.y) + event.y
        if 0 <= row < self.row_count:
            target = self._row_target(row)
            if target < 0:  # a heading: its first segment
                first = self._doc_first[-target - 1]
                target = first if self._items is None else self._items[first]
            self.post_message(SegmentPicked(target))

