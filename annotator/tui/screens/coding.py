"""The coding screen: one segment at a time, one key per code, every change committed first."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from annotator.errors import AnnotatorError
from annotator.nlp.lexicon import Match
from annotator.tui.highlight import Highlighter
from annotator.tui.i18n import t
from annotator.tui.keys import UI_KEYS, active_ui_keys, coding_screen_keys
from annotator.tui.messages import BackupDone, SegmentPicked
from annotator.tui.screens.dialogs import FilterDialog, HelpDialog, InputDialog, MemoDialog
from annotator.tui.session import Change, CodingSession
from annotator.tui.suggest_process import RemoteSuggester
from annotator.tui.suggestions import (
    KeywordSuggester,
    SuggesterLike,
    build_suggester,
    engine_available,
)
from annotator.tui.widgets.codebook_panel import CodebookPanel
from annotator.tui.widgets.frames import FramedStatic
from annotator.tui.widgets.outline import Outline
from annotator.tui.widgets.segment_text import SegmentText
from annotator.tui.widgets.suggestion_panel import SuggestionPanel, suggestion_markup

WIDE = 140  # columns from which the two texts stand side by side
OUTLINE_MIN = 100  # columns from which the outline shows unless toggled
LEAD_REFRESH_S = 2.0
KEPT = 16  # suggestions and highlighted texts kept for the segments around the current one
#: actions on the current segment: they do not apply to a project without segments
NEEDS_SEGMENT = frozenset({
    "next", "prev", "next_undone", "goto", "search", "filter", "memo",
    "toggle_code", "apply_code", "apply_suggestion", "mark_none",
})


def _clock(seconds: float) -> str:
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


class CodingScreen(Screen[None]):
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
        self._search_project: Any | None = None
        self._search_lock = threading.Lock()
        self._outline_forced: bool | None = None
        self._shown: dict[str, Any] = {}
        self._outline_pos: int | None = None
        self._highlighter = Highlighter(session.codebook)
        self._statics: dict[str, FramedStatic] = {}
        self._suggested: dict[str, Any] = {}  # segment → suggestions, until the suggester learns
        self._texts_made: dict[Hashable, tuple[Text | str, Text | str]] = {}
        self._prepare_queued = False
        #: the automatic backup taken when the screen opened, once it is written
        self.backup_path: Path | None = None
        self.backup_thread: threading.Thread | None = None
        self.ui_keys = active_ui_keys(session.codebook, lead=session.lead)

    @classmethod
    def open(cls, session: CodingSession, *, lang: str, path: Path,
             suggester: str = "auto") -> CodingScreen:
        """The coding screen of ``session``, its keys bound for its codebook and in ``lang``
        (the bindings are the class's ``BINDINGS``, so each screen gets its own class)."""
        keys = coding_screen_keys(session.codebook, lang, lead=session.lead)
        screen_class = type(cls.__name__, (cls,), {"BINDINGS": keys, "__module__": __name__})
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
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self.start_backup)
        if self.session.empty:
            self.texts.show(t(self.lang, "no_segments"), "")
            return
        self.show_segment()
        self.call_after_refresh(self.start_suggester)
        if self.session.lead:
            self.set_interval(LEAD_REFRESH_S, self.show_state)

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        self.texts.wide = width >= WIDE
        self._apply_outline(width)
        if self.session.lead:  # the lead grid or its compact form, whichever fits
            self.show_state()

    def _apply_outline(self, width: int) -> None:
        show = self._outline_forced if self._outline_forced is not None else width >= OUTLINE_MIN
        outline = self.outline
        outline.display = show
        if show:
            outline.show_current()

    # showing ----------------------------------------------------------------------
    def _set(self, selector: str, content: Any, *, layout: bool = True) -> None:
        """Update a Static only when what it shows changes (a repaint costs a frame)."""
        if self._shown.get(selector) == content:
            return
        self._shown[selector] = content
        widget = self._statics.get(selector)
        if widget is None:
            widget = self._statics[selector] = self.query_one(selector, FramedStatic)
        widget.show_keyed(content, content, layout=layout)  # frames kept per text

    def say(self, key: str, **values: Any) -> None:
        self._set("#status", escape(t(self.lang, key, **values)), layout=False)

    def show_segment(self) -> None:
        """Repaint everything about the current segment."""
        session = self.session
        seg = session.segment()
        self.suggestions = self._suggest(seg.id)
        key, make = self._texts_of(seg, self.suggestions)
        self.texts.show(*make(), key=key)
        previous, self._outline_pos = self._outline_pos, session.pos
        self.show_state(outline=False)
        if self.outline.display:
            self.outline.show_current(previous)

    def _suggest(self, seg_id: str) -> Any | None:
        """The suggester's answer for a segment, kept until the suggester learns."""
        if self.suggester is None:
            return None
        cache = self._suggested
        found = cache.get(seg_id)
        if found is None:
            found = cache[seg_id] = self.suggester.suggest(seg_id)
            while len(cache) > KEPT:
                del cache[next(iter(cache))]
        return found

    def _learn(self, segment: str, codes: frozenset[str]) -> None:
        if self.suggester is not None:
            self.suggester.learn(segment, codes)
        self._suggested.clear()

    def _texts_of(self, seg: Any, suggestions: Any | None
                  ) -> tuple[Hashable, Callable[[], tuple[Text | str, Text | str]]]:
        """A key for a segment's two highlighted texts, and a function that makes them (kept
        for the last few segments). The codebook keywords highlighted are the suggester's
        matches, the evidence its suggestions cite."""
        words = tuple(k.text for k in suggestions.keywords) if suggestions else ()
        suggester = self.suggester
        matches = suggester.matches(seg.id) if suggester is not None else ()
        key = (seg.zh, seg.en, words, matches)

        def make() -> tuple[Text | str, Text | str]:
            texts = self._texts_made.get(key)
            if texts is None:
                texts = self._texts_made[key] = self._highlighted(seg, words, matches)
                while len(self._texts_made) > KEPT:
                    del self._texts_made[next(iter(self._texts_made))]
            return texts

        return key, make

    def _highlighted(self, seg: Any, words: tuple[str, ...], matches: Sequence[Match]
                     ) -> tuple[Text | str, Text | str]:
        none = t(self.lang, "no_text")
        mark = self._highlighter
        suggester = self.suggester
        texts: list[Text | str] = []
        for lang, text in (("zh", seg.zh), ("en", seg.en)):
            if not text:
                texts.append(none)
                continue
            spans = suggester.lexicon.locate(text, lang, matches) if suggester is not None else ()
            texts.append(mark(text, lang, spans, words))
        return texts[0], texts[1]

    def _prepare_later(self) -> None:
        """After this repaint (in a message of its own), draw what the next and the previous
        segment will show."""
        if not self._prepare_queued:
            self._prepare_queued = True
            self.call_after_refresh(self.call_later, self._prepare_neighbours)

    def _prepare_neighbours(self) -> None:
        self._prepare_queued = False
        session = self.session
        if session.empty or not self.is_current:
            return
        for delta in (1, -1):
            index = session.peek(delta)
            if index is None:
                continue
            seg = session.segment_at(index)
            suggestions = self._suggest(seg.id)
            key, make = self._texts_of(seg, suggestions)
            self.texts.prepare(key, make)
            codes = session.state_at(index).codes
            self.suggestion_panel.prepare_markup(
                suggestion_markup(session.codebook, self.lang, suggestions, codes))

    def show_state(self, *, outline: bool = True) -> None:
        """Repaint what depends on the coders' work: codebook marks, progress, header (and the
        outline's row of the segment unless the caller repaints the outline itself)."""
        session = self.session
        if session.empty:
            return
        states = session.all_states()
        mine = states[session.coder]
        self.codebook_panel.show(session.codebook, self.lang, states, lead=session.lead)
        self.suggestion_panel.show(
            suggestion_markup(session.codebook, self.lang, self.suggestions, mine.codes))
        done, total, doc_done, doc_total = session.progress()
        progress = escape(t(self.lang, "done_overall", done=done, total=total) + " · "
                          + t(self.lang, "done_doc", done=doc_done, total=doc_total))
        before = self._shown.get("#progress")
        self._set("#progress", progress,  # its width is auto: lay out only when it changes
                  layout=not isinstance(before, str) or len(before) != len(progress))
        seg = session.segment()
        parts = [f"{session.pos + 1} / {len(session.order)}"]
        if session.view is not None:
            here = session.view.where.get(session.pos)
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
        doc = session.documents.get(seg.document)
        if doc is not None and doc.title and doc.title != seg.document:  # not the id twice
            parts.append(doc.title)
        self._set("#seginfo", escape(" · ".join(parts)), layout=False)
        if outline and self.outline.display:
            self.outline.refresh_rows([session.pos])

    # automatic backup -----------------------------------------------------------------
    def start_backup(self) -> None:
        """Copy the project to the rotating backups, after the first paint, in a thread.

        A daemon thread rather than a Textual worker: workers run on the event loop's executor,
        which the app waits for when it exits, and quitting must never wait for a backup (one
        cut short leaves at most a hidden ``*.partial`` file, never a broken backup).
        """
        if self.backup_thread is not None:
            return
        self.backup_thread = threading.Thread(target=self._backup, name="annotator-backup",
                                              daemon=True)
        self.backup_thread.start()

    def _backup(self) -> None:
        from annotator.storage.backup import rotate_backup

        try:
            done = BackupDone(rotate_backup(self.path))
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
        from annotator.storage.db import open_project

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
                                     kind=self.suggester_kind)
        except Exception as exc:  # the engine failing must not stop the coding
            with contextlib.suppress(RuntimeError):
                self.app.call_from_thread(self._suggester_failed, str(exc))
            return
        try:
            self.app.call_from_thread(self._suggester_ready, engine, engine)
        except RuntimeError:  # the app has gone
            engine.close()

    def _suggester_ready(self, suggester: SuggesterLike, project: Any) -> None:
        self.suggester = suggester
        self._suggested.clear()
        self._suggest_project = project
        if not self.session.empty:
            self.show_segment()
            self._prepare_later()

    def _suggester_failed(self, error: str) -> None:
        self.say("msg_error", error=error)
        try:
            fallback = KeywordSuggester(self.session.project)
        except Exception:  # the keyword matcher cannot be built either: no suggestions
            return
        self._suggester_ready(fallback, None)

    def on_unmount(self) -> None:
        with contextlib.suppress(AnnotatorError):
            self.session.save_position()
        if self._suggest_project is not None:
            self._suggest_project.close()
        with self._search_lock:
            if self._search_project is not None:
                self._search_project.close()

    # navigation -------------------------------------------------------------------
    def _moved(self, moved: bool, edge: str) -> None:
        if moved:
            self.session.save_position()  # on disk before it is shown: a kill loses no move
            self.show_segment()
            self._set("#status", "", layout=False)
        else:
            self.say(edge)
        self._prepare_later()

    def action_next(self) -> None:
        self._moved(self.session.move(1), "msg_last")

    def action_prev(self) -> None:
        self._moved(self.session.move(-1), "msg_first")

    def action_next_undone(self) -> None:
        self._moved(self.session.next_undone(), "msg_all_done")

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

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str) -> None:
        """Search through a connection of its own, off the event loop; a newer search cancels
        this one, whose answer is then dropped."""
        from annotator.storage.db import open_project

        worker = get_current_worker()
        with self._search_lock:
            if self._search_project is None:
                self._search_project = open_project(self.path)
            found = self.session.find(query, self._search_project)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_found, query, found)

    def _show_found(self, query: str, found: list[int]) -> None:
        if self.session.show_found(query, found) == 0:
            self.say("msg_search_none", query=query)
            return
        self.session.save_position()
        self.show_segment()
        self.say("msg_search", query=query, n=len(found))

    def filter_options(self) -> list[tuple[str, str]]:
        options = [("all", t(self.lang, "filter_all")), ("not_done", t(self.lang, "filter_not_done"))]
        for code in self.session.codebook.codes:
            key = f"[{code.key}] " if code.key else ""
            options.append((f"code:{code.id}", t(self.lang, "filter_has_code",
                                                  code=key + code.label.get(self.lang))))
        if self.session.lead:
            options.append(("disagree", t(self.lang, "filter_disagree")))
        return options

    def apply_filter(self, choice: str | None) -> None:
        if choice is None:
            return
        if choice == "all":
            self.action_clear_view()
            return
        labels = dict(self.filter_options())
        label = labels.get(choice, choice)
        kind, _, code = choice.partition(":")
        n = self.session.set_filter("has_code" if kind == "code" else kind, label, code or None)
        if n == 0:
            self.say("msg_filter_empty", label=label)
            return
        self.session.save_position()
        self.show_segment()
        self.say("msg_filter", label=label, n=n)

    def action_filter(self) -> None:
        self.app.push_screen(FilterDialog(t(self.lang, "filter_title"), self.filter_options()),
                             self.apply_filter)

    def action_clear_view(self) -> None:
        if self.session.clear_view():
            self.show_segment()
            self.say("msg_view_cleared")

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
        if change.segment == self.session.current:
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

    def action_toggle_code(self, code_id: str) -> None:
        change = self.session.toggle(code_id)
        on = code_id in change.state.codes
        self._changed(change, "msg_toggled_on" if on else "msg_toggled_off",
                      code=self._label(code_id))

    def action_apply_code(self, code_id: str) -> None:
        change = self.session.apply(code_id)
        self._changed(change, "msg_toggled_on", code=self._label(code_id))

    def action_apply_suggestion(self) -> None:
        applied = self.session.state().codes
        sugg = self.suggestions
        top = next((s.code for s in (sugg.codes if sugg else ())
                    if s.code not in applied and self.session.codebook.code(s.code)), None)
        if top is None:
            self.say("msg_no_suggestion")
            return
        self.action_apply_code(top)

    def action_mark_none(self) -> None:
        change = self.session.mark_none()
        self._changed(change, "msg_none" if change.event else "msg_unchanged")

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
        self.say("msg_undo", segment=change.segment)
        self._learn(change.segment, change.state.codes)
        self._prepare_later()

    def action_redo(self) -> None:
        change = self.session.redo()
        if change is None:
            self.say("msg_nothing_redo")
            return
        self.show_segment()
        self.say("msg_redo", segment=change.segment)
        self._learn(change.segment, change.state.codes)
        self._prepare_later()

    def action_refresh_states(self) -> None:
        self.show_state()
        self.say("msg_refreshed")

    def action_quit(self) -> None:
        self.session.save_position()
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

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(name, help, callback) of every action, for the command palette."""
        keys = {k.action: k.display for k in self.ui_keys}
        out: list[tuple[str, str, Callable[[], Any]]] = []
        for k in UI_KEYS:
            if k.lead_only and not self.session.lead:
                continue
            out.append((t(self.lang, k.text), keys.get(k.action, ""),
                        partial(self.run_action, k.action)))
        for code in self.session.codebook.codes:
            name = t(self.lang, "a_toggle", code=code.label.get(self.lang) or code.id)
            out.append((name, code.key or "", partial(self.run_action, f"toggle_code({code.id!r})")))
        return out
