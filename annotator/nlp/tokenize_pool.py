"""Cutting the Chinese of big imports in worker processes, answers handed back in order.

The caller submits batches of Chinese texts with a tag of its own and gets back, in the order
it submitted them, (tag, [(tokens, terms), ...]) pairs; at most ``ahead`` batches are in flight,
so memory stays bounded however big the input. Only the Chinese goes to the workers (jieba's
cut is most of an import's work); the caller tokenises the English itself meanwhile, so one
worker fewer than the cores keeps every core busy without a process too many. Each worker
loads jieba once (from its dictionary cache in the data folder) and keeps the codebook's
Chinese keywords whole, as the in-process path does.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from multiprocessing.pool import AsyncResult
from typing import Any

#: What a worker gives back per text: its (tokens, terms), space-separated as stored.
Cut = list[tuple[str, str]]


def _start(keywords: list[str]) -> None:
    from annotator.nlp.tokenize import add_terms, load

    add_terms(keywords)
    load(("zh",))
    quiet_collector()


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
        self._pending: deque[tuple[Any, AsyncResult[Cut]]] = deque()

    def _start_pool(self) -> Any:
        return _context().Pool(self.processes, initializer=_start, initargs=(self._keywords,))

    def submit(self, tag: Any, texts: Sequence[str]) -> None:
        """Queue a batch of Chinese texts (empty ones are answered ("", ""))."""
        if self._pool is None:
            self._pool = self._start_pool()
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
        return tag, result.get()

    def __enter__(self) -> TokenizePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pending.clear()
        if self._pool is None:
            return
        if exc[0] is None:
            self._pool.close()
        else:
            self._pool.terminate()
        self._pool.join()
