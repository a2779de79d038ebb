"""Import benchmarks, each beside a baseline measured in the same run.

Run: python3 benchmarks/bench_import.py   (prints one line per figure; asserts nothing)

* import throughput (characters per second, Chinese + English) of ``annotator import`` on a
  generated ~5 MB bilingual corpus (a Chinese transcript with its English translation paired
  turn by turn), models already loaded, beside plain ``jieba.lcut`` on the same Chinese text
  (the aim is at least half of jieba's speed: import also tokenises the English, and writes);
* wall time of ``annotator --help`` beside ``python -c "import typer"`` (medians of fresh
  subprocesses).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGET_BYTES = 5_000_000
STARTUP_RUNS = 7

ZH = [
    "我们街道现在最大的问题还是权责不匹配，痕迹主义并没有根本改变。",
    "网格员每天要填很多表格，真正入户走访的时间反而少了。",
    "上级部门层层加码，一票否决的事项越来越多。",
    "接诉即办以后，居民的诉求能很快转到社区，但社区没有执法权。",
    "党建引领下的协商会让住户自己商量加装电梯的事情。",
    "一网通办减少了跑腿，可是数据孤岛的问题还在。",
]
EN = [
    "The biggest problem in our subdistrict is still the mismatch between powers and duties.",
    "Grid workers fill in many forms every day and have less time for household visits.",
    "Higher-level departments keep adding targets, and more matters carry a one-vote veto.",
    "Since the hotline reform, residents' requests reach the community quickly.",
    "Under party-building leadership, residents discuss installing lifts in meetings.",
    "One-stop online services cut the running around, but data silos remain.",
]


def corpus(folder: Path) -> tuple[Path, Path, str, int]:
    """(zh file, en file, all Chinese text, total characters) of about TARGET_BYTES."""
    rng = random.Random(0)
    zh_turns, en_turns, size = [], [], 0
    while size < TARGET_BYTES:
        picks = [rng.randrange(len(ZH)) for _ in range(3)]
        zh = "".join(ZH[i] for i in picks)
        en = " ".join(EN[i] for i in picks)
        speaker = ("采访者", "Interviewer") if len(zh_turns) % 2 == 0 else ("受访者", "Respondent")
        zh_turns.append(f"{speaker[0]}：{zh}")
        en_turns.append(f"{speaker[1]}: {en}")
        size += len(zh.encode()) + len(en.encode())
    zh_path, en_path = folder / "interview_zh.txt", folder / "interview_en.txt"
    zh_path.write_text("\n\n".join(zh_turns) + "\n", encoding="utf-8")
    en_path.write_text("\n\n".join(en_turns) + "\n", encoding="utf-8")
    chars = sum(len(t) for t in zh_turns) + sum(len(t) for t in en_turns)
    return zh_path, en_path, "\n".join(zh_turns), chars


def _line(name: str, ours: float, baseline: float, unit: str, better: str) -> None:
    ratio = ours / baseline if baseline else float("nan")
    print(f"{name:<52} ours {ours:>12,.3f} {unit}  baseline {baseline:>12,.3f} {unit}"
          f"  ratio {ratio:5.2f} ({better} is better)")


def import_throughput(folder: Path) -> None:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts
    from annotator.nlp import tokenize
    from annotator.storage.db import open_project

    zh_path, en_path, zh_text, chars = corpus(folder)
    tokenize.load()  # steady state: both sides measured with their models loaded
    import jieba

    jieba.lcut("预热")
    start = time.perf_counter()
    jieba.lcut(zh_text)
    jieba_s = time.perf_counter() - start
    project = folder / "bench.db"
    create_project(project)
    with open_project(project) as p:
        start = time.perf_counter()
        summary = import_transcripts(p, [zh_path], translation=en_path, lang="zh")
        import_s = time.perf_counter() - start
    size = zh_path.stat().st_size + en_path.stat().st_size
    print(f"corpus: {size / 1e6:.1f} MB, {chars:,} characters ({len(zh_text):,} Chinese),"
          f" {summary.segments:,} segments")
    _line("import zh+en (chars/s) vs jieba.lcut zh (chars/s)", chars / import_s,
          len(zh_text) / jieba_s, "c/s", "higher")
    # stricter: only the Chinese characters counted, the whole import time charged to them
    _line("import, Chinese chars only (chars/s) vs jieba.lcut", len(zh_text) / import_s,
          len(zh_text) / jieba_s, "c/s", "higher")


def _median_wall(cmd: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(STARTUP_RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    ours = _median_wall([sys.executable, "-m", "annotator", "--help"], env)
    base = _median_wall([sys.executable, "-c", "import typer"], env)
    _line("annotator --help (s) vs python -c 'import typer' (s)", ours, base, "s ", "lower")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    old_home = os.environ.get("ANNOTATOR_HOME")
    os.environ["ANNOTATOR_HOME"] = str(folder / "home")
    try:
        startup()
        import_throughput(folder)
    finally:
        if old_home is None:
            os.environ.pop("ANNOTATOR_HOME", None)
        else:
            os.environ["ANNOTATOR_HOME"] = old_home
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
