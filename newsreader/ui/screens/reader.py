"""The reader screen: owns what is shown (selection, search, cursor) and hands it to the panes."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from newsreader.config import Settings
from newsreader.library import Library
from newsreader.library.derived import Signature
from newsreader.library.errors import STORAGE_ERRORS
from newsreader.library.search import SearchResults
from newsreader.library.selection import (
    ALL,
    Selection,
    SidebarCounts,
    arrange,
    count_states,
    feed_counts,
    select,
)
from newsreader.library.subscriptions import Subscriptions
from newsreader.library.undo import MarkHistory
from newsreader.model import NO_STATE, Article, ArticleState, TagCount
from newsreader.text.highlight import match_spans
from newsreader.text.links import safe_web_link
from newsreader.ui.screens.first_screen import FirstScreen
from newsreader.ui.screens.person_view import PersonView
from newsreader.ui.screens.quotations import QuotationsScreen
from newsreader.ui.screens.reader_day import ReaderDay
from newsreader.ui.screens.search_flow import SearchFlow
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.footer import KeyFooter
from newsreader.ui.widgets.quotation_list import QuotationList
from newsreader.ui.widgets.search_box import SearchBox
from newsreader.ui.widgets.tag_sidebar import TagSidebar

if TYPE_CHECKING:  # loaded when first used, not at start
    from newsreader.library.saved_searches import SavedSearch

NARROW_WIDTH = 100  # below this, the tag sidebar shows only while it has focus
DISK_CHECK_SECONDS = 2.0
INDEX_BUSY_SECONDS = 1.0  # a search never waits longer for an index another process holds


class ReaderScreen(Screen[None]):
    """Tags | articles | article. Every key is a Binding, so footer, help and palette know it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="reader.search"),
        Binding("b", "toggle_bookmark", "Bookmark", id="reader.bookmark"),
        Binding("u", "toggle_read", "Read/unread", id="reader.read"),
        Binding("t", "focus_tags", "Tags", id="reader.tags"),
        Binding("quotation_mark", "quotations", "Quotations", id="reader.quotations"),
        Binding("space", "read_on", "Read on", show=False, id="reader.read_on"),
        Binding("A", "mark_all_read", "Mark all read", id="reader.mark_all_read"),
        Binding("ctrl+z", "undo", "Undo", id="reader.undo"),
        Binding("H", "toggle_hide_read", "Hide read", show=False, id="reader.hide_read"),
        Binding("O", "cycle_order", "Change order", show=False, id="reader.order"),
        Binding("S", "save_search", "Save search", show=False, id="reader.save_search"),
        Binding("F", "full_text", "Full text", show=False, id="reader.full_text"),
        Binding("y", "copy_link", "Copy link", show=False, id="reader.copy_link"),
        Binding("w", "save_markdown", "Save as Markdown", show=False, id="reader.save"),
        Binding("o", "open_link", "Open link", show=False, id="reader.open_link"),
        Binding("n", "next_match", "Next match", id="reader.next_match"),
        Binding("N", "previous_match", "Previous match", id="reader.previous_match"),
        Binding("escape", "back", "Back", show=False, id="reader.back"),
        Binding("R", "refresh_feeds", "Refresh feeds", show=False, id="reader.refresh"),
        Binding("ctrl+r", "reload", "Reload library", show=False, id="reader.reload"),
        Binding("s", "sort_results", "Sort: best/newest", id="reader.sort_results"),
        Binding(
            "tab",
            "accept_suggestion",
            "Take the suggested word",
            show=False,
            id="reader.suggestion",
        ),
    ]

    # Textual repaints the whole screen when the focus moves; the panes whose look changes
    # (the focused and the blurred one, and what contains them) restyle and redraw themselves.
    # Enter into the article then redraws two panes, not the tags pane's 40 options too.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    async def _on_idle(self, event: events.Idle) -> None:
        # Textual (8.2.8's `Screen._on_idle`) draws a frame as soon as the screen has no
        # message left. The widgets that a key changed (the list, the pane, their scrollbars)
        # tell the screen in turn, each from its own task: yield once, so their news arrives
        # first and the key makes one frame (`test_a_key_is_drawn_in_one_frame`).
        await asyncio.sleep(0)
        await super()._on_idle(event)

    def __init__(self, library: Library, settings: Settings | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings(path=Path())
        self.history = MarkHistory(library)  # what ctrl+z takes back, newest last
        self.muted: set[str] = set()  # what config.toml's mute rules hide
        self.hide_read = self.settings.hide_read
        self.order = self.settings.order
        self.saved: list[tuple[SavedSearch, int]] = []  # each saved search and its count
        self.new_count = 0  # articles auto-refresh brought since the view was chosen
        self.day = ReaderDay(self)  # the keys of the reader's day: triage, saved, full text
        self.first = FirstScreen(self)  # the first page, drawn before the catalog loads
        library.index.busy_seconds = INDEX_BUSY_SECONDS
        self.articles: list[Article] = []
        self.states: dict[str, ArticleState] = {}
        self.tag_counts: tuple[TagCount, ...] = ()
        self.selection: Selection = ALL
        self.bookmarked_count = 0
        self.unread_count = 0
        self.feed_counts: tuple[TagCount, ...] = ()
        self.people: tuple[TagCount, ...] = ()  # the most quoted speakers, with their counts
        self.person: str | None = None  # whose quotations the middle pane lists, if anyone's
        self.person_view = PersonView(self)  # the People group and a person's quotations
        self.searching = SearchFlow(self)  # the search box and its results
        self.results: SearchResults | None = None
        self.results_by_date = False
        # Marks written from this screen, counted: a load that began at another count may have
        # read the state file before a write, and must not show the mark as it was.
        self.state_writes = 0
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield TagSidebar(id="tags")
            with Vertical(id="middle"):
                yield SearchBox(
                    placeholder='Search: words, "a phrase", -word, tag:, title:, is:unread',
                    id="search",
                )
                yield Static(id="search-status")
                yield ArticleList(id="articles")
                yield QuotationList(id="person-quotations")
            yield ArticleView(id="article")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#tags").border_title = "Tags"
        self.query_one("#article").border_title = "Article"
        self.query_one("#search").display = False
        self.query_one("#search-status").display = False
        self.query_one(QuotationList).display = False
        articles = self.query_one(ArticleList)
        articles.focus()
        # The pane follows the cursors in the same step as the lists: one frame per move.
        self.watch(articles, "cursor", self._follow_cursor, init=False)
        quotations = self.query_one(QuotationList)
        self.watch(quotations, "highlighted", self.person_view.follow, init=False)
        self._set_list_title()
        self.first.show()
        # After the first frame: the load holds the interpreter while it parses the catalog.
        self.call_after_refresh(self._after_first_frame)
        self.set_interval(DISK_CHECK_SECONDS, self._check_disk)
        self.day.schedule_refresh()

    def focus_now(self, widget: Widget) -> None:
        """Focus `widget` before the next key is handled: `Widget.focus()` waits for the
        messages already queued, and keys typed at once after `/`, Enter or `t` (as while a
        big library loads) ran the old pane's bindings (see `key_handoff`)."""
        widget.refresh()
        self.set_focus(widget)

    def on_unmount(self) -> None:
        self.first.flush()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_match", "previous_match", "sort_results"):
            return self.results is not None  # hidden from the footer until there is a search
        return True

    def on_descendant_blur(self) -> None:
        if not self.query_one(TagSidebar).has_focus:
            self.remove_class("-show-tags")

    # -- loading -------------------------------------------------------------------------

    def _after_first_frame(self) -> None:
        # The command line held the collector off while the reader started (`cli.main`). What
        # exists now lives as long as the reader: frozen, later collections do not walk it.
        gc.freeze()
        gc.enable()
        self.load_library()

    def load_library(self) -> None:
        """Read the library again (in a thread); marks written meanwhile are kept (see
        `_loaded`)."""
        self._load_in_thread(self.state_writes)

    @work(thread=True, exclusive=True, group="load")
    def _load_in_thread(self, writes: int) -> None:
        """Read titles, tags and state in a thread: the screen is up before they arrive."""
        # No collections while 100,000 articles are built: the collector would walk them again
        # and again for nothing (they all live until the next load). `_loaded` freezes them.
        gc.disable()
        try:
            # Before reading: a write by another process from now on is seen at the next check.
            self.library.mark_seen()
            before = self.library.catalog_file_signature()
            articles = self.library.articles()
            read = self.library.loaded_catalog_signature()
            catalog = read if read == before else None  # else the page waits for a reload
            states = self.library.states()
        except STORAGE_ERRORS as error:
            if self.loaded:  # a reload: the articles on screen stay, the message says why
                self.app.call_from_thread(self.notify, str(error), severity="error", timeout=30)
            else:  # nothing to show: leave, and say why in one sentence on the terminal
                message = Text("newsreader: ", style="bold red") + Text(str(error))
                self.app.call_from_thread(self.app.exit, None, 1, message)
            return
        finally:
            gc.enable()
        counts = count_states(articles, states)
        self.app.call_from_thread(self._loaded, articles, states, counts, writes, catalog)
        # The list is on screen; the sidebar's counts (0.2 s at 100,000) follow.
        tags = tuple(self.library.tag_counts(articles))
        feeds = feed_counts(articles)
        self.app.call_from_thread(self._counted, tags, feeds)

    def _loaded(
        self,
        articles: list[Article],
        states: dict[str, ArticleState],
        counts: tuple[int, int],
        writes: int,
        catalog: Signature = None,
    ) -> None:
        current = self.query_one(ArticleList).current
        if writes != self.state_writes:
            # A mark was written while the thread read: what it read may be older than the key
            # press (or than another load's), so read the state file again (kilobytes).
            try:
                states = self.library.states()
            except STORAGE_ERRORS:
                states = {**states, **self.states}  # at least what this screen wrote
            counts = count_states(articles, states)
        self.articles, self.states = articles, states
        self.bookmarked_count, self.unread_count = counts
        if self.muted:
            self.muted &= {a.id for a in articles}
            self.recount()
        self.loaded = True
        self.first.loaded(catalog)
        # The library is long-lived: keep the collector from walking 100,000 articles again
        # and again, which showed as 50 ms stalls on a key press.
        gc.freeze()
        self.query_one(TagSidebar).show_counts(self._counts())
        if self.results is not None:
            self.searching.again()
        else:
            self._show_selection(keep=current.id if current else None)

    def _counted(self, tags: tuple[TagCount, ...], feeds: tuple[TagCount, ...]) -> None:
        self.tag_counts, self.feed_counts = tags, feeds
        self.query_one(TagSidebar).show_counts(self._counts())
        self.day.count_saved()
        self.first.changed()
        # The quotations store is brought in step with the library first: after a reload
        # the People counts (and a person's list on screen) may have changed.
        self.person_view.count()
        self.person_view.reload()

    # -- people: who is quoted (see `person_view`) --------------------------------------------

    @on(TagSidebar.PersonChosen)
    def choose_person(self, event: TagSidebar.PersonChosen) -> None:
        self.person_view.show(event.name)

    def show_person(self, name: str) -> None:
        self.person_view.show(name)

    def leave_person(self, focus: bool = True) -> None:
        self.person_view.leave(focus)

    @on(QuotationList.Opened)
    def open_quotation(self, event: QuotationList.Opened) -> None:
        self.person_view.open(event.quotation)

    def action_quotations(self) -> None:
        """`"`: the open article's quotations; the one chosen scrolls to the top of the pane."""
        view = self.query_one(ArticleView)
        article = view.article
        if article is None:
            self.notify("No article is open.", timeout=2)
            return
        if any(isinstance(screen, QuotationsScreen) for screen in self.app.screen_stack):
            return  # a second `"` typed before the first list was up

        def go_to(index: int | None) -> None:
            current = view.article
            if index is None or current is None or current.id != article.id:
                return
            if 0 <= index < len(view.quotations):
                quotation = view.quotations[index]
                view.show_quotation(quotation.start, quotation.end)
                view.focus()

        self.app.push_screen(QuotationsScreen(article.title, view.quotations), go_to)

    def _check_disk(self) -> None:
        try:
            changed = self.loaded and self.library.changed_on_disk()
        except STORAGE_ERRORS:
            return  # the next check, or a reload, says what is wrong
        if changed:
            self.load_library()

    def action_reload(self) -> None:
        self.load_library()

    def action_refresh_feeds(self) -> None:
        try:
            subscribed = bool(Subscriptions(self.library).all())
        except STORAGE_ERRORS as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        if not subscribed:
            self.notify("No subscriptions yet: `newsreader subscribe URL` adds one.", timeout=4)
            return
        self.refresh_subscriptions()

    @work(thread=True, exclusive=True, group="refresh")
    def refresh_subscriptions(self) -> None:
        """Fetch every feed in the background; the list's subtitle shows the progress."""
        from newsreader.library.refresh import refresh_feeds  # the feed parsers load slowly

        articles = self.query_one(ArticleList)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(
                setattr, articles, "border_subtitle", f"Refreshing {done}/{total}"
            )

        self.app.call_from_thread(setattr, articles, "border_subtitle", "Refreshing feeds…")
        try:
            outcomes = refresh_feeds(self.library, progress, options=self.day.options)
        except STORAGE_ERRORS as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        finally:
            self.app.call_from_thread(setattr, articles, "border_subtitle", "")
        added = sum(o.added for o in outcomes)
        failed = [o for o in outcomes if o.error]
        message = f"{added} new articles from {len(outcomes)} feeds."
        if failed:
            message += " Failed: " + "; ".join(
                f"{o.feed.title or o.feed.url}: {o.error}" for o in failed
            )
        severity = "warning" if failed else "information"
        self.app.call_from_thread(self.notify, message, severity=severity, timeout=8)
        self.app.call_from_thread(self.load_library)

    def recount(self) -> None:
        """Bookmarked and unread among the articles shown (muted ones are not)."""
        articles = self.articles
        if self.muted:
            articles = [a for a in articles if a.id not in self.muted]
        self.bookmarked_count, self.unread_count = count_states(articles, self.states)

    def _counts(self) -> SidebarCounts:
        first_total = self.first.total()
        total = len(self.articles) - len(self.muted) if first_total is None else first_total
        return SidebarCounts(
            total, self.bookmarked_count, self.unread_count, self.tag_counts, self.feed_counts
        )

    # -- what the list shows ---------------------------------------------------------------

    def _show_selection(self, keep: str | None = None) -> None:
        shown = select(self.articles, self.states, self.selection, self.muted, self.hide_read)
        shown = arrange(shown, self.order)
        empty = (
            "No articles here."
            if self.articles
            else "The library is empty: see `newsreader import`."
        )
        self.query_one(ArticleList).show(shown, self.states, keep=keep, empty_message=empty)
        self._set_list_title(len(shown))

    def _set_list_title(self, count: int | None = None) -> None:
        title = "Articles" if self.results is None else "Search"
        label = f"{title} · {self.selection.label}"
        if count is not None:
            label += f" · {count:,}"
        if self.new_count:
            label += f" · {self.new_count:,} new"
        self.query_one(ArticleList).border_title = label

    @on(TagSidebar.Chosen)
    def choose(self, event: TagSidebar.Chosen) -> None:
        self.select_view(event.selection)

    @on(TagSidebar.SavedChosen)
    def choose_saved(self, event: TagSidebar.SavedChosen) -> None:
        self.day.open_saved(event.name)

    def select_view(self, selection: Selection) -> None:
        self.leave_person(focus=False)
        self.selection = selection
        self.new_count = 0
        if selection.kind == "tag":
            self.query_one(TagSidebar).highlight_tag(selection.tag)
        if self.results is not None:
            self.searching.again()
        else:
            self._show_selection()
        self.query_one(ArticleList).focus()

    def _follow_cursor(self) -> None:
        if self.person is None:  # else the pane shows the quotation's article
            self._show_in_pane(self.query_one(ArticleList).current)

    def _show_in_pane(self, article: Article | None) -> None:
        view = self.query_one(ArticleView)
        if article is None:
            view.show(None, "", NO_STATE)
            return
        try:
            body = self.library.body(article.id)
        except STORAGE_ERRORS as error:
            self.notify(str(error), severity="error")
            body = ""
        terms = self.results.query.terms if self.results is not None else []
        matches = match_spans(body, terms) if terms else []
        view.show(article, body, self.states.get(article.id, NO_STATE), matches)

    @on(ArticleList.Opened)
    def open_article(self, event: ArticleList.Opened) -> None:
        if not self.states.get(event.article.id, NO_STATE).read:
            self._write_state(event.article, read=True)
        self.focus_now(self.query_one(ArticleView))

    # -- bookmarks and read marks ----------------------------------------------------------

    def _current_article(self) -> Article | None:
        """The article the keys act on: the list's, or the person's quotation's."""
        if self.person is not None:
            quotation = self.query_one(QuotationList).current
            return quotation.article if quotation is not None else None
        return self.query_one(ArticleList).current

    def action_toggle_bookmark(self) -> None:
        article = self._current_article()
        if article is not None:
            state = self.states.get(article.id, NO_STATE)
            self._write_state(article, bookmarked=not state.bookmarked)

    def action_toggle_read(self) -> None:
        article = self._current_article()
        if article is not None:
            state = self.states.get(article.id, NO_STATE)
            self._write_state(article, read=not state.read)

    def _write_state(
        self, article: Article, bookmarked: bool | None = None, read: bool | None = None
    ) -> None:
        """Write to disk first (fsync'd, atomic), then show it: the screen never claims more."""
        before = self.states.get(article.id, NO_STATE)
        what = "read" if read else "unread" if read is not None else ""
        if bookmarked is not None:
            what = "bookmarked" if bookmarked else "bookmark removed"
        try:
            self.history.change([article.id], f"{what}: {article.title[:40]}", bookmarked, read)
            state = self.library.state(article.id)
        except STORAGE_ERRORS as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            return
        # One article changed: adjust, rather than recount 100,000 (other processes' changes
        # arrive with the next reload).
        self.states[article.id] = state  # the dict the list holds too
        self.state_writes += 1
        self.bookmarked_count += state.bookmarked - before.bookmarked
        self.unread_count -= state.read - before.read
        self.query_one(ArticleList).update_states(self.states, changed=article.id)
        self.query_one(TagSidebar).update_state_counts(self._counts())
        view = self.query_one(ArticleView)
        if view.article is not None and view.article.id == article.id:
            view.update_state(state)
        self.first.changed()

    def _set_states(self, states: dict[str, ArticleState], changed: list[str]) -> None:
        """Marks of many articles changed at once (mark all read, undo): shown everywhere."""
        self.states = states
        if self.loaded:  # else the counts were adjusted mark by mark, and the load recounts
            self.recount()
        self.query_one(ArticleList).update_states(states)
        self.query_one(TagSidebar).update_state_counts(self._counts())
        view = self.query_one(ArticleView)
        if view.article is not None and view.article.id in changed:
            view.update_state(states.get(view.article.id, NO_STATE))
        if self.hide_read or self.selection.kind == "unread":
            self.day.reshow()
        self.first.changed()

    # -- search (see `search_flow`) -----------------------------------------------------------

    def action_search(self) -> None:
        self.searching.open()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.searching.run(event.value)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.focus_now(self.query_one(ArticleList))

    def action_back(self) -> None:
        """escape: leave the search box; again: clear the search; from the article: the list."""
        box = self.query_one("#search", Input)
        articles = self.query_one(ArticleList)
        quotations = self.query_one(QuotationList)
        if self.person is not None:  # a person's quotations: from the article, back to them
            if quotations.has_focus:
                self.leave_person()
            else:
                self.focus_now(quotations)
        elif box.has_focus:
            self.focus_now(articles)
        elif self.results is not None or box.display:
            self.searching.clear()
            self.focus_now(articles)
        else:
            self.focus_now(articles)

    def action_sort_results(self) -> None:
        self.searching.toggle_order()

    def action_accept_suggestion(self) -> None:
        self.searching.accept_suggestion()

    def action_next_match(self) -> None:
        self.searching.jump_to_match(1)

    def action_previous_match(self) -> None:
        self.searching.jump_to_match(-1)

    def action_open_link(self) -> None:
        """Open the article's web link in the browser: http(s) only, never through a shell."""
        article = self._current_article()
        link = safe_web_link(article.link) if article is not None else None
        if link is None:
            self.notify("This article has no web link to open.", timeout=3)
            return
        self.open_in_browser(link)
        self.notify(f"Opening {link}", timeout=3)

    @work(thread=True, group="browser")
    def open_in_browser(self, link: str) -> None:
        import webbrowser  # here: its module and shlex are not needed for the first screen

        # webbrowser starts the browser as a program with the URL as one argument.
        webbrowser.open(link, new=2)

    # -- the reader's day (see `reader_day`) --------------------------------------------------

    def action_read_on(self) -> None:
        self.day.read_on()

    def action_mark_all_read(self) -> None:
        self.day.mark_all_read()

    def action_undo(self) -> None:
        self.day.undo()

    def action_toggle_hide_read(self) -> None:
        self.day.toggle_hide_read()

    def action_cycle_order(self) -> None:
        self.day.cycle_order()

    def action_save_search(self) -> None:
        self.day.save_search()

    def action_full_text(self) -> None:
        self.day.full_text()

    def action_copy_link(self) -> None:
        self.day.copy_link()

    def action_save_markdown(self) -> None:
        self.day.save_markdown()

    def action_focus_tags(self) -> None:
        self.add_class("-show-tags")
        self.focus_now(self.query_one(TagSidebar))
