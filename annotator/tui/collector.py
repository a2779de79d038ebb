"""Keeping the garbage collector's full passes off the keys.

Python's full collection walks every container object not freed by reference counting: the
coding screen holds some 70,000 once painted (Textual's widgets, styles and caches, the modules),
and every line Textual draws leaves a handful more behind (each ``Strip`` keeps small caches, some
referring back to it, so old frames are freed only by a full pass). Left to itself, the collector
makes a full pass every 70,000 or so allocations, 20–50 ms inside whichever key is being handled.

So: once the screen has painted, what exists then lives as long as the screen and is moved out
of the collector's sight (:func:`settle`, ``gc.freeze``); full passes no longer start on their own
until much garbage has piled up (:data:`FULL_AFTER`), and the screen asks for one when the coder
pauses (:func:`tidy`, from an idle timer), when it costs no key anything. :func:`release` gives
everything back when the screen closes (a process that opens several screens, such as the
tests, then frees each one's cycles as usual).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds without a key after which the screen tidies (a full pass of a few tens of ms).
IDLE_S = 0.4
#: Younger passes after which a full pass runs on its own even while keys keep coming (the
#: interpreter's default is 10; each younger pass follows some 7,000 allocations).
FULL_AFTER = 100

_defaults: tuple[int, int, int] | None = None


def settle() -> None:
    """Leave every object alive now out of later passes, and let full passes wait for
    :func:`tidy` (call it between keys)."""
    global _defaults
    gc.freeze()
    if _defaults is None:
        _defaults = gc.get_threshold()
        young, middle, _full = _defaults
        gc.set_threshold(young, middle, FULL_AFTER)


def tidy() -> bool:
    """A full pass, if any garbage may have reached the oldest generation since the last one;
    True if one ran."""
    if gc.get_count()[2] == 0:
        return False
    gc.collect()
    return True


@contextmanager
def paused() -> Iterator[None]:
    """No automatic pass while a background thread reads many rows (a million segments' done
    marks are 200,000 tuples, freed by reference counting): a pass meanwhile would walk them all,
    holding the interpreter lock while a key waits."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def release() -> None:
    """Undo :func:`settle`: the collector sees everything again, with its usual thresholds."""
    global _defaults
    gc.unfreeze()
    if _defaults is not None:
        gc.set_threshold(*_defaults)
        _defaults = None
