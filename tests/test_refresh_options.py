"""Refresh as config.toml asks: per-feed tags and full text, and when each feed is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsreader.config import FeedSettings, Settings
from newsreader.library import Library
from newsreader.library.refresh import refresh_feeds
from newsreader.library.refresh_schedule import (
    due_feeds,
    interval_of,
    options_of,
    refreshes_by_itself,
    seconds_to_next,
)
from newsreader.library.subscriptions import Feed, Subscriptions
from tests.feed_server import serve_feeds

PAGE = b"""<html><head><title>Pier</title></head><body><nav>Home | World | Sport</nav>
<article><h1>The pier reopens</h1>
<p>The harbour's old pier reopened on Monday after two winters of repairs to its timbers.</p>
<p>\xe2\x80\x9cWe kept every plank we could,\xe2\x80\x9d said harbour master Jane Smith, who led
the work with a crew of six carpenters from the town and a diver from the coast guard.</p>
<p>Visitors can walk to the lamp at its end from eight in the morning until dusk, every day of
the week, and the caf\xc3\xa9 at its root opens again at Easter.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""


def rss(*items: tuple[str, str]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>A short summary.</description></item>"
        for title, link in items
    )
    return f"<rss><channel><title>Harbour</title>{entries}</channel></rss>".encode()


def test_a_feeds_tags_and_full_text_as_configured(library: Library) -> None:
    with serve_feeds() as server:
        server.routes["/page"] = PAGE
        server.types["/page"] = "text/html; charset=utf-8"
        server.routes["/feed.xml"] = rss(("Pier reopens", server.url("/page")))
        server.routes["/other.xml"] = rss(("Other", server.url("/page") + "?b"))
        Subscriptions(library).add(server.url("/feed.xml"))
        Subscriptions(library).add(server.url("/other.xml"))
        settings = Settings(
            path=library.path,
            feeds=(FeedSettings(server.url("/feed.xml"), None, True, ("Local",)),),
        )
        refresh_feeds(library, options=lambda url: options_of(settings, url))
    by_title = {a.title: a for a in library.articles()}
    pier, other = by_title["Pier reopens"], by_title["Other"]
    assert pier.tags == ("Local",) and other.tags == ()
    assert "kept every plank" in library.body(pier.id) and library.has_full_text(pier.id)
    assert "Subscribe to our newsletter" not in library.body(pier.id)
    assert library.body(other.id) == "A short summary." and not library.has_full_text(other.id)


def test_a_page_that_fails_keeps_the_summary(library: Library) -> None:
    with serve_feeds() as server:
        server.routes["/feed.xml"] = rss(("Gone", server.url("/missing")))
        Subscriptions(library).add(server.url("/feed.xml"))
        settings = Settings(
            path=library.path, feeds=(FeedSettings(server.url("/feed.xml"), None, True),)
        )
        outcomes = refresh_feeds(library, options=lambda url: options_of(settings, url))
    assert [o.added for o in outcomes] == [1]
    (article,) = library.articles()
    assert library.body(article.id) == "A short summary."


def test_each_feed_is_due_on_its_own_interval() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    ago = lambda minutes: (now - timedelta(minutes=minutes)).isoformat()  # noqa: E731
    fast = Feed("a", "https://a.example/feed", checked=ago(3))
    slow = Feed("b", "https://b.example/feed", checked=ago(90))
    never = Feed("c", "https://c.example/feed")
    manual = Feed("d", "https://d.example/feed", checked=ago(600))
    settings = Settings(
        path=None,  # type: ignore[arg-type]
        refresh_every=30 * 60,
        feeds=(
            FeedSettings("https://a.example/feed", 2 * 60),
            FeedSettings("https://b.example/feed", 2 * 3600),
            FeedSettings("https://d.example/feed", 0),
        ),
    )
    assert [interval_of(settings, f) for f in (fast, slow, never, manual)] == [120, 7200, 1800, 0]
    assert due_feeds(settings, [fast, slow, never, manual], now) == [fast, never]
    checked_now = [Feed(f.id, f.url, checked=now.isoformat()) for f in (fast, slow, manual)]
    assert seconds_to_next(settings, checked_now, now) == 120
    assert seconds_to_next(Settings(path=None), [fast], now) is None  # type: ignore[arg-type]
    assert refreshes_by_itself(settings)
    assert not refreshes_by_itself(Settings(path=None))  # type: ignore[arg-type]
    own = Settings(path=None, feeds=(FeedSettings("https://a.example/feed", 60),))  # type: ignore[arg-type]
    assert refreshes_by_itself(own)
