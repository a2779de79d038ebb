"""Stored time stamps become REFI-QDA's ``xsd:dateTime`` the same way whether they take the quick
path (annotator's own UTC stamps) or are parsed in full (anything else)."""

from __future__ import annotations

import random

from annotator.io.refi_export import refi_stamp
from tests.io.refi_reference.independent import refi_stamp as parsed_in_full


def test_stamps_as_annotator_writes_them_are_cut_to_the_second() -> None:
    assert refi_stamp("2026-01-02T03:04:05.678Z") == "2026-01-02T03:04:05Z"
    assert refi_stamp("2024-02-29T23:59:59+00:00") == "2024-02-29T23:59:59Z"
    assert refi_stamp("2023-02-29T10:00:00.000Z") is None  # no such day
    assert refi_stamp("2026-01-02T03:04:05+08:00") == "2026-01-01T19:04:05Z"
    assert refi_stamp("") is None and refi_stamp(None) is None and refi_stamp("yesterday") is None


def test_quick_path_agrees_with_full_parsing_on_many_stamps() -> None:
    rng = random.Random(7)
    for _ in range(20_000):
        year = rng.choice([rng.randint(1, 9999), 2024, 2026, 1900])
        stamp = (f"{year:04d}-{rng.randint(0, 13):02d}-{rng.randint(0, 32):02d}"
                 f"T{rng.randint(0, 25):02d}:{rng.randint(0, 61):02d}:{rng.randint(0, 61):02d}"
                 + rng.choice(["", ".123", ".123456", ".1", ".12345"])
                 + rng.choice(["Z", "+00:00", "", "+08:00", "-05:00"]))
        assert refi_stamp(stamp) == parsed_in_full(stamp), stamp
