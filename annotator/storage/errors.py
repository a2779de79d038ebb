"""The storage engine's own error, for callers that report a damaged project file, and what
such an error means for the user's data, in one line."""

from sqlite3 import DatabaseError
from sqlite3 import Error as StorageError

__all__ = ["DatabaseError", "StorageError", "database_error_line"]


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
