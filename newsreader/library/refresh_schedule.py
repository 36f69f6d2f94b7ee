"""When each feed is due for its next refresh, from config.toml's intervals and its last check."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from newsreader.config import Settings, feed_settings
from newsreader.library.subscriptions import Feed


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """What config.toml asks of one feed's new entries (see `newsreader.config`)."""

    tags: tuple[str, ...] = ()  # added to each entry's own
    full_text: bool = False  # each new entry's page fetched and its article kept


MIN_WAIT = 1.0  # seconds between two looks at the schedule, however soon a feed is due


def interval_of(settings: Settings, feed: Feed) -> float:
    """Seconds between refreshes of `feed`: its own setting, else the reader's; 0 is never."""
    own = feed_settings(settings, feed.url)
    if own is not None and own.refresh_every is not None:
        return own.refresh_every
    return settings.refresh_every


def options_of(settings: Settings, url: str) -> FeedOptions:
    own = feed_settings(settings, url)
    return FeedOptions(own.tags, own.full_text) if own is not None else FeedOptions()


def _seconds_since(checked: str, now: datetime) -> float:
    if not checked:
        return float("inf")  # never fetched: due now
    try:
        then = datetime.fromisoformat(checked)
    except ValueError:
        return float("inf")
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return (now - then).total_seconds()


def due_feeds(settings: Settings, feeds: Iterable[Feed], now: datetime | None = None) -> list[Feed]:
    """The feeds whose interval has passed since they were last checked."""
    now = now or datetime.now(UTC)
    due = []
    for feed in feeds:
        interval = interval_of(settings, feed)
        if interval > 0 and _seconds_since(feed.checked, now) >= interval:
            due.append(feed)
    return due


def refreshes_by_itself(settings: Settings) -> bool:
    """Whether any interval is set: else the reader never looks at the schedule."""
    return settings.refresh_every > 0 or any(f.refresh_every for f in settings.feeds)


def seconds_to_next(
    settings: Settings, feeds: Iterable[Feed], now: datetime | None = None
) -> float | None:
    """How long until some feed is due (at least `MIN_WAIT`); None when none ever is."""
    now = now or datetime.now(UTC)
    waits = []
    for feed in feeds:
        interval = interval_of(settings, feed)
        if interval > 0:
            waits.append(max(MIN_WAIT, interval - _seconds_since(feed.checked, now)))
    return min(waits) if waits else None
