"""Refreshes subscribed feeds: fetched side by side, stored one after another."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from newsreader.library.importer import store_articles
from newsreader.library.library import Library
from newsreader.library.subscriptions import Feed, Subscriptions, now_text
from newsreader.model import ImportReport
from newsreader.sources.feeds import NotAFeed, parse_feed
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


def refresh_feeds(
    library: Library,
    progress: Progress | None = None,
    timeout: float = 15.0,
    only: list[Feed] | None = None,
) -> list[FeedOutcome]:
    """Fetch every subscription concurrently; a failing feed is reported, the others go on."""
    subscriptions = Subscriptions(library)
    feeds = only if only is not None else subscriptions.all()
    outcomes: list[FeedOutcome] = []
    with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
        futures = {
            pool.submit(fetch_feed, feed.url, feed.etag, feed.modified, timeout): feed
            for feed in feeds
        }
        for done, future in enumerate(as_completed(futures), start=1):
            # Storing happens here, on one thread: the library has one writer at a time anyway.
            outcomes.append(_store(library, futures[future], future.result()))
            if progress is not None:
                progress(done, len(feeds))
    subscriptions.record([outcome.feed for outcome in outcomes])
    return sorted(outcomes, key=lambda o: (o.feed.title or o.feed.url).casefold())


def _store(library: Library, feed: Feed, fetched: Fetched) -> FeedOutcome:
    checked = now_text()
    if fetched.error:
        failed = dataclasses.replace(feed, checked=checked, error=fetched.error, added=0)
        return FeedOutcome(failed, error=fetched.error)
    if fetched.not_modified or fetched.data is None:
        same = dataclasses.replace(feed, checked=checked, error="", added=0)
        return FeedOutcome(same, not_modified=True)
    try:
        parsed = parse_feed(fetched.data, feed.url)
    except NotAFeed as error:
        failed = dataclasses.replace(feed, checked=checked, error=str(error), added=0)
        return FeedOutcome(failed, error=str(error))
    report = ImportReport()
    store_articles(library, parsed.entries, report)
    fresh = dataclasses.replace(
        feed,
        title=feed.title or parsed.title,
        etag=fetched.etag,
        modified=fetched.modified,
        checked=checked,
        error="",
        added=len(report.added),
    )
    return FeedOutcome(fresh, added=len(report.added), updated=len(report.updated))
