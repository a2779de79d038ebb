"""Suggestions that use the codebook's relations between facets (``implies:``).

A burden type implies the AGIL dimension it belongs to. The relation is soft: how often a
coded segment's code of the implied facet *is* the implied code is its strength ``rho``,
counted from the coder's own examples with the codebook's statement as one agreeing example
(Laplace's rule of succession: ``(agree + 2) / (total + 3)``; 2/3 before any coding).

* **Model evidence, source -> target.** The source facet's scores give a distribution over
  the target facet: each source code puts ``rho`` on the code it implies and
  ``(1 - rho) / (K - 1)`` on each other code, weighted by the code's chance of being the
  segment's main one (a multi-choice code's one-vs-rest probability as odds, ``p / (1 - p)``:
  normalised over the facet, the softmax of the codes' logits; a probability would let nine
  middling burden types drown the one the text is about). The target facet's own
  distribution and this one are pooled as ``own ** (1 - r) * implied ** r``, renormalised (a
  logarithmic opinion pool, Genest and Zidek 1986, "Combining Probability Distributions",
  Statistical Science 1(1)); the own distribution decides alone when no source code has
  evidence.
* **The relation weight ``r``** is a property of the project: how closely its coders place a
  segment's dimension where its burden types imply. It is fitted on the coder's own coded
  segments, each scored leave-one-out (:func:`fit_relation_weight`, called with the
  calibration's observations): of :data:`RELATION_WEIGHTS`, the one under which the coded
  codes are most likely once a temperature is fitted beside it (so ``r`` only sets the two
  opinions' relative weight, the temperature their joint sharpness). With fewer than
  :data:`MIN_FIT_SEGMENTS` coded segments it is :data:`DEFAULT_RELATION_WEIGHT`.
* **The coder's choices on the segment.** Chosen source codes (weight 1 each, the others 0)
  give the same kind of distribution, multiplied in the same way. A chosen code of a
  single-choice target facet changes each source code's odds by Bayes' rule with the
  likelihood ratio P(target chosen | code) / P(target chosen) = ``rho * K`` for the codes
  that imply it and ``(1 - rho) * K / (K - 1)`` for the others.

Pure functions over scores; no storage, no UI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from annotator.model import Codebook
from annotator.nlp.calibration import fit_temperature, temperature_nll

FloatArray = npt.NDArray[np.float64]

#: The relation weight ``r``: a single-choice facet's pooled ranking is ``own ** (1 - r) *
#: implied ** r`` (0: its own model alone; 1: only what the codes implying it say). Fitted per
#: project on the coder's segments (:func:`fit_relation_weight`); this is the weight before
#: there are :data:`MIN_FIT_SEGMENTS` of them: equal weights, as nothing yet says whether this
#: project's coders follow the codebook's placement more or less than the facet's own words.
DEFAULT_RELATION_WEIGHT = 0.5
#: The weights tried by the fit.
RELATION_WEIGHTS = tuple(i / 10 for i in range(11))
#: Coded segments (with a code of a related single-choice facet) needed before the weight is
#: fitted: below ten, leaving one segment out moves the choice among eleven weights by a
#: segment or two, and the temperature fitted beside it is still held by its prior.
MIN_FIT_SEGMENTS = 10


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


@dataclass(frozen=True)
class _Index:
    """A codebook's facets and relations as dictionaries (looked up on every suggestion)."""

    implies: dict[str, dict[str, str]]
    facet_codes: dict[str, list[str]]
    multiple: dict[str, bool]


_indexes: dict[int, tuple[Codebook, _Index]] = {}


def _index(codebook: Codebook) -> _Index:
    kept = _indexes.get(id(codebook))
    if kept is not None and kept[0] is codebook:
        return kept[1]
    index = _Index({c.id: dict(c.implies) for c in codebook.codes},
                   {f.id: [c.id for c in f.codes] for f in codebook.facets},
                   {f.id: f.multiple for f in codebook.facets})
    if len(_indexes) > 32:
        _indexes.clear()
    _indexes[id(codebook)] = (codebook, index)
    return index


def implied(
    codebook: Codebook, target: str, weights: Mapping[str, float], rho: float
) -> FloatArray | None:
    """The distribution over ``target``'s codes that the source codes' ``weights`` imply."""
    index = _index(codebook)
    codes = index.facet_codes.get(target, [])
    if len(codes) < 2:
        return None
    position = {c: i for i, c in enumerate(codes)}
    k = len(codes)
    q = np.zeros(k)
    mass = 0.0
    for code, w in weights.items():
        to = index.implies.get(code, {}).get(target)
        if to is None or to not in position or w <= 0:
            continue
        row = np.full(k, (1.0 - rho) / (k - 1))
        row[position[to]] = rho
        q += w * row
        mass += w
    return q / mass if mass > 0 else None


def _as_weight(score: float, multiple: bool) -> float:
    """A source code's weight in :func:`implied`: a multi-choice code's one-vs-rest probability
    as odds (normalised over the facet they are the softmax of the codes' logits: the chance
    that the code is the segment's main one), a single-choice code's probability as it is."""
    if not multiple:
        return score
    p = min(max(score, 0.0), 1.0 - 1e-6)
    return p / (1.0 - p)


