"""The reader's first page: drawn from `library/first_page` at start, kept up to date after."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsreader.library import LibraryError, first_page
from newsreader.library.first_page import FirstPage, Sidebar
from newsreader.model import Article, ArticleState, TagCount
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.tag_sidebar import TagSidebar

if TYPE_CHECKING:
    from textual.timer import Timer

    from newsreader.library.first_page import Signature
    from newsreader.ui.screens.reader import ReaderScreen

# After a change, the page is written this long after the last one: a burst of marks (j b j b)
# is one write, never one per key.
WRITE_DELAY_SECONDS = 1.0
LOCK_SECONDS = 5.0
EXIT_LOCK_SECONDS = 0.2  # quitting never waits on another process for a convenience


@dataclass(frozen=True, slots=True)
class _Inputs:
    """What the page is computed from, taken on the UI thread (the worker reads no widget)."""

    articles: list[Article]
    states: dict[str, ArticleState]
    muted: set[str]
    sidebar: Sidebar
    saved: list[tuple[str, str]]
    catalog: Signature


class FirstScreen:
    """Shows the first page before the catalog loads, and writes it when what it shows changes
    (a load, the sidebar's counts, a mark), off the UI thread and only when it is provably what
    the files on disk hold (see `library.first_page`)."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        settings = screen.settings
        self.view = first_page.view_key(settings.order, settings.hide_read, settings.mute_queries)
        self.path = first_page.path_of(screen.library.path)
        self.shown: FirstPage | None = None  # the page drawn at start, until the load ends
        self.catalog_read: Signature = None  # the catalog the loaded articles were read from
        self._timer: Timer | None = None

    # -- at start --------------------------------------------------------------------------

    def show(self) -> bool:
        """Draw the page if it is current; False when the reader must wait for the load."""
        screen = self.screen
        page = first_page.read(self.path, screen.library.first_page_sources(), self.view)
        if page is None:
            return False
        self.shown = page
        screen.library.know_files(page.files)
        # The first rows stand in for the library until it loads: the keys work on them.
        screen.articles = page.articles
        screen.states = dict(page.states)
        screen.muted = set(page.muted)
        counts, people, saved = page.sidebar.counts, page.sidebar.people, page.sidebar.saved
        screen.tag_counts, screen.feed_counts = counts.tags, counts.feeds
        screen.bookmarked_count, screen.unread_count = counts.bookmarked, counts.unread
        screen.people = people
        sidebar = screen.query_one(TagSidebar)
        sidebar.show_counts(screen._counts())
        sidebar.show_people(people)
        if saved:
            from newsreader.library.saved_searches import SavedSearch

            screen.saved = [(SavedSearch(name, query), count) for name, query, count in saved]
        sidebar.show_saved([TagCount(name, count) for name, _, count in saved], len(page.muted))
        # The pane shows the cursor's article as the list is filled (in the first frame: it
        # never flashes empty), with the quotations the page kept for it.
        if page.opening is not None:
            screen.query_one(ArticleView).know_quotations(page.opening)
        screen.query_one(ArticleList).show(page.articles, screen.states, length=page.shown)
        screen._set_list_title(page.shown)
        return True

    def total(self) -> int | None:
        """All's count while the first page stands in for the library."""
        if self.shown is None or self.screen.loaded:
            return None
        return self.shown.sidebar.counts.total

    def loaded(self, catalog: Signature) -> None:
        """The library has loaded from the catalog with this signature: it is the authority."""
        self.shown = None
        self.catalog_read = catalog
        self.screen.library.know_files({})

    # -- keeping it current ------------------------------------------------------------------

    def changed(self) -> None:
        """What the first screen shows may have changed: write the page soon."""
        if not self.screen.loaded or self.catalog_read is None:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(WRITE_DELAY_SECONDS, self._write_soon)

    def flush(self) -> None:
        """At exit: a change still waiting is written now (small; the load already happened)."""
        if self._timer is None:
            return
        self._timer.stop()
        self._timer = None
        self._write(self._inputs(), wait=EXIT_LOCK_SECONDS)

    def _write_soon(self) -> None:
        self._timer = None
        inputs = self._inputs()
        self.screen.run_worker(
            lambda: self._write(inputs), thread=True, exclusive=True, group="first-page"
        )

    def _inputs(self) -> _Inputs:
        screen = self.screen
        saved = tuple((s.name, s.query, count) for s, count in screen.saved)
        sidebar = Sidebar(screen._counts(), screen.people, saved)
        return _Inputs(
            articles=screen.articles,
            states=dict(screen.states),
            muted=set(screen.muted),
            sidebar=sidebar,
            saved=[(s.name, s.query) for s, _ in screen.saved],
            catalog=self.catalog_read,
        )

    def _write(self, inputs: _Inputs, wait: float = LOCK_SECONDS) -> None:
        """Compute and write the page, under the library's lock, only if nobody else wrote the
        files since they were read; else leave the old page (the next start sees it is stale)."""
        library = self.screen.library
        settings = self.screen.settings
        try:
            page = first_page.compute(
                self.view,
                inputs.articles,
                inputs.states,
                inputs.muted,
                settings.hide_read,
                settings.order,
                inputs.sidebar,
                library.file_names,
                body_of=library.body,
            )
            library.lock.acquire(timeout=wait)
        except (LibraryError, OSError):  # filelock's Timeout is an OSError (TimeoutError)
            return  # another process is writing: its change makes this page stale anyway
        try:
            if library.changed_on_disk():
                return  # another process wrote: a reload follows, and a write after it
            sources = first_page.signatures(library.first_page_sources())
            if sources[0] != inputs.catalog or not self._saved_as_shown(inputs.saved):
                return
            first_page.write(self.path, sources, page)
        except (LibraryError, OSError):
            return  # the page is a convenience: the next start loads the usual way
        finally:
            library.lock.release()

    def _saved_as_shown(self, shown: list[tuple[str, str]]) -> bool:
        from newsreader.library.saved_searches import SavedSearches

        on_disk = SavedSearches(self.screen.library).all()
        return [(s.name, s.query) for s in on_disk] == shown
