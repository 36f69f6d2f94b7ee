"""The first page: drawn before the catalog loads, used only while it is what the files hold."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsreader.library import Library, first_page
from newsreader.library.first_page import Sidebar
from newsreader.library.selection import SidebarCounts
from newsreader.model import Article, ArticleState, ParsedArticle, TagCount
from newsreader.ui.app import NewsReaderApp
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.tag_sidebar import TagSidebar
from tests.ui_helpers import FIXED_NOW, loaded, make_library

VIEW = first_page.view_key("newest", False, [])


def _many(count: int) -> list[ParsedArticle]:
    return [
        ParsedArticle(
            f"Story number {n:04d}",
            f"Summary {n}.",
            f"Body of story {n}.",
            ("Even",) if n % 2 == 0 else ("Odd",),
            source=f"fixtures/story-{n}.txt",
            published=f"2024-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00",
        )
        for n in range(count)
    ]


def _page_of(library: Library, body_of: Callable[[str], str] | None = None) -> first_page.FirstPage:
    articles = library.articles()
    counts = SidebarCounts(len(articles), 0, len(articles), (TagCount("Even", 1),))
    sidebar = Sidebar(counts, (), ())
    return first_page.compute(
        VIEW, articles, {}, set(), False, "newest", sidebar, library.file_names, body_of=body_of
    )


def _write(library: Library, page: first_page.FirstPage) -> Path:
    path = first_page.path_of(library.path)
    first_page.write(path, first_page.signatures(library.first_page_sources()), page)
    return path


# -- the core ---------------------------------------------------------------------------------


def test_a_page_reads_back_as_written(library_path: Path) -> None:
    library = make_library(library_path, _many(400))
    page = _page_of(library)
    path = _write(library, page)
    again = first_page.read(path, library.first_page_sources(), VIEW)
    assert again is not None
    assert len(again.articles) == first_page.ROWS < 400  # the first rows, not the library
    assert again.articles == library.articles()[: first_page.ROWS]
    assert again.shown == again.sidebar.counts.total == 400
    assert again.sidebar.counts.tags == (TagCount("Even", 1),)
    assert (
        again.files[again.articles[0].id]
        == library.file_names([again.articles[0].id])[again.articles[0].id]
    )


@pytest.mark.parametrize("change", ["catalog", "marks", "saved searches", "view", "damage"])
def test_a_page_is_not_used_once_what_it_was_computed_from_changed(
    library_path: Path, change: str
) -> None:
    library = make_library(library_path)
    path = _write(library, _page_of(library))
    assert first_page.read(path, library.first_page_sources(), VIEW) is not None
    other = Library(library_path)  # another process, as far as the files can tell
    view = VIEW
    if change == "catalog":
        other.add([ParsedArticle("A new one", "", "New.", source="x/new.txt")], now=FIXED_NOW)
    elif change == "marks":
        other.set_state([other.ids()[0]], bookmarked=True)
    elif change == "saved searches":
        from newsreader.library.saved_searches import SavedSearches

        SavedSearches(other).save("Harbour", "harbour")
    elif change == "view":
        view = first_page.view_key("title", False, [])
    else:
        path.write_bytes(path.read_bytes()[:50])
    assert first_page.read(path, library.first_page_sources(), view) is None


def test_the_view_key_names_every_setting_that_changes_the_first_view() -> None:
    keys = {
        first_page.view_key("newest", False, []),
        first_page.view_key("oldest", False, []),
        first_page.view_key("newest", True, []),
        first_page.view_key("newest", False, ["tag:Sport"]),
    }
    assert len(keys) == 4
    assert first_page.view_key("newest", False, ["b", "a"]) == first_page.view_key(
        "newest", False, ["a", "b"]
    )


def test_hostile_json_in_a_page_is_refused_not_raised(library_path: Path) -> None:
    library = make_library(library_path)
    path = _write(library, _page_of(library))
    data = orjson.loads(path.read_bytes())
    data["rows"] = [["only", "two"]]
    path.write_bytes(orjson.dumps(data))
    assert first_page.read(path, library.first_page_sources(), VIEW) is None


# -- the reader -------------------------------------------------------------------------------


class _HeldLoad:
    """Holds the reader's catalog load until released: what a person sees before it ends."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        articles = Library.articles

        def held(library: Library) -> list[Article]:
            self.started.set()
            self.release.wait(10)
            return articles(library)

        monkeypatch.setattr(Library, "articles", held)


