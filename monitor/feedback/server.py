"""The small HTTP endpoint behind feedback links, run in a thread by the daemon.

Mail gateways that scan links fetch them with GET before the rep ever clicks, so GET only
shows a page that submits a POST by itself (with a button when scripts are off), and only
POST records the vote. Every page is one line of escaped text. Anything that is not a
feedback link is 404; requests are capped in size and time. The signature and nonce never
reach a log line (the stdlib's per-request log is silenced for that reason).
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from monitor.clock import Clock, utcnow
from monitor.config import FeedbackSettings
from monitor.feedback.links import PATH_PREFIX, VOTE_LABELS, LinkParts, parse_path
from monitor.feedback.votes import Outcome, check_link, record_link_vote
from monitor.logfmt import kv
from monitor.store.db import Database

log = logging.getLogger(__name__)

MAX_PATH = 512
MAX_BODY = 4096
REQUEST_TIMEOUT_S = 10.0
_SUBMIT = "document.forms[0].submit();"
_SUBMIT_HASH = base64.b64encode(hashlib.sha256(_SUBMIT.encode()).digest()).decode()
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SUBMIT_HASH}'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
_REFUSED = {
    "bad_signature": "This feedback link is not valid (it may have been changed or cut short).",
    "unknown_alert": "This feedback link names an alert that does not exist.",
    "already_recorded": "This feedback link was already used; your vote is recorded once.",
    "expired": "This feedback link has expired.",
}


class FeedbackServerError(Exception):
    """The endpoint cannot start (address in use, no permission): one line for the user."""


def page(line: str, extra: str = "") -> bytes:
    """A one-line page; `line` is plain text and is escaped here."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width">'
        '<meta name="robots" content="noindex"><title>trigger-monitor feedback</title></head>'
        '<body style="font-family:Helvetica,Arial,sans-serif;margin:2em;color:#1f2328;">'
        f"<p>{html.escape(line)}</p>{extra}</body></html>\n"
    ).encode()


def _what(outcome: Outcome) -> str:
    label = VOTE_LABELS.get(outcome.vote, outcome.vote)
    account = f" ({outcome.account})" if outcome.account else ""
    return f"\u201c{label}\u201d for alert #{outcome.alert_id}{account}"


class FeedbackServer:
    """ThreadingHTTPServer on `address`; `settings` is read per request so SIGHUP applies."""

    def __init__(
        self,
        db: Database,
        settings: Callable[[], FeedbackSettings],
        address: tuple[str, int],
        clock: Clock = utcnow,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        handler = _handler_for(self)
        server_class = _V6Server if ":" in address[0] else ThreadingHTTPServer
        try:
            self.httpd = server_class(address, handler)
        except OSError as exc:
            host, port = address
            raise FeedbackServerError(
                f"[feedback] cannot listen on {host}:{port}: {exc.strerror or exc}"
            ) from exc
        # Let a vote that is being written finish on shutdown (requests are short: HTTP/1.0,
        # one request per connection, a socket timeout).
        self.httpd.daemon_threads = False
        self.httpd.block_on_close = True
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.httpd.server_address[:2]
        return str(host), int(port)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name="feedback-http", daemon=True
        )
        self._thread.start()
        host, port = self.address
        log.info(kv("feedback endpoint listening", address=f"{host}:{port}"))

    def stop(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=REQUEST_TIMEOUT_S + 5)
            self._thread = None
        self.httpd.server_close()

    # ---------------------------------------------------------------- requests

    def answer(self, method: str, parts: LinkParts, client: str) -> tuple[int, bytes]:
        settings = self.settings()
        if not settings.links:
            return 404, page("Feedback links are not enabled here.")
        secret = settings.secret()
        now = self.clock()
        if method == "POST":
            outcome = record_link_vote(self.db, parts, secret, now, settings.link_max_age_days)
        else:
            outcome = check_link(self.db, parts, secret, now, settings.link_max_age_days)
        if not outcome.ok:
            if method == "POST" or outcome.reason == "bad_signature":
                log.warning(
                    kv(
                        "feedback refused",
                        alert=parts.alert_id,
                        vote=parts.vote,
                        reason=outcome.reason,
                        method=method,
                        client=client,
                    )
                )
            return outcome.status, page(_REFUSED[outcome.reason])
        if method == "POST":
            return 200, page(f"Thank you: recorded {_what(outcome)}.")
        form = (
            '<form method="post"><button type="submit" style="font-size:16px;">'
            "Record my vote</button></form>"
            f"<script>{_SUBMIT}</script>"
        )
        return 200, page(f"Recording {_what(outcome)}\u2026", form)


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _handler_for(server: FeedbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = REQUEST_TIMEOUT_S

        def version_string(self) -> str:
            return "trigger-monitor"  # no Python version for the curious

        def do_GET(self) -> None:
            self._serve("GET")

        def do_HEAD(self) -> None:
            self._serve("HEAD")

        def do_POST(self) -> None:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                self._send(411, page("Send a Content-Length."), close=True)
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                self._send(413, page("Request too large."), close=True)
                return
            if length:
                self.rfile.read(length)  # the form sends nothing we need
            self._serve("POST")

        def _serve(self, method: str) -> None:
            if len(self.path) > MAX_PATH:
                self._send(414, page("Not found."), head=method == "HEAD")
                return
            parts = parse_path(self.path) if self.path.startswith(PATH_PREFIX) else None
            if parts is None:
                self._send(404, page("Not found."), head=method == "HEAD")
                return
            try:
                status, body = server.answer(
                    "POST" if method == "POST" else "GET", parts, self.client_address[0]
                )
            except Exception:
                log.exception(kv("feedback request failed", alert=parts.alert_id, method=method))
                status, body = 503, page("Feedback cannot be recorded right now; try again later.")
            self._send(status, body, head=method == "HEAD")

        def _send(
            self, status: int, body: bytes, *, head: bool = False, close: bool = False
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", _CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            # The page's own URL holds the signature: never send it on as a Referer.
            self.send_header("Referrer-Policy", "no-referrer")
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if not head:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        def log_message(self, format: str, *args: Any) -> None:
            """Silenced: the stdlib would log the path, and the path holds the signature."""

    return Handler
