"""Messages widgets post up to the coding screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message


class BackupDone(Message):
    """The automatic backup has finished: ``path`` of the copy (None when turned off), or the
    ``error`` that stopped it. Posted from the backup thread."""

    def __init__(self, path: Path | None, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.error = error


class SegmentPicked(Message):
    """The coder clicked a segment in the outline."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class SuggestionsArrived(Message):
    """The suggestion engine answered for ``segment``: its suggestions and codebook keyword
    matches (asked at ``generation``: answers from before the engine last learned are stale),
    or the ``error`` that stopped it. Posted from the thread that asks the engine."""

    def __init__(self, segment: str, generation: int, suggestions: Any, matches: tuple[Any, ...],
                 error: str | None = None) -> None:
        super().__init__()
        self.segment = segment
        self.generation = generation
        self.suggestions = suggestions
        self.matches = matches
        self.error = error
