"""The first page written by the commands that change the library, so the next start is quick."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import orjson

from newsreader.library import first_page
from newsreader.library.errors import LibraryError
from newsreader.library.first_page import Sidebar
from newsreader.library.library import Library
from newsreader.library.selection import (
    SidebarCounts,
    count_marks,
    count_states,
    feed_counts,
)
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
                bookmarked, unread = count_marks(ids, states)
                counts = SidebarCounts(len(ids), bookmarked, unread, tags, library.feed_counts())
                sidebar = Sidebar(counts, people, saved)
                page = first_page.compute(
                    view,
                    rows,
                    states,
                    muted,
                    False,
                    order,
                    sidebar,
                    library.file_names,
                    len(ids),
                    body_of=library.body,
                )
            else:
                articles = library.articles()
                shown = [a for a in articles if a.id not in muted] if muted else articles
                bookmarked, unread = count_states(shown, states)
                counts = SidebarCounts(len(shown), bookmarked, unread, tags, feed_counts(articles))
                sidebar = Sidebar(counts, people, saved)
                page = first_page.compute(
                    view,
                    articles,
                    states,
                    muted,
                    hide_read,
                    order,
                    sidebar,
                    library.file_names,
                    body_of=library.body,
                )
            sources = first_page.signatures(library.first_page_sources())
            first_page.write(path, sources, page)
    except (LibraryError, OSError):
        return False
    return True


def current(library: Library) -> first_page.FirstPage | None:
    """The page on disk if it is current for the library's files, whatever its view."""
    return first_page.read(first_page.path_of(library.path), library.first_page_sources())


def marks_written(
    library: Library,
    page: first_page.FirstPage,
    before: Mapping[str, ArticleState],
    after: Mapping[str, ArticleState],
) -> None:
    """Marks went from `before` to `after`, written while holding the lock since `page` was
    read as current: the page is made current again by moving its rows' marks and its counts
    (no catalog read: the command-line `bookmark` stays quick, the next start too). When the
    marks may change more than that — rows hidden once read, a saved search by `is:` — the
    page is dropped instead, and the reader writes a new one."""
    path = first_page.path_of(library.path)
    hides_read = bool(orjson.loads(page.view)[1])
    by_marks = any("is:" in query for _, query, _ in page.sidebar.saved)
    if by_marks or (hides_read and any(before[i].read != after[i].read for i in after)):
        first_page.forget(path)
        return
    counts = page.sidebar.counts
    bookmarked, unread = counts.bookmarked, counts.unread
    for doc_id, new in after.items():
        old = before[doc_id]
        if doc_id not in page.muted:
            bookmarked += new.bookmarked - old.bookmarked
            unread -= new.read - old.read
    states = {doc_id: after.get(doc_id, state) for doc_id, state in page.states.items()}
    counts = dataclasses.replace(counts, bookmarked=bookmarked, unread=unread)
    sidebar = dataclasses.replace(page.sidebar, counts=counts)
    moved = dataclasses.replace(page, states=states, sidebar=sidebar)
    first_page.write(path, first_page.signatures(library.first_page_sources()), moved)
