"""Agreement benchmarks: our nominal alpha beside the `krippendorff` package, and a full report.

Run: python3 benchmarks/bench_agreement.py   (prints one line per figure; asserts nothing)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from annotator.agreement import bootstrap_ci, krippendorff_alpha
from annotator.agreement.report import build_report
from annotator.model import Bilingual, Code, Codebook, Facet

REPEATS = 5


def _median_time(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _line(name: str, ours: float, baseline: float | None) -> None:
    if baseline is None:
        print(f"{name:<48} ours {ours:8.3f} s  baseline        -  ratio     -")
    else:
        print(f"{name:<48} ours {ours:8.3f} s  baseline {baseline:8.3f} s  ratio {ours / baseline:5.2f}")


def nominal_data(coders: int = 5, units: int = 100_000, q: int = 10) -> np.ndarray:
    rng = np.random.default_rng(0)
    data = rng.integers(0, q, size=(coders, units)).astype(float)
    agree = rng.random(units) < 0.7
    data[:, agree] = data[0, agree]
    data[rng.random(data.shape) < 0.10] = np.nan
    return data


def report_inputs(
    segments: int = 10_000, coders: tuple[str, ...] = ("ann", "bob", "cy")
) -> tuple[Codebook, dict[str, dict[str, frozenset[str]]]]:
    single = Facet("dimension", tuple(Code(f"d{i}", "dimension", Bilingual(en=f"D{i}")) for i in range(10)))
    multi = Facet(
        "burden",
        tuple(Code(f"b{i}", "burden", Bilingual(en=f"B{i}")) for i in range(10)),
        multiple=True,
    )
    rng = np.random.default_rng(1)
    states: dict[str, dict[str, frozenset[str]]] = {}
    for s in range(segments):
        base_d = f"d{rng.integers(10)}"
        base_b = {f"b{i}" for i in rng.choice(10, size=int(rng.integers(1, 4)), replace=False)}
        done: dict[str, frozenset[str]] = {}
        for coder in coders:
            if rng.random() < 0.1:
                continue
            d = base_d if rng.random() < 0.8 else f"d{rng.integers(10)}"
            b = set(base_b)
            if rng.random() < 0.3:
                b ^= {f"b{rng.integers(10)}"}
            done[coder] = frozenset({d} | b)
        states[f"seg{s}"] = done
    return Codebook((single, multi)), states


def main() -> None:
    import krippendorff

    data = nominal_data()
    ours = krippendorff_alpha(data)
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    print(
        f"# nominal alpha, 5 coders x 100,000 units, 10 categories, 10% missing: "
        f"ours {ours:.6f}, krippendorff {theirs:.6f}; medians of {REPEATS} runs"
    )
    t_ours = _median_time(lambda: krippendorff_alpha(data))
    t_theirs = _median_time(lambda: krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    _line("nominal alpha 5x100k (vs krippendorff.alpha)", t_ours, t_theirs)

    small = nominal_data(coders=3, units=10_000)
    t_boot = _median_time(lambda: bootstrap_ci(small, n_boot=1000, seed=0))
    _line("alpha bootstrap 1,000 x 10k units", t_boot, None)

    codebook, states = report_inputs()
    coders = ["ann", "bob", "cy"]
    t_report = _median_time(lambda: build_report(codebook, coders, states, bootstrap=1000, seed=0), repeats=3)
    _line("build_report 20 codes/2 facets, 3x10k, B=1000", t_report, None)


if __name__ == "__main__":
    main()
