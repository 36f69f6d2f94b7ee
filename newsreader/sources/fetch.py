"""Fetches a feed over HTTP(S): one deadline in all, redirects, conditional GET, gzip, a limit."""

from __future__ import annotations

import http.client
import io
import math
import socket
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO, TYPE_CHECKING, Any

from newsreader import __version__
from newsreader.text.links import safe_web_link

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

MAX_FEED_BYTES = 20 * 1024 * 1024
USER_AGENT = f"newsreader/{__version__} (+terminal news reader)"
CHUNK_BYTES = 64 * 1024


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


class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
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


def time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the fetch's deadline passed")
    return left


class _DeadlineReader(io.RawIOBase):
    """A socket's bytes, each receive given only the time left before the deadline: a socket
    timeout alone counts per receive, and a server trickling a byte at a time never hits it."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # keeps the socket open while we read
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int | None:
        self._sock.settimeout(time_left(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """Stands in for a connection's socket so that http.client reads the status line, the
    headers and the body through a `_DeadlineReader`."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode != "rb":
            return self._sock.makefile(mode, *args, **kwargs)  # type: ignore[call-overload]
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def sendall(self, data: ReadableBuffer) -> None:
        self._sock.settimeout(time_left(self._deadline))
        self._sock.sendall(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _DeadlineHTTPConnection(http.client.HTTPConnection):
    """Connects within the time left (a redirect's second connection too), then reads and
    writes only through a `_DeadlineSocket`."""

    def __init__(self, host: str, *, deadline: float = math.inf, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        if self.deadline == math.inf:  # no deadline: a plain connection
            super().connect()
            return
        self.timeout = time_left(self.deadline)
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self.deadline)


class _DeadlineHTTPSConnection(_DeadlineHTTPConnection, http.client.HTTPSConnection):
    """The same for https: the deadline socket wraps the TLS socket."""


class DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_DeadlineHTTPConnection, req, deadline=self.deadline)


class DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_DeadlineHTTPSConnection, req, deadline=self.deadline)


def fetch_feed(url: str, etag: str = "", modified: str = "", timeout: float = 15.0) -> Fetched:
    """GET `url`, sending If-None-Match / If-Modified-Since when known, all within `timeout`
    seconds however slowly the server answers. Never raises."""
    if safe_web_link(url) is None:
        return Fetched(url, error="only http and https addresses are fetched")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, "
        "application/feed+json, application/json, application/xml, text/xml, */*",
        "Accept-Encoding": "gzip",
    }
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout
    # An opener per fetch: its connections carry this fetch's deadline.
    opener = urllib.request.build_opener(
        HttpOnlyRedirects(), DeadlineHTTPHandler(deadline), DeadlineHTTPSHandler(deadline)
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            data = read_body(response, deadline)
            if data is None:
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
    except zlib.error as error:
        return Fetched(url, error=f"cannot fetch: damaged gzip data ({error})")
    except Exception as error:  # http.client's own errors (a bad status line …) are not OSError
        return Fetched(url, error=f"cannot fetch: {error or type(error).__name__}")


def read_body(
    response: http.client.HTTPResponse, deadline: float, limit: int = MAX_FEED_BYTES
) -> bytes | None:
    """The body, unpacked if it came gzipped; None when it is, or unpacks to, more than
    `limit` bytes: a small gzip bomb is stopped at the limit, not unpacked in full."""
    encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
    unpack = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding in ("gzip", "x-gzip") else None
    body = bytearray()
    received = 0
    while True:
        time_left(deadline)  # also between reads, should a read not see the deadline
        chunk = response.read1(CHUNK_BYTES)  # one receive at most, so the deadline is seen
        if not chunk:
            break
        received += len(chunk)
        if received > limit:
            return None
        if unpack is None:
            body += chunk
            continue
        while chunk and not unpack.eof:
            # max_length 0 would mean no limit: there is always at least a byte left here.
            body += unpack.decompress(chunk, limit + 1 - len(body))
            if len(body) > limit:
                return None
            chunk = unpack.unconsumed_tail
    if unpack is not None and not unpack.eof:
        body += unpack.flush(limit + 1 - len(body))
    return bytes(body) if len(body) <= limit else None