async def test_the_reader_draws_the_page_before_the_catalog_loads_and_keeps_every_key(
    library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = make_library(library_path, _many(400))
    _write(library, _page_of(library))
    newest = library.articles()
    catalog_reads: list[str] = []
    records = Library._records

    def counted(self: Library) -> dict[str, dict[str, object]]:
        catalog_reads.append(threading.current_thread().name)
        return records(self)

    held = _HeldLoad(monkeypatch)
    monkeypatch.setattr(Library, "_records", counted)
    app = NewsReaderApp(Library(library_path))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        listed = app.screen.query_one(ArticleList)
        assert [a.id for a in listed.articles[:3]] == [a.id for a in newest[:3]]
        assert "400" in str(listed.border_title)
        sidebar = app.screen.query_one(TagSidebar)
        assert "400" in str(sidebar.get_option_at_index(0).prompt)
        # The keys work on the page: down twice, bookmark the third, with the load held.
        await pilot.press("j", "j", "b")
        third = newest[2]
        assert listed.current == third
        assert Library(library_path).state(third.id).bookmarked  # on disk already
        assert not app.screen.loaded
        assert catalog_reads == []  # nothing read the catalog on the screen's thread
        held.release.set()
        await loaded(pilot)
        assert app.screen.loaded
        # The full list took over with the cursor where it was and the mark kept.
        assert len(listed.articles) == 400
        assert listed.current == third
        assert app.screen.states[third.id] == ArticleState(bookmarked=True)


QUOTED = (
    "“We will rebuild the harbour before winter,” said Jane Smith, the harbour master.\n\n"
    "Smith added: “Nobody will be left behind.”"
)


@pytest.mark.parametrize("body_changed", [False, True])
async def test_the_first_frame_shows_the_article_with_the_quotations_the_page_kept(
    library_path: Path, monkeypatch: pytest.MonkeyPatch, body_changed: bool
) -> None:
    """The article pane is drawn with the list, not a frame later, and its quotations come
    from the page (the speakers' rules take 12 ms to load) unless the body is not the one
    they were found in."""
    from newsreader.text import speakers
    from newsreader.ui.widgets.article_view import ArticleView

    newest = ParsedArticle("Harbour news", "", QUOTED, published="2030-01-01T00:00:00")
    library = make_library(library_path, [*_many(40), newest])
    page = _page_of(library, body_of=library.body)
    assert page.opening is not None and page.opening.id == page.articles[0].id
    found = speakers.extract_quotations(QUOTED)
    assert list(page.opening.quotations) == found and len(found) == 2
    if body_changed:
        changed = dataclasses.replace(page.opening, body_check=page.opening.body_check + 1)
        page = dataclasses.replace(page, opening=changed)
    _write(library, page)
    extracted: list[str] = []
    extract = speakers.extract_quotations

    def counted(text: str) -> list[speakers.Quotation]:
        extracted.append(text)
        return extract(text)

    monkeypatch.setattr(speakers, "extract_quotations", counted)
    first_drawn: list[str] = []  # what the pane's first drawing showed
    render_lines = ArticleView.render_lines

    def drawn(self: ArticleView, crop: Any) -> Any:
        strips = render_lines(self, crop)
        if not first_drawn:
            first_drawn.append("".join(s.text for s in strips))
        return strips

    monkeypatch.setattr(ArticleView, "render_lines", drawn)
    held = _HeldLoad(monkeypatch)
    app = NewsReaderApp(Library(library_path))
    async with app.run_test(size=(140, 45)) as pilot:
        view = app.screen.query_one(ArticleView)
        assert "Harbour news" in first_drawn[0] and "Jane Smith" in first_drawn[0]
        assert view.article is not None and view.article.title == "Harbour news"
        assert "Jane Smith" in view.text
        assert view.quotations == found
        assert len(extracted) == (1 if body_changed else 0)
        held.release.set()
        await loaded(pilot)


async def test_a_stale_page_is_not_drawn(
    library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = make_library(library_path, _many(40))
    _write(library, _page_of(library))
    Library(library_path).set_state([library.ids()[0]], read=True)  # another process
    held = _HeldLoad(monkeypatch)
    app = NewsReaderApp(Library(library_path))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        assert list(app.screen.query_one(ArticleList).articles) == []  # "Loading…"
        held.release.set()
        await loaded(pilot)
        assert len(app.screen.query_one(ArticleList).articles) == 40


async def test_the_reader_writes_the_page_it_will_draw_next_time(library_path: Path) -> None:
    make_library(library_path, _many(30))
    path = first_page.path_of(library_path)
    assert not path.exists()
    app = NewsReaderApp(Library(library_path))
    async with app.run_test(size=(140, 45)) as pilot:
        await loaded(pilot)
        await pilot.press("b")  # a mark after the load: the page written at exit has it
        first = app.screen.query_one(ArticleList).current
        assert first is not None
    library = Library(library_path)
    page = first_page.read(path, library.first_page_sources(), VIEW)
    assert page is not None
    assert page.articles == library.articles()
    assert page.states[first.id].bookmarked
    counts = page.sidebar.counts
    assert counts.bookmarked == 1 and counts.total == 30 and counts.unread == 30
    assert {t.name for t in counts.tags} == {"Even", "Odd"}


def test_an_import_writes_the_page_the_reader_draws_next(
    library_path: Path, seed_folder: Path, cli: Callable[..., Any]
) -> None:
    assert cli("import", str(seed_folder)).code == 0
    library = Library(library_path)
    page = first_page.read(first_page.path_of(library_path), library.first_page_sources(), VIEW)
    assert page is not None
    assert page.articles == library.articles()
    assert page.sidebar.counts.total == page.sidebar.counts.unread == len(library)
    assert page.sidebar.people  # the sample quotes Sergey Shoigu, among others
    assert cli("bookmark", library.ids()[0]).code == 0
    # The command moved the page with the mark: still current, with the bookmark counted.
    marked = first_page.read(first_page.path_of(library_path), library.first_page_sources(), VIEW)
    assert marked is not None
    assert marked.sidebar.counts.bookmarked == 1 and marked.states[library.ids()[0]].bookmarked


def test_a_command_builds_only_the_first_rows_yet_writes_the_page_the_reader_would(
    library_path: Path,
) -> None:
    from newsreader.library.first_page_update import rewrite
    from newsreader.library.selection import count_states, feed_counts

    library = make_library(library_path, _many(400))
    newest = library.articles()
    library.set_state([newest[0].id, newest[350].id], read=True)
    library.set_state([newest[5].id], bookmarked=True)
    assert rewrite(library, "newest", False, [])
    page = first_page.read(first_page.path_of(library_path), library.first_page_sources(), VIEW)
    assert page is not None
    assert page.articles == newest[: first_page.ROWS]
    counts = page.sidebar.counts
    assert page.shown == counts.total == 400
    assert (counts.bookmarked, counts.unread) == count_states(newest, library.states()) == (1, 398)
    assert counts.feeds == feed_counts(newest)
    assert counts.tags == tuple(library.tag_counts(newest))
    assert page.states[newest[5].id].bookmarked and page.states[newest[0].id].read


def test_marks_written_by_a_command_move_the_page_exactly_as_a_new_one_would_be(
    library_path: Path,
) -> None:
    from newsreader.library.first_page_update import current, marks_written, rewrite

    library = make_library(library_path, _many(400))
    newest = library.ids_newest_first()
    assert rewrite(library, "newest", False, [])
    chosen = [newest[1], newest[2], newest[390]]  # two on the page, one below it
    with library.locked():
        page = current(library)
        assert page is not None
        before = library.states_of(chosen)
        library.set_state(chosen, bookmarked=True, read=True)
        marks_written(library, page, before, library.states_of(chosen))
    moved = first_page.read(first_page.path_of(library_path), library.first_page_sources(), VIEW)
    assert moved is not None
    first_page.path_of(library_path).unlink()
    assert rewrite(library, "newest", False, [])
    fresh = first_page.read(first_page.path_of(library_path), library.first_page_sources(), VIEW)
    assert fresh is not None
    moved_counts, fresh_counts = moved.sidebar.counts, fresh.sidebar.counts
    assert (moved_counts.bookmarked, moved_counts.unread) == (3, 397)
    assert (fresh_counts.bookmarked, fresh_counts.unread) == (3, 397)
    assert moved.states == fresh.states
    assert moved.articles == fresh.articles


def test_marks_that_hide_rows_drop_the_page_rather_than_move_it(library_path: Path) -> None:
    from newsreader.library.first_page_update import current, marks_written, rewrite

    library = make_library(library_path, _many(20))
    assert rewrite(library, "newest", True, [])  # hide_read: a read article leaves the page
    doc_id = library.ids_newest_first()[0]
    with library.locked():
        page = current(library)
        assert page is not None
        before = library.states_of([doc_id])
        library.set_state([doc_id], read=True)
        marks_written(library, page, before, library.states_of([doc_id]))
    assert not first_page.path_of(library_path).exists()
