"""The first page written by the commands that change the library, so the next start is quick."""

from __future__ import annotations

from collections.abc import Sequence

from newsreader.library import first_page
from newsreader.library.errors import LibraryError
from newsreader.library.first_page import Sidebar
from newsreader.library.library import Library
from newsreader.library.selection import count_states, feed_counts
from newsreader.model import TagCount


def rewrite(library: Library, order: str, hide_read: bool, mute_queries: Sequence[str]) -> bool:
    """Compute the page the reader would draw first, from the library as it is, and write it
    (under the lock, so no other process changes a file it is computed from meanwhile).
    False when it could not be computed; the reader then loads as usual and writes it."""
    # Loaded here: the search and quotation modules are for commands that changed something.
    from newsreader.library.quotations import speakers
    from newsreader.library.saved_searches import SavedSearches
    from newsreader.library.search import matching_ids, muted_ids, sync_index

    view = first_page.view_key(order, hide_read, mute_queries)
    path = first_page.path_of(library.path)
    if first_page.read(path, library.first_page_sources(), view) is not None:
        return True  # nothing it shows has changed (an import of nothing new)
    try:
        with library.locked():
            sync_index(library)  # people, saved searches and mute rules are read from it
            articles = library.articles()
            states = library.states()
            muted = muted_ids(library, mute_queries) if mute_queries else set()
            shown = [a for a in articles if a.id not in muted] if muted else articles
            bookmarked, unread = count_states(shown, states)
            saved = tuple(
                (s.name, s.query, len(matching_ids(library, s.query) - muted))
                for s in SavedSearches(library).all()
            )
            quoted = speakers(library, limit=first_page.PEOPLE_SHOWN)
            people = tuple(TagCount(p.name, p.count) for p in quoted)
            sidebar = Sidebar(
                total=len(shown),
                bookmarked=bookmarked,
                unread=unread,
                tags=tuple(library.tag_counts()),
                feeds=feed_counts(articles),
                people=people,
                saved=saved,
            )
            page = first_page.compute(
                view, articles, states, muted, hide_read, order, sidebar, library.file_names
            )
            sources = first_page.signatures(library.first_page_sources())
            first_page.write(path, sources, page)
    except (LibraryError, OSError):
        return False
    return True
