"""The feeds a person subscribes to, with what the last refresh learned (ETag, errors)."""

from __future__ import annotations

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
    import hashlib  # here: OpenSSL's module loads in 2 ms that the first screen does not need

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
        """The feed `key` names: its URL, id or title (any case) exactly, else the one feed
        whose id starts with it. Raises `ValueError` for an empty or ambiguous key."""
        key = key.strip()
        if not key:
            raise ValueError("an empty name matches no feed")
        feeds = self.all()
        folded = key.casefold()
        exact = [f for f in feeds if key in (f.url, f.id) or f.title.casefold() == folded]
        if not exact:
            exact = [f for f in feeds if f.id.startswith(key)]
        if len(exact) > 1:
            names = ", ".join(f"{f.id} ({f.title or f.url})" for f in exact)
            raise ValueError(f"{key!r} matches {len(exact)} feeds: {names}; give the id or URL")
        return exact[0] if exact else None

    def add(self, url: str, title: str = "") -> tuple[Feed, bool]:
        """Subscribe to `url` (http/https only); returns the feed and whether it is new."""
        checked = safe_web_link(url)
        if checked is None:
            raise ValueError(f"{url!r} is not an http or https address")
        with self._storage.locked():  # checked and written with no other writer in between
            existing = next((f for f in self.all() if f.url == checked), None)
            if existing is not None:
                return existing, False
            feed = Feed(id=_feed_id(checked), url=checked, title=title)
            self._db.id_table(FEEDS).insert_multiple([document(feed.id, _fields(feed))])
        return feed, True

    def add_many(self, feeds: list[tuple[str, str]]) -> int:
        """Subscribe to several (URL, title) pairs in one write; returns how many were new."""
        with self._storage.locked():
            known = {feed.url for feed in self.all()}
            new = {}
            for url, title in feeds:
                checked = safe_web_link(url)
                if checked and checked not in known:
                    known.add(checked)
                    feed = Feed(id=_feed_id(checked), url=checked, title=title)
                    new[feed.id] = _fields(feed)
            if new:
                self._db.id_table(FEEDS).upsert_each(new)
        return len(new)

    def remove(self, key: str) -> Feed | None:
        """Unsubscribe the feed `key` names exactly or uniquely (see `find`)."""
        with self._storage.locked():
            feed = self.find(key)
            if feed is not None:
                self._db.id_table(FEEDS).remove(doc_ids=[feed.id])  # type: ignore[list-item]
        return feed

    def record(self, feeds: list[Feed]) -> None:
        """Store what a refresh learned about each feed, in one write. A feed unsubscribed
        while the refresh ran stays unsubscribed."""
        with self._storage.locked():
            present = (self._storage.read() or {}).get(FEEDS, {})
            learned = {feed.id: _fields(feed) for feed in feeds if feed.id in present}
            if learned:
                self._db.id_table(FEEDS).upsert_each(learned)


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
