"""A local HTTP server for the fetch tests: binds 127.0.0.1 only, serves what a test puts in ``routes``.

Each route is a :class:`Reply` (a status, headers and a body, with ETag/Last-Modified handling) or a
function given the request handler (slow, endless and other misbehaving answers). Every request path is
recorded in ``hits``. Misbehaving handlers are bounded in time (``MAX_HANDLER_SECONDS``) so no thread
outlives a test for long.
"""

from __future__ import annotations

import gzip
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_HANDLER_SECONDS = 20.0


@dataclass
class Reply:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answered with 304 when the client sends it back
    last_modified: str | None = None


Route = Reply | Callable[[BaseHTTPRequestHandler], None]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gives up on a misbehaving answer is what these tests expect


class LocalServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with server._lock:
                    server.hits.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    self._send(Reply(b"not here", "text/plain", 404))
                elif isinstance(route, Reply):
                    self._send(route)
                else:
                    route(self)

            def _send(self, reply: Reply) -> None:
                if reply.etag and self.headers.get("If-None-Match") == reply.etag:
                    self.send_response(304)
                    self.send_header("ETag", reply.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if reply.last_modified and self.headers.get("If-Modified-Since") == reply.last_modified:
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                if reply.etag:
                    self.send_header("ETag", reply.etag)
                if reply.last_modified:
                    self.send_header("Last-Modified", reply.last_modified)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_port
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self._lock:
            return self.hits.count(path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------- misbehaving answers


def slow_headers(seconds: float) -> Callable[[BaseHTTPRequestHandler], None]:
    """Says nothing for ``seconds``, then a small page."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        time.sleep(min(seconds, MAX_HANDLER_SECONDS))
        _try_send(h, b"<html><body><p>late</p></body></html>")

    return handle


def drip(byte_every: float) -> Callable[[BaseHTTPRequestHandler], None]:
    """Headers at once, then one byte every ``byte_every`` seconds, without end (until the client leaves)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        deadline = time.monotonic() + MAX_HANDLER_SECONDS
        try:
            while time.monotonic() < deadline:
                h.wfile.write(b"a")
                h.wfile.flush()
                time.sleep(byte_every)
        except OSError:
            return

    return handle


def endless() -> Callable[[BaseHTTPRequestHandler], None]:
    """An HTML body that never ends, as fast as the client reads (no Content-Length)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        chunk = b"<p>" + b"more words " * 6000 + b"</p>\n"
        deadline = time.monotonic() + MAX_HANDLER_SECONDS
        try:
            while time.monotonic() < deadline:
                h.wfile.write(chunk)
        except OSError:
            return

    return handle


def gzip_bomb(decompressed: int) -> Reply:
    """A page sent with Content-Encoding gzip whose body inflates to ``decompressed`` bytes of spaces."""
    body = gzip.compress(b"<html><body><p>" + b" " * decompressed + b"</p></body></html>", 9)
    return Reply(body, headers={"Content-Encoding": "gzip"})


def redirect(to: str, status: int = 302) -> Reply:
    return Reply(b"", "text/plain", status, headers={"Location": to})


def _try_send(h: BaseHTTPRequestHandler, body: bytes) -> None:
    try:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    except OSError:
        return  # the client gave up first
