"""Measures newsboat on the bench's synthetic articles, served to it as one RSS 2.0 feed file."""

from __future__ import annotations

import email.utils
import fcntl
import os
import pty
import re
import shutil
import sqlite3
import statistics
import struct
import subprocess
import termios
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape

from tests.benchmarks.synthetic import COMMON_WORD, EVERY_WORD, PHRASE, RARE_WORD
from tests.terminal import Terminal, _drain

# The kinds of query newsreader's bench times that newsboat's search can express. Newsboat
# matches a plain substring of title or body (SQL LIKE), so a phrase needs no quotes and a
# prefix is just a shorter substring; it has no word forms and no tag filter, so those are left out.
QUERIES = {
    "rare word": RARE_WORD,
    "common word": COMMON_WORD,
    "word in every article": EVERY_WORD,
    "two-word phrase": PHRASE,
    "prefix (typing)": RARE_WORD[:4],
}

SCREEN = (140, 45)
_NEWEST = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
# CSI sequences, charset choices and keypad modes: what ncurses puts between the characters.
_ESCAPES = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Z]|[=>])")
# Newsboat titles its search list "Search results (N unread, M total)"; M counts articles.
_RESULTS = re.compile(rb"Search results \((\d+) unread, (\d+) total\)")


def import_runs(size: int, runs: int) -> int:
    """Imports to time at this size, for both readers: a single import of 100,000 articles
    took 14.0-14.4 s in four runs and 19.7 s in a fifth on this machine, so up to that size
    the median of `runs`; a million is imported once (minutes each)."""
    return runs if size <= 200_000 else 1


def executable() -> str | None:
    return shutil.which("newsboat")


# --- the feed ------------------------------------------------------------------------------


def feed_path(folder: Path) -> Path:
    """The feed sits beside the articles' folder, not in it, so newsreader never imports it."""
    return folder.with_suffix(".rss")


def ensure_feed(folder: Path, size: int) -> Path:
    """Write the feed once per set of articles: again only if the articles were regenerated."""
    feed = feed_path(folder)
    complete = folder / ".complete"
    if feed.exists() and feed.stat().st_mtime >= complete.stat().st_mtime:
        return feed
    print(f"  writing {size:,} articles as one RSS feed …", flush=True)
    partial = feed.with_suffix(".rss.partial")
    with partial.open("w", encoding="utf-8") as out:
        write_feed(out, folder, feed_title(size))
    os.replace(partial, feed)  # a run killed half-way never leaves a short feed to be reused
    return feed


def write_feed(out: TextIO, folder: Path, title: str) -> None:
    """Stream the articles (in file order, newest first) as RSS 2.0 items into `out`."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n')
    out.write(f"<title>{escape(title)}</title><link>https://example.invalid/</link>\n")
    out.write("<description>The newsreader bench's synthetic articles</description>\n")
    for index, path in enumerate(sorted(folder.rglob("*.txt"))):
        out.write(feed_item(path, index))
    out.write("</channel></rss>\n")


def feed_item(path: Path, index: int) -> str:
    title, paragraphs = parse_seed(path.read_text(encoding="utf-8"))
    name = path.relative_to(path.parents[1]).with_suffix("").as_posix()
    published = email.utils.format_datetime(_NEWEST - timedelta(minutes=index))
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<item><title>{escape(title)}</title>"
        f"<link>https://example.invalid/articles/{name}</link>"
        f'<guid isPermaLink="false">urn:newsreader-bench:{name}</guid>'
        f"<pubDate>{published}</pubDate>"
        f"<description>{escape(body)}</description></item>\n"
    )


def parse_seed(text: str) -> tuple[str, list[str]]:
    """Title and body paragraphs of a synthetic seed-format file. A reader of its own, not
    newsreader's, so newsboat's input does not move while the product's parser is edited; the
    synthetic files are regular: symbol line, title, excerpt, body, `Tags:`, tags."""
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    if not any(ch.isalnum() for ch in parts[0]):
        parts = parts[1:]
    end = parts.index("Tags:") if "Tags:" in parts else len(parts)
    # parts[1] is the excerpt, which the body repeats: only the body goes in the feed.
    paragraphs = [line for part in parts[2:end] for line in part.splitlines() if line.strip()]
    return parts[0], paragraphs


# --- a private newsboat set-up --------------------------------------------------------------


@dataclass
class Profile:
    """Newsboat with its own HOME, urls file, config file and cache, touching nothing else."""

    home: Path

    @property
    def cache(self) -> Path:
        return self.home / "cache.db"

    def argv(self, *extra: str) -> list[str]:
        urls, config = self.home / "urls", self.home / "config"
        program = executable() or "newsboat"
        return [program, "-u", str(urls), "-c", str(self.cache), "-C", str(config), *extra]

    def env(self) -> dict[str, str]:
        # HOME and the XDG folders too: newsboat keeps history and its queue under them.
        return os.environ | {
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local/share"),
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
        }


def new_profile(home: Path, feed: Path) -> Profile:
    """A fresh set-up reading `feed` through a file:// URL (newsboat fetches those with curl)."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    (home / "urls").write_text(feed.resolve().as_uri() + "\n", encoding="utf-8")
    (home / "config").write_text("", encoding="utf-8")  # the defaults, as a new user has them
    return Profile(home)


