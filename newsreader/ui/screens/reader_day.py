"""The reader's day, as actions of the reader screen: triage, saved searches, mute rules, news
that arrives by itself, full text on demand, copy and save."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from rich.text import Text
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from newsreader.library import LibraryError
from newsreader.library.selection import next_order
from newsreader.model import NO_STATE, Article, TagCount
from newsreader.text.links import safe_web_link
from newsreader.ui.screens.name_prompt import NamePrompt
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.quotation_list import QuotationList
from newsreader.ui.widgets.tag_sidebar import TagSidebar

if TYPE_CHECKING:
    from textual.timer import Timer

    from newsreader.library.refresh_schedule import FeedOptions
    from newsreader.library.saved_searches import SavedSearch
    from newsreader.ui.screens.reader import ReaderScreen

FULL_TEXT_SECONDS = 15.0
SAVE_FOLDER_VARIABLE = "NEWSREADER_SAVE_DIR"


def save_folder() -> Path:
    """Where `w` saves articles as Markdown: $NEWSREADER_SAVE_DIR, else Documents/newsreader."""
    chosen = os.environ.get(SAVE_FOLDER_VARIABLE)
    return Path(chosen) if chosen else platformdirs.user_documents_path() / "newsreader"


def file_name(article: Article) -> str:
    """A file name from the title a shell never needs quoting for, unique by the id."""
    words = re.sub(r"[^\w]+", "-", article.title.casefold(), flags=re.ASCII).strip("-")
    return f"{words[:60].rstrip('-') or 'article'}-{article.id[:8]}.md"


class ReaderDay:
    """What the reader screen's day keys do, on the screen's state: kept apart so that the
    screen's own module stays about what is shown."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self._refresh_timer: Timer | None = None

    def _say(self, message: str, **options: Any) -> None:
        """A notification from a worker thread."""
        self.screen.app.call_from_thread(self.screen.notify, message, **options)

    def options(self, url: str) -> FeedOptions:
        """What config.toml asks of the feed at `url` (tags, full text) when it is refreshed."""
        from newsreader.library.refresh_schedule import options_of

        return options_of(self.screen.settings, url)

    # -- triage ----------------------------------------------------------------------------

    def mark_all_read(self) -> None:
        """A: every article in the current view (all, a tag, a feed, search results) read."""
        if not self.screen.loaded:  # the first page's rows are not the whole view
            self.screen.notify("The library is still loading: A works in a moment.", timeout=3)
            return
        if self.screen.person is not None:  # a person's quotations: the articles they are in
            quotations = self.screen.query_one(QuotationList).quotations
            shown = list({q.article.id: q.article for q in quotations}.values())
        else:
            shown = list(self.screen.query_one(ArticleList).articles)
        unread = [a.id for a in shown if not self.screen.states.get(a.id, NO_STATE).read]
        if not unread:
            self.screen.notify("Nothing unread here.", timeout=2)
            return
        plural = "article" if len(unread) == 1 else "articles"
        self._change_marks(unread, f"marked {len(unread):,} {plural} read", read=True)
        self.screen.notify(
            f"Marked {len(unread):,} {plural} read; ctrl+z takes it back.", timeout=4
        )

    def undo(self) -> None:
        """ctrl+z: the last change to bookmarks or read marks, undone and written to disk."""
        try:
            change = self.screen.history.undo()
        except LibraryError as error:
            self.screen.notify(str(error), title="Not undone", severity="error", timeout=10)
            return
        if change is None:
            self.screen.notify("Nothing to undo.", timeout=2)
            return
        self._marks_changed(list(change.before))
        self.screen.notify(f"Undone: {change.description}.", timeout=3)

    def _change_marks(
        self,
        doc_ids: list[str],
        description: str,
        bookmarked: bool | None = None,
        read: bool | None = None,
    ) -> bool:
        """Write marks through the history (so ctrl+z can undo them), then show them."""
        try:
            self.screen.history.change(doc_ids, description, bookmarked=bookmarked, read=read)
        except LibraryError as error:
            self.screen.notify(str(error), title="Not saved", severity="error", timeout=10)
            return False
        self._marks_changed(doc_ids)
        return True

    def _marks_changed(self, doc_ids: list[str]) -> None:
        """Marks of `doc_ids` were written: read them back and show them everywhere."""
        try:
            states = self.screen.library.states()
        except LibraryError as error:
            self.screen.notify(str(error), severity="error", timeout=10)
            return
        self.screen.state_writes += 1
        self.screen._set_states(states, doc_ids)

    def read_on(self) -> None:
        """space: the next page of the article; at its end, the next unread article."""
        view = self.screen.query_one(ArticleView)
        if view.article is not None and view.scroll_y < view.max_scroll_y:
            view.scroll_page_down(animate=False)
            return
        articles = self.screen.query_one(ArticleList)
        shown = articles.articles
        start = articles.cursor + 1 if view.article is not None else articles.cursor
        following = range(start, len(shown))
        index = next(
            (i for i in following if not self.screen.states.get(shown[i].id, NO_STATE).read), -1
        )
        if index < 0:
            self.screen.notify("No unread article after this one.", timeout=2)
            return
        if self.screen.person is not None:
            self.screen.leave_person(focus=False)
        articles.cursor = index
        self.screen._write_state(shown[index], read=True)

    def toggle_hide_read(self) -> None:
        """H: hide read articles in every view but Bookmarks, or show them again."""
        self.screen.hide_read = not self.screen.hide_read
        self.screen.notify(
            "Read articles hidden." if self.screen.hide_read else "Read articles shown.", timeout=2
        )
        self.reshow()

    def cycle_order(self) -> None:
        """O: newest first, oldest first, by title, by feed."""
        self.screen.order = next_order(self.screen.order)
        self.screen.notify(f"Order: {self.screen.order}.", timeout=2)
        self.reshow()

    def reshow(self) -> None:
        current = self.screen.query_one(ArticleList).current
        if self.screen.results is not None:
            self.screen.searching.again()
        else:
            self.screen._show_selection(keep=current.id if current else None)

    # -- saved searches and mute rules -------------------------------------------------------

    def save_search(self) -> None:
        """S: the current search kept as a smart folder in the sidebar, under a name."""
        query = self.screen.query_one("#search", Input).value.strip()
        if self.screen.results is None or not query:
            self.screen.notify("Search first (/), then S saves the search.", timeout=3)
            return

        def save(name: str | None) -> None:
            if name:
                self._save_search(name, query)

        self.screen.app.push_screen(NamePrompt(f"Save the search “{query}” as:", query), save)

    def _save_search(self, name: str, query: str) -> None:
        from newsreader.library.saved_searches import SavedSearches

        try:
            saved = SavedSearches(self.screen.library).save(name, query)
        except (LibraryError, ValueError) as error:
            self.screen.notify(str(error), title="Not saved", severity="error", timeout=8)
            return
        self.screen.notify(f"Saved “{saved.name}”.", timeout=3)
        self.count_saved()

    def rename_saved(self, old: str) -> None:
        def rename(new: str | None) -> None:
            from newsreader.library.saved_searches import SavedSearches

            if not new:
                return
            try:
                SavedSearches(self.screen.library).rename(old, new)
            except (LibraryError, ValueError) as error:
                self.screen.notify(str(error), title="Not renamed", severity="error", timeout=8)
                return
            self.count_saved()

        self.screen.app.push_screen(NamePrompt(f"Rename the saved search “{old}” to:", old), rename)

    def delete_saved(self, name: str) -> None:
        from newsreader.library.saved_searches import SavedSearches

        try:
            SavedSearches(self.screen.library).delete(name)
        except LibraryError as error:
            self.screen.notify(str(error), title="Not deleted", severity="error", timeout=8)
            return
        self.screen.notify(f"Deleted the saved search “{name}”.", timeout=3)
        self.count_saved()

    def open_saved(self, name: str) -> None:
        """A saved search chosen: its query in the search box, its results in the list."""
        query = next((s.query for s, _ in self.screen.saved if s.name == name), None)
        if query is None:
            return
        self.screen.leave_person(focus=False)
        self.screen.action_search()
        box = self.screen.query_one("#search", Input)
        box.value = query
        box.cursor_position = len(query)
        self.screen.query_one(ArticleList).focus()

    def count_saved(self) -> None:
        self.screen.run_worker(self._count_saved, thread=True, exclusive=True, group="saved")

    def _count_saved(self) -> None:
        """The saved searches' counts and the muted articles, found in a thread (each query
        runs over the whole library) after every load."""
        from newsreader.library.saved_searches import SavedSearches
        from newsreader.library.search import matching_ids, muted_ids

        try:
            muted = muted_ids(self.screen.library, self.screen.settings.mute_queries)
            saved = [
                (s, len(matching_ids(self.screen.library, s.query) - muted))
                for s in SavedSearches(self.screen.library).all()
            ]
        except LibraryError as error:
            if not get_current_worker().is_cancelled:
                self._say(f"Saved searches: {error}", timeout=8)
            return
        if not get_current_worker().is_cancelled:
            self.screen.app.call_from_thread(self._saved_counted, saved, muted)

    def _saved_counted(self, saved: list[tuple[SavedSearch, int]], muted: set[str]) -> None:
        self.screen.saved = saved
        entries = [TagCount(s.name, count) for s, count in saved]
        self.screen.query_one(TagSidebar).show_saved(entries, len(muted))
        self.screen.first.changed()
        if muted != self.screen.muted:
            self.screen.muted = muted
            self.screen.recount()
            self.screen.query_one(TagSidebar).show_counts(self.screen._counts())
            self.reshow()

    # -- news that arrives by itself ---------------------------------------------------------

    def schedule_refresh(self) -> None:
        """Look again when the next feed is due (nothing when no interval is set)."""
        from newsreader.library.refresh_schedule import refreshes_by_itself, seconds_to_next
        from newsreader.library.subscriptions import Subscriptions

        if not refreshes_by_itself(self.screen.settings):
            return  # nothing is set to refresh by itself: no feeds file read at start
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
            self._refresh_timer = None
        try:
            wait = seconds_to_next(self.screen.settings, Subscriptions(self.screen.library).all())
        except LibraryError:
            wait = 60.0  # the feeds file cannot be read now: try again in a minute
        if wait is not None:
            self._refresh_timer = self.screen.set_timer(wait, self._refresh_due)

    def _refresh_due(self) -> None:
        self._refresh_timer = None
        self.refresh_due_feeds()

    def refresh_due_feeds(self) -> None:
        self.screen.run_worker(
            self._refresh_due_feeds, thread=True, exclusive=True, group="refresh"
        )

    def _refresh_due_feeds(self) -> None:
        """The feeds that are due, fetched in the background; new articles join the list
        without moving the cursor, the list title counts them, a failure is one quiet line."""
        from newsreader.library.refresh import refresh_feeds
        from newsreader.library.refresh_schedule import due_feeds, options_of
        from newsreader.library.subscriptions import Subscriptions

        try:
            due = due_feeds(self.screen.settings, Subscriptions(self.screen.library).all())
            outcomes = (
                refresh_feeds(
                    self.screen.library,
                    only=due,
                    options=lambda url: options_of(self.screen.settings, url),
                )
                if due
                else []
            )
        except LibraryError as error:
            self.screen.app.call_from_thread(self._refreshed_quietly, 0, [f"{error}"])
            return
        added = sum(o.added for o in outcomes)
        failed = [f"{o.feed.title or o.feed.url}: {o.error}" for o in outcomes if o.error]
        self.screen.app.call_from_thread(self._refreshed_quietly, added, failed)

    def _refreshed_quietly(self, added: int, failed: list[str]) -> None:
        articles = self.screen.query_one(ArticleList)
        if failed:
            stamp = datetime.now(UTC).astimezone().strftime("%H:%M")
            articles.border_subtitle = Text(f"{stamp} refresh failed: {failed[0]}")
        else:
            articles.border_subtitle = ""
        if added:
            self.screen.new_count += added
            self.screen.load_library()
        self.schedule_refresh()

    # -- one article: full text, its link, a copy on disk -------------------------------------

    def full_text(self) -> None:
        """F: the article's page fetched from its link, its text kept instead of the summary."""
        article = self.screen._current_article()
        link = safe_web_link(article.link) if article is not None else None
        if article is None or link is None:
            self.screen.notify("This article has no web link to fetch.", timeout=3)
            return
        self.screen.notify(f"Fetching the full text from {link}…", timeout=3)
        work = partial(self._fetch_full_text, article, link)
        self.screen.run_worker(work, thread=True, group="full-text")

    def _fetch_full_text(self, article: Article, link: str) -> None:
        from newsreader.sources.full_text import fetch_full_text

        page = fetch_full_text(link, timeout=FULL_TEXT_SECONDS)
        if not page.text:
            message = f"No full text: {page.error}; the summary stays."
            self._say(message, severity="warning", timeout=8)
            return
        try:
            self.screen.library.set_full_text(article.id, page.text)
        except LibraryError as error:
            self._say(str(error), severity="error", timeout=10)
            return
        self.screen.app.call_from_thread(self._full_text_kept, article, len(page.text.split()))

    def _full_text_kept(self, article: Article, words: int) -> None:
        self.screen.notify(f"Full text kept: {words:,} words.", timeout=4)
        if self.screen._current_article() == article:
            self.screen._show_in_pane(article)

    def copy_link(self) -> None:
        """y: the article's link to the clipboard (the terminal's own sequence, by Textual)."""
        article = self.screen._current_article()
        link = safe_web_link(article.link) if article is not None else None
        if link is None:
            self.screen.notify("This article has no web link to copy.", timeout=3)
            return
        self.screen.app.copy_to_clipboard(link)
        self.screen.notify(f"Copied {link}", timeout=3)

    def save_markdown(self) -> None:
        """w: the article, its quotations and its text as a Markdown file."""
        from newsreader.library.storage import write_atomically
        from newsreader.markdown_export import document

        article = self.screen._current_article()
        if article is None:
            self.screen.notify("No article to save.", timeout=2)
            return
        view = self.screen.query_one(ArticleView)
        quotes = [(q.text, q.speaker) for q in view.quotations] if view.article == article else []
        try:
            body = self.screen.library.body(article.id)
            path = save_folder() / file_name(article)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, document([(article, body, quotes)]).encode("utf-8"))
        except (LibraryError, OSError) as error:
            self.screen.notify(f"Not saved: {error}", severity="error", timeout=10)
            return
        self.screen.query_one("#search-status", Static).update("")
        self.screen.notify(f"Saved {path}", timeout=5)
