"""Refreshes subscribed feeds: fetched side by side, stored together in one catalog write."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime

from newsreader.library.article_ids import article_id, legacy_ids
from newsreader.library.errors import LibraryError
from newsreader.library.library import Library
from newsreader.library.refresh_schedule import FeedOptions
from newsreader.library.search import sync_index
from newsreader.library.subscriptions import Feed, Subscriptions, now_text
from newsreader.model import ParsedArticle
from newsreader.sources.feeds import NotAFeed, ParsedFeed, parse_feed
from newsreader.sources.fetch import Fetched, fetch_feed

Progress = Callable[[int, int], None]
FETCH_WORKERS = 8


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    feed: Feed
    added: int = 0
    updated: int = 0
    not_modified: bool = False
    error: str = ""


Options = Callable[[str], FeedOptions]  # a feed's options by its URL


def refresh_feeds(
    library: Library,
    progress: Progress | None = None,
    timeout: float = 15.0,
    only: list[Feed] | None = None,
    options: Options | None = None,
) -> list[FeedOutcome]:
    """Fetch every subscription concurrently; a failing feed is reported, the others go on.
    What they bring is stored in one write, then the full texts the options ask for are
    fetched, then the index is reconciled."""
    subscriptions = Subscriptions(library)
    feeds = only if only is not None else subscriptions.all()
    outcomes: list[FeedOutcome] = []
    fetched_feeds: list[tuple[Feed, Fetched, ParsedFeed]] = []
    with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
        futures = {
            pool.submit(fetch_feed, feed.url, feed.etag, feed.modified, timeout): feed
            for feed in feeds
        }
        for done, future in enumerate(as_completed(futures), start=1):
            feed, fetched = futures[future], future.result()
            outcome, parsed = _parse(feed, fetched)
            if parsed is None:
                outcomes.append(outcome)
            else:
                fetched_feeds.append((feed, fetched, parsed))
            if progress is not None:
                progress(done, len(feeds))
    options = options or (lambda url: FeedOptions())
    stored, added = _store(library, fetched_feeds, options)
    outcomes += stored
    _fetch_full_texts(library, added, timeout)
    subscriptions.record([outcome.feed for outcome in outcomes])
    if any(outcome.added or outcome.updated for outcome in outcomes):
        # The articles are stored; a busy index catches up with the next search.
        with contextlib.suppress(LibraryError):
            sync_index(library)
    return sorted(outcomes, key=lambda o: (o.feed.title or o.feed.url).casefold())


def _parse(feed: Feed, fetched: Fetched) -> tuple[FeedOutcome, ParsedFeed | None]:
    checked = now_text()
    if fetched.error:
        failed = dataclasses.replace(feed, checked=checked, error=fetched.error, added=0)
        return FeedOutcome(failed, error=fetched.error), None
    if fetched.not_modified or fetched.data is None:
        same = dataclasses.replace(feed, checked=checked, error="", added=0)
        return FeedOutcome(same, not_modified=True), None
    try:
        return FeedOutcome(feed), parse_feed(fetched.data, feed.url)
    except (NotAFeed, RecursionError, ValueError) as error:
        reason = str(error) if isinstance(error, NotAFeed) else f"cannot be read ({error})"
        failed = dataclasses.replace(feed, checked=checked, error=reason, added=0)
        return FeedOutcome(failed, error=reason), None


def _store(
    library: Library, fetched: list[tuple[Feed, Fetched, ParsedFeed]], options: Options
) -> tuple[list[FeedOutcome], dict[str, str]]:
    """Every feed's entries in one catalog write; each feed is told what it brought. Also
    returns the new entries whose full text is wanted (id → link)."""
    items: list[ParsedArticle] = []
    owners: list[int] = []
    legacy: list[list[str]] = []
    for number, (feed, _, parsed) in enumerate(fetched):
        extra = options(feed.url).tags
        for entry in parsed.entries:
            if extra:
                known = {tag.casefold() for tag in entry.tags}
                more = tuple(tag for tag in extra if tag.casefold() not in known)
                entry = dataclasses.replace(entry, tags=entry.tags + more)
            items.append(entry)
            owners.append(number)
            legacy.append(legacy_ids(entry, [feed.title]))
    updated: list[str] = []
    now = datetime.now(UTC).isoformat(timespec="seconds")
    ids = [article_id(item) for item in items]
    added, _ = library.add(items, now, ids, updated, legacy=legacy) if items else ([], [])
    added_ids, updated_ids = set(added), set(updated)
    added_count = [0] * len(fetched)
    updated_count = [0] * len(fetched)
    for doc_id, legacy_id, owner in zip(ids, legacy, owners, strict=True):
        stored_as = {doc_id, *legacy_id}
        added_count[owner] += bool(stored_as & added_ids)
        updated_count[owner] += bool(stored_as & updated_ids)
    outcomes = []
    checked = now_text()
    for number, (feed, response, parsed) in enumerate(fetched):
        fresh = dataclasses.replace(
            feed,
            title=feed.title or parsed.title,
            etag=response.etag,
            modified=response.modified,
            checked=checked,
            error="",
            added=added_count[number],
        )
        outcomes.append(FeedOutcome(fresh, added_count[number], updated_count[number]))
    wanted = {
        doc_id: item.link
        for doc_id, item, owner in zip(ids, items, owners, strict=True)
        if doc_id in added_ids and item.link and options(fetched[owner][0].url).full_text
    }
    return outcomes, wanted


def _fetch_full_texts(library: Library, wanted: dict[str, str], timeout: float) -> int:
    """Fetch the pages of new entries side by side and keep each article found; a page that
    fails leaves its entry as the feed gave it. Returns how many were kept."""
    if not wanted:
        return 0
    from newsreader.sources.full_text import fetch_full_text

    kept = 0
    with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
        futures = {pool.submit(fetch_full_text, link, timeout): d for d, link in wanted.items()}
        for future in as_completed(futures):
            page = future.result()
            if page.text:
                with contextlib.suppress(LibraryError):
                    library.set_full_text(futures[future], page.text)
                    kept += 1
    return kept
