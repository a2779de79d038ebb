"""Each benchmark set scored learning from the coded examples of all the others (leave-set-out).

For every set (the development sets together, held-out sets 1 to 4), the bundled codebook gets
as ``examples:`` the segments of the other sets (``benchmarks/codebook_examples.py``) and the
set is scored as ``benchmarks/heldout_agil.py`` scores it. Prints the engine's and the
codebook's (nothing coded) dimension top-1 and burden recall@3 per set and pooled over the
511 segments. Held-out set 5 is never among the examples.

The engine's constants can be varied to check them (``NAME=VALUE`` arguments, e.g.
``PRIOR_WEIGHT=40`` or ``EXAMPLES_PER_CODE=10``; names of ``annotator.nlp.classifier`` or
``annotator.nlp.suggest``):

    python benchmarks/cross_set.py [NAME=VALUE ...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data"
SETS = {"development": ("dev_agil.jsonl", "dev2_agil.jsonl"), "held-out 1": ("heldout_agil.jsonl",),
        "held-out 2": ("heldout2_agil.jsonl",), "held-out 3": ("heldout3_agil.jsonl",),
        "held-out 4": ("heldout4_agil.jsonl",)}


def set_constants(assignments: list[str]) -> None:
    import annotator.nlp.classifier as classifier
    import annotator.nlp.suggest as suggest

    for item in assignments:
        name, value = item.split("=", 1)
        module = classifier if hasattr(classifier, name) else suggest
        setattr(module, name, type(getattr(module, name))(float(value)))


def score_set(name: str) -> tuple[int, dict[str, dict[str, float]]]:
    from benchmarks.heldout_agil import evaluate, read_golds

    others = [DATA / f for other, files in SETS.items() if other != name for f in files]
    paths = [DATA / f for f in SETS[name]]
    with tempfile.TemporaryDirectory() as tmp:
        codebook = Path(tmp) / "codebook.yaml"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "codebook_examples.py"), str(codebook),
                        *map(str, others), "--codebook", str(ROOT / "codebook.yaml")],
                       check=True, capture_output=True)
        _lines, results = evaluate(Path(tmp), paths, codebook)
    return len(read_golds(paths)), results


def main() -> None:
    set_constants(sys.argv[1:])
    pooled = {"engine": [0.0, 0.0], "codebook": [0.0, 0.0]}
    total = 0
    for name in SETS:
        n, results = score_set(name)
        total += n
        for method, sums in pooled.items():
            sums[0] += n * results[method]["top1"]
            sums[1] += n * results[method]["recall3"]
        print(f"{name:<12} engine {results['engine']['top1']:.3f} / {results['engine']['recall3']:.3f}"
              f"  codebook {results['codebook']['top1']:.3f} / {results['codebook']['recall3']:.3f}", flush=True)
    print(f"{'pooled':<12} engine {pooled['engine'][0] / total:.3f} / {pooled['engine'][1] / total:.3f}"
          f"  codebook {pooled['codebook'][0] / total:.3f} / {pooled['codebook'][1] / total:.3f}"
          "  (dimension top-1 / burden recall@3)")


if __name__ == "__main__":
    main()