def articles_in_cache(profile: Profile) -> int:
    with sqlite3.connect(profile.cache) as db:
        return int(db.execute("SELECT count(*) FROM rss_item").fetchone()[0])


# --- import ---------------------------------------------------------------------------------


def bench_import(work: Path, feed: Path, size: int, runs: int) -> dict[str, float]:
    """`newsboat -x reload` into a fresh cache, the whole process timed; the first run's cache
    (`newsboat-<size>-0`) is the one the screen and search measures open."""
    times = []
    for run in range(runs):
        profile = new_profile(work / f"newsboat-{size}-{run}", feed)
        start = time.perf_counter()
        done = subprocess.run(
            profile.argv("-x", "reload"), env=profile.env(), capture_output=True, text=True
        )
        times.append(time.perf_counter() - start)
        stored = articles_in_cache(profile)
        if done.returncode != 0 or stored != size:  # newsboat says little when a fetch fails
            raise RuntimeError(
                f"newsboat stored {stored:,} of {size:,} articles (exit {done.returncode}): "
                f"{(done.stderr or done.stdout).strip()[-500:]}"
            )
    seconds = statistics.median(times)
    return {"seconds": seconds, "per_second": size / seconds}


# --- newsboat in a terminal -----------------------------------------------------------------


def start_newsboat(profile: Profile) -> Terminal:
    """Run newsboat in a pty of SCREEN's size. tests/terminal.py starts only newsreader, so
    this forks the same way and reuses its `Terminal` and the thread that drains the pty."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        columns, rows = SCREEN
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.chdir(profile.home)
        argv = profile.argv()
        os.execve(argv[0], argv, profile.env())
    terminal = Terminal(pid, fd)
    threading.Thread(target=_drain, args=(terminal,), daemon=True).start()
    return terminal


def feed_title(size: int) -> str:
    """The feed's title: drawn in the feed list, which newsboat shows only once every article
    is loaded from its cache. (Its `(unread/total)` column is 11 wide, so from 10,000 articles
    on it is cut short, `(10000/1000`, and no use as a marker.)"""
    return f"Synthetic {size} articles"


def wait_for_feed_list(terminal: Terminal, size: int) -> None:
    _expect(terminal, feed_title(size).encode(), 0, "its feed list", timeout=300)


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory now (VmRSS), or the most it has been resident (VmHWM)."""
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field)) / 1024


