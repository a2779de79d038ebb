"""The coding screen: one segment at a time, one key per code, every change committed first."""

from __future__ import annotations

import contextlib
import threading
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen
from textual.worker import get_current_worker

from annotator.errors import AnnotatorError
from annotator.model import CoderState
from annotator.nlp.evidence import shown_evidence
from annotator.nlp.lexicon import Match
from annotator.safe_text import printable
from annotator.tui import collector
from annotator.tui.background import give_way, in_pauses, pacer
from annotator.tui.callbacks import CountedCallbacks
from annotator.tui.code_details import codebook_text
from annotator.tui.highlight import Highlighter
from annotator.tui.i18n import t
from annotator.tui.keys import UI_KEYS, active_ui_keys, coding_screen_keys
from annotator.tui.messages import BackupDone, SegmentPicked, SuggestionsArrived
from annotator.tui.screens.dialogs import FilterDialog, HelpDialog, InputDialog, MemoDialog
from annotator.tui.session import Change, CodingSession, View
from annotator.tui.suggest_process import RemoteSuggester
from annotator.tui.suggestion_fetch import SuggestionFetcher
from annotator.tui.suggestions import (
    KeywordSuggester,
    SuggesterLike,
    build_suggester,
    engine_available,
)
from annotator.tui.widgets.codebook_panel import CodebookPanel
from annotator.tui.widgets.frames import FramedStatic
from annotator.tui.widgets.key_footer import KeyFooter
from annotator.tui.widgets.outline import Outline
from annotator.tui.widgets.segment_text import SegmentText
from annotator.tui.widgets.suggestion_panel import SuggestionPanel, enter_target, suggestion_markup

WIDE = 140  # columns from which the two texts stand side by side
OUTLINE_MIN = 100  # columns from which the outline shows unless toggled
OUTLINE_CELLS, OUTLINE_MAX = 32, 60  # the outline's width: at least, at most
FOOTER_ROOM = 60  # the footer always hides the palette key below this many columns
LEAD_REFRESH_S = 2.0
#: seconds the automatic backup waits at most for the suggestion engine's first answer
BACKUP_WAIT_S = 60.0
KEPT = 16  # suggestions and highlighted texts kept for the segments around the current one
#: actions on the current segment: they do not apply to a project without segments
NEEDS_SEGMENT = frozenset({
    "next", "prev", "next_undone", "next_unsure", "goto", "search", "filter", "memo",
    "toggle_code", "apply_code", "apply_suggestion", "mark_none",
})


def footer_room(keys: Sequence[Binding], lang: str) -> int:
    """Columns the compact footer needs for its keys and the palette key beside them."""
    shown = [k for k in keys if k.show]
    needed = sum(cell_len(k.key_display or k.key) + 1 + cell_len(k.description) + 1 for k in shown)
    palette = 1 + 2 + 1 + cell_len(t(lang, "palette"))  # ▏^p and its description
    return max(FOOTER_ROOM, needed + palette + 1)


