"""One coder's coding session: position, views, changes and undo — no Textual here.

The coding screen drives a :class:`CodingSession`; every change goes through
``annotator.application.changes`` and is committed before the method returns, so whatever the
screen shows afterwards is on disk.
"""

from __future__ import annotations

import contextlib
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import InitVar, dataclass, field

import numpy as np

from annotator.application import changes
from annotator.application.changes import load_codebook
from annotator.application.filters import (
    disagreeing_keys,
    has_assignments,
    segments_assigned,
    segments_with_code,
)
from annotator.application.project_file import Project, ProjectFileLost, check_file
from annotator.application.segments import document_title, get_segment, search_segments, segment_spans
from annotator.errors import ProjectBusy, UsageError
from annotator.model import Codebook, CoderState, Segment
from annotator.tui.done_marks import DoneMarks
from annotator.tui.rescue import Rescue
from annotator.tui.segment_order import IndexOf, ListedOrder, Only, ProjectOrder, SegmentOrder
from annotator.tui.view_process import APART_FROM, ChildFailed, disagreeing_groups_apart

SEGMENTS_KEPT = 8  # the current segment and its neighbours, read ahead by the screen


@dataclass
class Change:
    """What a change did: the segment, this coder's state after it, the event logged, and the
    state before it (when the caller needs to say what changed)."""

    segment: str
    state: CoderState
    event: int | None
    before: CoderState | None = None


class Ranks:
    """Where each place of a view stands among its places (``ranks.get(place)``, ``place in
    ranks``, ``ranks[place]``), found by bisection in the ascending list: a dictionary of them
    took 17 ms to build at 170,000 places, on a worker holding the interpreter while keys waited."""

    def __init__(self, indices: list[int]) -> None:
        self._indices = indices

    def get(self, index: int, default: int | None = None) -> int | None:
        k = bisect_left(self._indices, index)
        return k if k < len(self._indices) and self._indices[k] == index else default

    def __contains__(self, index: object) -> bool:
        return self.get(index) is not None  # type: ignore[arg-type]  # any number compares

    def __getitem__(self, index: int) -> int:
        found = self.get(index)
        if found is None:
            raise KeyError(index)
        return found


@dataclass
class View:
    """A subset of the reading order the coder moves through (a filter or search result)."""

    kind: str  # "filter" | "search"
    label: str
    indices: list[int]  # ascending
    where: Ranks = field(init=False)
    array: np.ndarray = field(init=False)
    #: the outline's headings for this view (rows, documents, first places), when worked out
    #: beside it off the screen's thread (see ``Outline.view_rows``)
    headings: tuple[list[int], list[str], list[int]] | None = field(default=None, init=False)

    #: the same places as an array, when the caller has them so (no second conversion)
    places: InitVar[np.ndarray | None] = None

    def __post_init__(self, places: np.ndarray | None) -> None:
        self.where = Ranks(self.indices)
        self.array = np.asarray(self.indices, dtype=np.int64) if places is None else places


