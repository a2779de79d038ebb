"""The engine on the hand-written held-out set (benchmarks/data/heldout_agil.jsonl).

Setting: the demo project (the X-community excerpts, coded by the paper's coder ``paper``)
plus the 50 held-out segments as one more, uncoded document. The engine learns from the
``paper`` coder and the codebook only, then suggests codes for each held-out segment; the
gold codes in the file are never shown to it. Printed in one run, beside each other:

* ``majority``: always the paper coder's most frequent dimension (and, for the burdens, the
  three most frequent burden types);
* ``keywords``: the codebook's keywords only;
* ``codebook``: keywords and the codebook's wording (labels, definitions, ...), nothing learned;
* ``unrelated``: the engine without the codebook's ``implies`` relations;
* ``engine``: keywords, the codebook's wording and relations (their weight fitted on the paper
  coder's segments), and what was learned from the paper coder, calibrated.

Measures: dimension top-1, Cohen's kappa between the top dimension and the gold dimension,
burden recall@3 (share of the gold burden types among the first three proposed).

    python benchmarks/heldout_agil.py          # the held-out set
    python benchmarks/heldout_agil.py --dev    # the development set (benchmarks/data/dev_agil.jsonl)

The engine's constants are tuned on the development set only; the held-out set is for the
final measurement.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data" / "heldout_agil.jsonl"
#: The development set: written separately, the only set the engine's constants were tuned on.
DEV_DATA = ROOT / "benchmarks" / "data" / "dev_agil.jsonl"
DOCUMENT = "heldout"


@dataclass(frozen=True)
class Gold:
    id: str
    zh: str
    en: str
    dimension: str
    burden: tuple[str, ...]


def read_gold(path: Path = DATA) -> list[Gold]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Gold(r["id"], r["zh"], r["en"], r["dimension"], tuple(r["burden"])) for r in rows]


def build_project(folder: Path, gold: Sequence[Gold]) -> tuple[Path, list[str]]:
    """The demo project with the held-out segments as one uncoded document; their ids."""
    from annotator.application.demo import build_demo
    from annotator.application.transcripts import import_transcripts
    from annotator.storage.db import open_project

    path = folder / "heldout_agil.db"
    build_demo(path)
    source = folder / f"{DOCUMENT}.jsonl"
    with source.open("w", encoding="utf-8") as f:
        for g in gold:
            f.write(json.dumps({"document": DOCUMENT, "zh": g.zh, "en": g.en}, ensure_ascii=False) + "\n")
    with open_project(path) as project:
        import_transcripts(project, [source], document=DOCUMENT)
        ids = [r[0] for r in project.execute(
            "SELECT id FROM segments WHERE document = ? ORDER BY position", (DOCUMENT,))]
    return path, ids


def kappa(pairs: Sequence[tuple[str, str]], categories: Sequence[str]) -> float:
    """Cohen's kappa of (suggested, gold) pairs (annotator.agreement.kappa)."""
    from annotator.agreement.kappa import kappa_from_table

    index = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for a, b in pairs:
        table[index[a], index[b]] += 1
    return kappa_from_table(table)


Ranker = Callable[[str], tuple[list[str], list[str]]]


def score(ids: Sequence[str], gold: Sequence[Gold], rank: Ranker, dims: Sequence[str]) -> dict[str, float]:
    """top-1, kappa and recall@3 of one way of ranking (dimensions, burdens) per segment."""
    hits, recall, pairs = 0, 0.0, []
    for seg, g in zip(ids, gold, strict=True):
        ranked_dims, ranked_burdens = rank(seg)
        top = ranked_dims[0] if ranked_dims else ""
        hits += top == g.dimension
        pairs.append((top or dims[0], g.dimension))
        recall += len(set(ranked_burdens[:3]) & set(g.burden)) / len(g.burden)
    n = len(gold)
    return {"top1": hits / n, "kappa": kappa(pairs, dims), "recall3": recall / n}


