"""A loopback HTTP server for the sources tests: good feeds and every kind of bad server."""

from __future__ import annotations

import gzip
import http.server
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import formatdate
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
SHARED_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "feeds"
if not SHARED_FEEDS.is_dir():
    SHARED_FEEDS = Path("/work/shared/feeds")

ETAG = '"techcrunch-v1"'
LAST_MODIFIED = formatdate(1_320_000_000, usegmt=True)
BOMB_DECODED_BYTES = 100 * 1024 * 1024

Route = Callable[["Handler"], None]


def gzip_bomb(decoded_bytes: int = BOMB_DECODED_BYTES) -> bytes:
    """gzip of `decoded_bytes` zeros, built piecewise so the test never holds them all."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    parts = [packer.compress(zeros) for _ in range(decoded_bytes // len(zeros))]
    parts.append(packer.flush())
    return b"".join(parts)


class Handler(http.server.BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return

    def do_GET(self) -> None:
        self.server.record(self)
        route = self.server.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.reply(404, b"no such route")
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, status: int, location: str) -> None:
        self.reply(status, b"", {"Location": location})


class FeedServer(http.server.ThreadingHTTPServer):
    """Threaded server on 127.0.0.1, port 0; routes are plain functions of the handler."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = dict(default_routes())
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.active = 0
        self.max_active = 0
        self.starts: list[float] = []
        self._lock = threading.Lock()
        self._bomb: bytes | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        return  # clients hanging up on bombs and drips is the point of those routes

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def record(self, handler: Handler) -> None:
        with self._lock:
            self.seen.append((handler.path, {k.lower(): v for k, v in handler.headers.items()}))

    def bomb(self) -> bytes:
        with self._lock:
            if self._bomb is None:
                self._bomb = gzip_bomb()
            return self._bomb

    @contextmanager
    def busy(self) -> Iterator[None]:
        """Count requests in flight, for the politeness tests."""
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            self.starts.append(time.monotonic())
        try:
            yield
        finally:
            with self._lock:
                self.active -= 1


def _feed(h: Handler) -> None:
    body = (FIXTURES / "TechCrunch.xml").read_bytes()
    if h.headers.get("If-None-Match") == ETAG or h.headers.get("If-Modified-Since") == (
        LAST_MODIFIED
    ):
        h.send_response(304)
        h.send_header("ETag", ETAG)
        h.end_headers()
        return
    h.reply(
        200,
        body,
        {"Content-Type": "application/rss+xml", "ETag": ETAG, "Last-Modified": LAST_MODIFIED},
    )


def _gzip_feed(h: Handler) -> None:
    body = gzip.compress((FIXTURES / "TechCrunch.xml").read_bytes())
    h.reply(200, body, {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"})


def _deflate_raw_feed(h: Handler) -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = packer.compress((FIXTURES / "TechCrunch.xml").read_bytes()) + packer.flush()
    h.reply(200, body, {"Content-Encoding": "deflate"})


def _html(h: Handler) -> None:
    page = b"<!DOCTYPE html><html><head><title>Acme &amp; Co - Home</title></head>"
    page += b"<body><p>Welcome</p></body></html>"
    h.reply(200, page, {"Content-Type": "text/html; charset=utf-8"})


def _drip(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "100")
    h.end_headers()
    for _ in range(100):
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(1)


def _header_drip(h: Handler) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(100):
        h.wfile.write(b"X-Slow: 1\r\n")
        h.wfile.flush()
        time.sleep(0.5)


def _bomb(h: Handler) -> None:
    body = h.server.bomb()
    h.reply(200, body, {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"})


def _endless(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Connection", "close")  # no length: the body ends when the socket does
    h.end_headers()
    chunk = b"<item>" * 10_000
    while True:
        h.wfile.write(chunk)


def _slow(h: Handler) -> None:
    with h.server.busy():
        time.sleep(0.3)
        h.reply(200, b"<rss/>")


def _echo_host(h: Handler) -> None:
    h.reply(200, (h.headers.get("Host") or "").encode())


def default_routes() -> dict[str, Route]:
    return {
        "/feed.xml": _feed,
        "/feed.xml.gz": _gzip_feed,
        "/feed.deflate": _deflate_raw_feed,
        "/page.html": _html,
        "/missing": lambda h: h.reply(404, b"not here"),
        "/gone": lambda h: h.reply(410, b"gone"),
        "/busy": lambda h: h.reply(429, b"slow down", {"Retry-After": "120"}),
        "/down": lambda h: h.reply(503, b"", {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}),
        "/broken": lambda h: h.reply(500, b"oops"),
        "/drip": _drip,
        "/header-drip": _header_drip,
        "/bomb": _bomb,
        "/endless": _endless,
        "/slow": _slow,
        "/host": _echo_host,
        "/loop-a": lambda h: h.redirect(302, "/loop-b"),
        "/loop-b": lambda h: h.redirect(302, "/loop-a"),
        "/moved": lambda h: h.redirect(301, "/moved-again"),
        "/moved-again": lambda h: h.redirect(308, "/feed.xml"),
        "/temporary": lambda h: h.redirect(302, "/feed.xml"),
        "/moved-then-temporary": lambda h: h.redirect(301, "/temporary"),
        "/to-file": lambda h: h.redirect(302, "file:///etc/passwd"),
        "/to-metadata": lambda h: h.redirect(302, "http://169.254.169.254/latest/meta-data/"),
        **{f"/chain/{n}": _chain(n) for n in range(12)},
    }


def _chain(n: int) -> Route:
    def route(h: Handler) -> None:
        if n == 0:
            _feed(h)
        else:
            h.redirect(302, f"/chain/{n - 1}")

    return route


@contextmanager
def running_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
