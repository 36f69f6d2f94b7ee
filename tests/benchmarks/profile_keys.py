"""Where a key press's CPU goes in the running reader (headless, 140×45), as bench_keys sees it.

    python tests/benchmarks/profile_keys.py --db /tmp/copy/library.json [--keys j b enter]
                                            [--presses 40] [--top 30 | --top 0] [--sort tottime]

Use a copy of a library: `b` writes bookmarks to it. Keys arrive 50 ms apart as events (not
through Pilot, which forces a frame after every key). For each key it prints the CPU of each 50 ms
window after a press, less the median window after an unbound key (median and p95), then
cProfile's top lines for the windows of that key (profiled with CPU time, not wall time).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench import settled


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# After each press of these keys, the keys that bring the reader back, unmeasured: `enter`
# opens the article (marks it read, focuses the pane); escape and `j` return to an unread one.
BETWEEN = {"enter": ("escape", "j")}


async def windows(
    app: object, key: str, presses: int, gap: float, profile: cProfile.Profile | None = None
) -> list[float]:
    """The CPU of each `gap` window that starts with a press of `key`."""
    from textual import events

    def press(name: str) -> None:
        app.post_message(events.Key(name, None if len(name) > 1 else name))  # type: ignore[attr-defined]

    cpu = []
    for _ in range(presses):
        if profile is not None:
            profile.enable()
        start = time.process_time()
        press(key)
        await asyncio.sleep(gap)
        cpu.append(time.process_time() - start)
        if profile is not None:
            profile.disable()
        for other in BETWEEN.get(key, ()):
            press(other)
            await asyncio.sleep(gap)
    return cpu


async def run(args: argparse.Namespace) -> None:
    from newsreader.library import Library
    from newsreader.ui.app import NewsReaderApp

    app = NewsReaderApp(Library(Path(args.db)))
    async with app.run_test(size=(140, 45)) as pilot:
        await settled(app, pilot)
        await asyncio.sleep(0.5)
        idle = await windows(app, "x", args.presses, args.gap)
        base = statistics.median(idle)
        print(f"unbound key: median window {base * 1000:.2f} ms CPU")
        for key in args.keys:
            profile = cProfile.Profile(time.process_time) if args.top else None
            cpu = await windows(app, key, args.presses, args.gap, profile)
            costs = [(c - base) * 1000 for c in cpu]
            print(
                f"\n== {key}: per press median {statistics.median(costs):.2f} ms, "
                f"p95 {p95(costs):.2f} ms, max {max(costs):.2f} ms ({len(costs)} presses)"
            )
            if profile is not None:
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out)
                stats.sort_stats(args.sort).print_stats(args.top)
                print(out.getvalue())
        await pilot.pause()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--keys", nargs="+", default=["j", "b", "enter"])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--gap", type=float, default=0.05)
    parser.add_argument("--top", type=int, default=30, help="0: time the keys, no profile")
    parser.add_argument("--sort", default="tottime")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
