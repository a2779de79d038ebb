"""What to code next: the not-done segment the engine is least sure about (active learning).

Uncertainty sampling (Lewis and Gale 1994, "A Sequential Algorithm for Training Text
Classifiers"): coding the segment the model is least sure about teaches it most. With
calibrated scores (:mod:`annotator.nlp.calibration`) the facets speak the same language, so a
segment's uncertainty is the mean over the facets of

* single-choice facets: ``(1 - max p) / (1 - 1/K)`` (least confidence, 1 for an even split
  among all K codes);
* multi-choice facets: ``1 - |2p - 1|`` for the code closest to an even chance (1 when some
  code is exactly 0.5, 0 when every code is surely in or out).

A segment without any suggestion is the least sure of all (1.0). Pure functions; the coding
screen's order is the caller's business (``u`` stays "next not done").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from annotator.model import Codebook


def uncertainty(codebook: Codebook, codes: Sequence[Any]) -> float:
    """How unsure a segment's suggestions (``CodeSuggestion``-like: code, facet, score) are."""
    per_facet: list[float] = []
    for facet in codebook.facets:
        scores = [float(c.score) for c in codes if c.facet == facet.id]
        if not scores:
            per_facet.append(1.0)
        elif facet.multiple:
            per_facet.append(max(1.0 - abs(2.0 * s - 1.0) for s in scores))
        else:
            k = max(len(facet.codes), 2)
            per_facet.append((1.0 - max(scores) / max(sum(scores), 1e-12)) / (1.0 - 1.0 / k))
    return sum(per_facet) / len(per_facet) if per_facet else 1.0


def least_sure_first(segments: Iterable[str], unsure: Callable[[str], float]) -> list[str]:
    """``segments`` ordered least sure first (ties keep reading order)."""
    order = list(segments)
    score = {s: unsure(s) for s in order}
    return sorted(order, key=lambda s: -score[s])


def next_least_sure(segments: Iterable[str], unsure: Callable[[str], float]) -> str | None:
    """The least sure of ``segments`` (the first in reading order among equals)."""
    best, best_score = None, -1.0
    for seg in segments:
        score = unsure(seg)
        if score > best_score:
            best, best_score = seg, score
    return best
