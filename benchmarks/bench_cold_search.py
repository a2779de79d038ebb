"""The coding screen's first searches when the project file is not in the system's file cache.

Run (as root, to empty the cache): python benchmarks/bench_cold_search.py PROJECT
    [--coder NAME] [--wait S] [--spacing S] [QUERY ...]

Empties the system's file cache (``/proc/sys/vm/drop_caches``: what a restart of the machine
does to the project file), opens the coding screen on PROJECT, presses "next segment" every
``--spacing`` seconds for ``--wait`` seconds (a coder reading), then searches each query in turn
(the search worker's own call, ``CodingSession.find``, timed where it runs) and prints the times.
The default coder is a new one: another coder's done marks, placed as the screen opens, read
much of the segments table and so warm it. The automatic backup, which reads the whole file too
once it is copied, is left out unless ``--with-backup``. Run it beside the code before a change
(``PYTHONPATH=OLD_CHECKOUT python benchmarks/bench_cold_search.py ...``), alternating.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from typing import Any

QUERIES = ("权", "的", "网格员")


def drop_caches() -> None:
    import subprocess

    subprocess.run(["sync"], check=True)
    Path("/proc/sys/vm/drop_caches").write_text("1\n")


async def measure(path: Path, coder: str, wait: float, spacing: float, queries: list[str]) -> list[tuple[str, float]]:
    from annotator.tui.app import make_app
    from annotator.tui.session import CodingSession

    times: list[tuple[str, float]] = []
    find = CodingSession.find

    def timed(self: CodingSession, query: str, project: Any = None) -> list[int]:
        started = time.perf_counter()
        found = find(self, query, project)
        times.append((query, time.perf_counter() - started))
        return found

    CodingSession.find = timed  # type: ignore[method-assign]
    app = make_app(path, coder=coder, ui="en", suggester="keywords")
    async with app.run_test(size=(120, 40)) as pilot:
        started = time.perf_counter()
        while time.perf_counter() - started < wait:
            await pilot.press("j")
            await pilot.pause(spacing)
        screen: Any = app.screen
        for query in queries:
            screen._search(query)
            await pilot.pause(0.001)
            while any(w.group == "view" and not w.is_finished for w in app.workers):
                await asyncio.sleep(0.001)
            await pilot.press("escape")
            await pilot.pause(0.05)
    CodingSession.find = find  # type: ignore[method-assign]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("project", type=Path)
    parser.add_argument("queries", nargs="*", default=list(QUERIES))
    parser.add_argument("--coder", default="cold-search", help="who opens the screen (default: a new coder)")
    parser.add_argument("--wait", type=float, default=12.0, help="seconds of reading before the searches")
    parser.add_argument("--spacing", type=float, default=3.0, help="seconds between the keys meanwhile")
    parser.add_argument("--with-backup", action="store_true", help="let the automatic backup run")
    args = parser.parse_args()

    if not args.with_backup:
        from annotator.tui.screens.coding import CodingScreen

        CodingScreen.start_backup = lambda self: None  # type: ignore[method-assign]
    drop_caches()
    times = asyncio.run(measure(args.project, args.coder, args.wait, args.spacing, args.queries))
    print(f"project: {args.project}; file cache emptied; {args.wait:g} s with a key every {args.spacing:g} s")
    print("  ".join(f"{q} {s * 1000:.1f} ms" for q, s in times))


if __name__ == "__main__":
    main()
