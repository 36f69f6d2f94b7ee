"""The long key monkey: the real reader in tmux, random keys at many sizes, and not one crash.

    python tests/benchmarks/monkey.py [--keys 10000] [--runs 5] [--seed 1] [--work DIR]

Each run starts `python -m newsreader` in a tmux window of its own on a library of the bundled
samples plus synthetic articles, and sends bursts of random keys the way a terminal delivers a
fast typist's keys: every key the app binds (the suite's monkey collects them), words typed into
the search box and the command palette, and window resizes between 80x24 and 200x50. After each
burst the reader must still be running and no crash report may have been written; at the end of
a run escape and q must end it with status 0, and the pane must never have shown "Traceback".
Typing in the palette can choose its Quit command: such a run ends early, cleanly, and the next
run carries on with the keys left. Not part of the test suite: it takes minutes.
"""

from __future__ import annotations

import argparse
import random
import shlex
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from newsreader.resources import resource_dir
from tests.benchmarks.synthetic import write_articles
from tests.test_monkey import binding_keys

CHECKOUT = Path(__file__).resolve().parents[2]
# Textual's key names as tmux's send-keys spells them; keys tmux cannot send are left out.
TMUX_NAMES = {
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "pageup": "PPage",
    "pagedown": "NPage",
    "home": "Home",
    "end": "End",
    "enter": "Enter",
    "tab": "Tab",
    "shift+tab": "BTab",
    "escape": "Escape",
    "backspace": "BSpace",
    "delete": "DC",
    "space": "Space",
    "slash": "/",
    "question_mark": "?",
}
MODIFIERS = {"ctrl": "C", "shift": "S", "alt": "M"}
# The palette's words: letters that never spell a way to its Quit command, most of the time.
PALETTE_LETTERS = "abcdefghjklmnoprsvwxyz "
SEARCH_LETTERS = "abcdefghijklmnoprstuvwxyzNATO "
DRAWN = "Articles"  # the list's title: the reader is on screen
ARTICLES = 60


def tmux_name(key: str) -> str | None:
    """`key` as tmux's send-keys names it, or None when tmux cannot send it."""
    if key in TMUX_NAMES:
        return TMUX_NAMES[key]
    if len(key) == 1:
        return "Space" if key == " " else key
    *mods, base = key.split("+")
    if "super" in mods or not mods or ("shift" in mods and len(base) == 1):
        return None  # tmux spells no super, and no ctrl+shift+letter without extended keys
    name = TMUX_NAMES.get(base, base if len(base) == 1 else None)
    if name is None:
        return None
    return "-".join([*(MODIFIERS[m] for m in mods), name])


@dataclass
class Tally:
    keys: int = 0
    bursts: int = 0
    runs: int = 0
    resizes: int = 0
    palettes: int = 0
    searches: int = 0
    palette_quits: int = 0
    sizes: set[tuple[int, int]] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)


