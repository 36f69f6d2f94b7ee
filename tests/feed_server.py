"""A real HTTP server on 127.0.0.1 for feed tests: ETags, 304s, 404s, slow answers, redirects."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FeedServer:
    """Serves `routes` (path -> bytes); `slow` paths answer after `delay` s; `moved` redirect."""

    routes: dict[str, bytes] = field(default_factory=dict)
    slow: set[str] = field(default_factory=set)
    moved: dict[str, str] = field(default_factory=dict)
    delay: float = 3.0
    requests: list[tuple[str, int]] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # path -> Content-Type (default XML)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def serve_feeds() -> Iterator[FeedServer]:
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path
            if path in state.slow:
                time.sleep(state.delay)
            if path in state.moved:
                self._answer(301, headers={"Location": state.url(state.moved[path])})
                return
            body = state.routes.get(path)
            if body is None:
                self._answer(404, b"not found")
                return
            etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
            if self.headers.get("If-None-Match") == etag:
                self._answer(304)
                return
            kind = state.types.get(path, "application/xml")
            self._answer(200, body, {"ETag": etag, "Content-Type": kind})

        def _answer(
            self, code: int, body: bytes = b"", headers: dict[str, str] | None = None
        ) -> None:
            state.requests.append((self.path, code))
            try:
                self.send_response(code)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
