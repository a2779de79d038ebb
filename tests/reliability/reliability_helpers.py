"""Shared pieces of the reliability tests: generated transcripts, subprocess runs, DB digests."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

ZH_SENTENCES = [
    "我们街道现在最大的问题还是权责不匹配，痕迹主义并没有根本改变。",
    "网格员每天要填很多表格，真正入户走访的时间反而少了。",
    "上级部门层层加码，一票否决的事项越来越多。",
    "接诉即办以后，居民的诉求能很快转到社区，但社区没有执法权。",
    "党建引领下的协商会让住户自己商量加装电梯的事情。",
    "一网通办减少了跑腿，可是数据孤岛的问题还在。",
    "考核太多了，我们只能先完成看得见的指标。",
    "属地责任压下来，很多事情我们根本管不了。",
]
EN_SENTENCES = [
    "The biggest problem in our subdistrict is still the mismatch between powers and duties.",
    "Grid workers fill in many forms every day and have less time for household visits.",
    "Higher-level departments keep adding targets, and more matters carry a one-vote veto.",
    "Since the hotline reform, residents' requests reach the community quickly.",
    "Under party-building leadership, residents discuss installing lifts in consultation meetings.",
    "One-stop online services cut the running around, but data silos remain.",
    "There are too many assessments, so we finish the visible indicators first.",
    "Responsibility is pushed down to us, yet many matters are beyond our power.",
]


def transcript_text(n_turns: int, *, lang: str = "zh", seed: int = 0, per_turn: int = 3) -> str:
    """A plausible interview: alternating speakers, ``per_turn`` sentences per turn."""
    rng = random.Random(seed)
    pool = ZH_SENTENCES if lang == "zh" else EN_SENTENCES
    sep = "：" if lang == "zh" else ": "
    speakers = ["采访者", "受访者A"] if lang == "zh" else ["Interviewer", "Respondent A"]
    joiner = "" if lang == "zh" else " "
    out = []
    for i in range(n_turns):
        body = joiner.join(rng.choice(pool) for _ in range(per_turn))
        out.append(f"{speakers[i % 2]}{sep}{body}{i}\n\n")
    return "".join(out)


def write_transcript(path: Path, n_turns: int, **kw: object) -> Path:
    path.write_text(transcript_text(n_turns, **kw), encoding="utf-8")  # type: ignore[arg-type]
    return path


def env() -> dict[str, str]:
    """Environment for subprocesses: this checkout first on the path."""
    e = dict(os.environ)
    e["PYTHONPATH"] = str(REPO) + os.pathsep + e.get("PYTHONPATH", "")
    e.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return e


def annotator(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True,
        env=env(), timeout=timeout, cwd=REPO,
    )


def integrity(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def table_digest(path: Path, tables: tuple[str, ...] = (
    "documents", "segments", "annotations", "done", "memos", "codes", "facets",
    "archived_annotations", "coders",
)) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the project tables (events aside), for before/after comparisons."""
    conn = sqlite3.connect(str(path))
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()
