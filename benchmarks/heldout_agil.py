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

    python benchmarks/heldout_agil.py                   # the held-out set
    python benchmarks/heldout_agil.py --dev             # the development set: dev_agil + dev2_agil
    python benchmarks/heldout_agil.py --data A.jsonl [B.jsonl ...]   # any sets of the same format

Several files are scored in one project (their segments one uncoded document, in file order),
each file on its own and all together. Every figure comes with its standard error over the
segments (top-1 and recall@3: of a mean; kappa: bootstrap over segments).

The engine's constants are tuned on the development set only; the held-out sets are for the
final measurement.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from annotator.model import Code, Codebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data" / "heldout_agil.jsonl"
#: The development set: written separately, the only set the engine's constants were tuned on.
DEV_DATA = ROOT / "benchmarks" / "data" / "dev_agil.jsonl"
DEV2_DATA = ROOT / "benchmarks" / "data" / "dev2_agil.jsonl"
#: The whole development set (both files, scored together and each on its own).
DEV_SETS = (DEV_DATA, DEV2_DATA)
DOCUMENT = "heldout"


@dataclass(frozen=True)
class Gold:
    id: str
    zh: str
    en: str
    dimension: str
    burden: tuple[str, ...]
    source: str = ""  # the file's name


def read_gold(path: Path = DATA) -> list[Gold]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Gold(r["id"], r["zh"], r["en"], r["dimension"], tuple(r["burden"]), path.name) for r in rows]


def read_golds(paths: Sequence[Path]) -> list[Gold]:
    return [g for path in paths for g in read_gold(path)]


def _examples_kept(codebook: Codebook, keep: Callable[[object], bool]) -> Codebook:
    """``codebook`` with only the coded examples (``examples:``) that ``keep`` accepts."""
    from dataclasses import replace

    def code(c: Code) -> Code:
        if "examples" not in c.extra:
            return c
        return replace(c, extra={**c.extra, "examples": [e for e in c.extra["examples"] if keep(e)]})

    return replace(codebook, facets=tuple(replace(f, codes=tuple(code(c) for c in f.codes))
                                          for f in codebook.facets))


def _example_zh(example: object) -> str:
    return str(example.get("zh", "")) if isinstance(example, dict) else str(example)


def build_project(folder: Path, gold: Sequence[Gold], codebook: Path | None = None, *,
                  examples: bool = True) -> tuple[Path, list[str]]:
    """The demo project with the held-out segments as one uncoded document; their ids. Its
    codebook (``codebook``, or the bundled one) keeps no coded example whose Chinese text is
    one of the scored segments': each set is scored without its own segments among the
    examples (leave-set-out). ``examples=False``: it keeps none."""
    from annotator.application.demo import build_demo
    from annotator.application.transcripts import import_transcripts
    from annotator.codebook import load_codebook as read_codebook
    from annotator.storage.codebook_store import load_codebook, save_codebook
    from annotator.storage.db import open_project

    path = folder / "heldout_agil.db"
    build_demo(path)
    scored = {g.zh for g in gold}
    with open_project(path) as project:
        given = read_codebook(codebook) if codebook else load_codebook(project)
        save_codebook(project, _examples_kept(given, lambda e: examples and _example_zh(e) not in scored))
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
#: Per segment: (top dimension, or "" when none is proposed; gold dimension; share of its gold
#: burden types among the top three).
Item = tuple[str, str, float]
BOOTSTRAP = 1000


def rank_items(ids: Sequence[str], gold: Sequence[Gold], rank: Ranker, dims: Sequence[str]) -> list[Item]:
    out: list[Item] = []
    for seg, g in zip(ids, gold, strict=True):
        ranked_dims, ranked_burdens = rank(seg)
        top = ranked_dims[0] if ranked_dims else ""
        out.append((top, g.dimension, len(set(ranked_burdens[:3]) & set(g.burden)) / len(g.burden)))
    return out


