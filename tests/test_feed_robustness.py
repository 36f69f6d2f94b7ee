"""Hostile and sloppy feeds: HTML nested any depth, an entry that breaks, lenient JSON Feeds,
the feed's own name, and servers that trickle, gzip or answer garbage."""

from __future__ import annotations

import gzip
import html
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast

import orjson
import pytest

import newsreader.sources.feeds as feeds
from newsreader.library import Library
from newsreader.library.importer import import_paths
from newsreader.sources.feeds import NotAFeed, parse_feed
from newsreader.sources.fetch import MAX_FEED_BYTES, fetch_feed
from newsreader.text.html_text import html_to_text
from tests.conftest import article_file

DEPTH = 20_000
LINK = "https://harbour.example/pier"


def nested(open_tag: str, close_tag: str, inner: str = "deep text") -> str:
    return open_tag * DEPTH + inner + close_tag * DEPTH


def rss(items: list[tuple[str, str]], title: str = "Harbour News", link: str = "") -> bytes:
    """An RSS 2.0 feed of (title, HTML description) items."""
    channel_link = f"<link>{link}</link>" if link else ""
    entries = "".join(
        f"<item><title>{name}</title><guid>{name.lower().replace(' ', '-')}</guid>"
        f"<description>{html.escape(body)}</description></item>"
        for name, body in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title>{channel_link}{entries}</channel></rss>"
    ).encode()


# --- HTML of any depth ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html_text", "expected"),
    [
        # The <pre> is read with BeautifulSoup's get_text(), 20,000 deep too.
        (
            nested("<div>", "</div>", "<pre>" + nested("<b>", "</b>", "one\ntwo") + "</pre>"),
            "one\n\ntwo",
        ),
        (nested("<span>", "</span>"), "deep text"),
        (nested("<blockquote>", "</blockquote>"), "“deep text”"),
        (nested("<ul><li>", "</li></ul>"), "• deep text"),
        (nested(f'<a href="{LINK}">', "</a>"), None),
        (nested("<blockquote><p>said</p>", "</blockquote>", ""), None),
    ],
    ids=["div-pre", "span", "blockquote", "ul-li", "a", "blockquote-p"],
)
def test_html_nested_twenty_thousand_deep_converts(html_text: str, expected: str | None) -> None:
    text = html_to_text(html_text)
    if expected is not None:
        assert text == expected
    elif html_text.startswith("<a"):
        # Every link around the text is numbered after it, all pointing at the one address.
        assert text.startswith("deep text [1] [1]")
        assert text.endswith(f"Links:\n\n[1] {LINK}")
    else:
        paragraphs = text.split("\n\n")
        assert len(paragraphs) == DEPTH
        assert paragraphs[0] == "“said" and paragraphs[-1] == "“said”"


def test_deep_feed_file_imports_beside_a_normal_article(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    deep = nested("<div>", "</div>", "The lamp on the north pier shines again.")
    (folder / "deep.xml").write_bytes(rss([("Deep lighthouse", deep)]))
    (folder / "ferry.txt").write_text(
        article_file("Ferry timetable", "The ferry runs hourly from the harbour."),
        encoding="utf-8",
    )
    library = Library(tmp_path / "library.json")
    report = import_paths(library, [folder])
    assert report.rejected == []
    titles = {article.title: article.id for article in library.articles()}
    assert set(titles) == {"Deep lighthouse", "Ferry timetable"}
    assert library.body(titles["Deep lighthouse"]) == "The lamp on the north pier shines again."


# --- One bad entry, a broken parser --------------------------------------------------------


def test_an_entry_whose_conversion_fails_is_skipped_and_the_others_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    convert = feeds.html_to_text

    def failing_on_poison(text: str) -> str:
        if "poison" in text:
            raise RuntimeError("this entry cannot be converted")
        return convert(text)

    monkeypatch.setattr(feeds, "html_to_text", failing_on_poison)
    data = rss([("Lighthouse", "<p>lit</p>"), ("Bad", "<p>poison</p>"), ("Ferry", "<p>runs</p>")])
    assert [entry.title for entry in parse_feed(data).entries] == ["Lighthouse", "Ferry"]
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {"id": "1", "title": "Lighthouse", "content_html": "<p>lit</p>"},
            {"id": "2", "title": "Bad", "content_html": "<p>poison</p>"},
            {"id": "3", "title": "Ferry", "content_html": "<p>runs</p>"},
        ],
    }
    entries = parse_feed(orjson.dumps(json_feed)).entries
    assert [entry.title for entry in entries] == ["Lighthouse", "Ferry"]


