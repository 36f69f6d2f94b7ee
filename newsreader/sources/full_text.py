"""Fetches an article's web page within a deadline and extracts its text (no script ever runs)."""

from __future__ import annotations

import codecs
import re
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message
from typing import Any

from newsreader.sources.decoding import NotText, decode_article, looks_binary
from newsreader.sources.fetch import (
    USER_AGENT,
    DeadlineHTTPHandler,
    DeadlineHTTPSHandler,
    HttpOnlyRedirects,
    read_body,
)
from newsreader.text.html_text import html_to_text
from newsreader.text.links import safe_web_link
from newsreader.text.sanitize import sanitize, sanitize_line

MAX_PAGE_BYTES = 5 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"""<meta[^>]{1,500}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_META_SCAN = 16 * 1024  # some pages put long scripts before their <meta charset>
# A character reference to a C0 control: `&#27;[31m` is an escape sequence once parsed.
_CONTROL_REF = re.compile(
    r"&#(?:[xX]0*([01]?[0-9a-fA-F]|7[fF])(?![0-9a-fA-F])|0*([0-9]{1,3})(?![0-9]));?"
)
# HTML reads these labels as windows-1252 (WHATWG Encoding Standard); Python would not.
_AS_CP1252 = {"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1"}


@dataclass(frozen=True, slots=True)
class FullText:
    """The article text fetched from `url`, or an empty text and one sentence in `error`."""

    url: str
    text: str = ""
    error: str = ""


class _PageError(Exception):
    """Why a page cannot be used, as the one sentence a reader is shown."""


def fetch_full_text(url: str, timeout: float = 15.0, max_bytes: int = MAX_PAGE_BYTES) -> FullText:
    """GET `url` (http and https only, redirects too) within `timeout` seconds in all, read at
    most `max_bytes`, and extract the article's text. Never raises."""
    if safe_web_link(url) is None:
        return FullText(url, error="only http and https links can be fetched")
    try:
        data, charset, final_url = _download(url, timeout, max_bytes)
        text = extract_article(_decode(data, charset), final_url)
    except _PageError as error:
        return FullText(url, error=str(error))
    except urllib.error.HTTPError as error:
        error.close()
        return FullText(url, error=_http_error(error))
    except TimeoutError:
        return FullText(url, error=f"timed out after {timeout:g} s")
    except urllib.error.URLError as error:
        reason: Any = error.reason
        if isinstance(reason, TimeoutError):
            return FullText(url, error=f"timed out after {timeout:g} s")
        return FullText(
            url, error=_said(f"cannot connect: {getattr(reason, 'strerror', 0) or reason}")
        )
    except zlib.error:
        return FullText(url, error="the page's compressed data is damaged")
    except Exception as error:  # http.client's own errors (a bad status line …) are not OSError
        return FullText(url, error=_said(f"cannot fetch the page: {error or type(error).__name__}"))
    if not text:
        return FullText(url, error="no article text found on the page")
    return FullText(url, text)


def extract_article(html: bytes | str, url: str = "") -> str:
    """The article text of an HTML page in the body format (paragraphs apart by a blank line,
    `• ` list items, quotations in “…”), sanitised; "" when the page holds no article."""
    if isinstance(html, bytes):
        try:
            html = _decode(html, "")
        except _PageError:
            return ""
    # Escape sequences go whole before parsing: the parser would drop an ESC and leave "[31m".
    html = sanitize(_CONTROL_REF.sub(_control_character, html))
    if not html.strip():
        return ""
    import trafilatura  # slow to import: only when a page is extracted

    # Default balance, not favor_precision: on trafilatura's own test pages precision kept out no
    # more boilerplate, lost article text on some and found nothing at all on others.
    tree = trafilatura.extract(
        html,
        url=url or None,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        output_format="html",  # same words as "txt", with lists and quotations still marked
    )
    return sanitize(html_to_text(tree)) if tree else ""


def _download(url: str, timeout: float, max_bytes: int) -> tuple[bytes, str, str]:
    """The page's bytes (gunzipped), its declared charset and its address after redirects."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
            "Accept-Encoding": "gzip",
        },
    )
    # An opener per fetch: its connections carry this fetch's deadline.
    opener = urllib.request.build_opener(
        HttpOnlyRedirects(), DeadlineHTTPHandler(deadline), DeadlineHTTPSHandler(deadline)
    )
    with opener.open(request, timeout=timeout) as response:
        headers: Message = response.headers
        kind = headers.get_content_type() if headers.get("Content-Type") else ""
        if kind and kind not in _HTML_TYPES:
            raise _PageError("the page is not HTML")
        length = headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise _PageError(f"the page is larger than {_size(max_bytes)}")
        data = read_body(response, deadline, max_bytes)
        if data is None:
            raise _PageError(f"the page is larger than {_size(max_bytes)}")
        return data, str(headers.get_content_charset("") or ""), response.geturl()


def _decode(data: bytes, charset: str) -> str:
    """Text from the page's bytes: a BOM, the HTTP header's charset, a `<meta>` charset, then
    UTF-8 if it is valid, else windows-1252. Binary data is no page."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if looks_binary(data):
            raise _PageError("the page is not HTML")
        found = _META_CHARSET.search(data[:_META_SCAN])
        meta = found.group(1).decode("ascii") if found else ""
        for label in (charset, meta):
            label = label.strip().lower()
            try:
                name = "cp1252" if label in _AS_CP1252 else codecs.lookup(label).name
            except LookupError:  # none given, or one Python does not know
                continue
            if not name.startswith("utf-16"):  # a page without a BOM is never UTF-16
                return data.decode(name, errors="replace")
    try:
        return decode_article(data)
    except NotText as error:
        raise _PageError("the page is not HTML") from error


def _control_character(ref: re.Match[str]) -> str:
    """The control a reference stands for, so that `sanitize` sees its whole sequence."""
    code = int(ref[1], 16) if ref[1] else int(ref[2])
    return chr(code) if code < 32 or code == 127 else ref[0]


def _http_error(error: urllib.error.HTTPError) -> str:
    if error.code in (301, 302, 303, 307, 308):  # a redirect not followed
        if safe_web_link(error.filename or "") is None:
            return "the page redirects to a link that is not http or https"
        if str(error.msg).startswith(urllib.request.HTTPRedirectHandler.inf_msg):
            return "the page redirects too many times"
    return f"HTTP {error.code}"


def _said(sentence: str) -> str:
    """An error that quotes the server (a bad status line …) as one short, clean line."""
    sentence = sanitize_line(sentence)
    return sentence if len(sentence) <= 200 else sentence[:199] + "…"


def _size(limit: int) -> str:
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if limit >= size:
            return f"{limit / size:.3g} {unit}"
    return f"{limit} bytes"
