"""Tokenising big imports in worker processes, one per core, answers handed back in order.

The caller submits batches of (zh, en) texts with a tag of its own and gets back, in the order
it submitted them, (tag, terms) pairs; at most ``ahead`` batches are in flight, so memory stays
bounded however big the input. Each worker loads jieba once (from its dictionary cache in the
data folder) and keeps the codebook's Chinese keywords whole, as the in-process path does.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from multiprocessing.pool import AsyncResult
from typing import Any

from annotator.model import SegmentTerms


def _start(keywords: list[str]) -> None:
    from annotator.nlp.tokenize import add_terms, load

    add_terms(keywords)
    load()


def _work(texts: Sequence[tuple[str, str]]) -> list[SegmentTerms]:
    from annotator.nlp.tokenize import segment_terms

    return segment_terms(texts)


def _context() -> Any:
    # fork: a worker starts in milliseconds with the parent's models (loaded before the fork,
    # while no other thread holds a lock of theirs); elsewhere spawn
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class TokenizePool:
    """Worker processes tokenising batches; use as a context manager."""

    def __init__(self, keywords: list[str], *, processes: int | None = None,
                 ahead: int | None = None) -> None:
        self.processes = processes or max(os.cpu_count() or 1, 1)
        self.ahead = ahead or 2 * self.processes + 1
        self._keywords = keywords
        self._pool: Any = None  # started with the first batch: a file refused early costs nothing
        self._pending: deque[tuple[Any, AsyncResult[list[SegmentTerms]]]] = deque()

    def _start_pool(self) -> Any:
        context = _context()
        if context.get_start_method() == "fork":
            _start(self._keywords)  # once, here: the workers inherit the loaded models
        return context.Pool(self.processes, initializer=_start, initargs=(self._keywords,))

    def submit(self, tag: Any, texts: Sequence[tuple[str, str]]) -> Iterator[tuple[Any, list[SegmentTerms]]]:
        """Queue a batch; yield the oldest answers while too many are in flight."""
        if self._pool is None:
            self._pool = self._start_pool()
        self._pending.append((tag, self._pool.apply_async(_work, (list(texts),))))
        while len(self._pending) > self.ahead:
            yield self._next()

    def drain(self) -> Iterator[tuple[Any, list[SegmentTerms]]]:
        """Every answer still owed, in order."""
        while self._pending:
            yield self._next()

    def _next(self) -> tuple[Any, list[SegmentTerms]]:
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
