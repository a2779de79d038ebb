"""Units that look alike, counted once: a report's pieces per distinct unit, with its count.

Two units on which every coder finished (or not) with the same codes contribute the same pieces
to every coefficient, so the report computes each distinct unit once and weights it by how many
units it stands for. A bootstrap resample still draws units (the same draws as over all units);
the draws of a resample are then counted per distinct unit, so a replicate stays a weighted sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement._matrix import FloatArray, IntArray
from annotator.agreement.done_codes import DoneCodes

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Patterns:
    """``table``: one column per distinct unit, in the order they first occur; ``weight``: how
    many units each stands for; ``of_unit``: the distinct unit of each unit."""

    table: DoneCodes
    weight: FloatArray
    of_unit: IntArray

    @property
    def n_units(self) -> int:
        return len(self.of_unit)


def distinct_rows(rows: npt.NDArray[Any]) -> tuple[IntArray, IntArray]:
    """(index of each row's distinct value, first row of each distinct value), distinct values
    numbered in the order they first occur. Rows are compared byte for byte."""
    n = rows.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if rows.shape[1] == 0:
        return np.zeros(n, dtype=np.int64), np.zeros(1, dtype=np.int64)
    if rows.dtype == bool:
        rows = np.packbits(rows, axis=1)
    raw = np.ascontiguousarray(rows).view(np.uint8).reshape(n, -1)
    index, first = _by_hash(raw)
    if not np.array_equal(raw, np.take(raw, first[index], axis=0)):  # two rows shared a hash: compare them whole
        index, first = _by_bytes(raw)
    return index, first


def _numbered(inverse: IntArray, first: IntArray) -> tuple[IntArray, IntArray]:
    """Distinct values renumbered in the order they first occur."""
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[inverse.reshape(-1)], first[order].astype(np.int64)


def _by_hash(raw: npt.NDArray[np.uint8]) -> tuple[IntArray, IntArray]:
    """Rows grouped by a 64-bit hash of their bytes (multiply-add of 8-byte words, wrapping)."""
    width = -(-raw.shape[1] // 8) * 8
    padded = raw if width == raw.shape[1] else np.pad(raw, ((0, 0), (0, width - raw.shape[1])))
    words = np.ascontiguousarray(padded).view(np.uint64)
    odd = _odd_multipliers(words.shape[1])
    h = np.zeros(len(words), dtype=np.uint64)
    for j in range(words.shape[1]):
        h = (h ^ words[:, j]) * odd[j]
        h ^= h >> np.uint64(29)
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    return _numbered(inverse, first)


def _odd_multipliers(n: int) -> npt.NDArray[np.uint64]:
    """``n`` fixed odd 64-bit multipliers (splitmix64 of 1..n; the same in every process). Only
    the grouping depends on the hash, never the numbering, so any odd constants would do: these
    are made without importing ``numpy.random`` (a hundredth of a second of every ``agree``)."""
    x = np.arange(1, n + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x | np.uint64(1)


def _by_bytes(raw: npt.NDArray[np.uint8]) -> tuple[IntArray, IntArray]:
    keys = np.ascontiguousarray(raw).view(np.dtype((np.void, raw.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return _numbered(inverse, first)


def distinct_units(table: DoneCodes) -> Patterns:
    """The distinct units of ``table`` (who finished them, with which codes)."""
    n_c, n_u, n_k = table.present.shape
    key = np.concatenate([table.done.T, table.present.transpose(1, 0, 2).reshape(n_u, n_c * n_k)], axis=1)
    of_unit, first = distinct_rows(key)
    weight = np.bincount(of_unit, minlength=len(first)).astype(np.float64)
    return Patterns(table.take(first), weight, of_unit)


