"""The storage engine's own error, for callers that report a damaged project file, and what
such an error means for the user's data, in one line."""

import signal
from collections.abc import Callable
from sqlite3 import DatabaseError
from sqlite3 import Error as StorageError
from typing import Any

__all__ = ["DatabaseError", "StorageError", "database_error_line", "interrupt_noted", "interrupted",
           "sql_function"]

#: Whether Ctrl-C came while SQLite was calling one of our Python functions: SQLite then reports
#: "user-defined function raised exception" and the ``KeyboardInterrupt`` itself is lost.
_INTERRUPTED_IN_SQL = [False]
_UDF_FAILED = "user-defined function raised exception"


def sql_function(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` as a function SQLite calls, noting a Ctrl-C that arrives during it (see
    :func:`interrupted`)."""

    def call(*args: Any) -> Any:
        try:
            return fn(*args)
        except KeyboardInterrupt:
            _INTERRUPTED_IN_SQL[0] = True
            raise

    return call


def interrupt_noted(signum: int, frame: Any) -> None:
    """A SIGINT handler for a program whose SQLite calls our functions: Python's own (it raises
    ``KeyboardInterrupt``), having first noted the Ctrl-C. Python may raise it as such a
    function starts, before :func:`sql_function`'s ``try`` is entered; the note is made all the
    same (a test's Ctrl-C landed there and was reported as a damaged file)."""
    _INTERRUPTED_IN_SQL[0] = True
    signal.default_int_handler(signum, frame)


def interrupted(exc: StorageError) -> bool:
    """Whether ``exc`` is SQLite's report of a Ctrl-C inside one of our functions: the user
    interrupted, the file is not damaged."""
    return _INTERRUPTED_IN_SQL[0] and _UDF_FAILED in str(exc)


def database_error_line(exc: StorageError) -> str:
    """What a SQLite error means for the project file, in one line."""
    text = str(exc)
    if "disk is full" in text or "database or disk is full" in text:
        return ("the disk is full (the project's, or the temporary folder's, where SQLite"
                " sorts): nothing was changed in the project; free some space and try again")
    if "readonly" in text or "read-only" in text:
        return "the project file is read-only: nothing was changed"
    if "disk I/O error" in text:
        return ("a disk input/output error while using the project file; run 'annotator check'"
                " or restore a backup")
    return (f"cannot read the project file ({text}); it may be damaged:"
            " run 'annotator check' or restore a backup")
