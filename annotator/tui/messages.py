"""Messages widgets post up to the coding screen."""

from __future__ import annotations

from textual.message import Message


class SegmentPicked(Message):
    """The coder clicked a segment in the outline."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
