"""What the coding screen reads of segments: one segment, its terms, the parts of it a coder's
annotations were made on, short previews for the outline, the documents, and text search (with
the pages it reads read ahead)."""

from __future__ import annotations

from annotator.storage.documents import (
    document_title,
    get_segment,
    search_segments,
    segment_order,
    segment_terms,
)
from annotator.storage.snippets import segment_snippets
from annotator.storage.spans import segment_spans
from annotator.storage.warm_pages import warm_search_pages

__all__ = [
    "document_title",
    "get_segment",
    "search_segments",
    "segment_order",
    "segment_snippets",
    "segment_spans",
    "segment_terms",
    "warm_search_pages",
]
