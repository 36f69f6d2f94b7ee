"""Command palette entries: jump to a tag, a feed, a person or a saved search; every action of
the reader; rename and delete saved searches; switch theme."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from newsreader.library.selection import BOOKMARKS, UNREAD, Selection


def _display(matcher: Matcher, text: str) -> Content:
    # Matcher.highlight reads its argument as markup; a tag is article text, so it never is.
    return Content(text) if "[" in text else matcher.highlight(text)


class ReaderCommands(Provider):
    """The reader's actions and every tag, for ctrl+p."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from newsreader.ui.screens.reader import ReaderScreen

        screen = self.screen
        if not isinstance(screen, ReaderScreen):
            return []
        app = self.app
        dark = app.current_theme.dark
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("Toggle bookmark", screen.action_toggle_bookmark, "Bookmark the highlighted article"),
            (
                "Toggle read",
                screen.action_toggle_read,
                "Mark the highlighted article read or unread",
            ),
            ("Search articles", screen.action_search, "Full-text search as you type"),
            ("Show bookmarks", partial(screen.select_view, BOOKMARKS), "Only bookmarked articles"),
            ("Show unread", partial(screen.select_view, UNREAD), "Only articles not read yet"),
            ("Refresh feeds", screen.action_refresh_feeds, "Fetch every subscribed feed"),
            ("Reload library", screen.action_reload, "Read the library from disk again"),
            (
                "Quotations in this article",
                screen.action_quotations,
                "Who said what in the open article",
            ),
            ("Mark all read", screen.action_mark_all_read, "Every article in this view, read"),
            ("Undo", screen.action_undo, "Take back the last bookmark or read mark"),
            ("Hide or show read articles", screen.action_toggle_hide_read, "In every view"),
            ("Change the order", screen.action_cycle_order, "Newest, oldest, title, feed"),
            ("Save this search", screen.action_save_search, "A smart folder in the sidebar"),
            ("Fetch the full text", screen.action_full_text, "The article's page, kept"),
            ("Copy the link", screen.action_copy_link, "The article's link to the clipboard"),
            ("Save as Markdown", screen.action_save_markdown, "The article as a Markdown file"),
            (
                "Switch to light theme" if dark else "Switch to dark theme",
                partial(setattr, app, "theme", "textual-light" if dark else "textual-dark"),
                "Change the colours",
            ),
        ]
        for feed in screen.feed_counts:
            commands.append(
                (
                    f"Go to feed: {feed.name}",
                    partial(screen.select_view, Selection.of_feed(feed.name)),
                    f"{feed.count:,} articles",
                )
            )
        for saved, count in screen.saved:
            commands += [
                (
                    f"Saved search: {saved.name}",
                    partial(screen.day.open_saved, saved.name),
                    f"{count:,} articles · {saved.query}",
                ),
                (
                    f"Rename saved search: {saved.name}",
                    partial(screen.day.rename_saved, saved.name),
                    saved.query,
                ),
                (
                    f"Delete saved search: {saved.name}",
                    partial(screen.day.delete_saved, saved.name),
                    saved.query,
                ),
            ]
        for person in screen.people:
            commands.append(
                (
                    f"Quotations of: {person.name}",
                    partial(screen.show_person, person.name),
                    f"{person.count:,} quotation{'' if person.count == 1 else 's'} in the library",
                )
            )
        for tag in screen.tag_counts:
            commands.append(
                (
                    f"Go to tag: {tag.name}",
                    partial(screen.select_view, Selection.of_tag(tag.name)),
                    f"{tag.count:,} articles",
                )
            )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands()[:8]:
            yield DiscoveryHit(Content(name), callback, help=help_text, text=name)

    async def search(self, query: str) -> AsyncIterator[Hit]:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _display(matcher, name), callback, text=name, help=help_text)
