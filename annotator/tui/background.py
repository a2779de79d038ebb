"""Background threads of the coding screen that give way to it.

The automatic backup (a copy of the project, then SQLite's check of the copy: seconds of CPU on
a large project, with the interpreter lock released) and the loading of the done marks run in
threads beside the screen's. On a machine with few cores they would take a core's time from
the screen when a key arrives; a Linux thread has a scheduling priority of its own, so each of
them lowers its own (``nice``) as it starts. No Textual here.
"""

from __future__ import annotations

import contextlib
import os
import threading

#: How much lower than the screen's thread a background thread runs (``nice``).
NICE = 10


def give_way() -> None:
    """Lower the calling thread's CPU priority by :data:`NICE` (where the system allows it)."""
    setpriority = getattr(os, "setpriority", None)
    if setpriority is None:
        return
    with contextlib.suppress(OSError, AttributeError):
        me = threading.get_native_id()
        setpriority(os.PRIO_PROCESS, me, os.getpriority(os.PRIO_PROCESS, me) + NICE)
