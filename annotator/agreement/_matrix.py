"""Input normalisation: a reliability matrix (coders x units) to integer category codes.

Layout follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": one row per
coder, one column per unit, ``None`` (or NaN in a numpy array) where a coder did not code a unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Placeholder for a missing value in the integer code matrix.
MISSING = -1

SET_LEVELS = frozenset({"masi", "jaccard"})


@dataclass(frozen=True)
class Coded:
    """A reliability matrix as integer codes.

    ``codes[c, u]`` is the index into ``categories`` of coder ``c``'s value for unit ``u``, or
    ``MISSING``.
    """

    codes: IntArray
    categories: tuple[Any, ...]

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[1])

    @property
    def q(self) -> int:
        return len(self.categories)

    def unit_counts(self) -> FloatArray:
        """Units x categories matrix: how many coders put each unit in each category.

        Computed once per matrix (every coefficient of a report starts from it); read-only."""
        cached: FloatArray | None = self.__dict__.get("_unit_counts")
        if cached is None:
            cached = self._count_units()
            cached.flags.writeable = False
            object.__setattr__(self, "_unit_counts", cached)
        return cached

    def _count_units(self) -> FloatArray:
        n, q = self.n_units, self.q
        units = np.broadcast_to(np.arange(n), self.codes.shape)
        mask = self.codes != MISSING
        flat = units[mask] * q + self.codes[mask]
        counts = np.bincount(flat, minlength=n * q).astype(np.float64)
        return counts.reshape(n, q)

    def take_units(self, idx: IntArray) -> Coded:
        # np.take: the same copy as codes[:, idx], several times faster (as wherever units are taken)
        return Coded(np.take(self.codes, idx, axis=1), self.categories)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, np.floating) and bool(np.isnan(value))


def _to_set(value: object) -> frozenset[Any]:
    if isinstance(value, frozenset):
        return value
    if isinstance(value, set | list | tuple):
        return frozenset(value)
    raise ValueError(
        f"set-valued level needs sets (or lists/frozensets) of codes, got {type(value).__name__}"
    )


def _sort_key_for_set(s: frozenset[Any]) -> tuple[int, list[str]]:
    return (len(s), sorted(map(str, s)))


def _as_whole_set(value: Any) -> Any:
    """A set- or list-valued value at a non-set level: compared as one whole set."""
    if isinstance(value, set | list):
        return frozenset(value)
    return value


def _check_finite(value: Any) -> None:
    if isinstance(value, float | np.floating) and math.isinf(value):
        raise ValueError(f"value {value!r} is infinite; agreement needs finite values")


def check_categories(categories: Sequence[Any]) -> None:
    """Refuse ``categories`` with NaN, infinite or repeated entries (their meaning is unknown)."""
    seen: set[Any] = set()
    for c in categories:
        if _is_missing(c):
            raise ValueError("categories contain NaN or None; list each category once, all defined")
        _check_finite(c)
        try:
            key = frozenset(c) if isinstance(c, set | list) else c
            if key in seen:
                raise ValueError(f"category {c!r} is listed twice in categories")
            seen.add(key)
        except TypeError:
            raise ValueError(f"category {c!r} is not hashable") from None


def _sorted_categories(values: Iterable[Any], *, sets: bool) -> tuple[Any, ...]:
    distinct = list(dict.fromkeys(values))
    if sets or any(isinstance(v, frozenset) for v in distinct):
        return tuple(sorted(distinct, key=_sort_key_for_set))
    try:
        return tuple(sorted(distinct))
    except TypeError:
        return tuple(distinct)


def _check_shape(rows: int) -> None:
    if rows < 2:
        raise ValueError(f"a reliability matrix needs at least two coders (rows), got {rows}")


def _small_integer_codes(observed: FloatArray) -> tuple[IntArray, tuple[Any, ...]] | None:
    """Codes in O(n) (no sort) when the values are integers in a small range; else None."""
    if observed.size == 0:
        return None
    lo, hi = float(observed.min()), float(observed.max())
    if hi - lo > 4 * observed.size + 1024:
        return None
    shifted = observed - lo
    as_int = shifted.astype(np.int64)
    if not np.array_equal(as_int, shifted):
        return None
    used = np.bincount(as_int) > 0
    lookup = np.cumsum(used) - 1
    cats = tuple(float(v) + lo for v in np.flatnonzero(used))
    return lookup[as_int].astype(np.int64), cats


def _from_array(arr: npt.NDArray[Any], categories: Sequence[Any] | None) -> Coded:
    if arr.ndim != 2:
        raise ValueError(f"a reliability matrix must be 2-D (coders x units), got {arr.ndim}-D")
    _check_shape(arr.shape[0])
    if arr.dtype.kind in "fiub":
        values = arr.astype(np.float64, copy=False)
        mask = ~np.isnan(values)
        observed = values[mask]
        if np.isinf(observed).any():
            raise ValueError("the matrix holds an infinite value; agreement needs finite values")
        small = _small_integer_codes(observed) if categories is None else None
        if small is not None:
            inverse, category_tuple = small
        elif categories is None:
            cats, inverse = np.unique(observed, return_inverse=True)
            category_tuple = tuple(float(c) for c in cats)
        else:
            cat_arr = np.asarray([float(c) for c in categories], dtype=np.float64)
            order = np.argsort(cat_arr, kind="stable")
            sorted_cats = cat_arr[order]
            pos = np.searchsorted(sorted_cats, observed)
            pos_clipped = np.minimum(pos, len(sorted_cats) - 1)
            if len(sorted_cats) == 0 or not np.all(sorted_cats[pos_clipped] == observed):
                bad = observed[(len(sorted_cats) == 0) | (sorted_cats[pos_clipped] != observed)]
                raise ValueError(f"value {bad[0]!r} is not one of the given categories")
            inverse = order[pos_clipped]
            category_tuple = tuple(categories)
        codes = np.full(values.shape, MISSING, dtype=np.int64)
        codes[mask] = inverse.reshape(-1)
        return Coded(codes, category_tuple)
    # object / string arrays: go through the generic path row by row
    return _from_rows([list(row) for row in arr], categories, sets=False)


def _from_rows(rows: Sequence[Sequence[Any]], categories: Sequence[Any] | None, *, sets: bool) -> Coded:
    _check_shape(len(rows))
    lengths = {len(r) for r in rows}
    if len(lengths) != 1:
        raise ValueError(f"ragged reliability matrix: coder rows have different lengths {sorted(lengths)}")
    n_units = lengths.pop()
    flat: list[Any] = []
    for row in rows:
        for v in row:
            if _is_missing(v):
                flat.append(None)
            else:
                _check_finite(v)
                flat.append(_to_set(v) if sets else _as_whole_set(v))
    present = [v for v in flat if v is not None]
    if categories is None:
        cats = _sorted_categories(present, sets=sets)
    else:
        cats = tuple(_to_set(c) for c in categories) if sets else tuple(_as_whole_set(c) for c in categories)
    index = {c: i for i, c in enumerate(cats)}
    codes_flat = np.full(len(flat), MISSING, dtype=np.int64)
    for i, v in enumerate(flat):
        if v is None:
            continue
        try:
            codes_flat[i] = index[v]
        except KeyError:
            raise ValueError(f"value {v!r} is not one of the given categories") from None
        except TypeError:
            raise ValueError(f"value {v!r} is not hashable; use a set level for sets") from None
    return Coded(codes_flat.reshape(len(rows), n_units), cats)


def to_coded(data: Any, categories: Sequence[Any] | None = None, *, sets: bool = False) -> Coded:
    """Normalise ``data`` (list of coder rows, or a 2-D numpy array) to a :class:`Coded` matrix.

    ``sets=True`` reads every value as a set of codes (for MASI / Jaccard).
    At any other level a set or list value is one whole value (exact-set agreement).
    Raises ``ValueError`` for ragged rows, fewer than two coders, infinite values, values outside
    ``categories`` and ``categories`` with NaN or repeated entries.
    """
    if isinstance(data, Coded):
        return data
    if categories is not None:
        check_categories(categories)
    if isinstance(data, np.ndarray) and not sets:
        return _from_array(data, categories)
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise ValueError(f"a reliability matrix must be 2-D, got {data.ndim}-D")
        return _from_rows([list(r) for r in data], categories, sets=True)
    if isinstance(data, str | bytes) or not isinstance(data, Sequence):
        raise ValueError("a reliability matrix must be a list of coder rows or a 2-D numpy array")
    rows = list(data)
    for r in rows:
        if isinstance(r, str | bytes) or not isinstance(r, Sequence | np.ndarray):
            raise ValueError("each coder row must be a list of values, one per unit")
    return _from_rows(rows, categories, sets=sets)


def numeric_categories(coded: Coded, level: str) -> FloatArray:
    """The categories as floats, for the interval / ratio / ordinal distances."""
    try:
        values = np.asarray([float(c) for c in coded.categories], dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"level {level!r} needs numeric values") from None
    if level == "ratio" and (values < 0).any():
        raise ValueError(f"ratio data cannot be negative (got {values.min():g}); use 'interval'")
    return values


def check_ordinal_order(coded: Coded, categories: Sequence[Any] | None) -> None:
    """Ordinal values that are not numbers have no known order unless ``categories`` gives it."""
    if categories is not None:
        return
    for c in coded.categories:
        if isinstance(c, bool) or not isinstance(c, int | float | np.integer | np.floating):
            raise ValueError(
                f"ordinal value {c!r} is not a number, so its rank is unknown; "
                "pass categories= in their order"
            )
