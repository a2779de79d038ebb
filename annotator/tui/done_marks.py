"""One coder's done marks by place in the reading order. No Textual here.

Counting them is quick, placing a million of them is not (each needs its segment's document
and position), so the marks by place are loaded once, in the background after the screen first
paints (:meth:`DoneMarks.load`); until then counts and single segments are asked of the
project. Anything that needs the marks of many segments (next not done, the "not done"
filter), or changes one, waits for the load.
"""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt

from annotator.application import reading_order
from annotator.application.changes import get_state
from annotator.application.project_file import Project
from annotator.tui.segment_order import ListedOrder, ProjectOrder, SegmentOrder


class DoneMarks:
    """Which segments of ``order`` ``coder`` has done."""

    def __init__(self, project: Project, coder: str, order: SegmentOrder) -> None:
        self.project = project
        self.coder = coder
        self.order = order
        self._lock = threading.Lock()
        self._mask: npt.NDArray[np.bool_] | None = None
        self._done = 0  # marks in the mask (once loaded)
        self._per_doc: npt.NDArray[np.int64] | None = None
        self._count: int | None = None
        self._doc_counts: dict[str, int] = {}
        if not isinstance(order, ProjectOrder):  # a given list: few segments, load now
            self.load()

    def load(self, project: Project | None = None) -> None:
        """Place every done mark (once; ``project``: another connection to read through, so a
        thread can load while the screen reads through its own)."""
        with self._lock:
            if self._mask is not None:
                return
            order = self.order
            source = project or self.project
            if isinstance(order, ProjectOrder):
                places: npt.NDArray[np.int64] | list[int] = order.places_of_positions(
                    reading_order.done_positions(source, self.coder), source)
            else:
                assert isinstance(order, ListedOrder)
                places = order.places(reading_order.done_segments(source, self.coder))
            mask = np.zeros(len(order), dtype=bool)
            mask[places] = True
            self._done = int(np.count_nonzero(mask))
            starts = order.starts[:-1]
            self._per_doc = (np.add.reduceat(mask.astype(np.int64), starts) if len(mask)
                             else np.zeros(0, dtype=np.int64))
            self._mask = mask

    @property
    def loaded(self) -> bool:
        return self._mask is not None

    @property
    def mask(self) -> npt.NDArray[np.bool_]:
        """Done or not, by place (loads the marks if they are not yet)."""
        self.load()
        assert self._mask is not None
        return self._mask

    def count(self) -> int:
        if self._mask is not None:
            return self._done
        if self._count is None:
            self._count = reading_order.count_done(self.project, self.coder)
        return self._count

    def doc_count(self, document: str) -> int:
        if self._mask is not None and self._per_doc is not None:
            n = self.order.doc_index(document)
            return 0 if n is None else int(self._per_doc[n])
        found = self._doc_counts.get(document)
        if found is None:
            found = self._doc_counts[document] = reading_order.count_done(
                self.project, self.coder, document)
        return found

    def is_done(self, index: int) -> bool:
        if self._mask is not None:
            return bool(self._mask[index])
        return get_state(self.project, self.coder, self.order[index]).done

    def note(self, index: int, segment: str, done: bool) -> None:
        """``segment`` (at ``index``) is now done, or not."""
        mask = self.mask
        if bool(mask[index]) == done:
            return
        mask[index] = done
        n = self.order.doc_number(index)
        if self._per_doc is not None:
            self._per_doc[n] += 1 if done else -1
        self._done += 1 if done else -1
