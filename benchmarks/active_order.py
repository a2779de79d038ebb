"""Least-sure-first against reading order: how fast the suggestions improve as segments are coded.

A simulated coder codes a pool of segments one at a time, giving each its gold codes: the demo's
11 excerpts (the paper's codes) and the 32 sentences of ``tests/nlp/test_suggest_heldout.py`` (their
hand codes), 43 in all. Two orders:

* ``reading``: the pool in reading order (the demo's interviews, then the sentences);
* ``least sure``: each time the not-yet-coded segment the engine is least sure about
  (:func:`annotator.nlp.active.next_least_sure` over calibrated scores; the calibration is
  refitted every five segments).

After every few segments, the engine (learning only from the segments coded so far) is scored
on the 50 held-out segments of ``benchmarks/data/heldout_agil.jsonl``: dimension top-1 and
burden recall@3. The held-out segments are never coded in the simulation. The codebook is the
bundled one without its coded examples, as a codebook of your own that lists none: with them the
engine starts near what 43 more segments can teach (dimension top-1 0.92 on these 50).

    python benchmarks/active_order.py
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.heldout_agil import DOCUMENT, Gold, build_project, read_gold  # noqa: E402

CHECKPOINTS = (0, 5, 10, 15, 20, 30, 43)
CODER = "simulated"


def _pool(path: Path) -> list[tuple[str, frozenset[str]]]:
    """The pool's segment ids (reading order) and gold codes; adds the test sentences."""
    from annotator.application.demo import corpus_dir
    from annotator.application.transcripts import import_transcripts
    from annotator.model import segment_id
    from annotator.storage.db import open_project
    from tests.nlp.test_suggest_heldout import HELDOUT

    pool: list[tuple[str, frozenset[str]]] = []
    with (corpus_dir() / "paper.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes = [row["dimension"], *[c for c in row["burden"].split(";") if c]]
            pool.append((segment_id(row["document"], int(row["position"])), frozenset(codes)))
    source = path.with_name("sentences.jsonl")
    with source.open("w", encoding="utf-8") as f:
        for zh, en, _d, _b in HELDOUT:
            f.write(json.dumps({"document": "sentences", "zh": zh, "en": en}, ensure_ascii=False) + "\n")
    with open_project(path) as project:
        import_transcripts(project, [source], document="sentences")
        ids = [r[0] for r in project.execute(
            "SELECT id FROM segments WHERE document = 'sentences' ORDER BY position")]
    pool += [(seg, frozenset([d, *b])) for seg, (_zh, _en, d, b) in zip(ids, HELDOUT, strict=True)]
    return pool


def _accuracy(s: object, ids: Sequence[str], gold: Sequence[Gold]) -> tuple[float, float]:
    hits, recall = 0, 0.0
    for seg, g in zip(ids, gold, strict=True):
        codes = s.suggest(seg, top=1000, given=frozenset()).codes  # type: ignore[attr-defined]
        dims = [c.code for c in codes if c.facet == "dimension"]
        hits += bool(dims) and dims[0] == g.dimension
        burden = [c.code for c in codes if c.facet == "burden"][:3]
        recall += len(set(burden) & set(g.burden)) / len(g.burden)
    return hits / len(gold), recall / len(gold)


def simulate(path: Path, pool: list[tuple[str, frozenset[str]]], ids: Sequence[str],
             gold: Sequence[Gold], pick: Callable[[object, list[str]], str]) -> list[tuple[int, float, float]]:
    from annotator.application.suggesting import suggester_for_project
    from annotator.storage.db import open_project

    with open_project(path) as project:
        s = suggester_for_project(project, coder=CODER)
    codes = dict(pool)
    left = [seg for seg, _ in pool]
    out = []
    for n in range(len(pool) + 1):
        if n in CHECKPOINTS:
            out.append((n, *_accuracy(s, ids, gold)))
        if not left:
            break
        seg = pick(s, left)
        left.remove(seg)
        s.learn(seg, codes[seg])
        if (n + 1) % 5 == 0:
            s.calibrate()
    s.close()
    return out


def reading(_s: object, left: list[str]) -> str:
    return left[0]


def least_sure(s: object, left: list[str]) -> str:
    from annotator.nlp.active import next_least_sure, uncertainty

    codebook = s.codebook  # type: ignore[attr-defined]
    found = next_least_sure(
        left, lambda seg: uncertainty(codebook, s.suggest(seg, top=1000, given=frozenset()).codes))  # type: ignore[attr-defined]
    return found or left[0]


def evaluate(folder: Path) -> list[str]:
    gold = read_gold()
    path, ids = build_project(folder, gold, examples=False)
    pool = _pool(path)
    runs = {"reading": simulate(path, pool, ids, gold, reading),
            "least sure": simulate(path, pool, ids, gold, least_sure)}
    lines = [f"coding order: {len(pool)} pool segments coded one by one; the engine scored on the"
             f" {len(gold)} held-out segments ({DOCUMENT}) after n coded (the codebook without its coded"
             " examples)",
             "  " + f"{'n coded':<8}" + "".join(f"{name + ': top-1 / recall@3':>30}" for name in runs)]
    for i, n in enumerate(CHECKPOINTS):
        cells = "".join(f"{runs[name][i][1]:>22.2f} / {runs[name][i][2]:.2f}" for name in runs)
        lines.append(f"  {n:<8}{cells}")
    return lines


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(evaluate(Path(tmp))))


if __name__ == "__main__":
    main()
