"""Keys on the coding screen while the lead's "coders disagree" filter is being computed.

The filter reads every coder's work (seconds on a million segments). Measured in one app on a
copy of the project, in the lead's mode: "next segment" pressed every ``--spacing`` seconds from
a thread of its own (as a terminal's input thread does), timed from the press to the repaint,
first for ``--before`` seconds with nothing else running (the floor, same app, same keys), then
from the moment the filter is chosen until its view is shown. Also: how long the filter took to
land, and how long the same computation takes on the screen's thread (what every key pressed
meanwhile waited before the filter ran in a worker). The key pressed as the filter starts comes
right after the status line was redrawn; its floor is the bare app's key pressed right after
another of its texts changed (Textual draws at most one frame per tick).

    python benchmarks/bench_filter_keys.py PROJECT [--coder NAME] [--before 5] [--spacing 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_tui import p90, spaced_keys


def summary(name: str, keys: list[tuple[float, float, float, float]]) -> str:
    press = [k[2] * 1000 for k in keys]
    if not press:
        return f"{name:<28} no key"
    return (f"{name:<28} n={len(press):<4} press→repaint p50 {statistics.median(press):6.1f} ms"
            f"  p90 {p90(press):6.1f} ms  max {max(press):7.1f} ms")


async def measure(path: Path, coder: str, before: float, spacing: float) -> dict[str, Any]:
    from annotator.tui.app import make_app

    app = make_app(path, coder=coder, lead=True, ui="en", suggester="keywords")
    out: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        out["before"] = await spaced_keys(app, "j", spacing, lambda elapsed: elapsed >= before)
        landed: list[float] = []
        started = time.perf_counter()

        def until(elapsed: float) -> bool:
            if not landed and not any(w.group == "view" and not w.is_finished for w in app.workers):
                landed.append(time.perf_counter() - started)
            return bool(landed) or elapsed >= 600

        screen.apply_filter("disagree")
        out["during"] = await spaced_keys(app, "j", spacing, until)
        out["landed"] = landed[0] if landed else float("nan")
        out["shown"] = len(screen.session.view.indices) if screen.session.view else 0
        started = time.perf_counter()
        out["found"] = len(screen.session.filter_places("disagree"))
        out["on_screen_thread"] = time.perf_counter() - started
    return out


async def bare_keys_after_a_repaint(times: int = 20) -> tuple[list[float], list[float]]:
    """The floor of the key pressed as the filter starts (whose status line has just been
    redrawn): the bare app's key, seconds from press to repaint, pressed alone and right after
    another of its texts changed (Textual draws at most one frame per tick, so that key waits
    for the next one)."""
    from textual import events

    from benchmarks.bench_tui import floor_app

    app = floor_app([(f"社区减负 {i} " * 20, f"community burden {i} " * 20) for i in range(50)])
    alone: list[float] = []
    after: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.5)
        for n in range(times):
            for bucket, touch in ((alone, False), (after, True)):
                done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
                pressed = [0.0]
                app.on_repaint = lambda _name, _dt, _cpu=0.0, done=done, pressed=pressed: (
                    done.done() or done.set_result(time.perf_counter() - pressed[0]))
                if touch:
                    app.query_one("#zh").update(f"status {n}")
                    await asyncio.sleep(0)
                pressed[0] = time.perf_counter()
                event = events.Key("j", "j")
                event.set_sender(app)
                app._driver.send_message(event)
                bucket.append(await done)
                await asyncio.sleep(0.1)
    return alone, after


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--coder", default="lead")
    parser.add_argument("--before", type=float, default=5.0)
    parser.add_argument("--spacing", type=float, default=0.1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / args.project.name
        shutil.copyfile(args.project, copy)
        out = asyncio.run(measure(copy, args.coder, args.before, args.spacing))
    print(f"project: {args.project}; filter landed after {out['landed']:.2f} s "
          f"({out['shown']} segments); the same filter on the screen's thread: "
          f"{out['on_screen_thread']:.2f} s ({out['found']} segments)")
    print(summary("keys, nothing running", out["before"]))
    print(summary("keys while filtering", out["during"]))
    slowest = sorted(out["during"], key=lambda k: -k[2])[:3]
    print("  slowest while filtering (pressed at, press→repaint): "
          + ", ".join(f"{k[0]:.2f} s {k[2] * 1000:.1f} ms" for k in slowest))
    alone, after = asyncio.run(bare_keys_after_a_repaint())
    first = out["during"][0][2] * 1000 if out["during"] else float("nan")
    print(f"the key pressed as the filter starts (its status line just redrawn): {first:.1f} ms;"
          f" the bare app's key right after another repaint: median {statistics.median(after) * 1000:.1f} ms"
          f" (max {max(after) * 1000:.1f}), alone: median {statistics.median(alone) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
