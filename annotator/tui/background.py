"""Background threads of the coding screen that give way to it.

The automatic backup (a copy of the project, then SQLite's check of the copy: seconds of CPU on
a large project, with the interpreter lock released) and the loading of the done marks run in
threads beside the screen's. On a machine with few cores they would take a core's time from
the screen when a key arrives; a Linux thread has a scheduling priority of its own, so each of
them lowers its own (``nice``) as it starts. A lower priority does not keep a copy running on
the other core from slowing the screen's thread down, though (at a million segments, keys took
a third more processor time while 2.3 GB were copied): so the backup is copied in steps, slowly
while keys come and at full speed in the coder's pauses (:func:`pacer`). No Textual here.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable

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


#: A key within this many seconds means the coder is at work: a paced copy slows down.
QUIET_S = 0.5
#: The wait after each step of a paced copy while the coder is at work (a step copies 1 MB: at
#: most 5 MB/s then; a million-segment project's 2.3 GB in under eight minutes of nonstop keys).
STEP_WAIT_S = 0.2
#: The longest wait for a pause in the keys before a step that cannot be paused (the copy's check).
LONG_WAIT_S = 30.0


def pacer(last_key: Callable[[], float]) -> Callable[[bool], None]:
    """A pace for a copy made beside the screen (:data:`annotator.storage.backup.Pace`):
    ``last_key()`` is when the latest key's action started (``time.perf_counter``). Between two
    steps it waits :data:`STEP_WAIT_S` while keys come; before a step that cannot be paused, it
    waits for a pause in the keys (at most :data:`LONG_WAIT_S`)."""

    def busy() -> bool:
        return time.perf_counter() - last_key() < QUIET_S

    def pace(long: bool) -> None:
        if not long:
            if busy():
                time.sleep(STEP_WAIT_S)
            return
        give_up = time.perf_counter() + LONG_WAIT_S
        while busy() and time.perf_counter() < give_up:
            time.sleep(STEP_WAIT_S)

    return pace


#: No key for this many seconds is a pause in which reading ahead goes on (a coder reading the
#: segment shown; not the half second between keys that :data:`QUIET_S` allows a copy).
READ_QUIET_S = 1.5


def in_pauses(last_key: Callable[[], float], stopped: threading.Event) -> Callable[[bool], None]:
    """A pace for reading ahead beside the screen: each step waits for a pause in the keys (none
    within :data:`READ_QUIET_S`), however long it takes. Reading only fills the system's file cache
    (nothing is lost if it never ends), and pages read on the other core while a key is drawn
    slow the screen's thread down: at a million segments, read a fifth of the time while keys
    came, a key's median was 3.6–4.1 ms against 3.3–3.4 ms; read in half-second pauses between
    keys 0.7 s apart, the first ten keys' median was 3.3 ms against 2.4 ms until it was done. It
    returns at once when ``stopped`` is set (the screen closing)."""

    def pace(_long: bool) -> None:
        while time.perf_counter() - last_key() < READ_QUIET_S and not stopped.wait(STEP_WAIT_S):
            pass

    return pace
