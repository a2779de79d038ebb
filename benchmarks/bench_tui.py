"""Coding-screen speed on a generated project of 100,000 bilingual segments.

Measured inside the app, from the start of the action a key runs to the repaint after it
(``call_after_refresh``), for "next segment" and "toggle code" (which includes the commit),
beside the same measure for a bare Textual app that shows two Static widgets (the floor) in the
same run, once before the coding screen and once after it (the two pooled); the time to the
first paint; resident memory.

The first seconds: from the first paint, "next segment" is pressed every ``--spacing`` seconds
until ``--first`` seconds have passed and the suggestions are ready and the automatic backup is
written, or (the backup is copied slowly while keys come) ``BACKUP_KEYS_S`` seconds after the
suggestions were ready; then no key is pressed until the backup is written. The bare app gets
the same keys on the same schedule from its own first paint. Each key
is timed twice: from its action's start and from the moment it was pressed (which also counts
what the key waited behind: a layout, a garbage collection, another thread holding the
interpreter lock). Medians, p90 and the slowest, by window of time since the first paint.

    python benchmarks/bench_tui.py [--segments 100000] [--presses 60] [--suggester auto|keywords]
        [--db PROJECT] [--coder NAME] [--first 5] [--spacing 0.1]

``--coder``: who codes (default ``bench``, a coder with no annotations; a coder of a generated
project, e.g. ``coder1``, makes the engine learn from that coder's annotations). The suggestion
engine is kept between starts (in ANNOTATOR_HOME): the first start after a change of the
engine's code or of the segments builds it, later ones load it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ZH_WORDS = ["社区", "减负", "检查", "迎检", "材料", "群众", "需求", "执法权", "台账", "培训",
            "活动", "协调", "上报", "考核", "督查", "居民", "网格", "工作", "任务", "压力"]
EN_WORDS = ["community", "burden", "inspection", "materials", "masses", "needs", "law",
            "enforcement", "power", "ledger", "training", "activities", "coordination", "report",
            "assessment", "residents", "grid", "work", "tasks", "pressure"]

#: Seconds of keys after the suggestions are ready while the backup is still being copied.
BACKUP_KEYS_S = 20.0


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
            self.cpu: list[float] = []  # the screen's thread's CPU time of each
            #: the benchmark's: called with (action, seconds from its start to the repaint, CPU)
            self.on_repaint: Callable[[str, float, float], None] | None = None

        def compose(self) -> ComposeResult:
            yield Static(texts[0][0], id="zh")
            yield Static(texts[0][1], id="en")

        def action_next(self) -> None:
            started = time.perf_counter()
            cpu = time.thread_time()
            self.index = (self.index + 1) % len(texts)
            zh, en = texts[self.index]
            self.query_one("#zh", Static).update(zh)
            self.query_one("#en", Static).update(en)
            self.call_after_refresh(self._repainted, started, cpu)

        def _repainted(self, started: float, cpu: float) -> None:
            dt = time.perf_counter() - started
            self.times.append(dt)
            self.cpu.append(time.thread_time() - cpu)
            if self.on_repaint is not None:
                self.on_repaint("next", dt, self.cpu[-1])

    return Floor()


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"median {statistics.median(values) * 1000:6.2f} ms  (p90 {p90(values) * 1000:.2f}, n={len(values)})"


class Collections:
    """Full garbage collections (generation 2) and how long each took, while recording."""

    def __init__(self) -> None:
        self.full: list[float] = []  # wall time of each
        self.cpu: list[float] = []  # the collecting thread's CPU time of each
        self._started = (0.0, 0.0)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = (time.perf_counter(), time.thread_time())
        else:
            self.full.append(time.perf_counter() - self._started[0])
            self.cpu.append(time.thread_time() - self._started[1])

    def __enter__(self) -> Collections:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


async def spaced_keys(app: Any, key: str, spacing: float,
                      until: Callable[[float], bool]) -> list[tuple[float, float, float, float]]:
    """Press ``key`` every ``spacing`` s from now until ``until(elapsed)``, from a thread of its
    own as a terminal's input thread does (so a key is pressed on time even while the screen
    is busy, and waits in the queue as a real one would); (when pressed, from its action's
    start, from its press, the screen thread's CPU time from its action's start) for each key,
    through the app's ``on_repaint`` hook."""
    pressed: deque[float] = deque()
    times: list[tuple[float, float, float, float]] = []
    t0 = time.perf_counter()

    def repainted(name: str, dt: float, cpu: float = 0.0) -> None:  # 0: not measured
        at = pressed.popleft()
        times.append((at - t0, dt, time.perf_counter() - at, cpu))

    def keyboard() -> None:
        driver = app._driver
        n = 0
        while not until(time.perf_counter() - t0):
            n += 1
            event = events.Key(key, key)
            event.set_sender(app)
            pressed.append(time.perf_counter())
            driver.send_message(event)
            time.sleep(max(0.0, t0 + n * spacing - time.perf_counter()))

    app.on_repaint = repainted
    thread = threading.Thread(target=keyboard, daemon=True)
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0.05)
    while pressed:  # the last keys' repaints
        await asyncio.sleep(0.05)
    app.on_repaint = None
    return times