def _weighed(p: FloatArray, weight: float) -> FloatArray:
    """``p ** weight`` renormalised (a distribution's weight in a logarithmic opinion pool)."""
    if weight == 1.0:
        return p
    out = np.power(np.clip(p, 1e-12, None), weight)
    return out / out.sum()


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
    weight: float = DEFAULT_RELATION_WEIGHT,
) -> dict[str, dict[str, float]]:
    """Every facet's scores after its relations to the other facets (see the module notes).

    ``scores``: facet -> code -> score (single-choice facets: a distribution); ``given``: the
    codes the coder has applied to the segment; ``weight``: the relation weight (see
    :data:`DEFAULT_RELATION_WEIGHT`). Facets without relations come back unchanged.
    """
    out = {f: dict(s) for f, s in scores.items()}
    index = _index(codebook)
    for facet_id, full in index.facet_codes.items():
        have = out.get(facet_id)
        if index.multiple[facet_id] or not have:
            continue
        p_full = np.array([have.get(c, 0.0) for c in full], dtype=np.float64)
        if p_full.sum() <= 0:
            continue
        p_full = p_full / p_full.sum()
        sources = {c: _as_weight(s, index.multiple.get(f, False))
                   for f, fs in scores.items() if f != facet_id for c, s in fs.items()}
        q = implied(codebook, facet_id, sources, rho)
        if q is not None:
            p_full = pool(_weighed(p_full, 1.0 - weight), _weighed(q, weight))
        p_full = pool(p_full, implied(codebook, facet_id, dict.fromkeys(given, 1.0), rho))
        out[facet_id] = {c: float(v) for c, v in zip(full, p_full, strict=True) if c in have}
        _given_target(index, facet_id, given, out, rho)
    return out


def _given_target(index: _Index, target: str, given: frozenset[str],
                  out: dict[str, dict[str, float]], rho: float) -> None:
    """The coder chose a code of single-choice ``target``: update the codes that imply one of it."""
    chosen = [c for c in index.facet_codes.get(target, []) if c in given]
    if len(chosen) != 1:
        return
    for source, multiple in index.multiple.items():
        have = out.get(source)
        if not multiple or not have or source == target:
            continue
        codes = [c for c in have if target in index.implies.get(c, {})]
        if not codes:
            continue
        hits = [index.implies[c][target] == chosen[0] for c in codes]
        p = odds_given_choice(np.array([have[c] for c in codes]), hits,
                              len(index.facet_codes[target]), rho)
        have.update({c: float(v) for c, v in zip(codes, p, strict=True)})


def implied_by(codebook: Codebook, code: str) -> dict[str, str]:
    """{facet: code} that ``code`` implies (empty for an unknown code)."""
    return _index(codebook).implies.get(code, {})



#: A coded segment for the fit: (facet -> code -> score before relations, the coded codes, rho
#: without this segment).
Observation = tuple[Mapping[str, Mapping[str, float]], frozenset[str], float]


def _opinions(codebook: Codebook, observations: Sequence[Observation]
              ) -> tuple[list[tuple[FloatArray, FloatArray]], list[int]]:
    """Per coded segment and related single-choice facet: the log of its own distribution and of
    the one the other codes imply (the pools at weights 0 and 1), and the coded code's position
    (segments without exactly one coded code of the facet are skipped)."""
    index = _index(codebook)
    targets = {f for t in index.implies.values() for f in t if not index.multiple.get(f, True)}
    logs: list[tuple[FloatArray, FloatArray]] = []
    gold: list[int] = []
    for scores, coded, rho in observations:
        own = relate_scores(codebook, scores, frozenset(), rho, 0.0)
        implied_ = relate_scores(codebook, scores, frozenset(), rho, 1.0)
        for facet in targets & set(own):
            codes = list(own[facet])
            hit = [i for i, c in enumerate(codes) if c in coded]
            p = np.array([own[facet][c] for c in codes], dtype=np.float64)
            q = np.array([implied_[facet][c] for c in codes], dtype=np.float64)
            if len(hit) == 1 and len(codes) > 1 and p.sum() > 0 and q.sum() > 0:
                logs.append((np.log(np.clip(p / p.sum(), 1e-12, None)),
                             np.log(np.clip(q / q.sum(), 1e-12, None))))
                gold.append(hit[0])
    return logs, gold


def _pooled(logs: Sequence[tuple[FloatArray, FloatArray]], weight: float) -> list[FloatArray]:
    out = []
    for own, imp in logs:
        logp = (1.0 - weight) * own + weight * imp
        p = np.exp(logp - logp.max())
        out.append(p / p.sum())
    return out


def fit_relation_weight(codebook: Codebook, observations: Sequence[Observation],
                        weights: Sequence[float] = RELATION_WEIGHTS) -> float:
    """The relation weight under which the coded codes of the related single-choice facets are
    most likely (negative log likelihood after a fitted temperature); ties go to the weight
    nearest :data:`DEFAULT_RELATION_WEIGHT`, too few segments give it."""
    logs, gold = _opinions(codebook, observations)
    if len(logs) < MIN_FIT_SEGMENTS:
        return DEFAULT_RELATION_WEIGHT
    best, best_nll = DEFAULT_RELATION_WEIGHT, float("inf")
    for weight in sorted(weights, key=lambda w: abs(w - DEFAULT_RELATION_WEIGHT)):
        dists = _pooled(logs, weight)
        nll = temperature_nll(fit_temperature(dists, gold), dists, gold)
        if nll < best_nll - 1e-9:
            best, best_nll = weight, nll
    return best
