"""For tests of worker processes: a test that hangs fails instead of stopping the run, and a
worker's function that dies as a killed process does."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager


@contextmanager
def failing_after(seconds: int, what: str) -> Iterator[None]:
    """Raise ``TimeoutError(what)`` in the test after ``seconds`` (SIGALRM)."""

    def stop(*_: object) -> None:
        raise TimeoutError(what)

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def killed(texts: Sequence[str]) -> list[tuple[str, str]]:
    """A worker's batch function whose process is killed (SIGKILL) as it starts."""
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("not reached")
