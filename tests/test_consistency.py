"""Derived data in step by construction, and the seams between processes: each test here once
failed on the code before the reconcile rule (see `newsreader.library.derived`)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from newsreader.library import Library
from newsreader.library import storage as storage_module
from newsreader.library.importer import import_paths
from newsreader.library.search import search, sync_index
from newsreader.library.search_index import IndexBusy
from newsreader.model import ParsedArticle
from tests.benchmarks.synthetic import write_articles
from tests.conftest import Result
from tests.feed_server import serve_feeds
from tests.test_hardening import _TOGGLER

NEWSREADER = [sys.executable, "-m", "newsreader"]
Cli = Callable[..., Result]

_ADD_ONE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from newsreader.library import Library
    from newsreader.model import ParsedArticle
    Library(Path(sys.argv[1])).add([ParsedArticle(sys.argv[2], "s", sys.argv[3])])
    """
)

# Holds the index's write lock (or, with "exclusive", every lock) until its stdin closes.
_HOLD_INDEX = textwrap.dedent(
    """
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    if sys.argv[2] == "exclusive":
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
        db.execute("BEGIN EXCLUSIVE")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    else:
        db.execute("BEGIN IMMEDIATE")
    print("held", flush=True)
    sys.stdin.read()
    db.execute("ROLLBACK")
    """
)


@contextmanager
def index_held(path: Path, mode: str = "write") -> Iterator[None]:
    """Another process holds the index's lock while the block runs."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_INDEX, str(path), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(20)


def titles(library: Library, text: str) -> list[str]:
    return [r.article.title for r in search(library, text).results]


def feed_file(folder: Path, title: str, body: str) -> Path:
    """`harbour.xml` in `folder`, (re)written with one entry."""
    path = folder / "harbour.xml"
    path.write_bytes(rss(title, body))
    return path


def rss(title: str, body: str, guid: str = "entry-1") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{title}</title><link>https://harbour.example/</link>
<item><title>Harbour entry</title><guid isPermaLink="false">{guid}</guid>
<description>{body}</description></item></channel></rss>""".encode()


@pytest.mark.slow
def test_three_imports_and_a_bookmarker_at_once_three_times(tmp_path: Path) -> None:
    db = tmp_path / "library.json"
    library = Library(db)
    ids, _ = library.add([ParsedArticle(f"Kept {i}", "s", f"Kept body {i}.") for i in range(60)])
    sync_index(library)
    expected = 60
    for round_ in range(3):
        folders = [
            write_articles(tmp_path / f"r{round_}" / f"f{n}", 120, seed=100 + 10 * round_ + n)
            for n in range(3)
        ]
        expected += 360
        chunk = ids[round_ * 20 : (round_ + 1) * 20]
        processes = [
            subprocess.Popen(
                [*NEWSREADER, "--db", str(db), "import", str(folder)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for folder in folders
        ]
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", _TOGGLER, str(db), ",".join(chunk)],
                stdout=subprocess.DEVNULL,
            )
        )
        assert [process.wait(120) for process in processes] == [0, 0, 0, 0]
    library = Library(db)
    assert len(library) == expected
    listed = subprocess.run(
        [*NEWSREADER, "--db", str(db), "list", "--json"], capture_output=True, check=True
    )
    assert listed.stdout.count(b'"id":') == expected  # every article listed once
    # In step as the imports left it, before any search could mend it.
    assert library.index.applied() == library.versions()
    assert library.index.indexed_ids() == set(library.ids())
    states = library.states()
    assert all(states[doc_id].bookmarked for doc_id in ids)
    assert len(titles(library, "Kept")) == 60


def test_an_article_another_process_adds_during_an_import_is_indexed(
    library: Library, write_article: Callable[..., Path]
) -> None:
    import_paths(library, [write_article("a.txt", "Lighthouse", "The lamp shines.")])
    path = write_article("b.txt", "Lighthouse keeper retires", "After forty years he retires.")

    def progress(done: int, total: int) -> None:
        # Between reading the files and storing them: another process adds an article.
        code = [sys.executable, "-c", _ADD_ONE, str(library.path), "Harbour pilot", "Pilots."]
        subprocess.run(code, check=True)

    import_paths(library, [path], progress)
    assert titles(library, "pilots") == ["Harbour pilot"]
    assert library.index.applied() == library.versions()


