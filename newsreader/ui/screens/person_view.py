"""Who is quoted, on the reader screen: the People group's counts, and a person's quotations
listed in the middle pane with the article pane following the cursor."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Input
from textual.worker import get_current_worker

from newsreader.library import LibraryError, first_page
from newsreader.library.errors import STORAGE_ERRORS
from newsreader.model import NO_STATE, TagCount
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.quotation_list import QuotationList
from newsreader.ui.widgets.tag_sidebar import TagSidebar

if TYPE_CHECKING:  # loaded when the people are first counted, not at start
    from newsreader.library.quotations import StoredQuotation
    from newsreader.ui.screens.reader import ReaderScreen

PERSON_QUOTATIONS = 500  # a person's quotations listed, newest article first


class PersonView:
    """The screen's `people` and `person`, kept up to date: kept apart so that the screen's
    own module stays about the article list."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        # The quotation (article id, start) the article pane was last scrolled to from the
        # list: a reload that lists it again leaves the reader's scrolling alone.
        self.scrolled_to: tuple[str, int] | None = None

    # -- the People group --------------------------------------------------------------------

    def count(self) -> None:
        """The most quoted speakers, for the sidebar's People group (in a thread: the first
        time, every article's quotations are found and stored)."""
        self.screen.run_worker(self._count, thread=True, exclusive=True, group="people")

    def _count(self) -> None:
        from newsreader.library.quotations import speakers

        screen = self.screen
        try:
            found = speakers(screen.library, limit=first_page.PEOPLE_SHOWN)
        except STORAGE_ERRORS as error:
            if not get_current_worker().is_cancelled:
                message = f"People not counted: {error}"
                screen.app.call_from_thread(screen.notify, message, severity="error", timeout=10)
            return
        people = tuple(TagCount(speaker.name, speaker.count) for speaker in found)
        if not get_current_worker().is_cancelled:
            screen.app.call_from_thread(self._counted, people)

    def _counted(self, people: tuple[TagCount, ...]) -> None:
        screen = self.screen
        if people != screen.people:
            screen.people = people
            screen.query_one(TagSidebar).show_people(people)
        screen.first.changed()

    # -- a person's quotations ---------------------------------------------------------------

    def show(self, name: str) -> None:
        """The middle pane lists `name`'s quotations instead of articles, until escape or
        another choice in the sidebar."""
        screen = self.screen
        if screen.results is not None or screen.query_one("#search", Input).display:
            screen.searching.clear()
        screen.person = name
        self.scrolled_to = None
        screen.query_one(ArticleList).display = False
        quotations = screen.query_one(QuotationList)
        quotations.display = True
        quotations.border_title = Content(f"Quotations · {name}")
        quotations.say(f"Finding the quotations of {name}…")
        quotations.focus()
        screen.query_one(TagSidebar).highlight_person(name)
        self.load(name)

    def reload(self) -> None:
        """The person's quotations read again (the library changed), the cursor kept."""
        if self.screen.person is not None:
            current = self.screen.query_one(QuotationList).current
            keep = (current.article.id, current.start) if current is not None else None
            self.load(self.screen.person, keep)

    def load(self, name: str, keep: tuple[str, int] | None = None) -> None:
        work = partial(self._load, name, keep)
        self.screen.run_worker(work, thread=True, exclusive=True, group="person")

    def _load(self, name: str, keep: tuple[str, int] | None) -> None:
        from newsreader.library.quotations import quotations_by

        app = self.screen.app
        try:
            found = quotations_by(self.screen.library, name, limit=PERSON_QUOTATIONS)
        except STORAGE_ERRORS as error:
            text = str(error) if isinstance(error, LibraryError) else f"Not listed: {error}"
            if not get_current_worker().is_cancelled:
                app.call_from_thread(self._failed, name, text)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self._loaded, name, found, keep)

    def _loaded(
        self, name: str, found: list[StoredQuotation], keep: tuple[str, int] | None
    ) -> None:
        if self.screen.person != name:
            return  # left, or another person chosen, while this list was read
        quotations = self.screen.query_one(QuotationList)
        quotations.border_title = Content(f"Quotations · {name} · {len(found):,}")
        if found:
            quotations.show(found, keep)
        else:
            quotations.say(f"No quotations of {name} in the library.")

    def _failed(self, name: str, message: str) -> None:
        if self.screen.person == name:
            self.screen.query_one(QuotationList).say(message)

    def follow(self, _highlighted: int | None) -> None:
        """The list's cursor moved (the screen watches it): the pane shows that quotation."""
        quotation = self.screen.query_one(QuotationList).current
        if self.screen.person is None or quotation is None:
            return
        if (quotation.article.id, quotation.start) != self.scrolled_to:
            self._show_at(quotation, mark=False)

    def open(self, quotation: StoredQuotation) -> None:
        """Enter: the article at the quotation, marked read, to read on."""
        screen = self.screen
        article = quotation.article
        self._show_at(quotation, mark=True)
        if not screen.states.get(article.id, NO_STATE).read:
            screen._write_state(article, read=True)
        screen.query_one(ArticleView).focus()

    def _show_at(self, quotation: StoredQuotation, mark: bool) -> None:
        """The quotation's article in the article pane, scrolled to the quotation."""
        self.scrolled_to = (quotation.article.id, quotation.start)
        view = self.screen.query_one(ArticleView)
        self.screen._show_in_pane(quotation.article)
        own = view.quotation_at(quotation.start, quotation.text)
        if own is not None:
            view.show_quotation(own.start, own.end, mark)
        elif quotation.start < len(view.body):
            view.show_quotation(quotation.start, quotation.end, mark)

    def leave(self, focus: bool = True) -> None:
        """Back to the article list, showing the article its cursor is on."""
        screen = self.screen
        if screen.person is None:
            return
        screen.person = None
        self.scrolled_to = None
        screen.query_one(QuotationList).display = False
        articles = screen.query_one(ArticleList)
        articles.display = True
        screen._show_in_pane(articles.current)
        if focus:
            articles.focus()
