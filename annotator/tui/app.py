"""The coding app and the factory the CLI and the tests share."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from time import perf_counter, thread_time
from typing import Any

from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from annotator.errors import AnnotatorError
from annotator.tui import collector
from annotator.tui.commands import CodingCommands
from annotator.tui.i18n import t
from annotator.tui.screens.coding import CodingScreen
from annotator.tui.segment_order import Only
from annotator.tui.session import CodingSession

#: how long a background thread may keep the interpreter lock while the screen waits for it
SWITCH_INTERVAL_S = 0.001

# Textual's system command title → i18n keys of our title and help for it
SYSTEM_COMMANDS = {
    "Theme": ("sys_theme", "sys_theme_help"),
    "Quit": ("sys_quit", "sys_quit_help"),
    "Keys": ("sys_keys", "sys_keys_help"),
    "Screenshot": ("sys_screenshot", "sys_screenshot_help"),
    "Maximize": ("sys_maximize", "sys_maximize_help"),
    "Minimize": ("sys_minimize", "sys_minimize_help"),
}


class AnnotatorApp(App[None]):
    """Codes one project as one coder; the coding screen is its only main screen."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {CodingCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, session: CodingSession, *, lang: str, path: Path,
                 suggester: str = "auto") -> None:
        super().__init__()
        self.session = session
        self.lang = lang
        self.path = path
        self.suggester_kind = suggester
        #: benchmarks only: called with (action, seconds from its start to the repaint after it,
        #: seconds of this thread's CPU time in between)
        self.on_repaint: Callable[[str, float, float], None] | None = None
        self.failure: AnnotatorError | None = None  # what stopped the screen, said on exit
        self.last_action = perf_counter()  # when the last key's (or command's) action started
        self._switch_interval = sys.getswitchinterval()
        mode = f" ({t(lang, 'lead')})" if session.lead else ""
        self.title = f"annotator — {path.name} — {session.coder}{mode}"

    def on_mount(self) -> None:
        """Tidy the garbage when the coder pauses (see :mod:`annotator.tui.collector`).

        Let the screen's thread take the interpreter lock from a background thread (the
        backup, the done marks, the suggestions' fetcher) within a millisecond, rather than
        Python's 5 ms: a key pressed while they work is not held up for a slice of theirs."""
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, SWITCH_INTERVAL_S))
        self.set_interval(collector.IDLE_S / 2, self._tidy_when_idle)

    def _tidy_when_idle(self) -> None:
        """A full garbage collection when no key has come for a while and none is waiting."""
        if perf_counter() - self.last_action >= collector.IDLE_S and self.message_queue_size == 0:
            collector.tidy()

    @classmethod
    def open(cls, session: CodingSession, *, lang: str, path: Path,
             suggester: str = "auto") -> AnnotatorApp:
        """The app for ``session`` with the footer's palette key described in ``lang``."""
        return _app_class(lang)(session, lang=lang, path=path, suggester=suggester)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run an action; with :attr:`on_repaint` set, also time it from its start to the
        repaint after it (the screen leaves its work for after the repaint to a later message,
        so that work is not counted)."""
        self.last_action = perf_counter()
        hook = self.on_repaint
        if hook is None:
            return await super().run_action(action, default_namespace, namespaces)
        started, cpu = perf_counter(), thread_time()
        handled = await super().run_action(action, default_namespace, namespaces)
        name = (action if isinstance(action, str) else action[1]).partition("(")[0]
        self.screen.call_after_refresh(
            lambda: hook(name, perf_counter() - started, thread_time() - cpu))
        return handled

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands (theme, quit, keys, screenshot), in the UI language."""
        for command in super().get_system_commands(screen):
            words = SYSTEM_COMMANDS.get(command.title)
            if words is not None:
                title, help_text = words
                command = command._replace(title=t(self.lang, title), help=t(self.lang, help_text))
            yield command

    def action_command_palette(self) -> None:
        """Textual's command palette, its prompt in the UI language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=t(self.lang, "palette_placeholder")))

    def get_default_screen(self) -> Screen[None]:
        return CodingScreen.open(self.session, lang=self.lang, path=self.path,
                                 suggester=self.suggester_kind)

    def _handle_exception(self, error: Exception) -> None:
        """A user's error (such as the project file deleted under the screen) ends the screen
        with its one line; anything else is a crash (traceback, exit code 1)."""
        if isinstance(error, AnnotatorError):
            self.failure = error
            self.exit(return_code=1)
            return
        super()._handle_exception(error)

    def on_unmount(self) -> None:
        sys.setswitchinterval(self._switch_interval)
        collector.release()
        lost = self.session.close()
        self.failure = self.failure or lost


def make_app(
    path: str | Path,
    *,
    coder: str,
    lead: bool = False,
    ui: str | None = None,
    only: Only | None = None,
    suggester: str = "auto",
    adjudicating: bool = False,
    auto_advance: bool = False,
) -> AnnotatorApp:
    """Open ``path`` and build the coding app; raises ``ProjectError`` (one clear line) for a
    missing, locked, newer or foreign file before anything is drawn."""
    from annotator.application.project_file import open_project
    from annotator.config import ui_language

    path = Path(path)
    lang = ui if ui in ("zh", "en") else ui_language()
    project = open_project(path)
    try:
        session = CodingSession(project, coder, lead=lead, only=only, adjudicating=adjudicating,
                                auto_advance=auto_advance)
    except BaseException:
        project.close()
        raise
    return AnnotatorApp.open(session, lang=lang, path=path, suggester=suggester)


@cache
def _app_class(lang: str) -> type[AnnotatorApp]:
    """AnnotatorApp with the palette key described in ``lang`` (Textual's own is in English,
    and it adds it only when the app binds none)."""
    palette = Binding(AnnotatorApp.COMMAND_PALETTE_BINDING, "command_palette", t(lang, "palette"),
                      show=False, key_display=AnnotatorApp.COMMAND_PALETTE_DISPLAY, priority=True,
                      tooltip=t(lang, "palette_tooltip"))
    return type(AnnotatorApp.__name__, (AnnotatorApp,), {"BINDINGS": [palette], "__module__": __name__})
