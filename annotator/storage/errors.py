"""The storage engine's own error, for callers that report a damaged project file."""

from sqlite3 import DatabaseError

__all__ = ["DatabaseError"]
