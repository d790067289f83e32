"""End to end: a real `run --once` over the sample feeds, votes, `report`, then a browser.

The page is opened in headless chromium whose every request must go through a recording
proxy on loopback: a control page with one remote image proves the proxy sees requests,
and the report must cause none.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from monitor.store.db import Database
from monitor.store.models import Alert, Feedback, Item
from tests.conftest import FeedServer
from tests.helpers import BUNDLED, run_cli
from tests.test_report import Page, assert_self_contained

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.slow
SAMPLES = BUNDLED / "samples"
HOSTILE_TITLE = "Stripe raises $50M <script>alert(1)</script>"
HOSTILE_FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title><link>http://wire.example/</link>
<description>d</description>
<item><title>{HOSTILE_TITLE.replace("<", "&amp;lt;").replace(">", "&amp;gt;")}</title>
<link>https://wire.example/stripe</link><guid>stripe-1</guid>
<description>Stripe raised $50 million in Series C funding led by Sequoia.</description>
</item></channel></rss>""".encode()
HEADINGS = [
    "Summary",
    "Alerts over time by type",
    "Alerts by source",
    "Alerts by account",
    "Feedback",
    "Sources that produced no alert",
    "Accounts that never matched",
    "Alerts reps marked wrong",
    "Latest alerts",
]
# Chromium's own update, time and safe-browsing calls, made whatever page is open.
BROWSER_SERVICES = frozenset(
    {
        "update.googleapis.com",
        "clients1.google.com",
        "clients2.google.com",
        "accounts.google.com",
        "redirector.gvt1.com",
        "safebrowsingohttpgateway.googleapis.com",
        "optimizationguide-pa.googleapis.com",
        "content-autofill.googleapis.com",
    }
)


def host_of(request: str) -> str:
    """'CONNECT host:443' or 'GET http://host/path' -> host."""
    target = request.split()[1]
    return urlsplit(target if "//" in target else f"//{target}").hostname or ""


FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--hide-scrollbars",
]


class Recorder:
    """An HTTP proxy on loopback that answers 502 and remembers every request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                recorder.requests.append(f"{self.command} {self.path}")
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_HEAD = do_CONNECT = do_OPTIONS = _record

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def proxy(self) -> str:
        return f"127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.close()


def chromium(page: Path, profile: Path, proxy: str, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--proxy-server=http://{proxy}",
            "--proxy-bypass-list=<-loopback>",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def vote(db: Database, account: str, name: str, rep: str) -> None:
    with db.session() as s:
        alert_id = s.scalar(
            select(Alert.id).where(Alert.account == account).order_by(Alert.id).limit(1)
        )
        assert alert_id is not None, account
        s.add(
            Feedback(
                alert_id=alert_id,
                vote=name,
                recipient=rep,
                channel="cli",
                token=uuid.uuid4().hex,
                created_at=datetime.now(UTC),
            )
        )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_report_after_a_real_run_renders_in_a_browser(
    make_config, feed_server: FeedServer, recorder: Recorder, db_url: str, tmp_path: Path
) -> None:
    wire = feed_server.add("/wire.xml", HOSTILE_FEED)
    config = make_config(
        sources=[
            {"name": "Sample: TechCrunch 2011", "url": str(SAMPLES / "TechCrunch.xml")},
            {"name": "Sample: EDGAR filings", "url": str(SAMPLES / "edgar-atom1.xml")},
            {"name": "Wire", "url": wire},
            {"name": "Broken feed", "url": "http://127.0.0.1:9/feed.xml"},
        ],
        accounts=(BUNDLED / "accounts.csv").read_text(encoding="utf-8"),
        reps=(BUNDLED / "reps.csv").read_text(encoding="utf-8"),
        database_url=db_url,
        outbox=str(tmp_path / "outbox"),
    )
    run = run_cli("run", "--once", config=config)
    assert run.returncode == 0, run.stderr[-3000:]

    db = Database(db_url)
    try:
        vote(db, "Agari", "useful", "alice@example.com")
        vote(db, "Agari", "talk_track_helped", "alice@example.com")
        vote(db, "Gilt Groupe", "wrong_company", "bob@example.com")
        vote(db, "Angie's List", "already_knew", "bob@example.com")
        vote(db, "Stripe", "not_a_trigger", "bob@example.com")
        with db.session() as s:
            alerts = s.scalar(select(func.count(Alert.id)))
            titles = set(s.scalars(select(Item.title)))
    finally:
        db.dispose()
    assert HOSTILE_TITLE in titles  # the feed really delivered the hostile title
    assert alerts and alerts >= 4

    result = run_cli("report", "--since", "30d", config=config)  # default --out
    assert result.returncode == 0, result.stderr[-3000:]
    out = Path(result.stdout.strip())
    assert out == config / "report.html" and out.is_file()
    html = out.read_text(encoding="utf-8")
    assert_self_contained(Page.of(html))

    control = tmp_path / "control.html"
    control.write_text(
        '<!DOCTYPE html><p>x<img src="http://report-control.invalid/pixel.png"></p>',
        encoding="utf-8",
    )
    chromium(control, tmp_path / "profile-control", recorder.proxy, "--dump-dom")
    assert any("report-control.invalid" in r for r in recorder.requests), recorder.requests
    recorder.requests.clear()

    dom = chromium(out, tmp_path / "profile", recorder.proxy, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    shot = tmp_path / "report.png"
    chromium(
        out, tmp_path / "profile", recorder.proxy, f"--screenshot={shot}", "--window-size=1000,3000"
    )
    # Chromium itself phones its update and time services whatever the page; the page
    # names none of them, so anything else would be the page's doing.
    assert not any(host in html for host in BROWSER_SERVICES)
    from_page = [r for r in recorder.requests if host_of(r) not in BROWSER_SERVICES]
    assert from_page == [], from_page  # the report loads nothing from anywhere

    page = Page.of(dom.stdout)
    headings = [h.strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", dom.stdout)]
    assert headings == HEADINGS
    assert re.search(rf'id="total-alerts">{alerts}<', dom.stdout), alerts
    assert 'id="no-data"' not in dom.stdout
    # The stacked chart has bars, and the feedback numbers are the ones just recorded.
    chart = re.search(r'<svg[^>]*class="chart".*?</svg>', dom.stdout, re.S)
    assert chart and chart.group(0).count("<rect") >= 3
    assert "5 feedback votes on 4 alerts" in page.text
    assert "precision implied by feedback (n=4, n too small)" in page.text
    assert "Broken feed" in page.text and "unreachable" in page.text
    assert "Microsoft Corporation" in page.text  # an account with no alert
    # The hostile title is text on the page, never markup.
    assert HOSTILE_TITLE in page.text
    assert "script" not in page.tags
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 50_000
