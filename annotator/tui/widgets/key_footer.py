"""The footer of the coding screen: Textual's, laid out with the screen's first paint and only
again when the keys it shows change.

Textual's footer composes its keys only once the screen first says its bindings changed (after
the first paint), and again at every such signal (a dialog closed, the focus moved), each time
removing and mounting every key: a layout of the screen that a key pressed meanwhile waits for
(tens of milliseconds in the first second after opening). Here the keys are composed with the
rest of the screen, and a signal that leaves the shown keys as they were changes nothing.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer, recomposed only when its keys change (see the module)."""

    _composed_for: Hashable = None

    def shown_keys(self) -> Hashable:
        """What the footer draws of the screen's bindings: keys, descriptions, enabled."""
        return tuple(
            (binding.key, binding.action, binding.description, binding.key_display, enabled,
             tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def compose(self) -> ComposeResult:
        self._bindings_ready = True
        self._composed_for = self.shown_keys()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and self.shown_keys() == self._composed_for:
            return
        super().bindings_changed(screen)