class Window:
    """One tmux window on a private tmux server, running one reader."""

    def __init__(self, socket: str, config: Path, exit_file: Path) -> None:
        self.socket = socket
        self.config = config
        # The shell around the reader writes its exit status here: tmux's own pane_dead_status
        # was seen empty for a reader that had ended (its process left unreaped).
        self.exit_file = exit_file
        self.socket_path: Path | None = None

    def tmux(self, *args: str) -> str:
        command = ["tmux", "-L", self.socket, "-f", str(self.config), *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def start(self, command: str, size: tuple[int, int]) -> None:
        self.exit_file.unlink(missing_ok=True)
        shell = f"{command}; echo $? > {shlex.quote(str(self.exit_file))}"
        width, height = size
        size_args = ["-x", str(width), "-y", str(height)]
        # From the checkout: `python -m newsreader` runs this code, not an installed copy.
        self.tmux("new-session", "-d", "-s", "monkey", "-c", str(CHECKOUT), *size_args, shell)
        self.socket_path = Path(self.tmux("display", "-p", "#{socket_path}").strip())

    def send(self, names: list[str]) -> None:
        self.tmux("send-keys", "-t", "monkey", *names)

    def resize(self, size: tuple[int, int]) -> None:
        self.tmux("resize-window", "-t", "monkey", "-x", str(size[0]), "-y", str(size[1]))

    def status(self) -> int | None:
        """None while the reader runs; its exit status once it has ended."""
        try:
            return int(self.exit_file.read_text())
        except (FileNotFoundError, ValueError):  # running, or the shell is writing it
            return None

    def text(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "monkey")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        if self.socket_path is not None:  # tmux leaves its socket file behind
            self.socket_path.unlink(missing_ok=True)


def make_library(work: Path) -> Path:
    """The bundled samples and some synthetic articles, imported as a person would."""
    library = work / "library" / "library.json"
    articles = write_articles(work / "articles", ARTICLES)
    sources = [str(resource_dir("seeds")), str(articles)]
    command = [sys.executable, "-m", "newsreader", "import", "--db", str(library), *sources]
    subprocess.run(command, check=True, capture_output=True)
    return library


def burst(rng: random.Random, keys: list[str], tally: Tally) -> list[str]:
    roll = rng.random()
    if roll < 0.15:
        tally.searches += 1
        typed = [rng.choice(SEARCH_LETTERS) for _ in range(rng.randint(1, 8))]
        return ["slash", *typed, *rng.choices(["backspace", "enter", "escape", "down"], k=2)]
    if roll < 0.30:
        tally.palettes += 1
        typed = [rng.choice(PALETTE_LETTERS) for _ in range(rng.randint(1, 6))]
        moves = rng.choices(["pagedown", "pageup", "down", "up", "home", "end", "backspace"], k=3)
        ending = rng.choice(["enter", "escape", "tab", "question_mark"])
        return ["ctrl+p", *moves[:1], *typed, *moves[1:], ending]
    return rng.choices(keys, k=rng.randint(3, 25))


def run_once(
    window: Window,
    library: Path,
    state: Path,
    home: Path,
    rng: random.Random,
    keys: list[str],
    budget: int,
    tally: Tally,
) -> None:
    """One reader, up to `budget` keys; failures are added to `tally.failures`."""
    size = (rng.randint(80, 200), rng.randint(24, 50))
    environment = {
        "NEWSREADER_DB": str(library),
        "NEWSREADER_STATE_DIR": str(state),
        "HOME": str(home),  # the palette's Screenshot and any config stay in the work folder
        "BROWSER": "true",  # `o` opens links with a program that does nothing
        "TERM": "xterm-256color",
    }
    exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in environment.items())
    window.start(f"env {exports} {shlex.quote(sys.executable)} -m newsreader", size)
    tally.runs += 1
    tally.sizes.add(size)
    last: deque[str] = deque(maxlen=60)
    try:
        deadline = time.monotonic() + 30
        while DRAWN not in window.text():
            if time.monotonic() > deadline or window.status() is not None:
                tally.failures.append(f"run {tally.runs}: the reader did not start")
                return
            time.sleep(0.1)
        sent = 0
        while sent < budget:
            if rng.random() < 0.1:
                size = (rng.randint(80, 200), rng.randint(24, 50))
                window.resize(size)
                tally.resizes += 1
                tally.sizes.add(size)
            names = [name for key in burst(rng, keys, tally) if (name := tmux_name(key))]
            window.send(names)
            last.extend(names)
            sent += len(names)
            tally.keys += len(names)
            tally.bursts += 1
            time.sleep(rng.uniform(0.02, 0.3))
            status = window.status()
            reports = sorted(state.glob("crash-*.txt"))
            if reports or (status is not None and status != 0):
                time.sleep(0.5)  # the last words it printed
                shown = "\n".join(window.text().rstrip().splitlines()[-12:])
                tally.failures.append(
                    f"run {tally.runs}: the reader stopped (status {status}) after keys "
                    f"{' '.join(last)}\nthe pane ends:\n{shown}\n"
                    + "\n".join(report.read_text() for report in reports)
                )
                return
            if status == 0:  # the palette's Quit: a clean end, and the next run goes on
                tally.palette_quits += 1
                break
        else:
            quit_reader(window, tally, last)
        if "Traceback" in window.text():
            tally.failures.append(f"run {tally.runs}: the pane shows a traceback")
    finally:
        window.close()


def quit_reader(window: Window, tally: Tally, last: deque[str]) -> None:
    """escape (palette, help, search box), then q: the reader must end with status 0."""
    for _ in range(6):
        for name in ("Escape", "Escape", "q"):
            window.send([name])
            time.sleep(0.4)  # apart: escape and q sent at once would arrive as alt+q
            status = window.status()
            if status is not None:
                if status != 0:
                    tally.failures.append(
                        f"run {tally.runs}: quitting ended with status {status} after "
                        f"{' '.join(last)}"
                    )
                return
    screen = window.tmux("capture-pane", "-p", "-t", "monkey")
    tally.failures.append(
        f"run {tally.runs}: escape and q did not end the reader; last keys {' '.join(last)}; "
        f"the screen:\n{screen}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=10_000, help="keys in all (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="readers started, at least")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="a folder to keep (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="newsreader-monkey-"))
    work.mkdir(parents=True, exist_ok=True)
    config = work / "tmux.conf"
    # remain-on-exit: a reader that ended stays, to be asked how it ended.
    config.write_text("set -g remain-on-exit on\nset -g history-limit 50000\n")
    state, home = work / "state", work / "home"
    home.mkdir(exist_ok=True)
    library = make_library(work)
    keys = [key for key in binding_keys() if tmux_name(key)]
    rng = random.Random(args.seed)
    tally = Tally()
    socket = f"newsreader-monkey-{args.seed}-{time.monotonic_ns()}"
    window = Window(socket, config, work / "exit-status")
    started = time.monotonic()
    per_run = -(-args.keys // args.runs)
    try:
        while tally.keys < args.keys and not tally.failures:
            budget = min(per_run, args.keys - tally.keys)
            run_once(window, library, state, home, rng, keys, budget, tally)
    finally:
        window.close()
    minutes = (time.monotonic() - started) / 60
    print(
        f"{tally.keys:,} keys in {tally.bursts:,} bursts over {tally.runs} runs "
        f"({minutes:.1f} min, seed {args.seed}): {tally.searches} searches typed, "
        f"{tally.palettes} palettes opened, {tally.resizes} resizes, "
        f"{len(tally.sizes)} terminal sizes, {tally.palette_quits} runs ended by the palette's "
        f"Quit; {len(tally.failures)} crashes"
    )
    for failure in tally.failures:
        print(failure)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
