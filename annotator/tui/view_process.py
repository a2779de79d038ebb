"""The lead's "coders disagree" filter worked out in a process of its own.

The filter reads every coder's done marks and codes and compares them (two to three seconds at
a million segments). In a worker thread of the screen's process, its numpy steps hold the
interpreter lock for tens of milliseconds at a time, and a key pressed meanwhile waits for them.
Here a child process reads the project (one snapshot) and writes, per document, the positions of
the segments the filter keeps to a pipe; the screen's worker only waits for it (the lock
released) and then places them in the reading order. No Textual here.

The child writes one line of JSON (``[[document, count], ...]``), then every document's
positions as little-endian int64, in the order of that line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

#: From this many segments in the reading order the filter is worked out in a child process.
#: Below it each numpy step holds the lock for a few milliseconds at most, and the screen's
#: worker lands the filter sooner than a child can (at 100,000 segments: 0.4-0.5 s in the worker,
#: 0.6 s through a child, with keys alike).
APART_FROM = 250_000
#: Seconds between looks, while the child works, at whether the filter was cancelled.
LOOK_S = 0.05

Groups = list[tuple[str, npt.NDArray[np.int64]]]


class Cancelled(Exception):
    """A newer search or filter (or esc) replaced this one; the child was stopped."""


class ChildFailed(Exception):
    """The child process gave no answer (its last line of error output, if any)."""


def disagreeing_groups_apart(path: Path, exclude: str | None,
                             cancelled: Callable[[], bool] = lambda: False) -> Groups:
    """(document, positions) of the segments whose coders disagree (``exclude``: leave that
    coder out), read by a child process. Raises :class:`Cancelled` once ``cancelled()`` is true
    (the child is stopped), :class:`ChildFailed` when the child fails."""
    argv = [sys.executable, "-m", "annotator.tui.view_process", str(path), *([exclude] if exclude else [])]
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except OSError as exc:
        raise ChildFailed(str(exc)) from None
    try:
        while True:
            try:
                out, err = proc.communicate(timeout=LOOK_S)
                break
            except subprocess.TimeoutExpired:
                if cancelled():
                    raise Cancelled() from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if proc.returncode != 0:
        lines = err.decode(errors="replace").strip().splitlines()
        raise ChildFailed(lines[-1] if lines else f"exit status {proc.returncode}")
    return decode(out)


def encode(groups: Sequence[tuple[str, npt.NDArray[np.int64]]]) -> bytes:
    head = json.dumps([[document, len(positions)] for document, positions in groups], ensure_ascii=False)
    body = b"".join(np.asarray(positions, dtype="<i8").tobytes() for _document, positions in groups)
    return head.encode() + b"\n" + body


def decode(data: bytes) -> Groups:
    head, _, body = data.partition(b"\n")
    try:
        counts = json.loads(head)
    except ValueError:
        raise ChildFailed("the filter's answer is not readable") from None
    values = np.frombuffer(body, dtype="<i8").astype(np.int64)
    if sum(n for _document, n in counts) != len(values):
        raise ChildFailed("the filter's answer was cut short")
    groups: Groups = []
    start = 0
    for document, n in counts:
        groups.append((document, values[start:start + n]))
        start += n
    return groups


def main(argv: Sequence[str]) -> int:
    from annotator.application.filters import disagreeing_keys
    from annotator.application.project_file import open_project
    from annotator.application.reading_order import positions_of_keys

    path, exclude = Path(argv[0]), (argv[1] if len(argv) > 1 else None)
    with open_project(path) as project, project.snapshot():
        keys = disagreeing_keys(project, exclude=exclude)
        groups = list(positions_of_keys(project, keys.tolist()))
    sys.stdout.buffer.write(encode(groups))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
