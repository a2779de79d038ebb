"""A worker that dies, fails to start or raises makes the pool raise one user-facing error, at
once (never a wait for an answer that cannot come); the workers are gone afterwards, and they
leave Ctrl-C to the importing process."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence

import pytest

import annotator.nlp.tokenize_pool as tokenize_pool
from annotator.errors import AnnotatorError
from annotator.nlp.tokenize_pool import Cut, TokenizePool
from tests.hang_guard import failing_after, killed

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs signal.alarm")


@pytest.fixture(autouse=True)
def _at_most_a_minute() -> Iterator[None]:
    """A hang fails the test instead of stopping the run."""
    with failing_after(60, "the pool hung"):
        yield


def _raises(texts: Sequence[str]) -> list[tuple[str, str]]:
    raise ValueError("something inside went wrong")


def _cut_all(pool: TokenizePool, batches: int) -> list[tuple[object, Cut]]:
    got: list[tuple[object, Cut]] = []
    with pool:
        for i in range(batches):
            pool.submit(i, ["社区网格员", ""])
            got += pool.ready()
        return got + list(pool.drain())


def _no_workers_left() -> None:
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []


@pytest.mark.slow  # starts worker processes
def test_answers_come_back_in_order() -> None:
    got = _cut_all(TokenizePool([], processes=2), 7)
    assert [tag for tag, _ in got] == list(range(7))
    from annotator.nlp.tokenize import language_terms

    # what this process cuts (earlier tests may have added keywords, which the workers inherit)
    assert got[0][1] == language_terms(["社区网格员", ""], "zh")
    _no_workers_left()


@pytest.mark.parametrize(("work", "said"), [
    (killed, "stopped"),  # killed mid-batch: not a hang
    pytest.param(_raises, "something inside went wrong", marks=pytest.mark.slow),  # the reason named
])
def test_a_worker_that_dies_or_raises_is_one_error(
        monkeypatch: pytest.MonkeyPatch, work: Callable[[Sequence[str]], Cut], said: str) -> None:
    monkeypatch.setattr(tokenize_pool, "_work", work)
    with pytest.raises(AnnotatorError) as err:
        _cut_all(TokenizePool([], processes=2), 3)
    assert said in str(err.value) and "\n" not in str(err.value)
    _no_workers_left()


@pytest.mark.slow  # starts worker processes
def test_a_worker_that_cannot_load_jieba_is_one_error_not_a_hang(
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    import annotator.nlp.tokenize as tokenize

    def no_dictionary(*_: object) -> None:
        raise OSError("no dictionary here")

    monkeypatch.setattr(tokenize, "load", no_dictionary)
    with pytest.raises(AnnotatorError) as err:
        _cut_all(TokenizePool([], processes=2), 3)
    assert "no dictionary here" in str(err.value)
    assert "Traceback" not in capfd.readouterr().err  # the workers printed nothing
    _no_workers_left()


@pytest.mark.slow  # starts worker processes
def test_workers_leave_ctrl_c_to_the_importing_process() -> None:
    with TokenizePool([], processes=1) as pool:
        pool.submit(0, ["社区"])
        list(pool.drain())
        worker = multiprocessing.active_children()[0]
        os.kill(worker.pid or 0, signal.SIGINT)  # as a terminal sends it to the whole group
        time.sleep(0.3)
        assert worker.is_alive()
        pool.submit(1, ["网格员"])
        assert [tag for tag, _ in pool.drain()] == [1]
    _no_workers_left()


@pytest.mark.slow  # starts worker processes
def test_leaving_on_an_error_stops_the_workers_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), TokenizePool([], processes=2) as pool:
        pool.submit(0, ["社区网格员" * 20_000] * 50)
        raise KeyboardInterrupt
    assert time.monotonic() - started < 10
    _no_workers_left()


@pytest.mark.slow  # starts worker processes
def test_a_pool_whose_own_shutdown_hangs_is_stopped_all_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pool.terminate once waited for ever for its task thread after a worker raised."""
    import multiprocessing.pool

    terminate = multiprocessing.pool.Pool.terminate

    def slow_terminate(self: multiprocessing.pool.Pool) -> None:
        time.sleep(3.0)  # long past STOP_S, then the real thing (the interpreter's exit needs it)
        terminate(self)

    monkeypatch.setattr(tokenize_pool, "_work", _raises)
    monkeypatch.setattr(tokenize_pool, "STOP_S", 0.3)
    monkeypatch.setattr(multiprocessing.pool.Pool, "terminate", slow_terminate)
    stop = TokenizePool._stop
    stopping: list[float] = []

    def timed_stop(self: TokenizePool) -> None:
        stopping.append(time.monotonic())
        stop(self)

    monkeypatch.setattr(TokenizePool, "_stop", timed_stop)
    with pytest.raises(AnnotatorError):
        _cut_all(TokenizePool([], processes=2), 3)
    assert time.monotonic() - stopping[0] < 2.0  # not the 3 s the pool's own shutdown takes
    _no_workers_left()
