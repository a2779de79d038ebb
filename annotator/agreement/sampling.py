"""Drawing a double-coding sample: a seeded, stratified share of the segments.

Each stratum (a document, or a value of a document attribute) contributes in proportion to its
size: quotas share x n_stratum are rounded down and the segments left over to reach
round(share x N) go to the strata with the largest remainders (Hamilton's method), ties to the
earlier stratum. Within a stratum segments are drawn without replacement by
``numpy.random.default_rng(seed)``, strata taken in order, so the same input and seed give the
same sample.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np


def allocate(sizes: Mapping[str, int], share: float) -> dict[str, int]:
    """Segments to draw per stratum (largest-remainder rounding of share x size)."""
    if not 0.0 < share <= 1.0:
        raise ValueError(f"share must be above 0 and at most 1, got {share}")
    total = round(share * sum(sizes.values()))
    quotas = {k: share * n for k, n in sizes.items()}
    out = {k: math.floor(q) for k, q in quotas.items()}
    order = sorted(quotas, key=lambda k: -(quotas[k] - out[k]))  # stable: earlier stratum first
    for k in order[: max(0, total - sum(out.values()))]:
        out[k] += 1
    return out


def draw_sample(segments: Sequence[tuple[str, str]], share: float, seed: int) -> list[tuple[str, str]]:
    """(segment, stratum) pairs in reading order -> the sampled pairs, in reading order."""
    strata: dict[str, list[int]] = {}
    for i, (_, stratum) in enumerate(segments):
        strata.setdefault(stratum, []).append(i)
    quota = allocate({k: len(v) for k, v in strata.items()}, share)
    rng = np.random.default_rng(seed)
    chosen: list[int] = []
    for stratum, idx in strata.items():
        if quota[stratum]:
            chosen.extend(int(i) for i in rng.choice(idx, size=quota[stratum], replace=False))
    return [segments[i] for i in sorted(chosen)]
