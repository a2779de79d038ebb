"""Keeping the garbage collector's full passes off the keys.

Python's full collection walks every object that has lived long: the coding screen holds some
70,000 (Textual's widgets, styles and caches, the modules) and a full pass over them takes
20–50 ms, at moments no one chooses, inside whatever key is being handled. Once the screen has
painted, what exists then lives as long as the screen: :func:`settle` moves it out of the
collector's sight (``gc.freeze``), so a later full pass walks only what was made since, and
:func:`release` gives it back when the screen closes (a process that opens several screens,
such as the tests, then frees each one's cycles as usual).
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Leave every object alive now out of later collections (call it between keys)."""
    gc.freeze()


def release() -> None:
    """Let the collector see again what :func:`settle` set aside."""
    gc.unfreeze()