def test_an_updated_entry_is_found_by_its_new_words_even_when_the_index_was_behind(
    library: Library, tmp_path: Path
) -> None:
    import_paths(library, [feed_file(tmp_path, "Harbour News", "The zebra crossing is painted.")])
    assert titles(library, "zebra") == ["Harbour entry"]
    # Another process adds an article and does not index it: the index is now behind.
    Library(library.path).add([ParsedArticle("Unindexed", "s", "Some text.")])
    report = import_paths(
        library, [feed_file(tmp_path, "Harbour News", "The giraffe enclosure opens.")]
    )
    assert len(report.updated) == 1
    assert titles(library, "giraffe") == ["Harbour entry"]
    assert titles(library, "zebra") == []
    assert library.index.applied() == library.versions()


def test_a_renamed_feed_adds_no_duplicates_and_keeps_bookmarks(
    library: Library, tmp_path: Path
) -> None:
    import_paths(library, [feed_file(tmp_path, "Harbour News", "The ferry runs hourly.")])
    (doc_id,) = library.ids()
    library.set_state([doc_id], bookmarked=True)
    report = import_paths(
        library, [feed_file(tmp_path, "Harbour & Coast News", "The ferry runs hourly.")]
    )
    assert report.added == [] and library.ids() == [doc_id]
    assert library.state(doc_id).bookmarked


def test_an_entry_stored_under_its_old_title_scoped_id_keeps_it(
    library: Library, tmp_path: Path
) -> None:
    """Libraries from before: a guid was scoped by the feed's title. The entry is found again
    under that id (and its bookmark kept) rather than stored a second time."""
    old = ParsedArticle("Harbour entry", "s", "Old text.", source="Harbour News", guid="entry-1")
    (doc_id,), _ = library.add([old])
    library.set_state([doc_id], bookmarked=True)
    report = import_paths(library, [feed_file(tmp_path, "Harbour News", "The ferry runs hourly.")])
    assert report.added == [] and library.ids() == [doc_id]
    assert library.state(doc_id).bookmarked
    assert titles(library, "ferry") == ["Harbour entry"]