def test_an_entry_with_a_date_out_of_range_is_kept_undated() -> None:
    data = orjson.dumps(
        {"items": [{"id": "1", "content_text": "Old.", "date_published": "0001-01-01T00:00+05:00"}]}
    )
    assert [(entry.body, entry.published) for entry in parse_feed(data).entries] == [("Old.", "")]


@pytest.mark.parametrize("failure", [RecursionError, KeyError, UnicodeDecodeError])
def test_feedparser_failing_on_the_document_is_not_a_feed(
    monkeypatch: pytest.MonkeyPatch, failure: type[Exception]
) -> None:
    def parse(*args: object, **kwargs: object) -> object:
        if failure is UnicodeDecodeError:
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
        raise failure("deep inside feedparser")

    monkeypatch.setattr(feeds.feedparser, "parse", parse)
    with pytest.raises(NotAFeed, match=failure.__name__):
        parse_feed(rss([("Lighthouse", "lit")]))


# --- JSON Feed leniency --------------------------------------------------------------------


def test_a_json_object_with_an_items_list_is_a_feed_whatever_its_version() -> None:
    for version in ({"version": "1.0"}, {"version": 1}, {}):
        data = orjson.dumps(
            {**version, "title": "Harbour", "items": [{"id": "1", "content_text": "Lamp lit."}]}
        )
        feed = parse_feed(data, "harbour.json")
        assert feed.title == "Harbour"
        assert [(entry.guid, entry.body) for entry in feed.entries] == [("1", "Lamp lit.")]
    for data in [b'{"just": "json"}', b'{"items": 5}', b'{"items": {"1": {}}}', b"[{}]"]:
        with pytest.raises(NotAFeed, match="JSON, but not a JSON Feed"):
            parse_feed(data)


# --- The feed's own name -------------------------------------------------------------------


def test_an_atom_feed_is_named_by_its_id_not_its_title() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour News</title>
    <id> urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6 </id>
    <link href="https://harbour.example/"/>
    <entry><title>Lamp</title><id>lamp-1</id><content>Lit.</content></entry></feed>"""
    feed = parse_feed(atom, "/tmp/harbour.atom")
    assert feed.key == "urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6"
    assert [entry.feed for entry in feed.entries] == [feed.key]
    assert feed.entries[0].source == "Harbour News"


def test_two_copies_of_a_feed_with_different_titles_have_the_same_name() -> None:
    items = [("Lighthouse", "lit"), ("Ferry", "runs")]
    first = parse_feed(rss(items, "Harbour News", " https://harbour.example/ "), "a.xml")
    renamed = parse_feed(rss(items, "The Harbour Gazette", "https://harbour.example/"), "b.xml")
    assert first.key == renamed.key == "https://harbour.example/"
    assert {entry.feed for entry in first.entries + renamed.entries} == {first.key}
    assert {entry.source for entry in first.entries} == {"Harbour News"}


def test_a_feed_without_id_or_link_is_named_by_where_it_was_read() -> None:
    feed = parse_feed(rss([("Lighthouse", "lit")], "Harbour News"), " https://x.example/f.xml ")
    assert feed.key == "https://x.example/f.xml"
    assert [entry.feed for entry in feed.entries] == [feed.key]


@pytest.mark.parametrize(
    ("names", "key"),
    [
        ({"feed_url": "https://h.example/f.json", "home_page_url": "https://h.example/"}, 0),
        ({"home_page_url": " https://h.example/ "}, 1),
        ({}, 2),
    ],
)
def test_a_json_feed_is_named_by_its_feed_url_then_home_page(
    names: dict[str, str], key: int
) -> None:
    data = orjson.dumps({**names, "title": "Harbour", "items": [{"id": "1", "content_text": "x"}]})
    feed = parse_feed(data, "harbour.json")
    expected = ["https://h.example/f.json", "https://h.example/", "harbour.json"][key]
    assert feed.key == expected and feed.entries[0].feed == expected


# --- Fetching: one deadline, gzip, garbage -------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answers: dict[str, Callable[[_Handler], None]]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers = answers
        self.seen: dict[str, Message] = {}
        self.stop = threading.Event()  # ends a trickle when the test is done with it

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server = cast(_Server, self.server)
        server.seen[self.path] = self.headers
        with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, rightly
            server.answers[self.path](self)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(answers: dict[str, Callable[[_Handler], None]]) -> Iterator[_Server]:
    server = _Server(answers)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()


def trickle_body(handler: _Handler) -> None:
    """A byte every 0.3 s for 10 s: each read is quick, the whole is not."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/xml")
    handler.send_header("Content-Length", "34")
    handler.end_headers()
    for _ in range(34):
        if cast(_Server, handler.server).stop.wait(0.3):
            return
        handler.wfile.write(b" ")


