"""Search on the reader screen: the box, a search per keystroke in a thread, its results in the
list, and the keys that only mean something while there are results."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from newsreader.library import LibraryError
from newsreader.library.errors import STORAGE_ERRORS
from newsreader.library.search import SearchResults, search
from newsreader.library.search_index import SearchAbandoned
from newsreader.library.selection import MUTED
from newsreader.model import NO_STATE
from newsreader.text.highlight import fold, snippet_pieces
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from newsreader.ui.screens.reader import ReaderScreen

SEARCH_LIMIT = 200  # the best 200: a person refines the words rather than scroll further
HINT = 'Words, "a phrase", -word, OR, tag:NATO, feed:, title:, is:unread, after:2024-01'


class SearchFlow:
    """The screen's `results` and `results_by_date`, kept up to date: kept apart so that the
    screen's own module stays about the article list."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen

    @property
    def box(self) -> Input:
        return self.screen.query_one("#search", Input)

    @property
    def status(self) -> Static:
        return self.screen.query_one("#search-status", Static)

    def open(self) -> None:
        """`/`: the box shows (with a hint of the language while it is empty) and has focus."""
        screen = self.screen
        screen.leave_person(focus=False)
        box, status = self.box, self.status
        box.display = True
        status.display = True
        if not box.value:
            status.update(HINT)
        screen.focus_now(box)

    def again(self) -> None:
        """The box's words searched again: the view, the order or the library changed."""
        self.run(self.box.value)

    def run(self, text: str) -> None:
        """Search for `text` in a thread; the search running is cancelled (a newer keystroke
        supersedes it), and stops at its next step in the index."""
        work = partial(self.run_search, text)
        self.screen.run_worker(work, thread=True, exclusive=True, group="search")

    def run_search(self, text: str) -> None:
        screen = self.screen
        selection = screen.selection
        tag = selection.tag if selection.kind == "tag" else None
        feed = selection.tag if selection.kind == "feed" else None
        states = {"bookmarks": ["bookmarked"], "unread": ["unread"]}.get(selection.kind, [])
        worker = get_current_worker()
        try:
            # A newer keystroke cancels this worker: its queries stop there and then.
            with screen.library.index.abandoned_when(lambda: worker.is_cancelled):
                found = search(
                    screen.library,
                    text,
                    limit=SEARCH_LIMIT,
                    tag=tag,
                    feed=feed,
                    typing=True,
                    states=states,
                    by_date=screen.results_by_date,
                )
        except SearchAbandoned:
            return  # superseded: the newer search shows its results
        except STORAGE_ERRORS as error:
            message = str(error) if isinstance(error, LibraryError) else f"Search failed: {error}"
            if not worker.is_cancelled:
                screen.app.call_from_thread(self._failed, message)
            return
        if not worker.is_cancelled:
            screen.app.call_from_thread(self.show_results, text, found)

    def _failed(self, message: str) -> None:
        """One line where the search's results would be; the list keeps what it showed."""
        self.status.update(Text(message))

    def show_results(self, text: str, found: SearchResults) -> None:
        screen = self.screen
        if not text.strip():
            self.clear(keep_box=True)
            return
        screen.results = found
        hidden = set() if screen.selection == MUTED else screen.muted
        articles = [r.article for r in found.results if r.article.id not in hidden]
        if screen.hide_read and screen.selection.kind != "bookmarks":
            articles = [a for a in articles if not screen.states.get(a.id, NO_STATE).read]
        details = {r.article.id: snippet_pieces(r.snippet) for r in found.results if r.snippet}
        screen.query_one(ArticleList).show(
            articles, screen.states, details, empty_message=found.message
        )
        # The message may quote what was typed: text, never markup.
        self.status.update(Text(found.message))
        screen._set_list_title(len(articles))
        screen.refresh_bindings()

    def clear(self, keep_box: bool = False) -> None:
        """The search ends: the list shows the view again, at the article it was on."""
        screen = self.screen
        current = screen.query_one(ArticleList).current
        screen.results = None
        if not keep_box:
            box = self.box
            with box.prevent(Input.Changed):
                box.value = ""
            box.display = False
            self.status.display = False
        self.status.update("")
        screen._show_selection(keep=current.id if current else None)
        screen.refresh_bindings()

    def toggle_order(self) -> None:
        """`s`: results by relevance, or newest first."""
        screen = self.screen
        screen.results_by_date = not screen.results_by_date
        order = "newest first" if screen.results_by_date else "best matches first"
        screen.notify(f"Results: {order}.", timeout=2)
        self.again()

    def accept_suggestion(self) -> None:
        """tab after "did you mean": the suggested word replaces the one the library lacks.
        Without a suggestion, tab is tab: the next pane (the binding hides Screen's own)."""
        results = self.screen.results
        if results is None or not results.suggestion:
            self.screen.focus_next()
            return
        box = self.box
        wrong = results.suggestion_for
        words = box.value.split(" ")
        fixed = [results.suggestion if fold(w) == wrong else w for w in words]
        box.value = " ".join(fixed)
        box.cursor_position = len(box.value)

    def jump_to_match(self, step: int) -> None:
        """`n`/`N`: the article pane scrolls to its next (or previous) match of the words."""
        view = self.screen.query_one(ArticleView)
        if not view.next_match(step):
            self.screen.notify("No search matches in this article.", timeout=2)
            return
        count = len(view.matches)
        results = self.screen.results
        summary = results.message if results is not None else ""
        # The match first: the line is narrow, and the count of results is known already.
        self.status.update(Text(f"Match {view.current_match + 1} of {count} here · {summary}"))