@pytest.mark.slow
def test_an_import_beside_a_locked_index_ends_by_itself_and_the_index_catches_up(
    library: Library, write_article: Callable[..., Path]
) -> None:
    first = write_article("a.txt", "Lighthouse keeper retires", "After forty years he retires.")
    import_paths(library, [first])
    second = write_article("b.txt", "Zeppelin over the harbour", "A zeppelin was seen.")
    with index_held(library.index.path):
        start = time.monotonic()
        done = subprocess.run(
            [*NEWSREADER, "--db", str(library.path), "import", str(second)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        elapsed = time.monotonic() - start
    assert done.returncode == 1 and elapsed < 20
    assert "search index" in done.stderr and "Traceback" not in done.stderr
    assert "1 new article" in done.stderr
    found = subprocess.run(
        [*NEWSREADER, "--db", str(library.path), "search", "zeppelin"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Zeppelin over the harbour" in found.stdout


def test_busy_is_not_damage_the_index_is_never_deleted(
    library: Library, write_article: Callable[..., Path]
) -> None:
    import_paths(library, [write_article("a.txt", "Lighthouse", "The lamp shines.")])
    Library(library.path).add([ParsedArticle("Unindexed", "s", "Needs indexing.")])
    inode = library.index.path.stat().st_ino
    library.index.close()
    waiting = Library(library.path)
    waiting.index.busy_seconds = 0.2
    with index_held(library.index.path, "exclusive"), pytest.raises(IndexBusy):
        sync_index(waiting)
    assert library.index.path.stat().st_ino == inode
    assert titles(Library(library.path), "lamp") == ["Lighthouse"]


def test_reindex_keeps_the_file_another_process_has_open(
    library: Library, write_article: Callable[..., Path]
) -> None:
    import_paths(library, [write_article("a.txt", "Lighthouse", "The lamp shines.")])
    inode = library.index.path.stat().st_ino
    counter = textwrap.dedent(
        """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        count = lambda: db.execute("SELECT count(*) FROM fts WHERE fts MATCH 'lamp'").fetchone()
        print(count()[0], flush=True)
        sys.stdin.readline()
        print(count()[0], flush=True)
        """
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", counter, str(library.index.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin is not None and reader.stdout is not None
    assert reader.stdout.readline().strip() == "1"
    subprocess.run([*NEWSREADER, "--db", str(library.path), "reindex"], check=True)
    reader.stdin.write("again\n")
    reader.stdin.flush()
    assert reader.stdout.readline().strip() == "1"  # the same file, rebuilt in place
    reader.wait(20)
    assert library.index.path.stat().st_ino == inode


def test_other_processes_writes_are_noticed_whatever_was_read_since(library: Library) -> None:
    library.add([ParsedArticle("First", "s", "One.")])
    library.mark_seen()
    subprocess.run(
        [sys.executable, "-c", _ADD_ONE, str(library.path), "Second", "Two."], check=True
    )
    search(library, "one")  # reads the catalog again
    library.articles()
    assert library.changed_on_disk()
    library.mark_seen()
    assert not library.changed_on_disk()
    library.set_state(library.ids(), bookmarked=True)  # our own write is not a change
    assert not library.changed_on_disk()


def test_setting_state_is_one_write_whether_or_not_ids_are_new(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, _ = library.add([ParsedArticle(f"T{i}", "s", f"B{i}.") for i in range(4)])
    library.set_state(ids[:2], read=True)
    writes: list[Path] = []
    real = storage_module.write_atomically
    monkeypatch.setattr(
        storage_module,
        "write_atomically",
        lambda path, payload, backup=False: (writes.append(path), real(path, payload, backup)),
    )
    library.set_state(ids, bookmarked=True)  # two known, two new
    assert writes == [library.state_path]
    assert all(state.bookmarked for state in Library(library.path).states().values())


def test_a_dead_index_writer_never_hangs_the_import(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.library.index_writer import BackgroundIndexWriter

    import_paths(library, [write_articles(tmp_path / "first", 5)])
    real_add = BackgroundIndexWriter.add

    def kill_then_add(
        self: BackgroundIndexWriter, contents: list[object], quotations: object = None
    ) -> None:
        self._process.kill()  # the helper dies, as a crash or the OOM killer would end it
        self._process.join()
        real_add(self, contents, quotations)  # type: ignore[arg-type]

    monkeypatch.setattr(BackgroundIndexWriter, "add", kill_then_add)
    monkeypatch.setattr("newsreader.library.importer.INDEX_BATCH", 10)
    start = time.monotonic()
    report = import_paths(library, [write_articles(tmp_path / "second", 50, seed=3)])
    assert time.monotonic() - start < 15
    assert len(report.added) == 50 and report.index_problem == ""  # the reconcile made up
    assert library.index.applied() == library.versions()


def test_an_index_that_cannot_be_written_is_said_and_mended_later(
    library: Library, write_article: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.library import search_index

    def broken(self: object, contents: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    from newsreader.library.index_writer import BackgroundIndexWriter

    def dead(
        self: BackgroundIndexWriter, contents: list[object], quotations: object = None
    ) -> None:
        self._process.kill()

    path = write_article("a.txt", "Lighthouse", "The lamp shines.")
    monkeypatch.setattr(BackgroundIndexWriter, "add", dead)
    monkeypatch.setattr(search_index.IndexTransaction, "apply", broken)
    monkeypatch.setattr("newsreader.library.importer.INDEX_BATCH", 1)
    start = time.monotonic()
    report = import_paths(library, [path])
    assert time.monotonic() - start < 10
    assert report.added and report.index_problem  # the reconcile failed the same way
    monkeypatch.undo()
    assert titles(Library(library.path), "lamp") == ["Lighthouse"]  # the next search mends it


def test_doctor_finds_a_damaged_feeds_file_commands_stop(tmp_path: Path) -> None:
    db = tmp_path / "library.json"
    feeds = tmp_path / "library.feeds.json"
    subprocess.run([*NEWSREADER, "--db", str(db), "subscribe", "https://a.example/f"], check=True)
    feeds.write_bytes(b"{broken")
    listed = subprocess.run([*NEWSREADER, "--db", str(db), "feeds"], capture_output=True, text=True)
    assert listed.returncode == 1 and "damaged" in listed.stderr
    doctor = subprocess.run(
        [*NEWSREADER, "--db", str(db), "doctor"], capture_output=True, text=True
    )
    assert doctor.returncode == 1 and str(feeds) in doctor.stderr


def test_unsubscribe_needs_an_exact_or_unique_match(cli: Cli, library: Library) -> None:
    from newsreader.library.subscriptions import Subscriptions

    for url in ["https://one.example/feed", "https://two.example/feed"]:
        Subscriptions(library).add(url, title="Harbour News")
    assert cli("unsubscribe", "").code == 2
    ambiguous = cli("unsubscribe", "harbour news")
    assert ambiguous.code == 1 and "matches 2 feeds" in ambiguous.err
    assert len(json.loads(cli("feeds", "--json").out)) == 2
    assert cli("unsubscribe", "https://two.example/feed").code == 0
    assert [f["url"] for f in json.loads(cli("feeds", "--json").out)] == [
        "https://one.example/feed"
    ]
    assert cli("unsubscribe", "harbour news").code == 0  # unique now
    assert json.loads(cli("feeds", "--json").out) == []


def test_a_refresh_never_brings_back_a_feed_unsubscribed_while_it_ran(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.library import refresh as refresh_module
    from newsreader.library.refresh import refresh_feeds
    from newsreader.library.subscriptions import Subscriptions
    from newsreader.sources.fetch import Fetched

    with serve_feeds() as server:
        server.routes["/harbour.xml"] = rss("Harbour News", "The ferry runs hourly.")
        url = server.url("/harbour.xml")
        Subscriptions(library).add(url)
        real_fetch = refresh_module.fetch_feed

        def fetch_while_unsubscribed(*args: object, **kwargs: object) -> Fetched:
            fetched = real_fetch(*args, **kwargs)  # type: ignore[arg-type]
            command = [*NEWSREADER, "--db", str(library.path), "unsubscribe", url]
            subprocess.run(command, check=True, capture_output=True)
            return fetched

        monkeypatch.setattr(refresh_module, "fetch_feed", fetch_while_unsubscribed)
        refresh_feeds(library)
    assert Subscriptions(library).all() == []
    assert len(library) == 1  # what it brought stays: articles are never taken away


def test_a_refresh_writes_the_catalog_once_for_all_its_feeds(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.library.refresh import refresh_feeds
    from newsreader.library.subscriptions import Subscriptions

    with serve_feeds() as server:
        for name in ("a", "b", "c"):
            server.routes[f"/{name}.xml"] = rss(f"Feed {name}", f"Entry of {name}.", guid=name)
            Subscriptions(library).add(server.url(f"/{name}.xml"))
        writes: list[Path] = []
        real = storage_module.write_atomically
        monkeypatch.setattr(
            storage_module,
            "write_atomically",
            lambda path, payload, backup=False: (writes.append(path), real(path, payload, backup)),
        )
        outcomes = refresh_feeds(library)
    assert [o.added for o in outcomes] == [1, 1, 1]
    assert writes.count(library.path) == 1


def test_an_index_in_step_with_the_catalog_on_disk_is_not_compared_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command after another (a new process) finds the index in step with the catalog file as
    it is, and neither reads the catalog nor compares versions; a changed catalog is compared."""
    from newsreader.library.search import search, sync_index
    from newsreader.model import ParsedArticle

    path = tmp_path / "library.json"
    Library(path).add([ParsedArticle("Harbour", "s", "The harbour at dawn.")])
    assert sync_index(Library(path))
    fresh = Library(path)  # as a new process would open it

    def no_compare(self: Library) -> dict[str, str]:
        raise AssertionError("the versions were compared")

    monkeypatch.setattr(Library, "versions", no_compare)
    assert not sync_index(fresh)
    monkeypatch.undo()
    Library(path).add([ParsedArticle("Pier", "s", "The pier at dusk.")])
    later = Library(path)
    assert sync_index(later)  # the catalog changed: compared, and the new article indexed
    assert [r.article.title for r in search(later, "pier").results] == ["Pier"]
