"""The automatic backup gives way to keys: slowly while they come, at full speed in pauses; reading
ahead for search waits for pauses."""

from __future__ import annotations

import threading
import time

import pytest

from annotator.tui import background
from annotator.tui.background import in_pauses, pacer


@pytest.fixture(autouse=True)
def _short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "QUIET_S", 0.2)
    monkeypatch.setattr(background, "READ_QUIET_S", 0.3)
    monkeypatch.setattr(background, "STEP_WAIT_S", 0.05)
    monkeypatch.setattr(background, "LONG_WAIT_S", 2.0)


def _timed(pace: object, long: bool) -> float:
    started = time.perf_counter()
    pace(long)  # type: ignore[operator]
    return time.perf_counter() - started


def test_steps_run_at_once_in_a_pause_and_wait_while_keys_come() -> None:
    last = [time.perf_counter() - 10]
    pace = pacer(lambda: last[0])
    assert _timed(pace, False) < 0.02
    last[0] = time.perf_counter()
    assert 0.05 <= _timed(pace, False) < 0.2


def test_a_step_that_cannot_pause_waits_for_a_pause_in_the_keys() -> None:
    last = [time.perf_counter()]
    pace = pacer(lambda: last[0])
    assert 0.2 <= _timed(pace, True) < 0.5  # the keys stopped: it starts once they are quiet
    keys = [time.perf_counter() + 10.0]
    assert 2.0 <= _timed(pacer(lambda: keys[0]), True) < 2.5  # keys never stop: it goes ahead



def test_reading_ahead_waits_for_a_pause_in_the_keys() -> None:
    last = [time.perf_counter() - 10]
    pace = in_pauses(lambda: last[0], threading.Event())
    assert _timed(pace, False) < 0.01  # in a pause: at once
    keys_until = time.perf_counter() + 0.5  # keys for half a second, then a pause

    def latest() -> float:
        return min(time.perf_counter(), keys_until)

    assert 0.5 + 0.3 <= _timed(in_pauses(latest, threading.Event()), False) < 1.1  # the keys' end, then READ_QUIET_S


def test_reading_ahead_stops_waiting_when_the_screen_closes() -> None:
    stopped = threading.Event()
    threading.Timer(0.1, stopped.set).start()
    assert _timed(in_pauses(time.perf_counter, stopped), False) < 0.1 + 0.04  # keys never stop
