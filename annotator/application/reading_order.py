"""The reading order a coding screen moves through, read a window at a time: each document's
span of positions, the ids between two positions, the places of ids, and one coder's done
marks by place (a million segments open without reading every id)."""

from __future__ import annotations

from annotator.storage.coding import done_segments
from annotator.storage.reading_order import (
    count_done,
    document_positions,
    document_spans,
    done_positions,
    ids_between,
    places_of,
    places_of_keys,
    positions_of,
    positions_of_keys,
)

__all__ = [
    "count_done",
    "document_positions",
    "document_spans",
    "done_positions",
    "done_segments",
    "ids_between",
    "places_of",
    "places_of_keys",
    "positions_of",
    "positions_of_keys",
]