def evaluate(folder: Path, data: Path = DATA) -> tuple[list[str], dict[str, dict[str, float]]]:
    from annotator.application.demo import PAPER_CODER
    from annotator.application.suggesting import suggester_for_project
    from annotator.nlp.suggest import Suggester
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.db import open_project

    gold = read_gold(data)
    path, ids = build_project(folder, gold)
    with open_project(path) as project:
        codebook = load_codebook(project)
        trained = Counter(code for (code,) in project.execute(
            "SELECT code FROM annotations WHERE coder = ?", (PAPER_CODER,)))
        runs = {
            "keywords": suggester_for_project(project, coder=PAPER_CODER, learned=False),
            "codebook": suggester_for_project(project, coder="(nobody)"),
            "unrelated": suggester_for_project(project, coder=PAPER_CODER),
            "engine": suggester_for_project(project, coder=PAPER_CODER),
            "raw": suggester_for_project(project, coder=PAPER_CODER, calibrate=False),
        }
    runs["unrelated"].use_relations = False
    dims = [c.id for c in codebook.facet("dimension").codes]  # type: ignore[union-attr]
    burdens = [c.id for c in codebook.facet("burden").codes]  # type: ignore[union-attr]
    majority_dims = sorted(dims, key=lambda d: -trained[d])
    majority_burdens = sorted(burdens, key=lambda b: -trained[b])
    results = {"majority": score(ids, gold, lambda _s: (majority_dims, majority_burdens), dims)}

    def ranker(s: Suggester) -> Ranker:
        def rank(seg: str) -> tuple[list[str], list[str]]:
            codes = s.suggest(seg, top=1000).codes
            return ([c.code for c in codes if c.facet == "dimension"],
                    [c.code for c in codes if c.facet == "burden"])
        return rank

    for name, suggester in runs.items():
        results[name] = score(ids, gold, ranker(suggester), dims)
    observed = {name: observations(suggester, ids, gold) for name, suggester in runs.items()}
    for name, seen in observed.items():
        results[name].update(calibration_errors(seen))
    for suggester in runs.values():
        suggester.close()
    share = Counter(g.dimension for g in gold).most_common(1)[0][1] / len(gold)
    what = ("development set" if data.resolve() == DEV_DATA.resolve()
            else "held-out set") + f" {data.name}"
    lines = [f"{what}: {len(gold)} segments; the engine learns"
             f" from coder {PAPER_CODER!r} ({sum(trained[d] for d in dims)} demo segments) and the codebook",
             f"  (most frequent gold dimension: {share:.2f} of the set; relation weight fitted on"
             f" the paper coder's segments: {runs['engine'].relation_weight:.1f}, nothing coded:"
             f" {runs['codebook'].relation_weight:.1f})",
             f"  {'':<9} {'dimension top-1':>15} {'kappa':>6} {'burden recall@3':>16}"
             f" {'ECE dimension':>14} {'ECE burden':>11}"]
    for name in ("majority", "keywords", "codebook", "unrelated", "engine"):
        r = results[name]
        ece = (f" {r['ece_dimension']:>14.3f} {r['ece_burden']:>11.3f}" if "ece_dimension" in r
               else f" {'-':>14} {'-':>11}")
        lines.append(f"  {name:<9} {r['top1']:>15.2f} {r['kappa']:>6.2f} {r['recall3']:>16.2f}{ece}")
    lines.append("  (codebook: keywords and the codebook's wording, nothing learned; unrelated: the engine"
                 " without the codebook's implies relations; ECE: expected calibration error of the"
                 " scores shown, 10 bins)")
    lines += reliability_lines(observed, data.name)
    return lines, results


def observations(s: object, ids: Sequence[str], gold: Sequence[Gold]) -> dict[str, list[tuple[float, bool]]]:
    """Per facet, (score shown, code is gold) for every code suggested on the held-out set."""
    out: dict[str, list[tuple[float, bool]]] = {"dimension": [], "burden": []}
    for seg, g in zip(ids, gold, strict=True):
        for c in s.suggest(seg, top=1000).codes:  # type: ignore[attr-defined]
            out[c.facet].append((c.score, c.code == g.dimension or c.code in g.burden))
    return out


def calibration_errors(seen: dict[str, list[tuple[float, bool]]]) -> dict[str, float]:
    """Expected calibration error per facet of (score shown, code is gold) pairs."""
    from annotator.nlp.calibration import reliability

    return {f"ece_{facet}": reliability([p for p, _ in pairs], [y for _, y in pairs])[1]
            for facet, pairs in seen.items()}


def reliability_lines(observed: dict[str, dict[str, list[tuple[float, bool]]]],
                      name: str = DATA.name) -> list[str]:
    """A text reliability diagram per facet: before and after calibration."""
    from annotator.nlp.calibration import reliability

    lines = [f"  reliability ({name}; score shown vs share of codes that were gold):"]
    for facet in ("dimension", "burden"):
        for name, label in (("raw", "before calibration"), ("engine", "calibrated")):
            pairs = observed[name][facet]
            rows, ece = reliability([p for p, _ in pairs], [y for _, y in pairs])
            lines.append(f"    {facet} {label}: expected calibration error {ece:.3f}")
            for low, mean, share, n in rows:
                bar = "#" * round(share * 20)
                lines.append(f"      {low:.1f}-{low + 0.1:.1f}  n={n:<4} predicted {mean:.2f}"
                             f"  observed {share:.2f}  {bar}")
    return lines


def main() -> None:
    dev = "--dev" in sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        lines, _ = evaluate(Path(tmp), DEV_DATA if dev else DATA)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