def trickle_headers(handler: _Handler) -> None:
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    for _ in range(34):
        if cast(_Server, handler.server).stop.wait(0.3):
            return
        handler.wfile.write(b"z")


@pytest.mark.parametrize("answer", [trickle_body, trickle_headers], ids=["body", "headers"])
def test_a_trickling_server_is_cut_off_at_the_total_deadline(
    answer: Callable[[_Handler], None],
) -> None:
    with serving({"/slow.xml": answer}) as server:
        started = time.monotonic()
        fetched = fetch_feed(server.url("/slow.xml"), timeout=0.6)
        elapsed = time.monotonic() - started
    assert fetched.error == "timed out after 0.6 s" and fetched.data is None
    assert elapsed < 1.6


FEED = rss([("Lighthouse", "<p>The lamp is lit.</p>")], link="https://harbour.example/")


def gzipped(body: bytes) -> Callable[[_Handler], None]:
    def answer(handler: _Handler) -> None:
        packed = gzip.compress(body, compresslevel=1)
        handler.send_response(200)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(packed)))
        handler.end_headers()
        handler.wfile.write(packed)

    return answer


def test_a_gzipped_feed_is_asked_for_and_unpacked() -> None:
    with serving({"/feed.xml": gzipped(FEED)}) as server:
        fetched = fetch_feed(server.url("/feed.xml"), timeout=5.0)
        assert "gzip" in server.seen["/feed.xml"].get("Accept-Encoding", "")
    assert fetched.error == "" and fetched.data == FEED
    assert parse_feed(fetched.data).entries[0].title == "Lighthouse"


def test_a_gzip_bomb_stops_at_the_size_limit() -> None:
    bomb = bytes(MAX_FEED_BYTES + 1024)  # a few kilobytes packed
    with serving({"/bomb.xml": gzipped(bomb)}) as server:
        fetched = fetch_feed(server.url("/bomb.xml"), timeout=5.0)
    assert fetched.error == "larger than 20 MB: not a feed" and fetched.data is None


def test_damaged_gzip_and_a_garbage_answer_are_errors_not_exceptions() -> None:
    def damaged(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", "12")
        handler.end_headers()
        handler.wfile.write(b"not gzip at all"[:12])

    def garbage(handler: _Handler) -> None:
        handler.wfile.write(b"garbage\r\n\r\n")

    with serving({"/damaged.xml": damaged, "/garbage.xml": garbage}) as server:
        assert fetch_feed(server.url("/damaged.xml"), timeout=5.0).error.startswith(
            "cannot fetch: damaged gzip data"
        )
        assert fetch_feed(server.url("/garbage.xml"), timeout=5.0).error.startswith("cannot fetch")
