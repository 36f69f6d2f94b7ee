"""The first page written by the commands that change the library, so the next start is quick."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsreader.library import first_page
from newsreader.library.errors import LibraryError
from newsreader.library.first_page import Sidebar
from newsreader.library.library import Library
from newsreader.library.selection import count_states, feed_counts
from newsreader.model import ArticleState, TagCount


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
            states = library.states()
            muted = muted_ids(library, mute_queries) if mute_queries else set()
            saved = tuple(
                (s.name, s.query, len(matching_ids(library, s.query) - muted))
                for s in SavedSearches(library).all()
            )
            quoted = speakers(library, limit=first_page.PEOPLE_SHOWN)
            people = tuple(TagCount(p.name, p.count) for p in quoted)
            tags = tuple(library.tag_counts())
            if order == "newest" and not hide_read:
                # The usual view: only its first rows are built (100,000 articles: 0.4 s less).
                ids = [i for i in library.ids_newest_first() if i not in muted]
                rows = [a for a in map(library.article, ids[: first_page.ROWS]) if a]
                bookmarked, unread = _counted(ids, states)
                sidebar = Sidebar(
                    len(ids), bookmarked, unread, tags, library.feed_counts(), people, saved
                )
                page = first_page.compute(
                    view, rows, states, muted, False, order, sidebar, library.file_names, len(ids)
                )
            else:
                articles = library.articles()
                shown = [a for a in articles if a.id not in muted] if muted else articles
                bookmarked, unread = count_states(shown, states)
                sidebar = Sidebar(
                    len(shown), bookmarked, unread, tags, feed_counts(articles), people, saved
                )
                page = first_page.compute(
                    view, articles, states, muted, hide_read, order, sidebar, library.file_names
                )
            sources = first_page.signatures(library.first_page_sources())
            first_page.write(path, sources, page)
    except (LibraryError, OSError):
        return False
    return True


def _counted(ids: list[str], states: Mapping[str, ArticleState]) -> tuple[int, int]:
    """(bookmarked, unread) among `ids`: as `selection.count_states`, without articles."""
    bookmarked = read = 0
    for doc_id in ids:
        state = states.get(doc_id)
        if state is not None:
            bookmarked += state.bookmarked
            read += state.read
    return bookmarked, len(ids) - read
