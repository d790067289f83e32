"""End to end: the real `run --once` process against loopback HTTP and SMTP servers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, FeedServer, SmtpSink
from tests.helpers import run_cli

pytestmark = pytest.mark.slow

ACCOUNTS = (
    "name,aliases,domains,owner\n"
    "Agari,,agari.com,alice@example.com\n"
    "Gilt Groupe,Gilt City,gilt.com,bob@example.com\n"
    "Angie's List,,angieslist.com,bob@example.com\n"
)
REPS = (
    "email,name,delivery,timezone\n"
    "alice@example.com,Alice,instant,UTC\n"
    "bob@example.com,Bob,instant,America/Chicago\n"
)


def techcrunch_config(make_config, feed_server: FeedServer, smtp_sink: SmtpSink, db: str) -> Path:
    url = feed_server.add(
        "/techcrunch.xml", (FIXTURES / "feeds" / "TechCrunch.xml").read_bytes(), etag='"tc1"'
    )
    return make_config(
        sources=[{"name": "TechCrunch", "url": url, "interval_minutes": 30}],
        accounts=ACCOUNTS,
        reps=REPS,
        database_url=db,
        smtp_port=smtp_sink.port,
        max_age_days=0,
    )


def test_techcrunch_alerts_reach_the_right_reps_once(
    make_config, feed_server: FeedServer, smtp_sink: SmtpSink, db_url: str
) -> None:
    config = techcrunch_config(make_config, feed_server, smtp_sink, db_url)
    first = run_cli("run", "--once", config=config)
    assert first.returncode == 0, first.stderr

    alice = smtp_sink.to("alice@example.com")
    fundings = [m for m in alice if m["Subject"].startswith("[Funding]")]
    assert len(fundings) == 1, [m["Subject"] for m in alice]
    funding = fundings[0]
    assert funding["Subject"].startswith("[Funding] Agari raised $2.5M")
    body = funding.get_body(("plain",)).get_content()
    for investor in ("Alloy", "Battery", "Greylock", "First Round"):
        assert investor in body
    assert "Agari" in body and "http" in body  # account, evidence and link

    bob = {m["Subject"]: m for m in smtp_sink.to("bob@example.com")}
    acquisition = [s for s in bob if s.startswith("[Acquisition]")]
    ipo = [s for s in bob if s.startswith("[IPO]")]
    assert len(acquisition) == 1 and "BuyWithMe" in acquisition[0], list(bob)
    assert "Gilt Groupe" in bob[acquisition[0]].get_body(("plain",)).get_content()
    assert len(ipo) == 1 and "Angie" in ipo[0], list(bob)
    total = len(smtp_sink.messages)
    assert {r for r, _ in smtp_sink.messages} <= {"alice@example.com", "bob@example.com"}

    second = run_cli("run", "--once", config=config)
    assert second.returncode == 0, second.stderr
    assert len(smtp_sink.messages) == total
    assert feed_server.hits["/techcrunch.xml"] == 2  # polled again, answered 304


def test_smtp_down_then_up_delivers_each_alert_once(
    make_config, feed_server: FeedServer, smtp_sink: SmtpSink, db_url: str
) -> None:
    config = techcrunch_config(make_config, feed_server, smtp_sink, db_url)
    smtp_sink.stop()
    down = run_cli("run", "--once", config=config)
    assert down.returncode == 0, down.stderr
    assert "email deferred" in down.stderr
    pending = run_cli("alerts", "--status", "pending", config=config)
    assert pending.returncode == 0
    assert pending.stdout.count("pending") >= 3, pending.stdout

    smtp_sink.start()
    time.sleep(2.5)  # test config: retry backoff of at most 2 s
    up = run_cli("run", "--once", config=config)
    assert up.returncode == 0, up.stderr
    count = len(smtp_sink.messages)
    assert count >= 3
    again = run_cli("run", "--once", config=config)
    assert again.returncode == 0
    assert len(smtp_sink.messages) == count
    ids = [m["Message-ID"] for _, m in smtp_sink.messages]
    assert len(ids) == len(set(ids))
    sent = run_cli("alerts", "--status", "sent", config=config)
    assert sent.stdout.count(" sent ") >= 3


def test_broken_sources_each_give_one_line_and_the_cycle_completes(
    make_config, feed_server: FeedServer, tmp_path: Path
) -> None:
    good = feed_server.add("/good.xml", (FIXTURES / "feeds" / "TechCrunch.xml").read_bytes())
    html = feed_server.add(
        "/page.html",
        b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>Hi</body></html>",
        content_type="text/html",
    )
    slow = feed_server.add("/slow.xml", b"<rss/>", delay_s=8)
    config = make_config(
        sources=[
            {"name": "html-page", "url": html},
            {"name": "missing", "url": feed_server.base + "/nope.xml"},
            {"name": "too-slow", "url": slow},
            {"name": "unreachable", "url": "http://127.0.0.1:9/feed.xml"},
            {"name": "good", "url": good},
        ],
        outbox=str(tmp_path / "outbox"),
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
    )
    result = run_cli("run", "--once", config=config)
    assert result.returncode == 0, result.stderr
    failed = [line for line in result.stderr.splitlines() if "source failed" in line]
    for name in ("html-page", "missing", "too-slow", "unreachable"):
        lines = [line for line in failed if f"source={name} " in line]
        assert len(lines) == 1, (name, result.stderr)
    assert "kind=http_404" in next(x for x in failed if "source=missing " in x)
    assert "kind=not_a_feed" in next(x for x in failed if "source=html-page " in x)
    assert "kind=timeout" in next(x for x in failed if "source=too-slow " in x)
    assert any("source polled source=good " in line for line in result.stderr.splitlines())
    table = run_cli("sources", config=config)
    assert table.returncode == 0
    assert "http_404" in table.stdout


def test_bad_config_is_refused_with_file_and_line(make_config) -> None:
    config = make_config(
        sources=[{"name": "x", "url": "ftp://example.com/feed", "interval_minutes": 0}]
    )
    result = run_cli("run", "--once", config=config)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{config / 'sources.toml'}:3: " in result.stderr
    check = run_cli("check-config", config=config)
    assert check.returncode == 1 and "sources.toml:3:" in check.stdout


def test_backlog_older_than_max_age_is_stored_but_never_alerted(
    make_config, feed_server: FeedServer, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    config = techcrunch_config(make_config, feed_server, smtp_sink, f"sqlite:///{tmp_path / 'db'}")
    settings = config / "settings.toml"
    settings.write_text(settings.read_text().replace("max_age_days = 0", "max_age_days = 14"))
    result = run_cli("run", "--once", config=config)
    assert result.returncode == 0, result.stderr
    assert smtp_sink.messages == []  # the 2011 items are far older than 14 days
    assert "source polled source=TechCrunch status=200 items=20 new=20" in result.stderr
    assert "event matched" not in result.stderr  # too old to alert: not even extracted
    table = run_cli("sources", config=config)
    assert " 20 " in table.stdout  # all 20 items stored


def test_rejected_alert_is_failed_with_reason_and_retry_requeues_it(
    make_config, feed_server: FeedServer, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    config = techcrunch_config(make_config, feed_server, smtp_sink, f"sqlite:///{tmp_path / 'db'}")
    smtp_sink.handler.reject["alice@example.com"] = "550 5.1.1 mailbox unavailable"
    assert run_cli("run", "--once", config=config).returncode == 0
    assert smtp_sink.to("alice@example.com") == [] and smtp_sink.to("bob@example.com")
    failed = run_cli("alerts", "--status", "failed", config=config)
    rows = [line for line in failed.stdout.splitlines()[1:] if "failed" in line]
    assert rows and all("550 5.1.1 mailbox unavailable" in row for row in rows), failed.stdout
    del smtp_sink.handler.reject["alice@example.com"]
    for row in rows:
        retry = run_cli("alerts", "retry", row.split()[0], config=config)
        assert retry.returncode == 0 and "re-queued" in retry.stdout
    assert run_cli("alerts", "retry", "99999", config=config).returncode == 2
    assert run_cli("run", "--once", config=config).returncode == 0
    assert len(smtp_sink.to("alice@example.com")) == len(rows)
