"""Reading the next rows in another thread while the caller works on the last ones.

SQLite lets go of Python's global lock while it searches its B-trees, so on a machine with a
second core the reads of the next document overlap the caller's work on this one. The reads
run one after the other in a single worker thread on the caller's connection (opened with
``check_same_thread=False``), inside the caller's transaction (a ``snapshot``): the caller must
not use the connection itself until the iterator is exhausted or closed, which waits for the
worker.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def read_ahead(keys: Iterable[K], read: Callable[[K], V], depth: int = 2) -> Generator[V, None, None]:
    """``read(key)`` for each of ``keys``, in order, read up to ``depth`` keys ahead in a worker
    thread; an error of ``read`` is raised here, when its result is due."""
    pending: deque[Future[V]] = deque()
    todo = iter(keys)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-reader") as pool:
        try:
            for key in todo:
                pending.append(pool.submit(read, key))
                if len(pending) > depth:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
