"""Fetches a feed over HTTP(S): timeouts, redirects, conditional GET, a size limit."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO, Any

from newsreader import __version__
from newsreader.text.links import safe_web_link

MAX_FEED_BYTES = 20 * 1024 * 1024
USER_AGENT = f"newsreader/{__version__} (+terminal news reader)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetch's outcome: `data` (None when not modified or failed), caching headers, `error`."""

    url: str
    status: int = 0
    data: bytes | None = None
    etag: str = ""
    modified: str = ""
    error: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects (urllib allows ten) but only to http and https."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if safe_web_link(newurl) is None:
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-web address", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects())


def fetch_feed(url: str, etag: str = "", modified: str = "", timeout: float = 15.0) -> Fetched:
    """GET `url`, sending If-None-Match / If-Modified-Since when known. Never raises."""
    if safe_web_link(url) is None:
        return Fetched(url, error="only http and https addresses are fetched")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, "
        "application/feed+json, application/json, application/xml, text/xml, */*",
    }
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            data = response.read(MAX_FEED_BYTES + 1)
            if len(data) > MAX_FEED_BYTES:
                return Fetched(url, response.status, error="larger than 20 MB: not a feed")
            return Fetched(
                url,
                response.status,
                data,
                etag=response.headers.get("ETag", "") or "",
                modified=response.headers.get("Last-Modified", "") or "",
            )
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(url, 304, etag=etag, modified=modified)
        return Fetched(url, error.code, error=f"HTTP {error.code} {error.reason}")
    except TimeoutError:
        return Fetched(url, error=f"timed out after {timeout:g} s")
    except urllib.error.URLError as error:
        reason: Any = error.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return Fetched(url, error=f"timed out after {timeout:g} s")
        return Fetched(url, error=f"cannot connect: {reason}")
    except (OSError, ValueError) as error:
        return Fetched(url, error=f"cannot fetch: {error}")