def outline_width(columns: int) -> int:
    """The outline's width on a terminal of ``columns``: a quarter of it, 32 to 60 columns."""
    return max(OUTLINE_CELLS, min(OUTLINE_MAX, columns // 4))


def _clock(seconds: float) -> str:
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


class CodingScreen(CountedCallbacks, Screen[None]):
    """Shows the current segment, the codebook, suggestions, progress and the outline."""

    AUTO_FOCUS = None
    def __init__(self, session: CodingSession, *, lang: str, path: Path,
                 suggester: str = "auto") -> None:
        super().__init__()
        self.session = session
        self.lang = lang
        self.path = path
        self.suggester_kind = suggester
        self.suggester: SuggesterLike | None = None
        self.suggestions: Any | None = None
        self._suggest_project: Any | None = None
        self._engine_starting: RemoteSuggester | None = None
        self._search_project: Any | None = None
        self._search_lock = threading.Lock()
        self._outline_forced: bool | None = None
        self._shown: dict[str, Any] = {}
        self._outline_pos: int | None = None
        self._highlighter = Highlighter(session.codebook)
        self._statics: dict[str, FramedStatic] = {}
        self._suggested: dict[str, Any] = {}  # segment → suggestions, until the suggester learns
        self._matched: dict[str, tuple[Match, ...]] = {}  # segment → codebook keywords found
        #: asks the engine's process in a thread of its own (None: the suggester answers here)
        self._fetcher: SuggestionFetcher | None = None
        self._generation = 0  # what the suggester has learned: answers from before are stale
        #: answers kept came from an engine learning from the latest coded segments only
        self._from_sample = False
        self._texts_made: dict[Hashable, tuple[Text | str, Text | str]] = {}
        self._prepare_queued = False
        self._memo_shown = ""
        self._mine_shown: tuple[str, CoderState] | None = None  # (segment, state) as shown
        #: the automatic backup taken when the screen opened, once it is written
        self.backup_path: Path | None = None
        self.backup_thread: threading.Thread | None = None
        self._reading_stops = threading.Event()  # set as the screen closes: threads reading ahead stop
        self._marks_thread: threading.Thread | None = None  # places the done marks, then reads ahead
        self._reading_ahead = False  # that thread reads ahead (no longer places the marks)
        self.ui_keys = active_ui_keys(session.codebook, lead=session.lead)

    @classmethod
    def open(cls, session: CodingSession, *, lang: str, path: Path,
             suggester: str = "auto") -> CodingScreen:
        """The coding screen of ``session``, its keys bound for its codebook and in ``lang``
        (the bindings are the class's ``BINDINGS``, so each screen gets its own class).

        Where the footer's keys leave no room for the palette key docked at its right (it would
        cover them, cutting a wide character in half) the screen has the class "-narrow" (its
        ``HORIZONTAL_BREAKPOINTS``) and app.tcss hides the palette key; ctrl+p still opens the
        palette, and the help says so."""
        keys = coding_screen_keys(session.codebook, lang, lead=session.lead)
        breakpoints = [(0, "-narrow"), (footer_room(keys, lang), "-roomy")]
        screen_class = type(cls.__name__, (cls,), {"BINDINGS": keys, "__module__": __name__,
                                                   "HORIZONTAL_BREAKPOINTS": breakpoints})
        return screen_class(session, lang=lang, path=path, suggester=suggester)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Actions on the current segment do not apply when there is none (shown, disabled)."""
        if action in NEEDS_SEGMENT and self.session.empty:
            return None
        return True

    # layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # Every widget whose content changes from key to key keeps its size (the texts fill
        # 1fr and draw themselves; the panels change only marks, or have fixed heights), so a
        # key press repaints and never lays the screen out again.
        self.texts = SegmentText((t(self.lang, "zh_text"), t(self.lang, "en_text")), id="texts")
        self.codebook_panel = CodebookPanel(id="codebook")
        self.suggestion_panel = SuggestionPanel(id="suggestions")
        self.outline = Outline(self.session, id="outline")
        with Horizontal(id="header"):
            yield FramedStatic(id="seginfo")
            yield FramedStatic(id="progress")
        with Horizontal(id="body"):
            yield self.outline
            with Vertical(id="main"):
                yield self.texts
                yield self.codebook_panel
                yield self.suggestion_panel
        yield FramedStatic(id="status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        # fitted to the terminal before the first layout, which is then the right one (the
        # first Resize changes nothing and asks for no layout of its own)
        self._fit(self.app.size.width)
        self.call_after_refresh(collector.settle)  # what the first paint made lives on
        # the backup waits for the built engine's first answer (at most BACKUP_WAIT_S): on two
        # cores the copy and the engine's build at once keep the screen's thread waiting
        self.set_timer(BACKUP_WAIT_S, self.start_backup)
        if self.session.empty or self.suggester_kind == "keywords" or not engine_available():
            self.call_after_refresh(self.start_backup)
        self.call_after_refresh(self.start_done_marks)
        if self.session.empty:
            self.texts.show(t(self.lang, "no_segments"), "")
            return
        self.show_segment()
        self._prepare_later()  # the neighbours drawn ahead from the first key on
        self.call_after_refresh(self.start_suggester)
        if self.session.lead:
            self.set_interval(LEAD_REFRESH_S, self.show_state)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)
        if self.session.lead:  # the lead grid or its compact form, whichever fits
            self.show_state()

    def _fit(self, width: int) -> None:
        """The texts side by side or stacked, the outline shown or not, for ``width`` columns."""
        self.texts.wide = width >= WIDE
        self._apply_outline(width)

    def _apply_outline(self, width: int) -> None:
        show = self._outline_forced if self._outline_forced is not None else width >= OUTLINE_MIN
        outline = self.outline
        outline.styles.width = outline_width(width)
        outline.display = show
        if show:
            outline.show_current()

    # showing ----------------------------------------------------------------------
    def _set(self, selector: str, text: str, *, layout: bool = True) -> None:
        """Show plain ``text`` (no markup is read) in a Static, only when it changes (a repaint
        costs a frame); any character a terminal would obey (from data, or an error naming a
        file) is shown as ``\\uXXXX``."""
        text = printable(text)
        if self._shown.get(selector) == text:
            return
        self._shown[selector] = text
        self._static(selector).show_keyed(text, Content(text), layout=layout)  # frames kept per text

    def _static(self, selector: str) -> FramedStatic:
        widget = self._statics.get(selector)
        if widget is None:
            widget = self._statics[selector] = self.query_one(selector, FramedStatic)
        return widget

    def say(self, key: str, **values: Any) -> None:
        self._set("#status", t(self.lang, key, **values), layout=False)

    def show_segment(self) -> None:
        """Repaint everything about the current segment."""
        session = self.session
        seg = session.segment()
        states = session.all_states()
        self.suggestions = self._suggest(seg.id)
        memo = self._memo_shown = states[session.coder].memo
        key, make = self._texts_of(seg, self.suggestions, memo)
        self.texts.show(*make(), key=key)
        previous, self._outline_pos = self._outline_pos, session.pos
        self.show_state(outline=False, states=states)
        if self.outline.view is not session.view:  # a search or filter narrows the outline
            self.outline.use_view(session.view)
            previous = None
        if self.outline.display:
            self.outline.show_current(previous)

    def _suggest(self, seg_id: str, *, ahead: bool = False) -> Any | None:
        """The suggester's answer for a segment, kept until the suggester learns. The engine's
        process is asked in the background: None until it answers (then the screen shows it);
        ``ahead``: a segment about to be shown (asked after the one on screen)."""
        if self.suggester is None:
            return None
        found = self._suggested.get(seg_id)
        if found is None:
            if self._fetcher is not None:
                self._fetcher.want(seg_id, self._generation, ahead=ahead)
                return None
            found = self.suggester.suggest(seg_id)
            self._keep(self._suggested, seg_id, found)
        return found

    def _matches(self, seg_id: str) -> tuple[Match, ...]:
        """The codebook keywords the suggester finds in a segment (none until it answers)."""
        suggester = self.suggester
        if suggester is None:
            return ()
        found = self._matched.get(seg_id)
        if found is None:
            if self._fetcher is not None:
                return ()  # asked for with the suggestions
            found = tuple(suggester.matches(seg_id))
            self._keep(self._matched, seg_id, found)
        return found

    @staticmethod
    def _keep(cache: dict[str, Any], seg_id: str, value: Any) -> None:
        cache[seg_id] = value
        while len(cache) > KEPT:
            del cache[next(iter(cache))]

    def _arrived(self, segment: str, generation: int, suggestions: Any,
                 matches: tuple[Match, ...], error: str | None) -> None:
        """From the fetcher's thread: post the answer to the screen."""
        with contextlib.suppress(RuntimeError):  # the app has gone and its loop is closed
            self.post_message(SuggestionsArrived(segment, generation, suggestions, matches, error))

    def on_suggestions_arrived(self, message: SuggestionsArrived) -> None:
        """Show the engine's answer if its segment is on screen (or about to be: prepared);
        an answer from before the engine last learned is asked again."""
        if message.error is not None:
            self._suggester_failed(message.error)
            return
        if self._fetcher is None or self.session.empty:
            return
        segment = message.segment
        self._keep(self._matched, segment, message.matches)
        current = self.session.current
        if message.generation != self._generation:
            if segment == current:
                self._fetcher.want(segment, self._generation)
            return
        self._full_engine_arrived(message.suggestions, segment, current)
        self._keep(self._suggested, segment, message.suggestions)
        if segment == current:  # after a key's pending repaint, never before it
            self.call_after_refresh(self._show_arrived, segment, self._generation)
        else:  # drawn after the next repaint, so that it never delays a key's
            self._prepare_later(segment)
        if getattr(message.suggestions, "learned_from", None) is None:
            self.start_backup()  # the engine is built: the copy no longer competes with it

    def _show_arrived(self, segment: str, generation: int) -> None:
        """Show the answer just kept for ``segment`` if it is still on screen and current."""
        session = self.session
        if (self.is_current and not session.empty and session.current == segment
                and generation == self._generation and segment in self._suggested):
            self.show_segment()

    def _full_engine_arrived(self, suggestions: Any, segment: str, current: str) -> None:
        """When the engine learning from every coded segment answers for the first time after
        one that learned from the latest only: the answers kept are asked again (the one on
        screen stays shown, with its note, until its new answer comes)."""
        if getattr(suggestions, "learned_from", None) is not None:
            self._from_sample = True
            return
        if not self._from_sample or self._fetcher is None:
            return
        self._from_sample = False
        shown = self._suggested.get(current)
        self._suggested.clear()
        self._generation += 1
        if segment != current and shown is not None:
            self._suggested[current] = shown
            self._fetcher.want(current, self._generation)
        self._prepare_later()

    def _learn(self, segment: str, codes: frozenset[str]) -> None:
        if self._fetcher is not None:
            self._fetcher.learn(segment, codes)
        elif self.suggester is not None:
            self.suggester.learn(segment, codes)
        self._generation += 1
        self._suggested.clear()
        self._prepare_later()  # the neighbours' suggestions asked again

    def _texts_of(self, seg: Any, suggestions: Any | None, memo: str = ""
                  ) -> tuple[Hashable, Callable[[], tuple[Text | str, Text | str]]]:
        """A key for a segment's two highlighted texts, and a function that makes them (kept
        for the last few segments). The words highlighted are the evidence the suggestion panel
        shows (:func:`annotator.nlp.evidence.shown_evidence`), found by the suggester's matcher."""
        words = tuple(k.text for k in suggestions.keywords) if suggestions else ()
        matches = self._matches(seg.id)
        cited = shown_evidence(suggestions) if suggestions else None
        selected = self.session.spans(seg.id)
        key = (seg.zh, seg.en, words, matches, cited, selected, memo)

        def make() -> tuple[Text | str, Text | str]:
            texts = self._texts_made.get(key)
            if texts is None:
                zh, en = self._highlighted(seg, words, matches, cited, selected)
                texts = self._texts_made[key] = (zh, self._with_memo(en, memo))
                while len(self._texts_made) > KEPT:
                    del self._texts_made[next(iter(self._texts_made))]
            return texts

        return key, make

    def _highlighted(self, seg: Any, words: tuple[str, ...], matches: Sequence[Match],
                     cited: Sequence[tuple[str, str]] | None,
                     selected: tuple[tuple[str, int, int, str], ...] = ()) -> tuple[Text | str, Text | str]:
        """The two texts, each with the evidence words the suggestion panel shows in their
        code's colour (every codebook keyword found while the suggestions are loading), and the
        exact selections of sub-paragraph codings."""
        none = t(self.lang, "no_text")
        mark = self._highlighter
        suggester = self.suggester
        texts: list[Text | str] = []
        for lang, text in (("zh", seg.zh), ("en", seg.en)):
            if not text:
                texts.append(none)
                continue
            spans: Sequence[tuple[int, int, str]] = ()
            if suggester is not None:
                lexicon = suggester.lexicon
                spans = (lexicon.locate(text, lang, matches) if cited is None
                         else lexicon.locate_cited(text, lang, matches, cited))
            texts.append(mark(text, lang, spans, words,
                              [(a, b, code) for lg, a, b, code in selected if lg == lang]))
        return texts[0], texts[1]

    def _with_memo(self, text: Text | str, memo: str) -> Text | str:
        """The text with this coder's memo under it (as plain text: no markup is read, and
        control characters other than line breaks are left out)."""
        if not memo:
            return text
        memo = "".join(ch for ch in memo if ch == "\n" or unicodedata.category(ch) != "Cc")
        return Text.assemble(text if isinstance(text, Text) else Text(text), "\n\n",
                             ("✎ " + t(self.lang, "memo_mark") + ": ", "bold italic"),
                             (memo, "italic"))

    def _prepare_later(self, only: str | None = None) -> None:
        """After this repaint (in a message of its own), draw what the next and the previous
        segment will show (``only``: that one of them)."""
        if only is not None:
            self.call_after_refresh(self.call_later, self._prepare_neighbours, only)
        elif not self._prepare_queued:
            self._prepare_queued = True
            self.call_after_refresh(self.call_later, self._prepare_neighbours)

    def _prepare_neighbours(self, only: str | None = None) -> None:
        """Draw the next and the previous segment (``only``: that one of them, whose
        suggestions have just arrived); a neighbour whose suggestions the engine's process is
        still preparing is drawn without them (as a key moving to it shows it first), then
        again when they arrive. Each neighbour's texts and suggestions are
        drawn in a message of their own, so that a key pressed meanwhile waits for one of them
        at most (and one that moved on skips what is left)."""
        if only is None:
            self._prepare_queued = False
        session = self.session
        if session.empty or not self.is_current:
            return
        for delta in (1, -1):
            self.call_later(self._prepare_neighbour, session.pos, delta, only)

    def _prepare_neighbour(self, pos: int, delta: int, only: str | None) -> None:
        """See :meth:`_prepare_neighbours`: the segment ``delta`` away from ``pos``."""
        session = self.session
        if session.empty or session.pos != pos or not self.is_current:
            return
        index = session.peek(delta)
        if index is None or (only is not None and session.order[index] != only):
            return
        seg = session.segment_at(index)
        suggestions = self._suggest(seg.id, ahead=True)  # None: drawn as a key would show it
        state = session.state_at(index)
        key, make = self._texts_of(seg, suggestions, state.memo)
        self.call_later(self._prepare_texts, pos, key, make, False)  # the lines
        self.call_later(self._prepare_texts, pos, key, make, True)  # their frame
        self.call_later(self._prepare_suggestions, pos, suggestions, state.codes)
        if not session.lead:  # the lead's grid shows every coder's work, read when shown
            self.call_later(self._prepare_codebook, pos, state.codes)
        self.call_later(self._prepare_line, pos, "#seginfo", self._seginfo(index, seg, state))

    def _prepare_texts(self, pos: int, key: Hashable,
                       make: Callable[[], tuple[Text | str, Text | str]], frame: bool) -> None:
        if self.session.pos == pos and self.is_current:
            self.texts.prepare(key, make, frame=frame)

    def _prepare_line(self, pos: int, selector: str, text: str) -> None:
        """Draw ahead what :meth:`_set` will show."""
        if self.session.pos == pos and self.is_current:
            self._static(selector).prepare(text, Content(text))

    def _prepare_codebook(self, pos: int, codes: frozenset[str]) -> None:
        if self.session.pos == pos and self.is_current:
            self.codebook_panel.prepare_codes(self.session.codebook, self.lang, codes)

    def _prepare_suggestions(self, pos: int, suggestions: Any | None, codes: frozenset[str]) -> None:
        if self.session.pos == pos and self.is_current:
            self.suggestion_panel.prepare_markup(
                suggestion_markup(self.session.codebook, self.lang, suggestions, codes))

    def show_state(self, *, outline: bool = True,
                   states: dict[str, CoderState] | None = None) -> None:
        """Repaint what depends on the coders' work: codebook marks, progress, header (and the
        outline's row of the segment unless the caller repaints the outline itself);
        ``states``: every shown coder's state, when the caller has just read them."""
        session = self.session
        if session.empty:
            return
        if states is None:
            states = session.all_states()
        mine = states[session.coder]
        self._mine_shown = (session.current, mine)
        self.codebook_panel.show(session.codebook, self.lang, states, lead=session.lead)
        self.suggestion_panel.show(
            suggestion_markup(session.codebook, self.lang, self.suggestions, mine.codes))
        done, total, doc_done, doc_total = session.progress()
        progress = (t(self.lang, "done_overall", done=done, total=total) + " · "
                    + t(self.lang, "done_doc", done=doc_done, total=doc_total))
        before = self._shown.get("#progress")
        self._set("#progress", progress,  # its width is auto: lay out only when it changes
                  layout=not isinstance(before, str) or len(before) != len(progress))
        self._set("#seginfo", self._seginfo(session.pos, session.segment(), mine), layout=False)
        if outline and self.outline.display:
            self.outline.refresh_rows([session.pos])

    def _seginfo(self, index: int, seg: Any, mine: CoderState) -> str:
        """The header's line for the segment at ``index`` with this coder's state ``mine``."""
        session = self.session
        parts = [f"{index + 1} / {len(session.order)}"]
        if session.view is not None:
            here = session.view.where.get(index)
            if here is not None:
                parts.append(t(self.lang, "view_pos", pos=here + 1, n=len(session.view.indices)))
        parts.append(t(self.lang, "done_mark") if mine.done else t(self.lang, "open_mark"))
        if mine.memo:
            parts.append("✎ " + t(self.lang, "memo_mark"))
        parts.append(seg.document)
        if seg.speaker:
            parts.append(seg.speaker)
        if seg.start is not None:
            end = f"–{_clock(seg.end)}" if seg.end is not None else ""
            parts.append(f"{_clock(seg.start)}{end}")
        title = session.title(seg.document)
        if title and title != seg.document:  # not the id twice
            parts.append(title)
        return " · ".join(parts)

    # done marks, then a search's pages read ahead ------------------------------------
    def start_done_marks(self) -> None:
        """Place the coder's done marks after the first paint, in a thread with a connection
        of its own (a million segments take a second; a key that needs them waits for them);
        then read a search's pages ahead, so that the first search does not wait for the disk
        (:func:`warm_search_pages`: in the coder's pauses, see :func:`in_pauses`, and not while a
        search or filter reads)."""
        self._marks_thread = threading.Thread(target=self._load_done_marks, name="annotator-done-marks",
                                              daemon=True)
        self._marks_thread.start()

    def _load_done_marks(self) -> None:
        from annotator.application.project_file import open_project
        from annotator.application.segments import warm_search_pages

        give_way()
        app = self.app
        pause = in_pauses(lambda: float(getattr(app, "last_action", 0.0)), self._reading_stops)

        def pace(long: bool) -> None:
            pause(long)
            with self._search_lock:  # a search or filter being worked out reads first
                pass

        with contextlib.suppress(Exception):  # the screen loads them itself when it needs them
            with open_project(self.path) as project:
                with collector.paused():
                    self.session.load_done_marks(project)
                self._reading_ahead = True
                warm_search_pages(project, pace, self._reading_stops.is_set)

    # automatic backup -----------------------------------------------------------------
    def start_backup(self) -> None:
        """Copy the project to the rotating backups, in a thread: after the first paint, or
        when the engine's process is used, once the engine is built (see :meth:`on_mount`);
        slowly while keys come, at full speed in the coder's pauses (:func:`pacer`).

        A daemon thread rather than a Textual worker: workers run on the event loop's executor,
        which the app waits for when it exits, and quitting must never wait for a backup (one
        cut short leaves at most a hidden ``*.partial`` file, which the next one removes, never a
        broken backup).
        """
        if self.backup_thread is not None:
            return
        app = self.app  # when its last key came, read in the thread: copied slowly while keys come
        pace = pacer(lambda: float(getattr(app, "last_action", 0.0)))
        self.backup_thread = threading.Thread(target=self._backup, args=(pace,), name="annotator-backup",
                                              daemon=True)
        self.backup_thread.start()

    def _backup(self, pace: Callable[[bool], None]) -> None:
        from annotator.application.backups import rotate_backup

        give_way()
        try:
            done = BackupDone(rotate_backup(self.path, pace=pace))
        except Exception as exc:  # a failed backup is a notice, never a crash
            done = BackupDone(None, (str(exc) or type(exc).__name__).splitlines()[0])
        with contextlib.suppress(RuntimeError):  # the app has gone and its loop is closed
            self.post_message(done)

    def on_backup_done(self, message: BackupDone) -> None:
        self.backup_path = message.path
        if message.error is not None:
            self.say("msg_backup_failed", error=message.error)

    # suggestions ----------------------------------------------------------------------
    def start_suggester(self) -> None:
        self._build_suggester()

    @work(thread=True, exclusive=True, group="suggester", exit_on_error=False)
    def _build_suggester(self) -> None:
        from annotator.application.project_file import open_project

        if self.suggester_kind != "keywords" and engine_available():
            self._start_engine_process()
            return
        project = open_project(self.path)
        try:
            suggester = build_suggester(project, coder=self.session.coder, lead=self.session.lead,
                                        kind=self.suggester_kind)
        except Exception as exc:  # the engine failing must not stop the coding
            project.close()
            with contextlib.suppress(RuntimeError):
                self.app.call_from_thread(self._suggester_failed, str(exc))
            return
        try:
            self.app.call_from_thread(self._suggester_ready, suggester, project)
        except RuntimeError:  # the app has gone
            project.close()

    def _start_engine_process(self) -> None:
        """The engine, built and run in a process of its own (see :mod:`..suggest_process`)."""
        try:
            engine = RemoteSuggester(self.path, coder=self.session.coder, lead=self.session.lead,
                                     kind=self.suggester_kind, started=self._engine_started)
        except Exception as exc:  # the engine failing must not stop the coding
            with contextlib.suppress(RuntimeError):
                self.app.call_from_thread(self._suggester_failed, str(exc))
            return
        try:
            self.app.call_from_thread(self._suggester_ready, engine, engine)
        except RuntimeError:  # the app has gone
            engine.close()

    def _engine_started(self, engine: RemoteSuggester) -> None:
        """The engine's process runs (it is still being built): closing the screen stops it."""
        self._engine_starting = engine

    def _suggester_ready(self, suggester: SuggesterLike, project: Any) -> None:
        self._stop_fetcher()
        self.suggester = suggester
        self._suggested.clear()
        self._matched.clear()
        self._generation += 1
        self._suggest_project = project
        if isinstance(suggester, RemoteSuggester):  # asked first for the segment on screen
            self._fetcher = SuggestionFetcher(suggester, self._arrived)
        if not self.session.empty:
            self.show_segment()
            self._prepare_later()
        self.call_after_refresh(collector.settle)  # the suggester's objects live on too

    def _stop_fetcher(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def _suggester_failed(self, error: str) -> None:
        self._stop_fetcher()
        self.start_backup()
        self.say("msg_error", error=error)
        if self._suggest_project is not None:  # e.g. the engine's process, stopped
            with contextlib.suppress(Exception):
                self._suggest_project.close()
            self._suggest_project = None
        try:
            fallback = KeywordSuggester(self.session.project)
        except Exception:  # the keyword matcher cannot be built either: no suggestions
            return
        self._suggester_ready(fallback, None)

    def on_unmount(self) -> None:
        self._reading_stops.set()
        if self._reading_ahead and self._marks_thread is not None:  # its connection closed with the screen
            self._marks_thread.join(timeout=1.0)
        self._stop_fetcher()
        with contextlib.suppress(AnnotatorError):
            self.session.save_position(wait=True)
        if self._suggest_project is not None:
            self._suggest_project.close()
        if self._engine_starting is not None:  # no process left using the file after the screen
            self._engine_starting.close()
        with self._search_lock:
            if self._search_project is not None:
                self._search_project.close()

    # navigation -------------------------------------------------------------------
    def _moved(self, moved: bool, edge: str) -> None:
        if moved:
            self.show_segment()
            self._set("#status", "", layout=False)
            self._save_position_later()
        else:
            self.say(edge)
        self._prepare_later()

    def _save_position_later(self) -> None:
        """Store where the coder is right after this repaint, in a message of its own (before the
        neighbours are drawn ahead): the repaint does not wait for the commit, and a kill a few
        milliseconds after the segment is shown reopens on it (unless another program writes:
        then at the next move, or when the screen closes)."""
        self.call_after_refresh(self.call_later, self.session.save_position)

    def action_next(self) -> None:
        self._moved(self.session.move(1), "msg_last")

    def action_prev(self) -> None:
        self._moved(self.session.move(-1), "msg_first")

    def action_next_undone(self) -> None:
        self._moved(self.session.next_undone(), "msg_all_done")

    def action_next_unsure(self) -> None:
        """The not-done segment the suggestions are least sure of, among the first
        :data:`LEAST_SURE_WINDOW` of the view: coding it teaches the engine most."""
        from annotator.application.suggesting import (
            LEAST_SURE_WINDOW,
            is_suggestion_engine,
            least_sure,
        )
        from annotator.tui.suggest_process import RemoteSuggester

        suggester = self.suggester
        session = self.session
        candidates = session.open_in_view(LEAST_SURE_WINDOW)
        ids = [session.order[i] for i in candidates]
        if isinstance(suggester, RemoteSuggester) and ids:
            chosen = suggester.least_sure(ids)
        elif is_suggestion_engine(suggester):
            chosen = least_sure(suggester, ids)
        else:
            chosen = ""
        if chosen == "" or (chosen is None and ids):  # loading, or keyword matches only
            self._moved(self.session.next_undone(), "msg_all_done")
            self.say("msg_unsure_waiting")
            return
        if chosen is None:
            self.say("msg_all_done")
            return
        session.jump(session.index_of[chosen])
        self._moved(True, "")
        self.say("msg_unsure", n=len(candidates))

    def pick(self, index: int) -> None:
        self.session.jump(index)
        self._moved(True, "")

    def on_segment_picked(self, message: SegmentPicked) -> None:
        self.pick(message.index)

    def action_goto(self) -> None:
        def done(text: str | None) -> None:
            if not text:
                return
            if self.session.goto(text):
                self._moved(True, "")
            else:
                self.say("msg_not_found", query=text.strip())

        self.app.push_screen(InputDialog(t(self.lang, "goto_title")), done)

    def action_search(self) -> None:
        def done(query: str | None) -> None:
            if query and query.strip():
                self._search(query.strip())

        self.app.push_screen(InputDialog(t(self.lang, "search_title")), done)

    def _search(self, query: str) -> None:
        self.say("msg_searching", query=query)
        self._narrow(lambda project: View("search", query, self.session.find(query, project)),
                     partial(self._show_view, "msg_search_none", "msg_search", query=query))

    @work(thread=True, exclusive=True, group="view", exit_on_error=False)
    def _narrow(self, compute: Callable[[Any], View], show: Callable[[View], None], reads: bool = True) -> None:
        """Compute a search's or a filter's view through a connection of its own (``reads``;
        else from what the screen holds, given None), off the event loop (keys keep working on
        what the screen shows), then ``show`` it. A newer search or filter, or esc, cancels this
        one: its answer is then dropped."""
        worker = get_current_worker()
        try:
            found = self._read_view(compute) if reads else compute(None)
            found.headings = Outline.view_rows(self.session.order, found.array)
        except Exception as error:  # shown on the status line; the view stays as it was
            self.app.call_from_thread(self._narrow_failed, worker, str(error) or type(error).__name__)
            return
        self.app.call_from_thread(self._narrowed, worker, show, found)

    def _read_view(self, compute: Callable[[Any], View]) -> View:
        from annotator.application.project_file import open_project

        with self._search_lock:
            if self._search_project is None:
                self._search_project = open_project(self.path)
            return compute(self._search_project)

    def _narrowed(self, worker: Any, show: Callable[[View], None], found: View) -> None:
        if not worker.is_cancelled:  # cancelled on this thread: nothing newer is overwritten
            show(found)

    def _narrow_failed(self, worker: Any, error: str) -> None:
        if not worker.is_cancelled:
            self.say("msg_error", error=error)

    def _show_view(self, none: str, shown: str, view: View, **values: Any) -> None:
        """Show a search's or filter's view; say ``none`` when it is empty (the view is then left
        as it was), else ``shown`` with its number of segments."""
        n = self.session.show_view(view)
        if n == 0:
            self.say(none, **values)
            return
        self.session.save_position()
        self.show_segment()
        self.say(shown, n=n, **values)

    def filter_options(self) -> list[tuple[str, str]]:
        options = [("all", t(self.lang, "filter_all")), ("not_done", t(self.lang, "filter_not_done"))]
        for code in self.session.codebook.codes:
            key = f"[{code.key}] " if code.key else ""
            options.append((f"code:{code.id}", t(self.lang, "filter_has_code",
                                                  code=key + code.label.get(self.lang))))
        if self.session.lead:
            options.append(("disagree", t(self.lang, "filter_disagree")))
        if self.session.has_assigned():
            options.append(("assigned", t(self.lang, "filter_assigned")))
        return options

    def apply_filter(self, choice: str | None) -> None:
        if choice is None:
            return
        self._stop_narrowing()  # the choice made last is the one shown
        if choice == "all":
            self.action_clear_view()
            return
        labels = dict(self.filter_options())
        label = labels.get(choice, choice)
        kind, _, code = choice.partition(":")
        kind = "has_code" if kind == "code" else kind
        show = partial(self._show_view, "msg_filter_empty", "msg_filter", label=label)
        self.say("msg_filtering", label=label)
        if kind == "not_done":  # from the done marks (in memory once placed): 50-85 ms at 1M
            self._narrow(lambda _project: self.session.not_done_view(label), show, reads=False)
            return
        self._narrow(lambda project: View("filter", label, self.session.filter_places(
            kind, code or None, project, cancelled=lambda: get_current_worker().is_cancelled)), show)

    def action_filter(self) -> None:
        self.app.push_screen(FilterDialog(t(self.lang, "filter_title"), self.filter_options()),
                             self.apply_filter)

    def action_clear_view(self) -> None:
        stopped = self._stop_narrowing()
        if self.session.clear_view():
            self.show_segment()
            self.say("msg_view_cleared")
        elif stopped:
            self.say("msg_view_cleared")

    def _stop_narrowing(self) -> bool:
        """Drop a search or filter still being computed (its answer is never shown); whether
        there was one."""
        running = [w for w in self.workers if w.group == "view" and w.node is self and not w.is_finished]
        for worker in running:
            worker.cancel()
        return bool(running)

    def action_scroll_text(self, pages: int) -> None:
        """Scroll the texts by whole pages (one line of the previous page stays in view)."""
        self.texts.scroll_lines(pages * max(1, self.texts.size.height - 1))

    def action_toggle_outline(self) -> None:
        self._outline_forced = not self.outline.display
        self._apply_outline(self.size.width)

    # changes ------------------------------------------------------------------------
    def _changed(self, change: Change, message: str, **values: Any) -> None:
        """Show a change that ``session`` has already committed; the suggester learns from it
        after the repaint (what is shown does not depend on it)."""
        if change.segment == self.session.current and change.state.memo == self._memo_shown:
            self.show_state()
        else:
            self.show_segment()
        self.say(message, **values)
        if change.event is not None:
            self.call_after_refresh(self.call_later, self._learn, change.segment, change.state.codes)
        self._prepare_later()

    def _label(self, code_id: str) -> str:
        code = self.session.codebook.code(code_id)
        return code.label.get(self.lang) if code else code_id

    def _replaced(self, segment: str, after: CoderState) -> frozenset[str]:
        """Codes a change on ``segment`` took away besides the one toggled: the single-choice
        answer a code key replaced (from the state shown, so no extra read)."""
        shown = self._mine_shown
        if shown is None or shown[0] != segment:
            return frozenset()
        return shown[1].codes - after.codes

    def action_toggle_code(self, code_id: str) -> None:
        segment = self.session.current
        change, _moved = self.session.toggle_and_advance(code_id)
        on = code_id in change.state.codes
        replaced = self._replaced(segment, change.state) - {code_id}
        if on and replaced:
            self._changed(change, "msg_replaced", code=self._label(code_id),
                          old=self._labels(replaced))
            return
        self._changed(change, "msg_toggled_on" if on else "msg_toggled_off",
                      code=self._label(code_id))

    def action_apply_code(self, code_id: str) -> None:
        change = self.session.apply(code_id)
        self._changed(change, "msg_toggled_on", code=self._label(code_id))

    def action_apply_suggestion(self) -> None:
        applied = self.session.state().codes
        top = enter_target(self.session.codebook, self.suggestions, applied)
        if top is None:  # never replaces an answer: a second enter changes nothing
            self.say("msg_no_suggestion")
            return
        self.action_apply_code(top)

    def _labels(self, codes: frozenset[str]) -> str:
        """These codes' labels in codebook order, as a list in the UI language."""
        order = [c.id for c in self.session.codebook.codes if c.id in codes]
        order += sorted(codes - set(order))
        return t(self.lang, "list_sep").join(self._label(c) for c in order)

    def what_changed(self, before: CoderState | None, after: CoderState) -> str:
        """The codes a change added and removed (and its done mark and memo), in words."""
        if before is None:
            return ""
        parts = []
        if after.codes - before.codes:
            parts.append(t(self.lang, "chg_added", codes=self._labels(after.codes - before.codes)))
        if before.codes - after.codes:
            parts.append(t(self.lang, "chg_removed", codes=self._labels(before.codes - after.codes)))
        if before.done != after.done:
            parts.append(t(self.lang, "chg_done" if after.done else "chg_open"))
        if before.memo != after.memo:
            parts.append(t(self.lang, "chg_memo"))
        return t(self.lang, "part_sep").join(parts) or t(self.lang, "chg_nothing")

    def action_mark_none(self) -> None:
        change = self.session.mark_none()
        if not change.event:
            self._changed(change, "msg_unchanged")
        elif change.before is not None and change.before.codes:
            self._changed(change, "msg_none_removed", codes=self._labels(change.before.codes))
        else:
            self._changed(change, "msg_none")

    def action_memo(self) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            change = self.session.set_memo(text)
            self._changed(change, "msg_memo_saved" if change.event else "msg_unchanged")

        memo = self.session.state().memo
        self.app.push_screen(MemoDialog(t(self.lang, "memo_title"), memo), done)

    def action_undo(self) -> None:
        change = self.session.undo()
        if change is None:
            self.say("msg_nothing_undo")
            return
        self.show_segment()
        self.say("msg_undo_what", segment=change.segment,
                 what=self.what_changed(change.before, change.state))
        self._learn(change.segment, change.state.codes)
        self._prepare_later()

    def action_redo(self) -> None:
        change = self.session.redo()
        if change is None:
            self.say("msg_nothing_redo")
            return
        self.show_segment()
        self.say("msg_redo_what", segment=change.segment,
                 what=self.what_changed(change.before, change.state))
        self._learn(change.segment, change.state.codes)
        self._prepare_later()

    def action_refresh_states(self) -> None:
        self.show_state()
        self.say("msg_refreshed")

    def action_quit(self) -> None:
        self.session.save_position(wait=True)
        self.app.exit()

    # help and palette ------------------------------------------------------------------
    def help_text(self) -> str:
        lang = self.lang
        lines = [f"[b]{escape(t(lang, 'help_title'))}[/]", ""]
        for k in self.ui_keys:
            lines.append(f"  [b]{escape(k.display):<8}[/] {escape(t(lang, k.text))}")
        lines += ["", f"[b]{escape(t(lang, 'help_codes'))}[/]"]
        for code in self.session.codebook.codes:
            if code.key:
                color = code.color or "yellow"
                lines.append(f"  [b {color}]{escape(code.key):<8}[/] "
                             f"{escape(code.label.get(lang) or code.id)}")
        lines += ["", escape(t(lang, "help_palette")), f"[dim]{escape(t(lang, 'help_close'))}[/]"]
        return "\n".join(lines)

    def action_help(self) -> None:
        self.app.push_screen(HelpDialog(self.help_text()))

    def action_codebook(self) -> None:
        """The codebook's definitions, notes and coded examples, in a scrolling dialog."""
        self.app.push_screen(HelpDialog(codebook_text(self.session.codebook, self.lang)))

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(name, help, callback) of every action, for the command palette."""
        keys = {k.action: k.display for k in self.ui_keys}
        out: list[tuple[str, str, Callable[[], Any]]] = []
        for k in UI_KEYS:
            if k.lead_only and not self.session.lead:
                continue
            out.append((t(self.lang, k.text), keys.get(k.action, ""),
                        partial(self.run_action, k.action)))
        out.append((t(self.lang, "a_codebook"), "", self.action_codebook))
        for code in self.session.codebook.codes:
            name = t(self.lang, "a_toggle", code=code.label.get(self.lang) or code.id)
            out.append((name, code.key or "", partial(self.run_action, f"toggle_code({code.id!r})")))
        return out