def launch_to_first_screen(profile: Profile, size: int, runs: int) -> dict[str, float]:
    """From launch to the feed list showing the feed, and its memory then; then Enter on the
    feed, to its article list drawn, and the memory with it open. Newsboat's first screen (the
    feed list) shows no article, and it reads the articles' bodies from its cache only when a
    feed is opened (its memory doubles then): launch + Enter is its time to articles on screen."""
    feed_list, articles, feed_list_mb, articles_mb = [], [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        terminal = start_newsboat(profile)
        try:
            wait_for_feed_list(terminal, size)
            feed_list.append(time.perf_counter() - start)
            time.sleep(1.0)  # as for newsreader: let it settle before reading memory
            feed_list_mb.append(rss_mb(terminal.pid))
            start = time.perf_counter()
            since = terminal.type(b"\r")
            _expect(terminal, b"Articles in feed", since, "the article list", timeout=300)
            # As if Enter had been pressed the moment the feed list was drawn.
            articles.append(feed_list[-1] + time.perf_counter() - start)
            time.sleep(1.0)
            articles_mb.append(rss_mb(terminal.pid))
        finally:
            terminal.close()
    return {
        "first_screen_seconds": statistics.median(feed_list),
        "first_screen_mb": statistics.median(feed_list_mb),
        "article_list_seconds": statistics.median(articles),
        "memory_mb": statistics.median(articles_mb),
    }


def search_once(terminal: Terminal, query: str) -> tuple[float, int | None]:
    """In the feed list: `/`, the query typed at once, then Enter, timed from Enter until the
    search list's title is drawn (ncurses draws the whole list in the same refresh); then `q`
    back to the feed list. Returns seconds and the number of articles found."""
    since = terminal.type(b"/")
    _expect(terminal, b"Search for:", since, "the search prompt")
    since = terminal.type(query.encode())
    _expect(terminal, query.encode(), since, "the query echoed")
    time.sleep(0.05)  # the echo is done; nothing else is drawing when Enter goes in
    start = time.perf_counter()
    since = terminal.type(b"\r")
    _expect(terminal, b"Search results", since, "the search results", timeout=300)
    elapsed = time.perf_counter() - start
    time.sleep(0.1)  # the rest of the frame, for the count below
    found = _RESULTS.search(bytes(terminal.output[since:]))
    # ncurses redraws only what changed, so "Your feeds" comes back as "Your feed" + a delete.
    since = terminal.type(b"q")
    _expect(terminal, b"Your feed", since, "the feed list again")
    time.sleep(0.1)
    return elapsed, int(found.group(2)) if found else None


def _expect(terminal: Terminal, marker: bytes, since: int, what: str, timeout: float = 20) -> None:
    """Wait for `marker` in what was drawn after `since`, read without escape sequences and
    spaces: newsboat echoes a typed query one character at a time, each with its own
    attributes, and ncurses may draw a space as a cursor move."""
    wanted = marker.replace(b" ", b"")

    def drawn() -> bool:
        return wanted in _ESCAPES.sub(b"", terminal.output[since:]).replace(b" ", b"")

    with terminal.drawn:
        if terminal.drawn.wait_for(drawn, timeout):
            return
    tail = bytes(terminal.output[since:])[-300:]
    raise RuntimeError(f"newsboat did not draw {what} within {timeout} s: {tail!r}")


def bench_search(profile: Profile, size: int, repeats: int) -> dict[str, dict[str, float]]:
    """Each query once untimed (to warm the caches, as newsreader's bench does), then
    `repeats` timed runs, all in one running newsboat; and its memory after them (a search
    list holds every article found, so it grows past the article list's)."""
    terminal = start_newsboat(profile)
    try:
        wait_for_feed_list(terminal, size)
        results = {}
        for name, query in QUERIES.items():
            _, hits = search_once(terminal, query)
            times = [search_once(terminal, query)[0] for _ in range(repeats)]
            results[name] = {
                "median_ms": statistics.median(times) * 1000,
                "max_ms": max(times) * 1000,
                "hits": -1 if hits is None else hits,
            }
        results["memory"] = {
            "now_mb": rss_mb(terminal.pid),
            "peak_mb": rss_mb(terminal.pid, "VmHWM"),
        }
        return results
    finally:
        terminal.close()


def measure(work: Path, folder: Path, size: int, runs: int) -> dict[str, Any] | None:
    """Every newsboat figure for one size, printed as it comes; None when it is not installed."""
    if executable() is None:
        print("newsboat: not installed (apt-get install newsboat), skipped", flush=True)
        return None
    feed = ensure_feed(folder, size)
    imported = bench_import(work, feed, size, import_runs(size, runs))
    print(
        f"newsboat import (-x reload, whole process): {imported['seconds']:.2f} s = "
        f"{imported['per_second']:,.0f} articles/s",
        flush=True,
    )
    profile = Profile(work / f"newsboat-{size}-0")
    screen = launch_to_first_screen(profile, size, runs)
    print(
        f"newsboat first screen (its feed list), from launch: "
        f"{screen['first_screen_seconds']:.2f} s, memory {screen['first_screen_mb']:.0f} MB; "
        f"article list (then Enter on the feed), from launch: "
        f"{screen['article_list_seconds']:.2f} s, memory {screen['memory_mb']:.0f} MB",
        flush=True,
    )
    searches = bench_search(profile, size, 5 if size <= 20_000 else 2)
    memory = searches.pop("memory")
    for name, figures in searches.items():
        print(
            f"newsboat search in the app, {name}: median {figures['median_ms']:.0f} ms, "
            f"max {figures['max_ms']:.0f} ms ({figures['hits']:,} hits)",
            flush=True,
        )
    print(
        f"newsboat memory after the searches: {memory['now_mb']:.0f} MB "
        f"(at most {memory['peak_mb']:.0f} MB)",
        flush=True,
    )
    return {**imported, **screen, "search": searches}
