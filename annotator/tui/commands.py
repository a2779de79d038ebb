"""Every coding-screen action in the command palette (ctrl+p)."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider


class CodingCommands(Provider):
    """The actions of the coding screen the palette was opened from."""

    def _commands(self) -> list[tuple[str, str, object]]:
        from annotator.tui.screens.coding import CodingScreen

        screen = self.screen
        if not isinstance(screen, CodingScreen):
            return []
        return list(screen.palette_commands())

    async def discover(self) -> Hits:
        for name, key, callback in self._commands():
            yield DiscoveryHit(name, callback, help=key)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, key, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=key)  # type: ignore[arg-type]
