"""Speed of the suggestion engine on a synthetic project of 10,000 coded segments.

Prints, beside baselines measured in the same run:

* warm ``Suggester.suggest`` per segment (median), against raw ``jieba.lcut`` of the same
  segment's Chinese text and a plain Python loop looking the segment's terms up in a dict;
* retraining after one tag (``Suggester.learn``) with 10,000 coded segments (median);
* cold ``suggester_for_project`` (loads tokens, codebook, annotations; spaCy lemmatises the
  codebook's English keywords once per process, so the first load in a process is reported
  separately).

    python benchmarks/bench_suggest.py [--segments N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Short sentences of grassroots-governance talk, recombined into segments of ~150-250 chars.
ZH = [
    "街道把垃圾分类督导的任务交给社区，可我们没有处罚权。", "每周都有人来开居住证明，我们只能先盖章。",
    "一个月里区里市里轮番来检查，每次标准都不一样。", "考核排名靠后就要被约谈，周末也不敢休息。",
    "每做一件事都要拍照、写记录、录系统。", "同一份数据民政要一份，卫健要一份，格式还不一样。",
    "手机上装了七八个政务APP，每天都要登录打卡。", "网格员上报的问题要靠几个部门处理，居民等不到结果。",
    "这个月已经办了四场主题宣传活动，大家都累坏了。", "社区只有五个正式工作人员，却要对接二十多个部门。",
    "编外的同事干的活一样多，工资却只有一半。", "干了十年还是普通社工，看不到晋升的希望。",
    "我们向街道提的建议，交上去就没有下文了。", "疫情期间所有的防控任务都压到社区。",
    "权责不匹配的问题还是很突出，痕迹主义也没有根本改变。", "台账越做越厚，真正服务群众的时间越来越少。",
]
EN = [
    "The subdistrict handed waste sorting supervision to us, but we have no power to fine anyone.",
    "Every week people ask for proof of residence and we stamp it anyway.",
    "The district and the city took turns to inspect us, each with different standards.",
    "If we rank low in the assessment we are summoned, so nobody rests at weekends.",
    "For every task we take photos, write a record and enter it into the system.",
    "Civil affairs and the health commission want the same data in different formats.",
    "There are seven government apps on my phone and each needs a daily login.",
    "Grid workers report problems that depend on several departments to fix.",
    "We held four themed publicity activities this month and everyone is exhausted.",
    "Five formal staff must deal with more than twenty departments.",
    "Colleagues outside the establishment do the same work for half the pay.",
    "After ten years I see no hope of promotion.",
    "Our suggestions to the subdistrict disappear once submitted.",
    "During the epidemic every prevention task was pressed onto the community.",
    "The mismatch of rights and responsibilities remains, and trace formalism has not changed.",
    "The ledgers grow thicker and the time for residents shrinks.",
]


def _median_us(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1e6:9.1f} µs"


def build(path: Path, n: int, rng: random.Random) -> list[str]:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.db import now, open_project

    source = path.with_suffix(".jsonl")
    with source.open("w", encoding="utf-8") as f:
        for i in range(n):
            picks = rng.sample(range(len(ZH)), 5)
            f.write(json.dumps({"document": f"D{i // 200:03d}", "zh": "".join(ZH[j] for j in picks),
                                "en": " ".join(EN[j] for j in picks)}, ensure_ascii=False) + "\n")
    create_project(path)
    with open_project(path) as project:
        import_transcripts(project, [source])
        codebook = load_codebook(project)
        dims = [c.id for c in codebook.facets[0].codes]
        burdens = [c.id for c in codebook.facets[1].codes]
        ids = [r[0] for r in project.execute("SELECT id FROM segments")]
        stamp = now()
        with project.write() as conn:
            conn.execute("INSERT OR IGNORE INTO coders (name, created_at) VALUES ('bench', ?)", (stamp,))
            rows = []
            for seg in ids:
                for code in [rng.choice(dims), *rng.sample(burdens, rng.randint(1, 3))]:
                    rows.append(("bench", seg, code, stamp))
            conn.executemany("INSERT INTO annotations (coder, segment, code, created_at) VALUES (?,?,?,?)", rows)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(7)
    from annotator.application.suggesting import suggester_for_project
    from annotator.storage.db import open_project

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t = time.perf_counter()
        ids = build(path, args.segments, rng)
        print(f"built {len(ids)} coded segments in {time.perf_counter() - t:.1f} s")
        loads = []
        for _ in range(4):
            with open_project(path) as project:
                t = time.perf_counter()
                s = suggester_for_project(project, coder="bench")
                loads.append(time.perf_counter() - t)
            with open_project(path) as project:
                texts = dict(project.execute("SELECT id, zh FROM segments").fetchall())
                terms = dict(project.execute("SELECT id, zh_terms || ' ' || en_terms FROM segments").fetchall())
        print(f"cold suggester_for_project: first in process {loads[0]:.2f} s, then median"
              f" {statistics.median(loads[1:]):.2f} s ({s.examples} examples)")
        sample = rng.sample(ids, min(args.samples, len(ids)))
        for seg in sample[:20]:
            s.suggest(seg)
        warm = []
        for seg in sample:
            t = time.perf_counter()
            s.suggest(seg)
            warm.append(time.perf_counter() - t)
        import jieba

        jieba.lcut("预热")
        cut = []
        for seg in sample:
            t = time.perf_counter()
            jieba.lcut(texts[seg])
            cut.append(time.perf_counter() - t)
        table = {w: i for i, w in enumerate(s.vocab.terms)}
        loop = []
        for seg in sample:
            t = time.perf_counter()
            found = 0
            for w in terms[seg].split(" "):
                if w in table:
                    found += 1
            loop.append(time.perf_counter() - t)
        print(f"warm suggest per segment      {_median_us(warm)}   (max {max(warm) * 1e3:.2f} ms)")
        print(f"  baseline jieba.lcut(zh)     {_median_us(cut)}")
        print(f"  baseline dict lookup loop   {_median_us(loop)}")
        with open_project(path) as project:
            gold = {}
            for seg, code in project.execute("SELECT segment, code FROM annotations WHERE coder='bench'"):
                gold.setdefault(seg, set()).add(code)
        codes = [c.id for c in s.codebook.codes]
        retrain = []
        for seg in sample:
            new = frozenset(rng.sample(codes, 3))
            t = time.perf_counter()
            s.learn(seg, new)
            retrain.append(time.perf_counter() - t)
            s.learn(seg, frozenset(gold[seg]))
        print(f"retrain after a tag           {_median_us(retrain)}   (max {max(retrain) * 1e3:.2f} ms,"
              f" {s.examples} coded segments)")


if __name__ == "__main__":
    main()
