"""Feeds: real-world files in several formats and encodings, HTML to text, OPML, and refreshing
subscriptions from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from newsreader.library import Library
from newsreader.library.importer import import_paths
from newsreader.library.refresh import refresh_feeds
from newsreader.library.search import search
from newsreader.library.subscriptions import Subscriptions
from newsreader.sources.feeds import NotAFeed, parse_feed
from newsreader.sources.opml import parse_opml, write_opml
from newsreader.text.html_text import html_to_text
from newsreader.text.sanitize import is_clean
from tests.conftest import Result
from tests.feed_server import serve_feeds

FEEDS = Path(__file__).parent / "data" / "feeds"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour News</title><link>https://harbour.example/</link>
<item><title>Lighthouse lit again</title><link>https://harbour.example/lighthouse</link>
<guid>https://harbour.example/lighthouse</guid><pubDate>Mon, 01 Jul 2024 09:00:00 GMT</pubDate>
<category>Coast</category><description>{body}</description></item>
<item><title>Ferry timetable</title><link>https://harbour.example/ferry</link>
<guid>ferry-1</guid><pubDate>Sun, 30 Jun 2024 09:00:00 GMT</pubDate>
<description>The ferry runs hourly.</description></item>
</channel></rss>"""


def rss(body: str = "The lamp on the north pier shines again.") -> bytes:
    return RSS.format(body=body).encode("utf-8")


@pytest.mark.parametrize(
    ("name", "title", "entries"),
    [
        ("TechCrunch.xml", "TechCrunch", 20),
        ("HuffPostCanada.xml", "HuffPost Canada", 2),
        ("SamRuby.xml", "Sam Ruby", 20),
        ("json_feed.json", "inessential.com", 20),
        ("youtube_atom.xml", "Google", 15),
        ("heise.atom", "heise developer", 15),
        ("uolNoticias.rss", "UOL Noticias", 15),
        ("reddit.rss", "reddit", 24),
        ("content-encoded.rss", "Food in Invironment", 7),
    ],
)
def test_real_world_feeds(name: str, title: str, entries: int) -> None:
    feed = parse_feed((FEEDS / name).read_bytes(), name)
    assert feed.title.startswith(title)
    assert len(feed.entries) == entries
    for entry in feed.entries:
        assert entry.title and entry.body
        assert entry.link.startswith("http") or entry.guid
        for text in (entry.title, entry.body, entry.summary, *entry.tags):
            assert is_clean(text) and "<p>" not in text and "<script" not in text


def test_encodings_dates_and_categories() -> None:
    heise = parse_feed((FEEDS / "heise.atom").read_bytes())  # German, UTF-8
    assert any("ü" in e.body or "ä" in e.body for e in heise.entries)
    assert heise.entries[0].published == "2016-02-01T16:22:00+00:00"
    uol = parse_feed((FEEDS / "uolNoticias.rss").read_bytes())  # Portuguese, ISO-8859-1
    assert any("ç" in e.title or "ã" in e.title for e in uol.entries)
    huff = parse_feed((FEEDS / "HuffPostCanada.xml").read_bytes())
    assert "hijab" in huff.entries[0].tags


def test_html_becomes_readable_text() -> None:
    text = html_to_text(
        '<p>Hello <b>world</b>, see <a href="https://x.org/a">this</a>.</p><script>alert(1)</script>'
        "<style>p{}</style><ul><li>One</li><li>Two</li></ul><ol><li>first</li></ol>"
        "<blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>"
        '<a href="javascript:alert(1)">bad</a>'
    )
    assert text.split("\n\n") == [
        "Hello world, see this [1].", "• One", "• Two", "1. first",
        "“Quoted one.", "“Quoted two.”", "bad", "Links:", "[1] https://x.org/a",
    ]  # fmt: skip


def test_not_a_feed_is_said() -> None:
    with pytest.raises(NotAFeed):
        parse_feed(b"<html><body>hello</body></html>")
    with pytest.raises(NotAFeed):
        parse_feed(b'{"just": "json"}')


