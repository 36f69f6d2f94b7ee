"""Full text on demand: real news pages served locally, and every way a page can go wrong."""

from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsreader.sources.full_text import FullText, extract_article, fetch_full_text

PAGES = Path(__file__).parent / "data" / "pages"
HTML = "text/html; charset=utf-8"


@dataclass
class Page:
    """One route's answer, or a slow one: `hang` before answering, `stall` after the headers,
    `trickle` the whole response a byte every so many seconds, `endless` body chunks."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": HTML})
    length: bool = True  # send Content-Length; else the body ends when the connection closes
    hang: bool = False
    stall: bool = False
    trickle: float = 0.0
    endless: bool = False
    raw: bool = False  # the body is the whole answer, status line and all


@dataclass
class Server:
    routes: dict[str, Page] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def server() -> Iterator[Server]:
    """A real HTTP server on 127.0.0.1: listening once constructed, so nothing waits for it."""
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            page = state.routes.get(self.path) or Page(b"not found", 404, {})
            if page.hang:
                state.release.wait()  # until the test is over
                return
            head = [f"HTTP/1.0 {page.status} {self.responses[page.status][0]}"]
            head += [f"{name}: {value}" for name, value in page.headers.items()]
            if page.length:
                head.append(f"Content-Length: {len(page.body)}")
            answer = b"" if page.raw else "\r\n".join([*head, "", ""]).encode("latin-1")
            if not page.stall:  # a stalled answer sends its headers, then nothing
                answer += page.body
            try:
                if page.trickle:
                    for byte in answer:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        if state.release.wait(page.trickle):
                            return
                    return
                self.wfile.write(answer)
                self.wfile.flush()
                if page.stall:
                    state.release.wait()
                while page.endless and not state.release.is_set():
                    self.wfile.write(page.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def paragraphs_of(text: str) -> list[str]:
    return text.split("\n\n")


def assert_body_format(text: str) -> None:
    """The body format of feed articles: paragraphs apart by one blank line, single spaces."""
    assert text
    for paragraph in paragraphs_of(text):
        assert paragraph and paragraph == " ".join(paragraph.split()), repr(paragraph)


# Each real page: a sentence of the article read off the page, and boilerplate of the same page
# (menu, cookie banner, newsletter box, comment form, footer) that must stay out.
REAL_PAGES = [
    (
        "fivethirtyeight.com.manchin.html.gz",
        "Since 1951, just 34 sitting members of Congress have switched parties",
        ["Skip to main content", "Do Not Sell My Personal Information"],
    ),
]


@pytest.mark.parametrize(
    ("name", "sentence", "boilerplate"),
    REAL_PAGES,
    ids=[page[0].split(".")[0] for page in REAL_PAGES],
)
def test_real_pages_give_the_article_without_boilerplate(
    server: Server, name: str, sentence: str, boilerplate: list[str]
) -> None:
    data = (PAGES / name).read_bytes()
    headers = {"Content-Type": "text/html"}  # the charset is in the page's <meta>
    if name.endswith(".gz"):  # served as it is stored: gzip on the wire
        headers["Content-Encoding"] = "gzip"
    server.routes["/article"] = Page(data, headers=headers)
    result = fetch_full_text(server.url("/article"))
    assert result == FullText(server.url("/article"), result.text, "")
    assert sentence in result.text
    for junk in boilerplate:
        assert junk in (gzip.decompress(data) if name.endswith(".gz") else data).decode()
        assert junk not in result.text
    assert_body_format(result.text)


def test_extract_article_takes_bytes_or_text_and_keeps_lists() -> None:
    page = (
        "<html><head><meta charset='windows-1252'><title>T</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav><article><h1>Café reopens</h1>"
        "<p>The  harbour café\n reopened on Monday after a winter of repairs to its roof.</p>"
        "<p>The owner listed what changed since the storm in a notice by the door:</p>"
        "<ul><li>a new slate roof</li><li>a wider terrace</li></ul>"
        "<p>Regulars said the coffee tasted the same, which they took as good news.</p>"
        "</article></body></html>"
    )
    for html in (page, page.encode("cp1252")):
        text = extract_article(html, "https://example.com/cafe")
        assert "The harbour café reopened on Monday" in text
        assert "• a new slate roof\n\n• a wider terrace" in text
        assert "Sport" not in text
        assert_body_format(text)


def test_charset_from_the_header_the_meta_tag_or_detection(server: Server) -> None:
    article = "<p>{}</p>".format("Маяк снова светит над гаванью, сказал смотритель. " * 4)
    page = f"<html><body><article>{article * 3}</article></body></html>"
    server.routes["/koi8"] = Page(
        page.encode("koi8-r"), headers={"Content-Type": "text/html; charset=KOI8-R"}
    )
    assert "Маяк снова светит над гаванью" in fetch_full_text(server.url("/koi8")).text
    with_meta = page.replace("<html>", "<html><head><meta charset='windows-1251'></head>")
    assert "Маяк снова светит" in extract_article(with_meta.encode("cp1251"))
    undeclared = f"<html><body><article>{'<p>Le café du port a rouvert ce lundi.</p>' * 5}"
    assert "Le café du port" in extract_article(undeclared.encode("cp1252"))
    assert "Le café du port" in extract_article(undeclared.encode("utf-8"))


@pytest.mark.parametrize(
    ("page", "error"),
    [
        (Page(b"%PDF-1.4 a report", headers={"Content-Type": "application/pdf"}), "not HTML"),
        (Page(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", headers={}), "not HTML"),
        (
            Page(
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04", headers={"Content-Type": HTML}
            ),
            "not HTML",
        ),
        (Page(b"<p>a</p>", 404), "HTTP 404"),
        (Page(b"oops", 500, {"Content-Type": "text/html"}), "HTTP 500"),
        (Page(b"<html><body><script>var a = 1;</script></body></html>"), "no article"),
        (Page(b""), "no article"),
    ],
    ids=["pdf", "untyped-png", "png-said-html", "404", "500", "script-only", "empty"],
)
def test_pages_that_give_no_article_say_why(server: Server, page: Page, error: str) -> None:
    server.routes["/page"] = page
    sentences = {
        "not HTML": "the page is not HTML",
        "no article": "no article text found on the page",
    }
    assert fetch_full_text(server.url("/page")) == FullText(
        server.url("/page"), "", sentences.get(error, error)
    )


def test_oversized_pages_are_refused_without_reading_them(server: Server) -> None:
    big = b"<html><body>" + b"<p>The harbour light shines.</p>" * 4000 + b"</body></html>"
    server.routes["/streamed"] = Page(big, length=False)  # no Content-Length to go by
    # Said to be 10 MB, then silent: refused on its word, not read until the deadline.
    declared = {"Content-Type": HTML, "Content-Length": str(10 * 1024 * 1024)}
    server.routes["/declared"] = Page(headers=declared, length=False, stall=True)
    # A body that never ends: the limit stops the reading, not the deadline.
    server.routes["/endless"] = Page(b"<p>more</p>" * 1000, length=False, endless=True)
    bomb = gzip.compress(b"<p>" + b"a" * (32 * 1024 * 1024) + b"</p>")  # small on the wire
    server.routes["/bomb"] = Page(bomb, headers={"Content-Type": HTML, "Content-Encoding": "gzip"})
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    assert fetch_full_text(server.url("/streamed"), max_bytes=64 * 1024).error == (
        "the page is larger than 64 KB"
    )
    for path in ("/declared", "/endless"):
        assert fetch_full_text(server.url(path), timeout=5).error == (
            "the page is larger than 5 MB"
        )
    tracemalloc.start()
    result = fetch_full_text(server.url("/bomb"), max_bytes=1024 * 1024)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.error == "the page is larger than 1 MB"
    assert peak < 8 * 1024 * 1024  # unpacked only up to the limit, never in full
    assert time.monotonic() - started < 4
    assert fetch_full_text(server.url("/streamed")).error == ""  # within the 5 MB default


@pytest.mark.parametrize("kind", ["hang", "stall", "trickle"])
def test_a_slow_server_is_left_at_the_deadline(server: Server, kind: str) -> None:
    # A byte every 50 ms, status line and headers too, never trips a per-receive timeout:
    # only a total deadline stops it.
    page = gzip.decompress((PAGES / "fivethirtyeight.com.manchin.html.gz").read_bytes())
    server.routes["/slow"] = Page(
        page, hang=kind == "hang", stall=kind == "stall", trickle=0.05 * (kind == "trickle")
    )
    started = time.monotonic()
    result = fetch_full_text(server.url("/slow"), timeout=0.5)
    elapsed = time.monotonic() - started
    assert result == FullText(server.url("/slow"), "", "timed out after 0.5 s")
    assert elapsed < 0.5 + 0.5


def test_redirects_are_followed_only_to_web_pages(server: Server) -> None:
    page = gzip.decompress((PAGES / "fivethirtyeight.com.manchin.html.gz").read_bytes())
    server.routes["/article"] = Page(page)
    server.routes["/moved"] = Page(status=301, headers={"Location": "/article"})
    server.routes["/loop"] = Page(status=302, headers={"Location": "/loop"})
    server.routes["/to-file"] = Page(status=302, headers={"Location": "file:///etc/passwd"})
    ftp = f"ftp://127.0.0.1:{server.port}/article"
    server.routes["/to-ftp"] = Page(status=307, headers={"Location": ftp})
    assert "34 sitting members of Congress" in fetch_full_text(server.url("/moved")).text
    assert fetch_full_text(server.url("/loop")).error == "the page redirects too many times"
    for path in ("/to-file", "/to-ftp"):
        server.requests.clear()
        assert fetch_full_text(server.url(path)).error == (
            "the page redirects to a link that is not http or https"
        )
        assert server.requests == [path]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "file:///etc/passwd",
        "ftp://127.0.0.1/article.html",
        "data:text/html,<p>The harbour light shines.</p>",
        "http:///no-host",
        "http://127.0.0.1/with space",
        "",
    ],
)
def test_non_web_links_are_refused_before_any_request(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Any] = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda *a, **k: opened.append(a))
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: opened.append(a))
    result = fetch_full_text(url)
    assert result == FullText(url, "", "only http and https links can be fetched")
    assert opened == []


def test_a_broken_server_is_said_in_one_clean_sentence(server: Server) -> None:
    status_line = b"HTTP/1.1 \x1b]0;owned\x07\x1b[2J" + b"x" * 5000 + b"\r\n\r\n"
    server.routes["/broken"] = Page(status_line, raw=True)
    error = fetch_full_text(server.url("/broken")).error
    assert error.startswith("cannot fetch the page: ")
    assert len(error) <= 200 and error.isprintable() and "[2J" not in error


def test_a_closed_port_is_said_in_one_sentence() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    result = fetch_full_text(f"http://127.0.0.1:{port}/article", timeout=5)
    assert result.text == ""
    assert result.error.startswith("cannot connect: ")
    assert "\n" not in result.error


HOSTILE_PARAGRAPH = (
    "<p onclick=\"fetch('/clicked')\">The keeper said the lamp \x1b[31mwould\x1b[0m stay lit"
    "\x1b]0;owned\x07 through the &#27;[2Jwinter &#x1b;]8;;http://evil/&#x1b;\\months, "
    "\u202ewhatever\u202c the \x9b31mweather, and the harbour board agreed on Monday.</p>"
)
HOSTILE_PAGE = (
    "<html><head><title>Lamp</title><script src='/evil.js'></script>"
    "<link rel='stylesheet' href='/style.css'><script>document.write('SCRIPT RAN');"
    "fetch('/beacon')</script></head><body onload=\"fetch('/onload')\">"
    "<article><h1>The lamp stays lit</h1>"
    + HOSTILE_PARAGRAPH
    * 5
    + "<img src='/pixel.gif' alt=''><iframe src='/frame'></iframe>"
    "<script>alert('SCRIPT RAN')</script><noscript>Enable JavaScript</noscript>"
    "</article></body></html>"
)


def test_scripts_never_run_and_escape_sequences_never_survive(server: Server) -> None:
    server.routes["/lamp"] = Page(HOSTILE_PAGE.encode())
    result = fetch_full_text(server.url("/lamp"))
    assert server.requests == ["/lamp"]  # no script, image, frame or stylesheet was fetched
    text = result.text
    assert "The keeper said the lamp would stay lit through the winter months" in text
    assert "the weather, and the harbour board agreed on Monday." in text
    assert "SCRIPT RAN" not in text and "fetch(" not in text and "JavaScript" not in text
    for leftover in ("\x1b", "\x9b", "\x07", "\u202e", "\u202c", "[31m", "[2J", "]0;", "]8;"):
        assert leftover not in text
    assert all(ch in "\n" or ch.isprintable() for ch in text)
    assert_body_format(text)


def test_trafilatura_is_imported_only_to_extract() -> None:
    code = (
        "import sys, newsreader.sources.full_text as f\n"
        "assert 'trafilatura' not in sys.modules\n"
        "assert 'textual' not in sys.modules\n"
        "f.extract_article('<p>The lamp is lit.</p>')\n"
        "assert 'trafilatura' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
