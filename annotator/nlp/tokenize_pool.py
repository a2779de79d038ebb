"""Cutting the Chinese of big imports in worker processes, answers handed back in order.

The caller submits batches of Chinese texts with a tag of its own and gets back, in the order
it submitted them, (tag, [(tokens, terms), ...]) pairs; at most ``ahead`` batches are in flight,
so memory stays bounded however big the input. Only the Chinese goes to the workers (jieba's
cut is most of an import's work); the caller tokenises the English itself meanwhile, so one
worker fewer than the cores keeps every core busy without a process too many. Each worker
loads jieba once (from its dictionary cache in the data folder) and keeps the codebook's
Chinese keywords whole, as the in-process path does.

A worker that dies (killed, out of memory), cannot load jieba or raises makes the pool raise
one :class:`WorkerFailed` at once; leaving the pool on an error stops the workers. The workers
ignore Ctrl-C: the importing process handles it (and stops them).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from multiprocessing.pool import AsyncResult
from typing import Any

from annotator.errors import AnnotatorError

#: Seconds the pool's own shutdown is given after an error before its workers are killed.
STOP_S = 5.0
#: What a worker gives back per text: its (tokens, terms), space-separated as stored.
Cut = list[tuple[str, str]]


class WorkerFailed(AnnotatorError):
    """A worker process cutting the Chinese died or failed: the import stops as a whole."""


#: Why this worker could not load jieba (said by each batch it is given); empty when it could.
_failed: list[str] = []


def _start(keywords: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the importing process
    try:
        from annotator.nlp.tokenize import add_terms, load

        add_terms(keywords)
        load(("zh",))
    except Exception as exc:  # said in the importing process, not as a worker's traceback
        _failed.append(_reason(exc))
    quiet_collector()


def _reason(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())


def quiet_collector() -> None:
    """Spare the garbage collector the models and memos loaded so far and most of its
    collections: they look through every object a process holds, and cost a tokenising process
    up to half its time. What the process makes while it works is not made of cycles."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(QUIET_THRESHOLD, *gc.get_threshold()[1:])


def usual_collector() -> None:
    """The collector as Python sets it up."""
    gc.unfreeze()
    gc.set_threshold(*USUAL_THRESHOLD)


#: Allocations between the youngest generation's collections while tokenising (Python: 700).
QUIET_THRESHOLD = 20_000
USUAL_THRESHOLD = gc.get_threshold()


def _work(texts: Sequence[str]) -> Cut:
    from annotator.nlp.tokenize import language_terms

    if _failed:
        raise WorkerFailed(f"a worker process could not load jieba ({_failed[0]}); nothing was imported")
    return language_terms(texts, "zh")


def _context() -> Any:
    # fork: a worker starts in milliseconds; it loads jieba itself (the importing process,
    # which tokenises only the English, need not hold the Chinese dictionary); elsewhere spawn
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def worker_count() -> int:
    """One worker per core but the one the importing process itself keeps busy; at least one."""
    return max((os.cpu_count() or 1) - 1, 1)


class TokenizePool:
    """Worker processes cutting the Chinese of batches; use as a context manager."""

    def __init__(self, keywords: list[str], *, processes: int | None = None,
                 ahead: int | None = None) -> None:
        self.processes = processes or worker_count()
        self.ahead = ahead or 2 * self.processes + 1
        self._keywords = keywords
        self._pool: Any = None  # started with the first batch: a file refused early costs nothing
        self._pids: set[int | None] = set()
        self._pending: deque[tuple[Any, AsyncResult[Cut]]] = deque()

    def _start_pool(self) -> Any:
        return _context().Pool(self.processes, initializer=_start, initargs=(self._keywords,))

    def submit(self, tag: Any, texts: Sequence[str]) -> None:
        """Queue a batch of Chinese texts (empty ones are answered ("", ""))."""
        if self._pool is None:
            self._pool = self._start_pool()
            self._pids = {p.pid for p in self._workers()}
        self._pending.append((tag, self._pool.apply_async(_work, (list(texts),))))

    def ready(self) -> Iterator[tuple[Any, Cut]]:
        """The oldest answers already done, in order; waits for them while too many batches
        are in flight."""
        while self._pending and (len(self._pending) > self.ahead or self._pending[0][1].ready()):
            yield self._next()

    def drain(self) -> Iterator[tuple[Any, Cut]]:
        """Every answer still owed, in order."""
        while self._pending:
            yield self._next()

    def _next(self) -> tuple[Any, Cut]:
        tag, result = self._pending.popleft()
        while not result.ready():
            result.wait(0.1)
            if not result.ready() and self._lost_worker():
                raise WorkerFailed("a worker process cutting the Chinese stopped (killed, or out of"
                                   " memory); nothing was imported")
        try:
            return tag, result.get()
        except WorkerFailed:
            raise
        except Exception as exc:
            raise WorkerFailed(f"a worker process cutting the Chinese failed ({_reason(exc)});"
                               " nothing was imported") from exc

    def _workers(self) -> list[Any]:
        # multiprocessing.Pool's own list: it replaces a worker that died, and the batch that
        # worker held is never answered, so a death must be seen here
        return list(self._pool._pool)

    def _lost_worker(self) -> bool:
        """Whether a worker died (they never stop on their own while the pool is open)."""
        workers = self._workers()
        return {p.pid for p in workers} != self._pids or any(p.exitcode is not None for p in workers)

    def __enter__(self) -> TokenizePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pending.clear()
        if self._pool is None:
            return
        if exc[0] is None:
            self._pool.close()
            self._pool.join()
        else:
            self._stop()

    def _stop(self) -> None:
        """Stop the workers at once. ``Pool.terminate`` can wait for ever for the pool's own
        task thread (seen once in a few hundred runs, on a busy machine, after a worker
        raised): it is given :data:`STOP_S` seconds in a thread of its own, then the workers
        are killed, so an error never turns into a hang."""
        workers = self._workers()
        stopper = threading.Thread(target=self._pool.terminate, daemon=True)
        stopper.start()
        stopper.join(STOP_S)
        if stopper.is_alive():
            from multiprocessing.pool import TERMINATE

            self._pool._worker_handler._state = TERMINATE  # no worker replaced from now on
            for worker in workers + self._workers():
                with contextlib.suppress(Exception):
                    worker.kill()
                    worker.join(STOP_S)
