"""Asking the suggestion engine's process without making the screen wait.

The coding screen paints a segment at once and asks for its suggestions here; a thread of its
own sends the question over the engine's pipe and hands the answer back (``deliver``), which
the screen shows if the segment is still the one on screen. The segment on screen is answered
first, then the ones asked for ahead of time (its neighbours), newest first; only the last few
are kept (the coder has moved on from older ones). What the coder changed is passed on in
order, before any question asked after it. No Textual here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

#: Questions about segments ahead (neighbours of the one on screen) kept waiting at most.
AHEAD = 4

Deliver = Callable[[str, int, Any, tuple[Any, ...], str | None], None]


class SuggestionFetcher:
    """Questions to a :class:`annotator.tui.suggestions.SuggesterLike`, answered in a thread.

    ``deliver(segment, generation, suggestions, matches, error)`` is called from that thread.
    """

    def __init__(self, suggester: Any, deliver: Deliver) -> None:
        self._suggester = suggester
        self._deliver = deliver
        self._now: tuple[str, int] | None = None  # the segment on screen
        self._ahead: OrderedDict[str, int] = OrderedDict()
        self._learned: deque[tuple[str, frozenset[str]]] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="annotator-suggestions",
                                        daemon=True)
        self._thread.start()

    def want(self, segment: str, generation: int, *, ahead: bool = False) -> None:
        """Ask for ``segment`` (at ``generation``): the one on screen, answered next (it
        replaces the one asked before), or one ``ahead`` of time, answered after it."""
        with self._cond:
            if ahead:
                self._ahead[segment] = generation
                self._ahead.move_to_end(segment)
                while len(self._ahead) > AHEAD:
                    self._ahead.popitem(last=False)
            else:
                self._now = segment, generation
                self._ahead.pop(segment, None)
            self._cond.notify()

    def learn(self, segment: str, codes: frozenset[str]) -> None:
        """Tell the engine the coder's codes on ``segment``, before any later question."""
        with self._cond:
            self._learned.append((segment, codes))
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _next(self) -> tuple[str, Any] | None:
        with self._cond:
            while not (self._closed or self._learned or self._now or self._ahead):
                self._cond.wait()
            if self._closed:
                return None
            if self._learned:
                return "learn", self._learned.popleft()
            if self._now is not None:
                now, self._now = self._now, None
                return "want", now
            return "want", self._ahead.popitem(last=True)

    def _run(self) -> None:
        while (job := self._next()) is not None:
            kind, (segment, value) = job
            try:
                if kind == "learn":
                    self._suggester.learn(segment, value)
                    continue
                suggestions = self._suggester.suggest(segment)
                matches = self._suggester.matches(segment)
            except Exception as exc:  # the engine failing must not stop the coding
                self._deliver(segment, -1, None, (), str(exc) or type(exc).__name__)
                return
            self._deliver(segment, value, suggestions, tuple(matches), None)
