"""Distances between set-valued codings: MASI and Jaccard.

Passonneau, R. (2006). "Measuring Agreement on Set-valued Items (MASI) for Semantic and Pragmatic
Annotation". LREC 2006.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _as_set(value: Iterable[Any]) -> frozenset[Any]:
    if isinstance(value, str | bytes):
        raise ValueError("a set of codes is expected, not a string")
    return frozenset(value)


def jaccard_distance(a: Iterable[Any], b: Iterable[Any]) -> float:
    """1 - |A & B| / |A | B|; two empty sets are identical (distance 0).

    Jaccard (1912); used as a set distance for alpha by Passonneau (2006).
    """
    sa, sb = _as_set(a), _as_set(b)
    union = len(sa | sb)
    if union == 0:
        return 0.0
    return 1.0 - len(sa & sb) / union


def masi_similarity(a: Iterable[Any], b: Iterable[Any]) -> float:
    """Jaccard x monotonicity (Passonneau 2006).

    Monotonicity M is 1 if A = B, 2/3 if one is a subset of the other, 1/3 if they overlap
    otherwise and 0 if they are disjoint. Two empty sets are identical (similarity 1).
    """
    sa, sb = _as_set(a), _as_set(b)
    if sa == sb:
        return 1.0
    inter = len(sa & sb)
    if inter == 0:
        return 0.0
    jaccard = inter / len(sa | sb)
    monotonicity = 2.0 / 3.0 if (sa <= sb or sb <= sa) else 1.0 / 3.0
    return jaccard * monotonicity


def masi_distance(a: Iterable[Any], b: Iterable[Any]) -> float:
    """MASI distance, 1 - Jaccard x monotonicity (Passonneau 2006)."""
    return 1.0 - masi_similarity(a, b)