async def measure(path: Path, presses: int, suggester: str, size: tuple[int, int],
                  coder: str = "bench", first: float = 5.0, spacing: float = 0.1) -> dict[str, Any]:
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
        ready: dict[str, float] = {}

        def until(elapsed: float) -> bool:
            if screen.suggester is not None:
                ready.setdefault("suggester", time.perf_counter() - t0)
            shown = screen.suggestions
            if shown is not None:
                ready.setdefault("shown", time.perf_counter() - t0)
                if getattr(shown, "learned_from", None) is None:  # from every coded segment
                    ready.setdefault("whole", time.perf_counter() - t0)
            backup = screen.backup_thread
            if backup is not None and not backup.is_alive():
                ready.setdefault("backup", time.perf_counter() - t0)
            if elapsed >= 300 or elapsed < first or "whole" not in ready:
                return elapsed >= 300
            return "backup" in ready or elapsed >= ready["whole"] + BACKUP_KEYS_S

        with Collections() as collections:
            out["first_keys"] = await spaced_keys(app, "j", spacing, until)
        while screen.backup_thread is None or screen.backup_thread.is_alive():  # no key meanwhile
            if time.perf_counter() - t0 >= 900:
                break
            await asyncio.sleep(0.1)
        if screen.backup_thread is not None and not screen.backup_thread.is_alive():
            ready.setdefault("backup", time.perf_counter() - t0)
        out["first_gc"] = collections.full
        out["first_gc_cpu"] = collections.cpu
        out["suggester_ready"] = ready.get("suggester", float("nan"))
        out["suggestions_shown"] = ready.get("shown", float("nan"))
        out["suggestions_whole"] = ready.get("whole", float("nan"))
        out["backup_done"] = ready.get("backup", float("nan"))
        app.on_repaint = lambda name, dt, cpu=0.0: (timings.setdefault(name, []).append(dt),
                                                timings.setdefault(name + "_cpu", []).append(cpu))
        with Collections() as collections:
            for _ in range(presses):
                await pilot.press("j")
            for _ in range(presses):
                await pilot.press("r")  # toggles the code on and off; each a commit
            for _ in range(presses // 2):
                await pilot.press("k")
            await pilot.pause()
        out["steady_gc"] = collections.full
        out["steady_gc_cpu"] = collections.cpu
    out["next"] = timings.get("next", []) + timings.get("prev", [])
    out["toggle"] = timings.get("toggle_code", [])
    out["next_cpu"] = timings.get("next_cpu", []) + timings.get("prev_cpu", [])
    out["toggle_cpu"] = timings.get("toggle_code_cpu", [])
    return out


async def measure_floor(presses: int, size: tuple[int, int], first: float = 5.0,
                        spacing: float = 0.1) -> dict[str, Any]:
    """Key → repaint times of the bare app (spaced from its first paint, then back to back),
    and its first paint."""
    texts = [("".join(random.Random(i).choices(ZH_WORDS, k=20)),
              " ".join(random.Random(i).choices(EN_WORDS, k=30))) for i in range(100)]
    first_paint: list[float] = []
    started = time.perf_counter()
    app = floor_app(texts)

    def hook(message: Any) -> None:
        if isinstance(message, events.Ready) and not first_paint:
            first_paint.append(time.perf_counter() - started)

    out: dict[str, Any] = {}
    async with app.run_test(size=size, message_hook=hook) as pilot:
        out["first_paint"] = first_paint[0] if first_paint else float("nan")
        out["first_keys"] = await spaced_keys(app, "j", spacing, lambda elapsed: elapsed >= first)
        app.times, app.cpu = [], []
        await pilot.pause()
        for _ in range(presses + presses // 2):
            await pilot.press("j")
        await pilot.pause()
        out["next"] = list(app.times)
        out["next_cpu"] = list(app.cpu)
    return out


def pooled(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The bare app's keys measured before the coding screen and after it, together: a floor
    that the machine's state while the coding screen ran (a warmer or a busier processor) cannot
    tilt one way (one run's floor alone moved from 1.9 to 2.6 ms between two runs)."""
    return {name: before[name] + after[name] for name in ("next", "next_cpu", "first_keys")}


WINDOWS = ((0.0, 0.5), (0.5, 2.0), (2.0, 5.0), (5.0, float("inf")))


def window_rows(keys: list[tuple[float, float, float, float]], floor: dict[str, Any]) -> list[str]:
    """Per window of time since the first paint: the keys' median, p90 and slowest, from the
    action and from the press, against the floor's spaced keys in the same window (the bare
    app's first keys wait for its first frames too), or all of them where the floor pressed
    fewer than three keys in the window (after its five seconds)."""
    rows = []
    for start, end in (*WINDOWS, (0.0, float("inf"))):
        inside = [k for k in keys if start <= k[0] < end]
        if not inside:
            continue
        same = [k for k in floor["first_keys"] if start <= k[0] < end]
        base_keys = same if len(same) >= 3 else floor["first_keys"]
        floor_action = [k[1] for k in base_keys]
        floor_press = [k[2] for k in base_keys]
        floor_cpu = [k[3] for k in base_keys]
        label = f"{start:g}–{end:g} s" if end != float("inf") else f"{start:g} s –"
        if (start, end) == (0.0, float("inf")):
            label = "all"
        parts = [f"  {label:<10} n={len(inside):<4}"]
        for name, column, base in (("action", 1, floor_action), ("press", 2, floor_press),
                                   ("cpu", 3, floor_cpu)):
            values = [k[column] for k in inside]
            parts.append(
                f"{name}: p50 {statistics.median(values) * 1000:5.1f} ({statistics.median(values) / statistics.median(base):.2f}×)"
                f" p90 {p90(values) * 1000:5.1f} ({p90(values) / p90(base):.2f}×)"
                f" max {max(values) * 1000:5.1f} ms")
        rows.append("  ".join(parts))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--suggester", default="auto", choices=["auto", "keywords"])
    parser.add_argument("--db", type=Path, help="reuse (or build) the generated project here")
    parser.add_argument("--coder", default="bench", help="who codes (see above)")
    parser.add_argument("--first", type=float, default=5.0,
                        help="seconds of spaced keys from the first paint (at least)")
    parser.add_argument("--spacing", type=float, default=0.1, help="seconds between those keys")
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
        before = asyncio.run(measure_floor(args.presses, size, args.first, args.spacing))
        result = asyncio.run(measure(path, args.presses, args.suggester, size, args.coder,
                                     args.first, args.spacing))
        after = asyncio.run(measure_floor(args.presses, size, args.first, args.spacing))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    floor = pooled(before, after)
    floor_median = statistics.median(floor["next"])
    print(f"floor: bare app, two Statics, next   {ms(floor['next'])}"
          f"   (before the coding screen {ms(before['next'])}; after it {ms(after['next'])})")
    print(f"floor: bare app, spaced keys from its first paint: action {ms([k[1] for k in floor['first_keys']])}"
          f"; press {ms([k[2] for k in floor['first_keys']])}")
    print(f"floor: bare app, its thread's CPU time   {ms(floor['next_cpu'])}")
    for name in ("next", "toggle"):
        values = result[name]
        ratio = statistics.median(values) / floor_median if values else float("nan")
        print(f"coding screen: {name:<14} (key → repaint)   {ms(values)}   {ratio:.2f}× floor"
              f" (p90 {p90(values) / p90(floor['next']):.2f}×; aim ≤ 1.5×)")
        cpu = result[name + "_cpu"]
        print(f"coding screen: {name:<14} (its thread's CPU)   {ms(cpu)}"
              f"   {statistics.median(cpu) / statistics.median(floor['next_cpu']):.2f}× floor's CPU"
              f" (p90 {p90(cpu) / p90(floor['next_cpu']):.2f}×)")
    print(f"coding screen: first seconds, next every {args.spacing:g} s from the first paint"
          " (ratios to the bare app's spaced keys):")
    for row in window_rows(result["first_keys"], floor):
        print(row)
    ours_first, floor_first = result["first_keys"][0], [before["first_keys"][0], after["first_keys"][0]]
    print(f"  the key pressed at the first paint: from action / press / CPU"
          f" {ours_first[1] * 1000:.1f} / {ours_first[2] * 1000:.1f} / {ours_first[3] * 1000:.1f} ms;"
          " the bare app's: " + ", ".join(f"{a * 1000:.1f} / {p * 1000:.1f} / {c * 1000:.1f} ms"
                                          for _w, a, p, c in floor_first))
    slowest = sorted(result["first_keys"], key=lambda k: -k[2])[:5]
    print("  slowest (when, from action, from press, CPU): " + ", ".join(
        f"{w:.2f} s {a * 1000:.0f}/{p * 1000:.0f}/{c * 1000:.0f} ms" for w, a, p, c in slowest))
    print("full garbage collections (wall/CPU ms): first seconds "
          + ", ".join(f"{w * 1000:.0f}/{c * 1000:.0f}"
                      for w, c in zip(result["first_gc"], result["first_gc_cpu"], strict=True))
          + "; steady " + ", ".join(f"{w * 1000:.0f}/{c * 1000:.0f}" for w, c in
                                    zip(result["steady_gc"], result["steady_gc_cpu"], strict=True)))
    print(f"make_app (open, order, done marks):  {result['make_app'] * 1000:.0f} ms")
    print(f"first paint (from make_app):         {result['first_paint'] * 1000:.0f} ms"
          f"   bare app {before['first_paint'] * 1000:.0f} ms"
          f"   {result['first_paint'] / before['first_paint']:.2f}× floor (aim ≤ 2×; the bare app"
          f" started again after the coding screen: {after['first_paint'] * 1000:.0f} ms)")
    print(f"suggester ready after first paint:   {result['suggester_ready']:.2f} s ({args.suggester})")
    print(f"first suggestions shown after it:    {result['suggestions_shown']:.2f} s;"
          f" learned from every coded segment: {result['suggestions_whole']:.2f} s")
    print(f"automatic backup written after it:   {result['backup_done']:.2f} s")
    print(f"resident memory (ru_maxrss): {rss / 1024:.0f} MB (before the apps: {rss_before / 1024:.0f} MB)"
          f"; the suggestion engine's process: {children / 1024:.0f} MB")


if __name__ == "__main__":
    main()