class CodingSession:
    """A coder's position and work on a project; the single writer behind the coding screen."""

    def __init__(
        self, project: Project, coder: str, *, lead: bool = False, only: Only | None = None,
        adjudicating: bool = False, auto_advance: bool = False,
    ) -> None:
        coder = coder.strip()
        if not coder:
            raise UsageError("a coder needs a name (--coder NAME)")
        self.project = project
        self.coder = coder
        self.lead = lead
        #: deciding disagreements: the "coders disagree" filter leaves this coder's decisions out
        self.adjudicating = adjudicating
        #: a code key moves on once every single-choice facet has a code
        self.auto_advance = auto_advance
        self.session_id = uuid.uuid4().hex
        changes.ensure_coder(project, coder)
        self.codebook: Codebook = load_codebook(project)
        # the reading order, read a window at a time (a million segments open at once)
        self.order: SegmentOrder = (ProjectOrder(project) if only is None
                                    else ListedOrder.of(project, only))
        self.index_of = IndexOf(self.order)
        self._titles: dict[str, str | None] = {}  # document → title, read when first shown
        # done marks by reading-order place: "next not done" and the "not done" filter scan
        # them with numpy; placed in the background after the first paint (load_done_marks)
        self.marks = DoneMarks(project, coder, self.order)
        self.view: View | None = None
        self.undo_stack: list[int] = []
        self.redo_stack: list[int] = []
        last = changes.last_segment(project, coder)
        self.pos = (self.index_of.get(last) or 0) if last else 0
        self._segments: dict[str, Segment] = {}  # the last few segments read, oldest first
        self._saved_position: str | None = last
        self.rescue = Rescue(project, self.session_id)  # when the project file is lost

    # reading -----------------------------------------------------------------
    def spans(self, seg_id: str) -> tuple[tuple[str, int, int, str], ...]:
        """The parts of a segment the coder's annotations were made on, where narrower than the
        segment: (lang, start, end, code)."""
        return tuple((x.lang, x.start, x.end, x.code) for x in segment_spans(self.project, self.coder, seg_id))

    def title(self, document: str) -> str | None:
        """``document``'s title (read once: a million segments' project has thousands of
        documents, and the first paint shows one)."""
        if document not in self._titles:
            self._titles[document] = document_title(self.project, document)
        return self._titles[document]

    @property
    def empty(self) -> bool:
        return len(self.order) == 0

    @property
    def done_mask(self) -> np.ndarray:
        """Done or not, by reading-order place."""
        return self.marks.mask

    def load_done_marks(self, project: Project | None = None) -> None:
        """Place the done marks now (``project``: another connection, from a thread)."""
        self.marks.load(project)

    def is_done(self, index: int) -> bool:
        return self.marks.is_done(index)

    def doc_done(self, document: str) -> int:
        return self.marks.doc_count(document)

    def doc_total(self, document: str) -> int:
        start, stop = self.order.doc_range(document)
        return stop - start

    @property
    def current(self) -> str:
        return self.order[self.pos]

    def segment(self) -> Segment:
        return self.segment_at(self.pos)

    def segment_at(self, index: int) -> Segment:
        """The segment at reading-order ``index`` (the last few read are kept)."""
        seg_id = self.order[index]
        cache = self._segments
        seg = cache.get(seg_id)
        if seg is None:
            seg = cache[seg_id] = get_segment(self.project, seg_id)
            while len(cache) > SEGMENTS_KEPT:
                del cache[next(iter(cache))]
        return seg

    def state(self) -> CoderState:
        return changes.get_state(self.project, self.coder, self.current)

    def state_at(self, index: int) -> CoderState:
        """This coder's state on the segment at ``index``."""
        return changes.get_state(self.project, self.coder, self.order[index])

    def coders(self) -> list[str]:
        """Coders shown side by side in lead mode: this coder first."""
        others = [c for c in changes.list_coders(self.project) if c != self.coder]
        return [self.coder, *others]

    def all_states(self) -> dict[str, CoderState]:
        """Every coder's state on the current segment (lead mode only; blind otherwise)."""
        if not self.lead:
            return {self.coder: self.state()}
        return {c: changes.get_state(self.project, c, self.current) for c in self.coders()}

    def progress(self) -> tuple[int, int, int, int]:
        """(done overall, segments overall, done in this document, segments in this document)."""
        doc = self.order.doc_at(self.pos)
        return self.marks.count(), len(self.order), self.doc_done(doc), self.doc_total(doc)

    # moving --------------------------------------------------------------------
    def _view_indices(self) -> list[int] | None:
        return self.view.indices if self.view else None

    def move(self, delta: int) -> bool:
        """Move ``delta`` segments in the current view; False at either end."""
        new = self.peek(delta)
        if new is None:
            return False
        self.pos = new
        return True

    def peek(self, delta: int) -> int | None:
        """Where ``move(delta)`` would go; None where it would not move."""
        if self.empty:
            return None
        if self.view is None:
            new = min(max(self.pos + delta, 0), len(self.order) - 1)
        else:
            idx = self.view.indices
            here = self.view.where.get(self.pos)
            if here is None:  # not in the view: go to the nearest one in that direction
                if delta > 0:
                    k = bisect_right(idx, self.pos)
                    if k == len(idx):
                        return None
                    new = idx[k]
                else:
                    k = bisect_left(idx, self.pos)
                    if k == 0:
                        return None
                    new = idx[k - 1]
            else:
                new = idx[min(max(here + delta, 0), len(idx) - 1)]
        return None if new == self.pos else new

    def jump(self, index: int) -> None:
        self.pos = min(max(index, 0), len(self.order) - 1)
        if self.view is not None and self.pos not in self.view.where:
            self.view = None

    def _open_candidates(self) -> np.ndarray:
        """Positions in the view (reading order) this coder has not done, the current one left out."""
        open_mask = ~self.done_mask
        open_mask[self.pos] = False
        if self.view is None:
            return np.flatnonzero(open_mask)
        arr = self.view.array
        return arr[open_mask[arr]]

    def next_undone(self) -> bool:
        """Move to the next segment (wrapping) in the view that this coder has not done."""
        if self.empty:
            return False
        candidates = self._open_candidates()
        if not len(candidates):
            return False
        k = int(np.searchsorted(candidates, self.pos, side="right"))
        self.pos = int(candidates[k] if k < len(candidates) else candidates[0])
        return True

    def open_in_view(self, limit: int) -> list[int]:
        """The first ``limit`` segments of the view (reading order) this coder has not done,
        the current one left out: the candidates for "least sure next"."""
        if self.empty:
            return []
        return [int(i) for i in self._open_candidates()[:limit]]

    def goto(self, text: str) -> bool:
        """Go to a segment by its number (1-based, in reading order) or its id."""
        text = text.strip()
        if not text:
            return False
        place = self.order.place(text)
        if place is not None:
            self.jump(place)
            return True
        if text.isdigit() and 1 <= int(text) <= len(self.order):
            self.jump(int(text) - 1)
            return True
        return False

    def saved_position_due(self) -> str | None:
        """The segment to store as this coder's last position, if it changed."""
        if self.empty or self._saved_position == self.current:
            return None
        return self.current

    def save_position(self, *, wait: bool = False) -> None:
        """Store the current segment as this coder's last position. While another program
        writes the project, a key does not wait for it (``wait=False``): the position stays due
        and is stored at the next move, or when the screen closes (``wait=True``)."""
        seg = self.saved_position_due()
        if seg is not None:
            try:
                with self.rescue.guard():
                    changes.set_last_segment(self.project, self.coder, seg, wait=wait)
            except ProjectBusy:
                return
            self._saved_position = seg

    # views ---------------------------------------------------------------------
    def _set_view_indices(self, kind: str, label: str, indices: list[int]) -> int:
        return self.show_view(View(kind, label, indices))

    def show_view(self, view: View) -> int:
        """Show only ``view``'s segments (a search or filter, built where it was computed); their
        number (0: the view is unchanged). The segment shown stays if it is in the view, else the
        next one in it is shown."""
        indices = view.indices
        if not indices:
            return 0
        self.view = view
        if self.pos not in view.where:
            k = bisect_left(indices, self.pos)
            self.pos = indices[k] if k < len(indices) else indices[0]
        return len(indices)

    def clear_view(self) -> bool:
        had = self.view is not None
        self.view = None
        return had

    def search(self, query: str) -> int:
        """Show only segments containing ``query`` (either language); the number found."""
        return self._set_view_indices("search", query, self.find(query))

    def find(self, query: str, project: Project | None = None) -> list[int]:
        """Reading-order indices of the segments containing ``query``, read through ``project``
        (another connection, so a search in a worker thread never waits on the screen's)."""
        return self.order.places(search_segments(project or self.project, query), project)

    def filter_places(self, kind: str, code: str | None = None, project: Project | None = None,
                      cancelled: Callable[[], bool] | None = None) -> list[int]:
        """The reading-order places a filter keeps, ascending; read through ``project`` when
        given (a worker's connection: the lead's filter reads every coder's work; on a large
        project a child process works it out, stopped once ``cancelled()`` is true)."""
        if kind == "not_done":  # straight from the done marks, no id lookups
            return np.flatnonzero(~self.done_mask).tolist()
        source = project or self.project
        if kind == "disagree":
            return self._disagreeing_places(source, cancelled)
        if kind == "has_code":
            ids: Iterable[str] = segments_with_code(source, code or "", None if self.lead else self.coder)
        elif kind == "assigned":
            ids = segments_assigned(source, self.coder)
        else:
            raise UsageError(f"unknown filter {kind!r}")
        return self.order.places(ids, project)

    def _disagreeing_places(self, source: Project, cancelled: Callable[[], bool] | None) -> list[int]:
        """The places of the segments whose coders disagree: worked out by a child process when
        the project is large and the caller can cancel (a worker), else (or should the child
        fail) here, placed by row id in the snapshot the coders' work was read in."""
        exclude = self.coder if self.adjudicating else None
        if cancelled is not None and isinstance(self.order, ProjectOrder) and len(self.order) >= APART_FROM:
            with contextlib.suppress(ChildFailed):
                return self.order.places_of_groups(
                    disagreeing_groups_apart(source.path, exclude, cancelled), source)
        with source.snapshot():
            keys = disagreeing_keys(source, exclude=exclude)
            return self.order.places_of_keys(keys, source)

    def has_assigned(self) -> bool:
        """Whether the double-coding sample assigns this coder any segment (the "assigned to me"
        filter is offered then; its segments are read when it is chosen)."""
        return has_assignments(self.project, self.coder)

    def not_done_view(self, label: str) -> View:
        """The "not done" filter's view (waits for the done marks; a million places take tens of
        milliseconds to list: the screen makes it in a worker)."""
        places = np.flatnonzero(~self.done_mask)
        return View("filter", label, places.tolist(), places)

    def set_filter(self, kind: str, label: str, code: str | None = None) -> int:
        return self._set_view_indices("filter", label, self.filter_places(kind, code))

    # changing ------------------------------------------------------------------
    def _record(self, segment: str, state: CoderState, event: int | None) -> Change:
        if event is not None:
            self.undo_stack.append(event)
            self.redo_stack.clear()
        self._note_done(segment, state.done)
        self._saved_position = segment  # set_state stores the last position too
        return Change(segment, state, event)

    def _note_done(self, segment: str, done: bool) -> None:
        index = self.order.place(segment)
        if index is not None:
            self.marks.note(index, segment, done)

    def toggle(self, code_id: str) -> Change:
        seg = self.current
        with self.rescue.guard(lambda: (self.coder, seg, changes.with_code(
                self.codebook, self.state(), code_id, code_id not in self.state().codes))):
            state, event = changes.toggle_code(
                self.project, self.codebook, self.coder, seg, code_id, session=self.session_id
            )
        return self._record(seg, state, event)

    def apply(self, code_id: str) -> Change:
        """Switch ``code_id`` on (never off) and mark done: applying a suggestion."""
        seg = self.current
        with self.rescue.guard(lambda: (self.coder, seg, changes.with_code(
                self.codebook, self.state(), code_id, True))):
            new, event = changes.apply_code(self.project, self.codebook, self.coder, seg, code_id,
                                            session=self.session_id)
        return self._record(seg, new, event)

    def answered(self, codes: frozenset[str]) -> bool:
        """Whether ``codes`` give every single-choice facet of the codebook a code."""
        facets = {c.facet for c in self.codebook.codes if c.id in codes}
        return all(f.id in facets for f in self.codebook.facets if not f.multiple and f.codes)

    def toggle_and_advance(self, code_id: str) -> tuple[Change, bool]:
        """:meth:`toggle`, then, with :attr:`auto_advance`, move to the next segment when the
        code went on and every single-choice facet has a code; also whether it moved."""
        change = self.toggle(code_id)
        moved = (self.auto_advance and code_id in change.state.codes
                 and self.answered(change.state.codes) and self.move(1))
        if moved:
            self.save_position()
        return change, moved

    def mark_none(self) -> Change:
        seg = self.current
        with self.rescue.guard(lambda: (self.coder, seg, CoderState(
                frozenset(), True, self.state().memo))):
            before, new, event = changes.mark_none(self.project, self.coder, seg,
                                                   session=self.session_id)
        change = self._record(seg, new, event)
        change.before = before
        return change

    def set_memo(self, text: str) -> Change:
        seg = self.current
        with self.rescue.guard(lambda: (self.coder, seg, CoderState(
                self.state().codes, self.state().done, text.strip()))):
            event = changes.set_memo(self.project, self.coder, seg, text, session=self.session_id)
        return self._record(seg, changes.get_state(self.project, self.coder, seg), event)

    def undo(self) -> Change | None:
        if not self.undo_stack:
            return None
        event = self.undo_stack[-1]
        _coder, seg, _before, after = changes.event_states(self.project, event)
        with self.rescue.guard(lambda: self.rescue.logged(event, after=False)):
            seg, state = changes.undo(self.project, event, session=self.session_id)
        self.undo_stack.pop()
        self.redo_stack.append(event)
        self._note_done(seg, state.done)
        self._go_to_changed(seg)
        return Change(seg, state, None, before=after)

    def redo(self) -> Change | None:
        if not self.redo_stack:
            return None
        event = self.redo_stack[-1]
        _coder, seg, before, _after = changes.event_states(self.project, event)
        with self.rescue.guard(lambda: self.rescue.logged(event, after=True)):
            seg, state = changes.redo(self.project, event, session=self.session_id)
        self.redo_stack.pop()
        self.undo_stack.append(event)
        self._note_done(seg, state.done)
        self._go_to_changed(seg)
        return Change(seg, state, None, before=before)

    def close(self) -> ProjectFileLost | None:
        """Close the project; if its file was lost, the error naming the recovery file."""
        try:
            with self.rescue.guard():
                check_file(self.project)
            return None
        except ProjectFileLost as exc:
            return exc
        finally:
            self.project.close()

    def _go_to_changed(self, seg: str) -> None:
        place = self.order.place(seg)
        if place is not None:
            self.jump(place)
        self._saved_position = seg