def test_import_feed_files_and_updated_entries_keep_bookmarks(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "harbour.xml"
    path.write_bytes(rss())
    report = import_paths(library, [path])
    assert len(report.added) == 2
    lighthouse = next(a for a in library.articles() if a.title == "Lighthouse lit again")
    assert lighthouse.source == "Harbour News" and lighthouse.tags == ("Coast",)
    assert lighthouse.published == "2024-07-01T09:00:00+00:00"
    library.set_state([lighthouse.id], bookmarked=True)
    path.write_bytes(rss("The lamp shines again, and a keeper now lives in the tower."))
    again = import_paths(library, [path])
    assert again.added == [] and again.updated == [lighthouse.id]
    assert "keeper now lives" in library.body(lighthouse.id)
    assert library.state(lighthouse.id).bookmarked
    assert [r.article.id for r in search(library, "keeper").results] == [lighthouse.id]
    assert len(library) == 2


def test_opml_round_trip(library: Library, tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>'
        '<outline text="News"><outline text="Harbour" xmlUrl="https://harbour.example/feed"/>'
        '<outline text="Bad" xmlUrl="file:///etc/passwd"/></outline>'
        '<outline title="Other" xmlUrl="http://other.example/rss"/></body></opml>'
    )
    report = import_paths(library, [opml])
    assert report.subscribed == 2
    feeds = Subscriptions(library).all()
    assert [(f.url, f.title) for f in feeds] == [
        ("https://harbour.example/feed", "Harbour"),
        ("http://other.example/rss", "Other"),
    ]
    written = write_opml((f.url, f.title) for f in feeds)
    assert parse_opml(written.encode()) == [(f.url, f.title) for f in feeds]


def test_subscribe_refresh_304_404_timeout_update_redirect(library: Library) -> None:
    with serve_feeds() as server:
        server.routes["/harbour.xml"] = rss()
        server.routes["/json.json"] = (FEEDS / "json_feed.json").read_bytes()
        server.moved["/old.xml"] = "/harbour-2.xml"
        server.routes["/harbour-2.xml"] = (FEEDS / "heise.atom").read_bytes()
        server.slow.add("/slow.xml")
        server.routes["/slow.xml"] = rss()
        subscriptions = Subscriptions(library)
        for path in ["/harbour.xml", "/json.json", "/old.xml", "/missing.xml", "/slow.xml"]:
            subscriptions.add(server.url(path))
        first = {o.feed.url.rsplit("/", 1)[1]: o for o in refresh_feeds(library, timeout=1.0)}
        assert first["harbour.xml"].added == 2
        assert first["json.json"].added == 20
        assert first["old.xml"].added == 15  # followed the redirect
        assert first["missing.xml"].error == "HTTP 404 Not Found"
        assert "timed out" in first["slow.xml"].error
        assert len(library) == 2 + 20 + 15

        second = {o.feed.url.rsplit("/", 1)[1]: o for o in refresh_feeds(library, timeout=1.0)}
        assert second["harbour.xml"].not_modified
        assert ("/harbour.xml", 304) in server.requests

        server.routes["/harbour.xml"] = rss("Updated: a keeper now lives in the tower.")
        third = {o.feed.url.rsplit("/", 1)[1]: o for o in refresh_feeds(library, timeout=1.0)}
        assert third["harbour.xml"].updated == 1 and third["harbour.xml"].added == 0
        assert search(library, '"keeper"').total == 1
        saved = {f.url.rsplit("/", 1)[1]: f for f in Subscriptions(library).all()}
        assert saved["harbour.xml"].title == "Harbour News" and saved["harbour.xml"].etag
        assert saved["missing.xml"].error == "HTTP 404 Not Found"


def test_only_web_addresses_are_subscribed(library: Library) -> None:
    for bad in ["file:///etc/passwd", "javascript:alert(1)", "ftp://x.org/feed", "not a url"]:
        with pytest.raises(ValueError):
            Subscriptions(library).add(bad)


def test_command_line_subscribe_feeds_refresh_export(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    with serve_feeds() as server:
        server.routes["/harbour.xml"] = rss()
        assert cli("subscribe", server.url("/harbour.xml")).code == 0
        assert cli("subscribe", "file:///etc/passwd").code == 1
        listed = json.loads(cli("feeds", "--json").out)
        assert [f["url"] for f in listed] == [server.url("/harbour.xml")]
        refreshed = cli("refresh")
        assert refreshed.code == 0 and "2 new articles" in refreshed.err
        found = json.loads(cli("search", "--json", "lamp").out)
        assert found[0]["title"] == "Lighthouse lit again"
        exported = cli("export", "--opml")
        assert server.url("/harbour.xml") in exported.out
        assert cli("unsubscribe", "Harbour News").code == 0
        assert json.loads(cli("feeds", "--json").out) == []


def test_dates_narrow_searches_and_sort_the_list(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "harbour.xml"
    path.write_bytes(rss())
    import_paths(library, [path])
    titles = [a.title for a in library.articles()]
    assert titles.index("Lighthouse lit again") < titles.index("Ferry timetable")  # newest first
    # "the" is in both entries: only the date decides which one each search finds.
    assert {r.article.title for r in search(library, "the").results} == {
        "Lighthouse lit again",
        "Ferry timetable",
    }
    assert [r.article.title for r in search(library, "the after:2024-07-01").results] == [
        "Lighthouse lit again"
    ]
    assert [r.article.title for r in search(library, "the before:2024-07-01").results] == [
        "Ferry timetable"
    ]
    assert search(library, "after:2024-07-01").total == 1  # a date alone filters the library


def test_only_web_addresses_are_fetched() -> None:
    from newsreader.sources.fetch import fetch_feed

    for url in ["file:///etc/passwd", "ftp://example.com/feed", "javascript:alert(1)"]:
        assert fetch_feed(url).error == "only http and https addresses are fetched"
