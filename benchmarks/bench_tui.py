"""Coding-screen speed on a generated project of 100,000 bilingual segments.

Measured inside the app, from the start of the action a key runs to the repaint after it
(``call_after_refresh``), for "next segment" and "toggle code" (which includes the commit),
beside the same measure for a bare Textual app that shows two Static widgets (the floor) in the
same run; the time to the first paint; resident memory.

    python benchmarks/bench_tui.py [--segments 100000] [--presses 60] [--suggester auto|keywords]
        [--db PROJECT] [--coder NAME]

``--coder``: who codes (default ``bench``, a coder with no annotations; a coder of a generated
project, e.g. ``coder1``, makes the engine learn from that coder's annotations). The suggestion
engine is kept between starts (in ANNOTATOR_HOME): the first start after a change of the
engine's code or of the segments builds it, later ones load it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ZH_WORDS = ["社区", "减负", "检查", "迎检", "材料", "群众", "需求", "执法权", "台账", "培训",
            "活动", "协调", "上报", "考核", "督查", "居民", "网格", "工作", "任务", "压力"]
EN_WORDS = ["community", "burden", "inspection", "materials", "masses", "needs", "law",
            "enforcement", "power", "ledger", "training", "activities", "coordination", "report",
            "assessment", "residents", "grid", "work", "tasks", "pressure"]


def generate(path: Path, n: int, per_doc: int = 1000) -> None:
    """A project made by ``create_project`` with ``n`` segments inserted directly with SQL."""
    from annotator.application.projects import create_project
    from annotator.storage.db import now, open_project

    create_project(path)
    rng = random.Random(7)
    with open_project(path) as p, p.write() as conn:
        docs = (n + per_doc - 1) // per_doc
        conn.executemany(
            "INSERT INTO documents (id, position, title, attributes) VALUES (?, ?, ?, '{}')",
            [(f"D{d:04d}", d, f"Interview {d}") for d in range(docs)],
        )
        stamp = now()
        conn.execute("UPDATE documents SET imported_at = ?", (stamp,))
        batch = []
        for i in range(n):
            zh = [rng.choice(ZH_WORDS) for _ in range(rng.randint(8, 30))]
            en = [rng.choice(EN_WORDS) for _ in range(rng.randint(10, 40))]
            zh_text = "".join(zh) + "。"
            en_text = " ".join(en).capitalize() + "."
            doc, pos = divmod(i, per_doc)
            batch.append((f"D{doc:04d}-{pos + 1:04d}", f"D{doc:04d}", pos + 1, "AB"[i % 2],
                          zh_text, en_text, " ".join(zh), " ".join(en), " ".join(zh), " ".join(en)))
            if len(batch) == 5000:
                _insert(conn, batch)
                batch = []
        if batch:
            _insert(conn, batch)


def _insert(conn: Any, rows: list[tuple[Any, ...]]) -> None:
    conn.executemany(
        "INSERT INTO segments (id, document, position, speaker, zh, en, zh_tokens, en_tokens,"
        " zh_terms, en_terms) VALUES (?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def floor_app(texts: list[tuple[str, str]]) -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Floor(App[None]):
        BINDINGS = [("j", "next", "next")]  # noqa: RUF012

        def __init__(self) -> None:
            super().__init__()
            self.index = 0
            self.times: list[float] = []

        def compose(self) -> ComposeResult:
            yield Static(texts[0][0], id="zh")
            yield Static(texts[0][1], id="en")

        def action_next(self) -> None:
            started = time.perf_counter()
            self.index = (self.index + 1) % len(texts)
            zh, en = texts[self.index]
            self.query_one("#zh", Static).update(zh)
            self.query_one("#en", Static).update(en)
            self.call_after_refresh(lambda: self.times.append(time.perf_counter() - started))

    return Floor()


def ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"median {statistics.median(values) * 1000:6.2f} ms  (p90 {sorted(values)[int(len(values) * 0.9)] * 1000:.2f}, n={len(values)})"


async def measure(path: Path, presses: int, suggester: str, size: tuple[int, int],
                  coder: str = "bench") -> dict[str, Any]:
    from textual import events

    from annotator.tui.app import make_app

    out: dict[str, Any] = {}
    first_paint: list[float] = []
    started = time.perf_counter()
    app = make_app(path, coder=coder, ui="en", suggester=suggester)
    out["make_app"] = time.perf_counter() - started

    def hook(message: Any) -> None:
        if isinstance(message, events.Ready) and not first_paint:
            first_paint.append(time.perf_counter() - started)

    timings: dict[str, list[float]] = {}
    async with app.run_test(size=size, message_hook=hook) as pilot:
        out["first_paint"] = first_paint[0] if first_paint else float("nan")
        t0 = time.perf_counter()
        screen = app.screen
        building: dict[str, list[float]] = {}
        app.on_repaint = lambda name, dt: building.setdefault(name, []).append(dt)
        while screen.suggester is None and time.perf_counter() - t0 < 300:  # built elsewhere
            await pilot.press("j")  # keys while the suggestions are built
            await pilot.pause(0.02)
        out["suggester_ready"] = time.perf_counter() - t0
        out["while_building"] = building.get("next", []) + building.get("prev", [])
        while screen.backup_thread is None or screen.backup_thread.is_alive():  # not measured
            await pilot.pause(0.05)
        out["backup_done"] = time.perf_counter() - t0
        app.on_repaint = lambda name, dt: timings.setdefault(name, []).append(dt)
        for _ in range(presses):
            await pilot.press("j")
        for _ in range(presses):
            await pilot.press("r")  # toggles the code on and off; each a commit
        for _ in range(presses // 2):
            await pilot.press("k")
        await pilot.pause()
    out["next"] = timings.get("next", []) + timings.get("prev", [])
    out["toggle"] = timings.get("toggle_code", [])
    return out


async def measure_floor(presses: int, size: tuple[int, int]) -> tuple[list[float], float]:
    """Key → repaint times of the bare app, and its first paint."""
    from textual import events

    texts = [("".join(random.Random(i).choices(ZH_WORDS, k=20)),
              " ".join(random.Random(i).choices(EN_WORDS, k=30))) for i in range(100)]
    first: list[float] = []
    started = time.perf_counter()
    app = floor_app(texts)

    def hook(message: Any) -> None:
        if isinstance(message, events.Ready) and not first:
            first.append(time.perf_counter() - started)

    async with app.run_test(size=size, message_hook=hook) as pilot:
        await pilot.pause()
        for _ in range(presses + presses // 2):
            await pilot.press("j")
        await pilot.pause()
    return list(app.times), first[0] if first else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--suggester", default="auto", choices=["auto", "keywords"])
    parser.add_argument("--db", type=Path, help="reuse (or build) the generated project here")
    parser.add_argument("--coder", default="bench", help="who codes (see above)")
    args = parser.parse_args()
    size = (120, 40)

    with tempfile.TemporaryDirectory() as tmp:
        # the automatic backups (and kept engines) go here, unless ANNOTATOR_HOME says where
        os.environ.setdefault("ANNOTATOR_HOME", str(Path(tmp) / "home"))
        path = args.db or Path(tmp) / "bench.db"
        if not path.exists():
            t0 = time.perf_counter()
            generate(path, args.segments)
            print(f"generated {args.segments:,} segments in {time.perf_counter() - t0:.1f} s")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        floor, floor_paint = asyncio.run(measure_floor(args.presses, size))
        result = asyncio.run(measure(path, args.presses, args.suggester, size, args.coder))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    floor_median = statistics.median(floor)
    print(f"floor: bare app, two Statics, next   {ms(floor)}")
    for name in ("while_building", "next", "toggle"):
        values = result[name]
        ratio = statistics.median(values) / floor_median if values else float("nan")
        print(f"coding screen: {name:<14} (key → repaint)   {ms(values)}   {ratio:.2f}× floor (aim ≤ 1.5×)")
    print(f"make_app (open, order, done marks):  {result['make_app'] * 1000:.0f} ms")
    print(f"first paint (from make_app):         {result['first_paint'] * 1000:.0f} ms"
          f"   bare app {floor_paint * 1000:.0f} ms   {result['first_paint'] / floor_paint:.2f}× floor"
          " (aim ≤ 2×)")
    print(f"suggester ready after first paint:   {result['suggester_ready']:.2f} s ({args.suggester})")
    print(f"automatic backup written after it:   {result['backup_done']:.2f} s")
    print(f"resident memory (ru_maxrss): {rss / 1024:.0f} MB (before the apps: {rss_before / 1024:.0f} MB)"
          f"; the suggestion engine's process: {children / 1024:.0f} MB")


if __name__ == "__main__":
    main()
