"""Nothing lost, nothing injected: kills mid-write, two writers at once, hostile bytes on screen."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from newsreader.library import Library
from newsreader.library.search import search, sync_index
from newsreader.model import ParsedArticle
from newsreader.text.links import safe_web_link
from tests.benchmarks.synthetic import write_articles
from tests.terminal import start_reader
from tests.ui_helpers import FIXED_NOW, loaded, make_library, reader_app

NEWSREADER = [sys.executable, "-m", "newsreader"]


def assert_consistent(path: Path) -> Library:
    """The library opens, every listed article has its body, and the index agrees with it."""
    library = Library(path)
    ids = library.ids()
    bodies = dict(library.bodies(ids))
    assert all(bodies[doc_id] for doc_id in ids), "a listed article lost its body"
    sync_index(library)
    indexed = library.index.indexed_ids()
    assert indexed == set(ids)
    return library


@pytest.mark.slow
def test_import_killed_at_random_moments_stays_consistent(tmp_path: Path) -> None:
    db = tmp_path / "lib" / "library.json"
    library = make_library(db)
    kept = library.articles()[0].id
    library.set_state([kept], bookmarked=True)
    rng = random.Random(5)
    kills = rounds = 0
    while kills < 8 and rounds < 30:
        # Each round brings new articles, so there is always work to kill.
        folder = write_articles(tmp_path / "batches" / f"{rounds}", 1000, seed=rounds)
        rounds += 1
        proc = subprocess.Popen(
            [*NEWSREADER, "--db", str(db), "import", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 0.7))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        library = assert_consistent(db)
        assert library.state(kept).bookmarked
    assert kills >= 8
    done = subprocess.run(
        [*NEWSREADER, "--db", str(db), "import", str(tmp_path / "batches")], capture_output=True
    )
    assert done.returncode == 0
    library = assert_consistent(db)
    assert len(library) == rounds * 1000 + 3
    assert search(library, "quixotic").total == rounds


_TOGGLER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from newsreader.library import Library
    library = Library(Path(sys.argv[1]))
    ids = sys.argv[2].split(",")
    for doc_id in ids:
        library.set_state([doc_id], bookmarked=True)
        print(doc_id, flush=True)
    """
)


@pytest.mark.slow
def test_bookmarks_acknowledged_before_a_kill_are_kept(tmp_path: Path) -> None:
    db = tmp_path / "library.json"
    library = Library(db)
    ids, _ = library.add([ParsedArticle(f"Title {i}", "s", f"Body {i}.") for i in range(400)])
    rng = random.Random(9)
    for round_ in range(5):
        chunk = ids[round_ * 80 : (round_ + 1) * 80]
        proc = subprocess.Popen(
            [sys.executable, "-c", _TOGGLER, str(db), ",".join(chunk)],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.3, 0.8))
        proc.send_signal(signal.SIGKILL)
        acknowledged = proc.communicate()[0].split()
        proc.wait()
        states = Library(db).states()
        assert all(states[doc_id].bookmarked for doc_id in acknowledged)


@pytest.mark.slow
def test_two_writers_and_an_import_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "library.json"
    library = Library(db)
    ids, _ = library.add([ParsedArticle(f"Title {i}", "s", f"Body {i}.") for i in range(120)])
    folder = write_articles(tmp_path / "articles", 500)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _TOGGLER, str(db), ",".join(ids[0::2])],
            stdout=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, "-c", _TOGGLER, str(db), ",".join(ids[1::2])],
            stdout=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [*NEWSREADER, "--db", str(db), "import", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    for proc in writers:
        assert proc.wait(120) == 0
    library = assert_consistent(db)
    states = library.states()
    assert sum(states[doc_id].bookmarked for doc_id in ids) == 120
    assert len(library) == 120 + 500


HOSTILE = ParsedArticle(
    title="Safe title \x1b]0;PWNED\x07 \x1b[2J\u202eevil",
    summary="s",
    body="Body \x1b]52;c;Y2xpcGJvYXJk\x07 \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b31m c1 \x1bPq#0;2;0;0;0\x1b\\ \x1b[?1049l end.",
    tags=("\x1b[31mred",),
    tags_raw="x",
    published="2024-01-01",
)
FORBIDDEN = [
    b"\x1b]0;PWNED", b"\x1b]52;", b"\x1b]8;;http://evil", b"\xc2\x9b", b"\x1bPq",
    b"\xe2\x80\xae", b"\x1b[31mred",
]  # fmt: skip


@pytest.mark.slow
def test_escape_sequences_in_a_tampered_library_never_reach_the_terminal(tmp_path: Path) -> None:
    """The library file bypasses the import's sanitising here (as if edited by hand): what the
    reader writes to the terminal must still hold none of the article's sequences."""
    library = Library(tmp_path / "library.json")
    library.add(
        [HOSTILE, ParsedArticle("Second", "s", "Plain.", published="2023-01-01")], now=FIXED_NOW
    )
    terminal = start_reader(library.path, marker=b"Safe title")
    try:
        assert terminal.seen.wait(20)
        # The hostile body must really be drawn (and drawn again) for the test to mean anything.
        assert terminal.wait_for(b"end.")
        assert terminal.wait_for(b"Plain.", since=terminal.type(b"j"))
        assert terminal.wait_for(b"end.", since=terminal.type(b"k\r"))
        os.kill(terminal.pid, signal.SIGKILL)
    finally:
        terminal.close()
    output = bytes(terminal.output)
    for sequence in FORBIDDEN:
        assert sequence not in output, sequence


def test_only_plain_web_links_are_opened() -> None:
    assert safe_web_link("https://example.com/a?b=c") == "https://example.com/a?b=c"
    assert safe_web_link(" http://example.com ") == "http://example.com"
    for bad in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "ftp://x.org",
        "https://",
        "http://exa mple.com",
        "https://x.org/\x1b]0;x",
        "",
        "$(rm -rf ~)",
        "https://example.com;rm -rf ~ ",
    ]:
        assert safe_web_link(bad) is None


async def test_o_opens_only_http_links_with_webbrowser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: opened.append(url))
    articles = [
        ParsedArticle("Web", "s", "b", link="https://news.example/a", published="2024-02-01"),
        ParsedArticle("Script", "s", "b", link="javascript:alert(1)", published="2024-01-01"),
    ]
    app = reader_app(make_library(tmp_path / "library.json", articles))
    async with app.run_test() as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await loaded(pilot)
        await pilot.press("j", "o")
        await loaded(pilot)
    assert opened == ["https://news.example/a"]


async def test_a_failed_write_is_told_in_the_reader_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = make_library(tmp_path / "library.json")
    app = reader_app(library)
    async with app.run_test() as pilot:
        await loaded(pilot)

        def full(fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        await pilot.press("b")
        monkeypatch.undo()
        await pilot.pause()
        assert any("disk is full" in str(n.message) for n in app._notifications)
        assert not app.screen.states.get(app.screen.query_one("ArticleList").current.id)
    assert not any(s.bookmarked for s in Library(library.path).states().values())


def test_many_tiny_files_import_in_bounded_time(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    folder.mkdir()
    for index in range(3000):
        (folder / f"{index}.txt").write_text(f"T{index}\n\nb{index}\n")
    start = time.perf_counter()
    done = subprocess.run(
        [*NEWSREADER, "--db", str(tmp_path / "l.json"), "import", str(folder)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "3,000 new articles" in done.stderr
    assert time.perf_counter() - start < 30
