"""Quality of code suggestions, leave-one-out over a coded project.

For every segment the coder has coded, the segment is taken out of the learned model, its
codes are suggested, and the segment is put back. Per facet it prints top-1 accuracy
(single-choice facets) or recall@3 (multi-choice facets), plus precision and recall of the
codes that pass the threshold, for

* ``codebook``: the codebook's keywords only (no learning),
* ``uncoded``: what the engine knows before the coder has coded anything: the codebook's
  keywords and the learned model's prior (the codebook's own text about each code), and
* ``blend``: codebook keywords and the model learned from the other coded segments (on top of
  the prior),

in the same run. A "majority" line gives the share of the most frequent code of single-choice
facets as the floor any learner should clear.

    python benchmarks/suggest_quality.py                      # the demo corpus, coder "paper"
    python benchmarks/suggest_quality.py PROJECT.db --coder NAME
    python benchmarks/suggest_quality.py --heldout            # tests/nlp/test_suggest_heldout.py sentences

The default run (the demo) goes on with the development set the engine was tuned on
(``dev_agil.jsonl`` and ``dev2_agil.jsonl``, each and together) and the
hand-written held-out set (``benchmarks/heldout_agil.py``: majority and keywords baselines,
dimension top-1, Cohen's kappa, burden recall@3, expected calibration error, a reliability
diagram before and after calibration) and the coding-order simulation
(``benchmarks/active_order.py``: least sure first against reading order).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _gold(project: object, coder: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for seg, code in project.execute(  # type: ignore[attr-defined]
        "SELECT segment, code FROM annotations WHERE coder = ?", (coder,)
    ):
        out.setdefault(seg, set()).add(code)
    return {k: frozenset(v) for k, v in out.items()}


def evaluate(path: Path, coder: str) -> list[str]:
    from annotator.application.suggesting import suggester_for_project
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.db import open_project

    with open_project(path) as project:
        codebook = load_codebook(project)
        gold = _gold(project, coder)
        if not gold:
            raise SystemExit(f"{path}: coder {coder!r} has coded no segment")
        runs = {
            "codebook": suggester_for_project(project, coder=coder, learned=False),
            "uncoded": suggester_for_project(project, coder=coder),
            "blend": suggester_for_project(project, coder=coder),
        }
    for seg in gold:  # the coder has coded nothing yet
        runs["uncoded"].learn(seg, frozenset())
    lines = [f"project {path.name}, coder {coder!r}: {len(gold)} coded segments, leave-one-out"]
    for facet in codebook.facets:
        ids = {c.id for c in facet.codes}
        segs = [s for s, codes in gold.items() if codes & ids]
        if not segs:
            continue
        if not facet.multiple:
            counts = Counter(next(iter(gold[s] & ids)) for s in segs)
            majority = counts.most_common(1)[0][1] / len(segs)
            lines.append(f"  {facet.id} (one code, {len(segs)} segments): majority {majority:.2f}")
        else:
            lines.append(f"  {facet.id} (several codes, {len(segs)} segments)")
        for name, suggester in runs.items():
            top1 = rec3 = 0.0
            tp = fp = fn = 0
            for seg in segs:
                want = gold[seg] & ids
                loo = name != "uncoded"
                if loo:
                    suggester.learn(seg, frozenset())
                got = [c for c in suggester.suggest(seg, top=1000).codes if c.facet == facet.id]
                if loo:
                    suggester.learn(seg, gold[seg])
                ranked = [c.code for c in got]
                passing = {c.code for c in got if c.passes}
                top1 += bool(ranked) and ranked[0] in want
                rec3 += len(set(ranked[:3]) & want) / len(want)
                tp += len(passing & want)
                fp += len(passing - want)
                fn += len(want - passing)
            n = len(segs)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            main = f"top-1 {top1 / n:.2f}" if not facet.multiple else f"recall@3 {rec3 / n:.2f}"
            extra = "" if not facet.multiple else f"   passing: precision {prec:.2f} recall {rec:.2f}"
            lines.append(f"    {name:<9} {main}{extra}")
    return lines


def _heldout_project(folder: Path) -> tuple[Path, str]:
    spec = importlib.util.spec_from_file_location("heldout", ROOT / "tests" / "nlp" / "test_suggest_heldout.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = folder / "heldout.db"
    module.build_heldout_project(path)
    return path, module.CODER


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", nargs="?", type=Path, help="a coded project (default: the demo)")
    parser.add_argument("--coder", default=None, help="whose codes are the truth (default: paper)")
    parser.add_argument("--heldout", action="store_true", help="the held-out sentences of the tests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.heldout:
            path, coder = _heldout_project(Path(tmp))
        elif args.project is None:
            from annotator.application.demo import PAPER_CODER, build_demo

            path, coder = Path(tmp) / "demo.db", PAPER_CODER
            build_demo(path)
        else:
            path, coder = args.project, args.coder or "paper"
        for line in evaluate(path, args.coder or coder):
            print(line)
        if args.project is None and not args.heldout:
            from benchmarks.active_order import evaluate as order_evaluate
            from benchmarks.heldout_agil import DEV_SETS
            from benchmarks.heldout_agil import evaluate as heldout_evaluate

            for folder in ("dev", "agil", "order"):
                (Path(tmp) / folder).mkdir()
            print("\n".join(heldout_evaluate(Path(tmp) / "dev", DEV_SETS)[0]))
            print("\n".join(heldout_evaluate(Path(tmp) / "agil")[0]))
            print("\n".join(order_evaluate(Path(tmp) / "order")))


if __name__ == "__main__":
    main()
