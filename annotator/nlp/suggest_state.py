"""A built suggester's bookkeeping in compact form, for keeping it between starts.

Pickled as they are, the per-example dictionaries of a million-segment project (a few hundred
thousand keys) take seconds to load; as a few strings and integer arrays they take a fraction
of that. Only the form changes: :func:`unpack_examples` and :func:`unpack_spans` give back
equal dictionaries.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Joins the ids of many segments into one string (ids never hold it).
SEP = "\x00"


def pack_strings(items: Sequence[str]) -> str | list[str]:
    """``items`` as one string (a list when one holds :data:`SEP`)."""
    if any(SEP in s for s in items):
        return list(items)
    return SEP.join(items)


def unpack_strings(packed: str | list[str], n: int) -> list[str]:
    if isinstance(packed, list):
        return packed
    return packed.split(SEP) if n else []


def pack_examples(examples: dict[tuple[str, str], frozenset[str]], codes: Sequence[str]
                  ) -> dict[str, object]:
    """(coder, segment) → codes, as coders, segment ids and code bit masks over ``codes``."""
    bit = {c: 1 << i for i, c in enumerate(codes)}
    whos = sorted({w for w, _s in examples})
    who_index = {w: i for i, w in enumerate(whos)}
    keys = list(examples)
    return {
        "codes": list(codes), "whos": whos, "n": len(keys),
        "who": np.fromiter((who_index[w] for w, _s in keys), dtype=np.int32, count=len(keys)),
        "segments": pack_strings([s for _w, s in keys]),
        "masks": [sum(bit[c] for c in examples[k]) for k in keys],
    }


def unpack_examples(packed: dict[str, object]) -> dict[tuple[str, str], frozenset[str]]:
    codes: list[str] = packed["codes"]  # type: ignore[assignment]
    whos: list[str] = packed["whos"]  # type: ignore[assignment]
    n: int = packed["n"]  # type: ignore[assignment]
    masks: list[int] = packed["masks"]  # type: ignore[assignment]
    sets = {m: frozenset(c for i, c in enumerate(codes) if m >> i & 1) for m in set(masks)}
    who = list(map(whos.__getitem__, packed["who"].tolist()))  # type: ignore[attr-defined]
    segments = unpack_strings(packed["segments"], n)  # type: ignore[arg-type]
    return dict(zip(zip(who, segments, strict=True), map(sets.__getitem__, masks), strict=True))


def pack_spans(spans: dict[str, tuple[int, int]]) -> dict[str, object]:
    """segment → (start, end), as segment ids and two integer arrays."""
    keys = list(spans)
    bounds = np.array([spans[k] for k in keys], dtype=np.int64).reshape(-1, 2)
    return {"n": len(keys), "segments": pack_strings(keys), "bounds": bounds}


def unpack_spans(packed: dict[str, object]) -> dict[str, tuple[int, int]]:
    n: int = packed["n"]  # type: ignore[assignment]
    segments = unpack_strings(packed["segments"], n)  # type: ignore[arg-type]
    bounds = packed["bounds"]
    starts, ends = bounds[:, 0].tolist(), bounds[:, 1].tolist()  # type: ignore[index]
    return dict(zip(segments, zip(starts, ends, strict=True), strict=True))
