"""The feeds a person subscribes to, with what the last refresh learned (ETag, errors)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsreader.library.library import Library
from newsreader.library.tinydb_files import document, open_db
from newsreader.text.links import safe_web_link

FEEDS = "feeds"


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    url: str
    title: str = ""
    etag: str = ""
    modified: str = ""
    checked: str = ""
    error: str = ""
    added: int = 0  # articles the last refresh added


def _feed_id(url: str) -> str:
    return hashlib.blake2b(url.encode("utf-8"), digest_size=6).hexdigest()


def _feed(doc_id: str, record: dict[str, Any]) -> Feed:
    fields = {k: record[k] for k in Feed.__dataclass_fields__ if k in record and k != "id"}
    return Feed(id=doc_id, **fields)


class Subscriptions:
    """`library.feeds.json` beside the library, written atomically under the library's lock."""

    def __init__(self, library: Library) -> None:
        stem = library.path.name.removesuffix(".json")
        self.path = library.path.with_name(f"{stem}.feeds.json")
        self._db, self._storage = open_db(self.path, library.lock, backup=True)

    def all(self) -> list[Feed]:
        records = (self._storage.read() or {}).get(FEEDS, {})
        feeds = [_feed(doc_id, record) for doc_id, record in records.items()]
        return sorted(feeds, key=lambda f: (f.title or f.url).casefold())

    def find(self, key: str) -> Feed | None:
        """A feed by URL, id (prefix) or title (any case)."""
        for feed in self.all():
            if (
                key in (feed.url, feed.id)
                or feed.id.startswith(key)
                or feed.title.casefold() == key.casefold()
            ):
                return feed
        return None

    def add(self, url: str, title: str = "") -> tuple[Feed, bool]:
        """Subscribe to `url` (http/https only); returns the feed and whether it is new."""
        checked = safe_web_link(url)
        if checked is None:
            raise ValueError(f"{url!r} is not an http or https address")
        existing = self.find(checked)
        if existing is not None:
            return existing, False
        feed = Feed(id=_feed_id(checked), url=checked, title=title)
        with self._storage.locked():
            self._db.id_table(FEEDS).insert_multiple([document(feed.id, _fields(feed))])
        return feed, True

    def add_many(self, feeds: list[tuple[str, str]]) -> int:
        """Subscribe to several (URL, title) pairs in one write; returns how many were new."""
        known = {feed.url for feed in self.all()}
        new = {}
        for url, title in feeds:
            checked = safe_web_link(url)
            if checked and checked not in known:
                known.add(checked)
                feed = Feed(id=_feed_id(checked), url=checked, title=title)
                new[feed.id] = _fields(feed)
        if new:
            with self._storage.locked():
                self._db.id_table(FEEDS).upsert_each(new)
        return len(new)

    def remove(self, key: str) -> Feed | None:
        feed = self.find(key)
        if feed is not None:
            with self._storage.locked():
                self._db.id_table(FEEDS).remove(doc_ids=[feed.id])  # type: ignore[list-item]
        return feed

    def record(self, feeds: list[Feed]) -> None:
        """Store what a refresh learned about each feed, in one write."""
        with self._storage.locked():
            self._db.id_table(FEEDS).upsert_each({feed.id: _fields(feed) for feed in feeds})


def _fields(feed: Feed) -> dict[str, Any]:
    return {
        "url": feed.url,
        "title": feed.title,
        "etag": feed.etag,
        "modified": feed.modified,
        "checked": feed.checked,
        "error": feed.error,
        "added": feed.added,
    }


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
