"""Drawing the double-coding sample: proportional per stratum, seeded, reproducible."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.agreement.sampling import allocate, draw_sample

SEGMENTS = [(f"d{d}-{i:03d}", f"d{d}") for d, n in enumerate((40, 25, 10, 5)) for i in range(n)]


def test_allocation_is_proportional_and_sums_to_the_share() -> None:
    sizes = {"a": 40, "b": 25, "c": 10, "d": 5}
    got = allocate(sizes, 0.2)
    assert sum(got.values()) == round(0.2 * 80) == 16
    assert got == {"a": 8, "b": 5, "c": 2, "d": 1}
    # largest remainders: 0.3 x (3, 3, 4) = 0.9, 0.9, 1.2 -> floors 0, 0, 1; two more go to a, b
    assert allocate({"a": 3, "b": 3, "c": 4}, 0.3) == {"a": 1, "b": 1, "c": 1}
    with pytest.raises(ValueError):
        allocate(sizes, 0)


def test_sample_is_stratified_seeded_and_reproducible() -> None:
    one = draw_sample(SEGMENTS, 0.2, seed=7)
    assert one == draw_sample(SEGMENTS, 0.2, seed=7)
    assert one != draw_sample(SEGMENTS, 0.2, seed=8)
    assert Counter(s for _, s in one) == {"d0": 8, "d1": 5, "d2": 2, "d3": 1}
    assert one == sorted(one, key=SEGMENTS.index)  # reading order
    assert len(set(one)) == len(one)
    everything = draw_sample(SEGMENTS, 1.0, seed=1)
    assert everything == SEGMENTS
