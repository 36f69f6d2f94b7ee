"""Reads RSS 0.9x/1.0/2.0 and Atom (with feedparser) and JSON Feed into articles."""

from __future__ import annotations

import calendar
import dataclasses
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
import orjson

from newsreader.model import ParsedArticle
from newsreader.text.html_text import html_to_text
from newsreader.text.language import detect_language
from newsreader.text.sanitize import sanitize_line

SUMMARY_WORDS = 55


class NotAFeed(ValueError):
    """The data is not a feed we can read; the message says why."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    link: str
    entries: list[ParsedArticle]
    # The feed as it names itself (its id, else its home link, else where it was read from):
    # unlike the title, it stays the same when the publisher renames the feed.
    key: str = ""


def parse_feed(data: bytes, location: str = "") -> ParsedFeed:
    """Parse feed bytes (any encoding the feed declares); raise `NotAFeed` with a reason.
    An entry that cannot be converted is left out; the others are kept."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return _parse_json_feed(data, location)
    with warnings.catch_warnings():
        # feedparser warns about its own published/updated fallback; it is what we want.
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
            raw_entries = list(parsed.get("entries") or [])
            feed = parsed.get("feed") or {}
            named = bool(feed.get("title"))
            title = sanitize_line(str(feed.get("title") or "")) or location
            link = str(feed.get("link") or "")
            key = _text(feed.get("id")) or link.strip() or location.strip()
        except Exception as error:  # feedparser on hostile input: RecursionError and worse
            raise NotAFeed(f"not a feed ({type(error).__name__}: {error})") from None
        if not raw_entries and not named:
            problem = parsed.get("bozo_exception")
            raise NotAFeed(f"not a feed ({problem})" if problem else "not a feed")
        entries = _with_language(
            _each(raw_entries, lambda entry: _entry(entry, title, key)), feed.get("language")
        )
    return ParsedFeed(title, link, entries, key)


def _with_language(entries: list[ParsedArticle], language: object) -> list[ParsedArticle]:
    """The feed's language on each entry (it picks the stemmer for word forms): as declared,
    else guessed from the first entries' text."""
    code = _text(language)
    if not code:
        code = detect_language(" ".join(entry.body[:1000] for entry in entries[:10]))
    return [dataclasses.replace(e, language=code) for e in entries] if code else entries


def _each(items: Iterable[Any], convert: Callable[[Any], ParsedArticle]) -> list[ParsedArticle]:
    """Convert each entry on its own: one that cannot be read costs only itself."""
    converted = []
    for item in items:
        try:
            converted.append(convert(item))
        except Exception:  # whatever one entry's content provokes, the others go on
            continue
    return converted


def _entry(entry: Mapping[str, Any], feed_title: str, feed_key: str) -> ParsedArticle:
    content = entry.get("content") or []
    html = content[0].get("value", "") if content else ""
    summary_html = entry.get("summary", "") or ""
    body = html_to_text(html or summary_html)
    summary = _first_words(html_to_text(summary_html) if summary_html else body)
    title = sanitize_line(entry.get("title", "")) or _first_words(body, 12) or "(untitled)"
    if not body:
        body = summary or title
    tags = _unique(
        sanitize_line(t.get("term") or t.get("label") or "") for t in entry.get("tags", [])
    )
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return ParsedArticle(
        title=title,
        summary=summary,
        body=body,
        tags=tags,
        tags_raw=", ".join(tags),
        source=feed_title,
        link=str(entry.get("link", "")).strip(),
        author=sanitize_line(entry.get("author", "")),
        published=_iso(published),
        guid=str(entry.get("id", "") or "").strip(),
        feed=feed_key,
    )


def _parse_json_feed(data: bytes, location: str) -> ParsedFeed:
    try:
        feed = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise NotAFeed(f"not valid JSON: {error}") from None
    if not isinstance(feed, dict):
        raise NotAFeed("JSON, but not a JSON Feed")
    items = feed.get("items")
    if not isinstance(items, list):
        # Generators write "1.0" or no version at all: the items list is what makes a feed.
        if "jsonfeed.org" not in str(feed.get("version", "")):
            raise NotAFeed("JSON, but not a JSON Feed")
        items = []
    title = sanitize_line(str(feed.get("title") or "")) or location
    link = _text(feed.get("home_page_url"))
    key = _text(feed.get("feed_url")) or link or location.strip()
    entries = _each(
        (item for item in items if isinstance(item, dict)),
        lambda item: _json_item(item, title, key),
    )
    entries = _with_language(entries, feed.get("language"))
    return ParsedFeed(title, link, entries, key)


def _json_item(item: dict[str, Any], feed_title: str, feed_key: str) -> ParsedArticle:
    html = str(item.get("content_html") or "")
    body = html_to_text(html) if html else sanitize_line(str(item.get("content_text") or ""))
    summary = sanitize_line(str(item.get("summary") or "")) or _first_words(body)
    author = item.get("author") or (item.get("authors") or [{}])[0]
    return ParsedArticle(
        title=sanitize_line(str(item.get("title") or "")) or _first_words(body, 12),
        summary=summary,
        body=body or summary,
        tags=_unique(sanitize_line(str(t)) for t in item.get("tags", []) or []),
        source=feed_title,
        link=str(item.get("url") or "").strip(),
        author=sanitize_line(str(author.get("name", ""))) if isinstance(author, dict) else "",
        published=_iso_text(str(item.get("date_published") or item.get("date_modified") or "")),
        guid=str(item.get("id") or "").strip(),
        feed=feed_key,
    )


def _text(value: object) -> str:
    """A string field of a feed, stripped; anything else (a number, a list) counts as absent."""
    return value.strip() if isinstance(value, str) else ""


def _unique(tags: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for tag in tags:
        if tag:
            seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())


def _first_words(text: str, count: int = SUMMARY_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _iso(parsed: time.struct_time | None) -> str:
    if not parsed:
        return ""
    try:
        moment = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, OSError):  # year 99999: the entry stays, undated
        return ""
    return moment.isoformat(timespec="seconds")


def _iso_text(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    except (OverflowError, ValueError):  # not a date, or one out of range once in UTC
        return ""
