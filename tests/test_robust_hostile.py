"""Hostile servers through the daemon's cycle: one real `run --once` process against a
loopback server that attacks in every way below; each source ends in one clear line naming
it, the cycle goes on, and the process stays under 300 MB resident. Redirects into private
addresses are judged at the Pipeline level with a Fetcher whose policy admits only the test
host for the first hop (tests otherwise allow private addresses to reach loopback)."""

from __future__ import annotations

import gzip
import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from extractors.accounts import AccountMatcher
from monitor.config import load_config
from monitor.cycle import Pipeline
from monitor.store.db import Database
from sources.addresses import IPAddress, public_only
from sources.fetch import Fetcher
from sources.records import FetchError
from tests.conftest import FIXTURES
from tests.helpers import NoEvents
from tests.test_robust_corpora import run_once_measured

RSS = (FIXTURES / "feeds" / "TechCrunch.xml").read_bytes()
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><link>http://example.com/</link>
<description>d</description><item><title>&lol9;</title><guid>x</guid>
<description>&lol9;</description></item></channel></rss>"""
BAD_UTF8 = RSS.replace(b"Agari", b"Ag\xff\xfe\xc3ari", 3)
HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>500</h1>"
    + (b"<p>Something went wrong</p>" * 50)
    + b"</body></html>"
)


def _bomb() -> bytes:
    """~200 KB on the wire, 200 MB when inflated (the fetch cap is 10 MiB)."""
    raw = bytearray()
    z = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    raw += z
    return bytes(raw)


class Hostile:
    def __init__(self) -> None:
        bomb = _bomb()
        hits: dict[str, int] = {}
        self.hits = hits

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def _send(self, status: int, body: bytes, **headers: str) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k.replace("_", "-"), v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = self.path
                hits[path] = hits.get(path, 0) + 1
                try:
                    if path == "/laughs":
                        self._send(200, LAUGHS, Content_Type="application/rss+xml")
                    elif path == "/bomb":
                        self._send(
                            200, bomb, Content_Type="application/rss+xml", Content_Encoding="gzip"
                        )
                    elif path == "/endless":
                        self.send_response(200)
                        self.send_header("Content-Type", "application/rss+xml")
                        self.end_headers()
                        self.wfile.write(b"<?xml version='1.0'?><rss><channel>")
                        chunk = b"<item><title>more</title></item>" * 2000
                        while True:
                            self.wfile.write(chunk)
                    elif path == "/drip":
                        self.send_response(200)
                        self.send_header("Content-Type", "application/rss+xml")
                        self.end_headers()
                        for byte in RSS[:120]:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(1)
                    elif path in ("/loop-a", "/loop-b"):
                        other = "/loop-b" if path == "/loop-a" else "/loop-a"
                        self._send(302, b"", Location=other)
                    elif path == "/png":
                        self._send(200, RSS, Content_Type="image/png")
                    elif path == "/bad-utf8":
                        self._send(200, BAD_UTF8, Content_Type="application/rss+xml; charset=utf-8")
                    elif path == "/html-error":
                        self._send(200, HTML_ERROR, Content_Type="text/html")
                    elif path == "/to-loopback":
                        self._send(
                            302,
                            b"",
                            Location=f"http://127.0.0.1:{self.server.server_address[1]}/good",
                        )
                    elif path == "/to-metadata":
                        self._send(302, b"", Location="http://169.254.169.254/latest/meta-data/")
                    elif path == "/good":
                        self._send(200, RSS, Content_Type="application/rss+xml")
                    else:
                        self._send(404, b"")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    server = Hostile()
    yield server
    server.close()


# (source name, path, what its one line must say)
ATTACKS = [
    ("laughs", "/laughs", "source polled source=laughs "),
    ("bomb", "/bomb", "kind=too_large"),
    ("endless", "/endless", "kind=too_large"),
    ("drip", "/drip", "kind=timeout"),
    ("loop", "/loop-a", "kind=redirect_loop"),
    ("png", "/png", "source polled source=png "),
    ("bad-utf8", "/bad-utf8", "source polled source=bad-utf8 "),
    ("html-error", "/html-error", "kind=not_a_feed"),
    ("good", "/good", "source polled source=good "),
]


@pytest.mark.slow
def test_hostile_servers_through_one_run_once(
    make_config, hostile: Hostile, tmp_path: Path
) -> None:
    config = make_config(
        sources=[{"name": n, "url": hostile.base + p} for n, p, _ in ATTACKS],
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        outbox=str(tmp_path / "outbox"),
    )
    log_path = tmp_path / "run.log"
    started = time.monotonic()
    code, sampler = run_once_measured(config, log_path, timeout=240)
    text = log_path.read_text()
    print(
        f"\nhostile run: {time.monotonic() - started:.1f}s; daemon VmHWM "
        f"{sampler.main_hwm_kb / 1024:.0f} MB; tree peak {sampler.peak_tree_kb / 1024:.0f} MB"
    )
    assert code == 0, text[-3000:]
    assert "Traceback" not in text and "source crashed" not in text and "job failed" not in text
    lines = text.splitlines()
    for name, _path, expected in ATTACKS:
        outcome = [x for x in lines if f" source={name} " in x and ("polled" in x or "failed" in x)]
        assert len(outcome) == 1, (name, outcome)
        assert expected in outcome[0], (name, outcome[0])
        print(f"  {name}: {outcome[0].split('msg=', 1)[1][:160]}")
    assert sampler.main_hwm_kb / 1024 < 300, sampler.main_hwm_kb
    assert "source polled source=good " in text  # the cycle went on to the end


@pytest.mark.parametrize(
    ("path", "blocked"), [("/to-loopback", "127.0.0.1"), ("/to-metadata", "169.254.169.254")]
)
def test_redirect_into_private_addresses_is_refused_in_the_cycle(
    make_config,
    hostile: Hostile,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    path: str,
    blocked: str,
) -> None:
    port = hostile.httpd.server_address[1]

    def resolver(host: str, _port: int) -> list[str]:
        if host == "feeds.test":
            return ["127.0.0.1"]
        raise FetchError("dns", "unknown test host")

    def policy(host: str, address: IPAddress) -> bool:
        return host == "feeds.test" or public_only(host, address)

    url = f"http://feeds.test:{port}{path}"
    config = load_config(make_config(sources=[{"name": "evil", "url": url}]))
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    db.migrate()
    fetcher = Fetcher(config.fetch, resolver=resolver, address_policy=policy)
    pipe = Pipeline(
        config,
        db,
        fetcher,
        NoEvents(),
        AccountMatcher(()),
        "t",  # type: ignore[arg-type]
        lambda: datetime.now(UTC),
    )
    pipe.sync_sources()
    before = hostile.hits.get("/good", 0)
    with caplog.at_level(logging.WARNING):
        stats = pipe.poll()
    fetcher.close()
    db.dispose()
    assert stats.failed == 1
    lines = [r.getMessage() for r in caplog.records if "source=evil" in r.getMessage()]
    assert len(lines) == 1 and "kind=blocked_address" in lines[0], lines
    assert blocked in lines[0]
    assert hostile.hits.get("/good", 0) == before  # the second hop never connected
