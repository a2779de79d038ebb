"""Many strings kept as one, for keeping a built suggester between starts.

Pickled one by one, the hundreds of thousands of terms of a million-segment project's
vocabulary take seconds to load; joined into one string they take a fraction of that.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Joins the ids of many segments into one string (ids never hold it).
SEP = "\x00"


def pack_strings(items: Sequence[str]) -> str | list[str]:
    """``items`` as one string (a list when one holds :data:`SEP`)."""
    joined = SEP.join(items)
    if joined.count(SEP) != max(len(items) - 1, 0):  # one of them holds it
        return list(items)
    return joined


def unpack_strings(packed: str | list[str], n: int) -> list[str]:
    if isinstance(packed, list):
        return packed
    return packed.split(SEP) if n else []
