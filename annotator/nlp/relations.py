"""Suggestions that use the codebook's relations between facets (``implies:``).

A burden type implies the AGIL dimension it belongs to. The relation is soft: how often a
coded segment's code of the implied facet *is* the implied code is its strength ``rho``,
counted from the coder's own examples with the codebook's statement as one agreeing example
(Laplace's rule of succession: ``(agree + 2) / (total + 3)``; 2/3 before any coding).

* **Model evidence, source -> target.** The source facet's scores ``p_b`` give a distribution
  over the target facet: each source code puts ``rho`` on the code it implies and
  ``(1 - rho) / (K - 1)`` on each other code, weighted by ``p_b``. The target facet's own
  distribution is multiplied by it and renormalised (a product of experts: the burden types'
  reading of the text is a second opinion on the dimension).
* **The coder's choices on the segment.** Chosen source codes (weight 1 each, the others 0)
  give the same kind of distribution, multiplied in the same way. A chosen code of a
  single-choice target facet changes each source code's odds by Bayes' rule with the
  likelihood ratio P(target chosen | code) / P(target chosen) = ``rho * K`` for the codes
  that imply it and ``(1 - rho) * K / (K - 1)`` for the others.

Pure functions over scores; no storage, no UI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from annotator.model import Codebook

FloatArray = npt.NDArray[np.float64]


@dataclass
class RelationCounts:
    """How often a coder's segment with a source code holds the code it implies."""

    targets: dict[str, dict[str, str]]  # source code -> {facet: implied code}
    facet_of: dict[str, str]
    agree: float = 0.0
    total: float = 0.0
    _facets: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, codebook: Codebook) -> RelationCounts:
        targets = {c.id: dict(c.implies) for c in codebook.codes if c.implies}
        facet_of = {c.id: c.facet for c in codebook.codes}
        return cls(targets, facet_of, _facets=frozenset(f for t in targets.values() for f in t))

    def add(self, codes: Iterable[str], sign: float = 1.0) -> None:
        """Count (sign=+1) or uncount (sign=-1) one coded segment."""
        codes = frozenset(codes)
        held = {self.facet_of.get(c) for c in codes}
        for code in codes:
            for facet, target in self.targets.get(code, {}).items():
                if facet in held:
                    self.total += sign
                    self.agree += sign * (target in codes)

    @property
    def rho(self) -> float:
        return (max(self.agree, 0.0) + 2.0) / (max(self.total, 0.0) + 3.0)


def implied(
    codebook: Codebook, target: str, weights: Mapping[str, float], rho: float
) -> FloatArray | None:
    """The distribution over ``target``'s codes that the source codes' ``weights`` imply."""
    facet = codebook.facet(target)
    if facet is None or len(facet.codes) < 2:
        return None
    index = {c.id: i for i, c in enumerate(facet.codes)}
    k = len(index)
    q = np.zeros(k)
    mass = 0.0
    for code in codebook.codes:
        to = dict(code.implies).get(target)
        w = float(weights.get(code.id, 0.0))
        if to is None or to not in index or w <= 0:
            continue
        row = np.full(k, (1.0 - rho) / (k - 1))
        row[index[to]] = rho
        q += w * row
        mass += w
    return q / mass if mass > 0 else None


def pool(p: FloatArray, q: FloatArray | None) -> FloatArray:
    """Product of two distributions over the same codes, renormalised."""
    if q is None or not len(p):
        return p
    out = p * q
    total = float(out.sum())
    return out / total if total > 0 else p


def odds_given_choice(p: FloatArray, implies_choice: Iterable[bool], k: int, rho: float) -> FloatArray:
    """Multi-choice source scores ``p`` after the coder chose a code of a K-code target facet."""
    ratio = np.array([rho * k if hit else (1.0 - rho) * k / (k - 1) for hit in implies_choice])
    odds = np.clip(p, 1e-9, 1 - 1e-9) / np.clip(1 - p, 1e-9, None) * ratio
    return odds / (1.0 + odds)


def relate_scores(
    codebook: Codebook,
    scores: Mapping[str, Mapping[str, float]],
    given: frozenset[str],
    rho: float,
) -> dict[str, dict[str, float]]:
    """Every facet's scores after its relations to the other facets (see the module notes).

    ``scores``: facet -> code -> score (single-choice facets: a distribution); ``given``: the
    codes the coder has applied to the segment. Facets without relations come back unchanged.
    """
    out = {f: dict(s) for f, s in scores.items()}
    for facet in codebook.facets:
        have = out.get(facet.id)
        if facet.multiple or not have:
            continue
        codes = [c.id for c in facet.codes if c.id in have]
        p = np.array([have[c] for c in codes], dtype=np.float64)
        if p.sum() <= 0:
            continue
        p = p / p.sum()
        sources = {c: s for f, fs in scores.items() if f != facet.id for c, s in fs.items()}
        chosen = dict.fromkeys(given, 1.0)
        full = [c.id for c in facet.codes]
        p_full = np.array([p[codes.index(c)] if c in codes else 0.0 for c in full])
        p_full = pool(p_full, implied(codebook, facet.id, sources, rho))
        p_full = pool(p_full, implied(codebook, facet.id, chosen, rho))
        out[facet.id] = {c: float(v) for c, v in zip(full, p_full, strict=True) if c in have}
        _given_target(codebook, facet.id, given, out, rho)
    return out


def _given_target(codebook: Codebook, target: str, given: frozenset[str],
                  out: dict[str, dict[str, float]], rho: float) -> None:
    """The coder chose a code of single-choice ``target``: update the codes that imply one of it."""
    facet = codebook.facet(target)
    if facet is None:
        return
    chosen = [c.id for c in facet.codes if c.id in given]
    if len(chosen) != 1:
        return
    for source in codebook.facets:
        have = out.get(source.id)
        if not source.multiple or not have or source.id == target:
            continue
        codes = [c for c in have if target in dict(codebook.code(c).implies)]  # type: ignore[union-attr]
        if not codes:
            continue
        hits = [dict(codebook.code(c).implies)[target] == chosen[0] for c in codes]  # type: ignore[union-attr]
        p = odds_given_choice(np.array([have[c] for c in codes]), hits, len(facet.codes), rho)
        have.update({c: float(v) for c, v in zip(codes, p, strict=True)})
