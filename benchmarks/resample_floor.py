"""The floor of a bootstrap over units: only the resampling arithmetic, in numpy.

Run: python -m benchmarks.resample_floor UNITS [--bootstrap B] [--seed S]

Draws ``B`` resamples of ``UNITS`` units with replacement (32-bit draws, 4 million at a time, as
``agree`` does), counts each unit's draws (``bincount``) and sums one per-unit value with those
counts (a matrix-vector product): what any bootstrap over units costs however its statistics
are computed. ``bench_scale.py`` times it, after the ``sqlite3`` read of the rows, as the floor
of ``agree`` with bootstrap intervals.
"""

from __future__ import annotations

import argparse

import numpy as np


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("units", type=int)
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    n = max(args.units, 1)
    rng = np.random.default_rng(args.seed)
    values = rng.random(n)
    per_chunk = max(1, 4_000_000 // n)
    total = 0.0
    done = 0
    while done < args.bootstrap:
        k = min(per_chunk, args.bootstrap - done)
        idx = rng.integers(0, n, size=(k, n), dtype=np.int32)
        idx += (np.arange(k, dtype=np.int32) * n)[:, None]
        w = np.bincount(idx.ravel(), minlength=k * n).reshape(k, n)
        total += float((w @ values).sum())
        done += k
    print(f"{total:.3f}")


if __name__ == "__main__":
    main()
