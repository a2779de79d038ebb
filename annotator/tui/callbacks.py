"""Callbacks scheduled without Textual inspecting their signature each time.

Textual's ``call_later`` and ``call_after_refresh`` wrap the callback and its arguments in a new
``functools.partial`` and, when it runs, count the parameters it takes with
``inspect.signature`` (about 23 µs) to know how many of the event's values to pass: none, for
these two. The coding screen schedules about two dozen steps per key (its neighbours drawn
ahead, one step at a time, so that a key can come between them); the partials made here say
at once that they take no more arguments.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import events, messages
from textual.message_pump import MessagePump


def _bound(callback: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> partial[Any]:
    step = partial(callback, *args, **kwargs)
    step._param_count = 0  # type: ignore[attr-defined]  # read by textual._callback.count_parameters
    return step


class CountedCallbacks(MessagePump):
    """``call_later`` and ``call_after_refresh`` as Textual's, without the signature count."""

    def call_later(self, callback: Any, *args: Any, **kwargs: Any) -> bool:
        return self.post_message(events.Callback(callback=_bound(callback, args, kwargs)))

    def call_after_refresh(self, callback: Any, *args: Any, **kwargs: Any) -> bool:
        return self.post_message(messages.InvokeLater(_bound(callback, args, kwargs)))
