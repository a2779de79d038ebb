"""Progress of long storage work (building the search index when an older project is upgraded),
reported through a hook the front end installs: storage never writes to the terminal itself.

A reporter is called with what is being done and how many steps it takes; it returns a context
manager whose value is called with the number of steps done since its last call.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

Advance = Callable[[int], None]
Reporter = Callable[[str, int], AbstractContextManager[Advance]]

_reporter: list[Reporter | None] = [None]


def set_reporter(reporter: Reporter | None) -> None:
    """Show long storage work with ``reporter`` from now on (None: show nothing)."""
    _reporter[0] = reporter


@contextlib.contextmanager
def reporting(what: str, total: int) -> Iterator[Advance]:
    """The installed reporter's progress for ``what`` (``total`` steps), or one that does
    nothing."""
    reporter = _reporter[0]
    if reporter is None or total <= 0:
        yield lambda _n: None
        return
    with reporter(what, total) as advance:
        yield advance
