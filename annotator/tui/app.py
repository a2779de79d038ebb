"""The coding app and the factory the CLI and the tests share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from annotator.errors import AnnotatorError
from annotator.tui.commands import CodingCommands
from annotator.tui.i18n import t
from annotator.tui.screens.coding import CodingScreen
from annotator.tui.session import CodingSession

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
        self.failure: AnnotatorError | None = None  # what stopped the screen, said on exit
        # the footer's palette key in the UI language (Textual adds it in English)
        palette = self._bindings.key_to_bindings.get(self.COMMAND_PALETTE_BINDING, [])
        self._bindings.key_to_bindings[self.COMMAND_PALETTE_BINDING] = [
            replace(b, description=t(lang, "palette"), tooltip=t(lang, "palette_tooltip"))
            if b.action == "command_palette" else b for b in palette]
        mode = f" ({t(lang, 'lead')})" if session.lead else ""
        self.title = f"annotator — {path.name} — {session.coder}{mode}"

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands (theme, quit, keys, screenshot), in the UI language."""
        for command in super().get_system_commands(screen):
            words = SYSTEM_COMMANDS.get(command.title)
            if words is not None:
                title, help_text = words
                command = command._replace(title=t(self.lang, title), help=t(self.lang, help_text))
            yield command

    def get_default_screen(self) -> Screen[None]:
        return CodingScreen(self.session, lang=self.lang, path=self.path,
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
        lost = self.session.close()
        self.failure = self.failure or lost


def make_app(
    path: str | Path,
    *,
    coder: str,
    lead: bool = False,
    ui: str | None = None,
    only: Iterable[str] | None = None,
    suggester: str = "auto",
) -> AnnotatorApp:
    """Open ``path`` and build the coding app; raises ``ProjectError`` (one clear line) for a
    missing, locked, newer or foreign file before anything is drawn."""
    from annotator.config import ui_language
    from annotator.storage.db import open_project

    path = Path(path)
    lang = ui if ui in ("zh", "en") else ui_language()
    project = open_project(path)
    try:
        session = CodingSession(project, coder, lead=lead, only=only)
    except BaseException:
        project.close()
        raise
    return AnnotatorApp(session, lang=lang, path=path, suggester=suggester)