def summary(items: Sequence[Item], dims: Sequence[str]) -> dict[str, float]:
    """top-1, kappa and recall@3 of per-segment items, with their standard errors."""
    n = len(items)
    hits = np.array([top == want for top, want, _ in items], dtype=np.float64)
    recall = np.array([r for _, _, r in items], dtype=np.float64)
    pairs = [(top or dims[0], want) for top, want, _ in items]  # none proposed: the first code
    rng = np.random.default_rng(0)
    boot = [kappa([pairs[i] for i in rng.integers(0, n, n)], dims) for _ in range(BOOTSTRAP)]
    return {"top1": float(hits.mean()), "top1_se": float(hits.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0,
            "kappa": kappa(pairs, dims), "kappa_se": float(np.nanstd(boot, ddof=1)),
            "recall3": float(recall.mean()),
            "recall3_se": float(recall.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0}


def score(ids: Sequence[str], gold: Sequence[Gold], rank: Ranker, dims: Sequence[str]) -> dict[str, float]:
    """top-1, kappa and recall@3 of one way of ranking (dimensions, burdens) per segment."""
    return summary(rank_items(ids, gold, rank, dims), dims)


def _parts(gold: Sequence[Gold]) -> list[tuple[str, list[int]]]:
    """(name, positions) per source file, then all together when there are several files."""
    names = list(dict.fromkeys(g.source for g in gold))
    parts = [(name, [i for i, g in enumerate(gold) if g.source == name]) for name in names]
    return [*parts, ("together", list(range(len(gold))))] if len(parts) > 1 else parts


def _dev_paths(data: Sequence[Path]) -> bool:
    return {p.resolve() for p in data} <= {p.resolve() for p in DEV_SETS}


def _without_examples(path: Path) -> Path:
    """A copy of the project at ``path`` whose codebook has no coded examples."""
    import shutil

    from annotator.storage.codebook_store import load_codebook, save_codebook
    from annotator.storage.db import open_project

    copy = path.with_name("without_examples.db")
    shutil.copyfile(path, copy)
    with open_project(copy) as project:
        save_codebook(project, _examples_kept(load_codebook(project), lambda _e: False))
    return copy


def evaluate(folder: Path, data: Path | Sequence[Path] = DATA, codebook: Path | None = None
             ) -> tuple[list[str], dict[str, dict[str, float]]]:
    """The printed report and, per method, the figures over all the segments of ``data``."""
    from annotator.application.demo import PAPER_CODER
    from annotator.application.suggesting import suggester_for_project
    from annotator.nlp.suggest import Suggester
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.db import open_project

    paths = [data] if isinstance(data, Path) else list(data)
    gold = read_golds(paths)
    path, ids = build_project(folder, gold, codebook)
    plain = _without_examples(path)
    with open_project(plain) as project:
        without = suggester_for_project(project, coder=PAPER_CODER)
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
            "no examples": without,
        }
        shown = sum(1 for c in codebook.codes for _ in c.extra.get("examples", ()))
    runs["unrelated"].use_relations = False
    dims = [c.id for c in codebook.facet("dimension").codes]  # type: ignore[union-attr]
    burdens = [c.id for c in codebook.facet("burden").codes]  # type: ignore[union-attr]
    majority_dims = sorted(dims, key=lambda d: -trained[d])
    majority_burdens = sorted(burdens, key=lambda b: -trained[b])
    items = {"majority": rank_items(ids, gold, lambda _s: (majority_dims, majority_burdens), dims)}

    def ranker(s: Suggester) -> Ranker:
        def rank(seg: str) -> tuple[list[str], list[str]]:
            codes = s.suggest(seg, top=1000).codes
            return ([c.code for c in codes if c.facet == "dimension"],
                    [c.code for c in codes if c.facet == "burden"])
        return rank

    for name, suggester in runs.items():
        items[name] = rank_items(ids, gold, ranker(suggester), dims)
    observed = {name: observations(suggester, ids, gold) for name, suggester in runs.items()}
    weights = (runs["engine"].relation_weight, runs["codebook"].relation_weight)
    for suggester in runs.values():
        suggester.close()
    what = "development set" if _dev_paths(paths) else "held-out set"
    lines = [f"{what} {' + '.join(p.name for p in paths)}: {len(gold)} segments; the engine learns"
             f" from coder {PAPER_CODER!r} ({sum(trained[d] for d in dims)} demo segments) and the codebook"
             f" ({shown} coded examples, none of them a scored segment)",
             f"  (relation weight fitted on the codebook's examples and the paper coder's segments: {weights[0]:.1f}, nothing coded:"
             f" {weights[1]:.1f}; ± standard error over the segments)"]
    results: dict[str, dict[str, float]] = {}
    for part, at in _parts(gold):
        share = Counter(gold[i].dimension for i in at).most_common(1)[0][1] / len(at)
        lines += [f"  {part}: {len(at)} segments, most frequent gold dimension {share:.2f}",
                  f"  {'':<11} {'dimension top-1':>13} {'kappa':>11} {'burden recall@3':>16}"
                  f" {'ECE dimension':>14} {'ECE burden':>11}"]
        for name in ("majority", "keywords", "codebook", "no examples", "unrelated", "engine"):
            r = summary([items[name][i] for i in at], dims)
            if name in observed:
                r.update(calibration_errors(_of(observed[name], at)))
            if part == _parts(gold)[-1][0]:
                results[name] = r
            ece = (f" {r['ece_dimension']:>14.3f} {r['ece_burden']:>11.3f}" if "ece_dimension" in r
                   else f" {'-':>14} {'-':>11}")
            lines.append(f"  {name:<11} {r['top1']:>6.2f} ± {r['top1_se']:.2f} {r['kappa']:>4.2f} ±"
                         f" {r['kappa_se']:.2f} {r['recall3']:>9.2f} ± {r['recall3_se']:.2f}{ece}")
    lines.append("  (codebook: keywords, the codebook's wording and its coded examples, nothing coded;"
                 " no examples: the engine with the codebook's wording but none of its coded examples;"
                 " unrelated: the engine without the codebook's implies relations; ECE: expected"
                 " calibration error of the scores shown, 10 bins)")
    every = range(len(gold))
    lines += reliability_lines({n: _of(o, every) for n, o in observed.items()},
                               " + ".join(p.name for p in paths))
    return lines, results


#: Per facet, (segment position, score shown, code is gold) of every code suggested.
Seen = dict[str, list[tuple[int, float, bool]]]


def _of(seen: Seen, at: Iterable[int]) -> dict[str, list[tuple[float, bool]]]:
    """The (score, is gold) observations of the segments at positions ``at``."""
    keep = set(at)
    return {facet: [(p, y) for i, p, y in rows if i in keep] for facet, rows in seen.items()}


def observations(s: object, ids: Sequence[str], gold: Sequence[Gold]) -> Seen:
    """Per facet, (segment position, score shown, code is gold) for every code suggested."""
    out: Seen = {"dimension": [], "burden": []}
    for i, (seg, g) in enumerate(zip(ids, gold, strict=True)):
        for c in s.suggest(seg, top=1000).codes:  # type: ignore[attr-defined]
            out[c.facet].append((i, c.score, c.code == g.dimension or c.code in g.burden))
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
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--dev", action="store_true", help="the development set (dev_agil + dev2_agil)")
    which.add_argument("--data", nargs="+", type=Path, help="these sets (JSON lines) instead")
    parser.add_argument("--codebook", type=Path, help="this codebook instead of the bundled one")
    args = parser.parse_args()
    data: Sequence[Path] = DEV_SETS if args.dev else (args.data or [DATA])
    for path in data:
        if not path.is_file():
            raise SystemExit(f"{path}: no such file")
    with tempfile.TemporaryDirectory() as tmp:
        lines, _ = evaluate(Path(tmp), data, args.codebook)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
