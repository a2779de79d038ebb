"""Writing chunks in another thread: deflating, checksumming and file writes release the GIL,
so an archive member compresses on the second core while the main thread makes its text."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType


class BackgroundWriter:
    """Calls ``write(chunk)`` for every chunk given, in order, in one worker thread, a few chunks
    behind at most. Use as a context manager: leaving it waits for the last chunk; an error in
    ``write`` is raised in the caller (at the next chunk or on leaving)."""

    def __init__(self, write: Callable[[bytes], object], ahead: int = 4):
        self._write = write
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=ahead)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="annotator-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._write(chunk)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc

    def __call__(self, chunk: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(chunk)

    def __enter__(self) -> BackgroundWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and kind is None:
            raise self._error
