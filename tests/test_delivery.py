"""Delivery end to end with real processes: one alert per event, crashes, two instances."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import FeedServer, SmtpSink
from tests.feedgen import rss
from tests.helpers import REPO, run_cli

pytestmark = pytest.mark.slow

REPS = "email,name,delivery,timezone\nalice@example.com,Alice,instant,UTC\n"


def test_three_reports_one_alert_then_one_threaded_update(
    make_config, feed_server: FeedServer, smtp_sink: SmtpSink, db_url: str
) -> None:
    wordings = [
        ("a1", "Acme Robotics raises Series B funding led by Foo Ventures", ""),
        ("b1", "Acme Robotics closes Series B round", "The warehouse robot maker said so."),
        ("c1", "Acme Robotics gets Series B backing from Foo Ventures and Bar Capital", ""),
    ]
    sources = []
    for name, item in zip(("wire", "blog", "news"), wordings, strict=True):
        url = feed_server.add(f"/{name}.xml", rss([item]))
        sources.append({"name": name, "url": url})
    config = make_config(
        sources=sources,
        accounts="name,aliases,domains,owner\nAcme Robotics,,acme.example,alice@example.com\n",
        reps=REPS,
        database_url=db_url,
        smtp_port=smtp_sink.port,
    )
    first = run_cli("run", "--once", config=config)
    assert first.returncode == 0, first.stderr
    [alert] = smtp_sink.to("alice@example.com")
    assert alert["Subject"].startswith("[Funding] Acme Robotics raised (Series B)")
    text = alert.get_body(("plain",)).get_content()
    for name in ("wire", "blog", "news"):
        assert name in text, text

    # a fourth report brings the amount: one update, threaded under the first email
    feed_server.add(
        "/wire.xml",
        rss(
            [
                wordings[0],
                ("d1", "Acme Robotics raises $40 million Series B led by Foo Ventures", ""),
            ]
        ),
    )
    second = run_cli("run", "--once", config=config)
    assert second.returncode == 0, second.stderr
    first_msg, update = smtp_sink.to("alice@example.com")
    assert update["In-Reply-To"] == first_msg["Message-ID"]
    assert update["References"] == first_msg["Message-ID"]
    assert update["Subject"] == "Re: " + first_msg["Subject"]
    body = update.get_body(("plain",)).get_content()
    assert "Update: Amount $40M" in body

    # a fifth report that adds nothing sends nothing
    feed_server.add("/news.xml", rss([wordings[2], ("e1", "Acme Robotics lands Series B", "")]))
    third = run_cli("run", "--once", config=config)
    assert third.returncode == 0, third.stderr
    assert len(smtp_sink.to("alice@example.com")) == 2


def _funding_feed(count: int) -> bytes:
    return rss(
        [(f"f{i}", f"Company{i} Robotics raises $5 million Series A", "") for i in range(count)]
    )


def _accounts(count: int) -> str:
    rows = "".join(f"Company{i} Robotics,,,alice@example.com\n" for i in range(count))
    return "name,aliases,domains,owner\n" + rows


def _wait_for(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def _daemon(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "run"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k != "TRIGGER_MONITOR_CONFIG"},
    )


def test_kill_9_while_sending_loses_nothing_and_repeats_at_most_one(
    make_config, feed_server: FeedServer, smtp_sink: SmtpSink, db_url: str
) -> None:
    count = 10
    url = feed_server.add("/funding.xml", _funding_feed(count))
    config = make_config(
        sources=[{"name": "funding", "url": url}],
        accounts=_accounts(count),
        reps=REPS,
        database_url=db_url,
        smtp_port=smtp_sink.port,
        extra_settings=(
            "poll_tick_s = 1\nsend_tick_s = 1\nsend_lease_s = 2\naccount_daily_cap = 99\n"
        ),
    )
    smtp_sink.handler.delay_s = 0.4
    proc = _daemon(config)
    try:
        deadline = time.monotonic() + 120
        while len(smtp_sink.messages) < 3 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.05)
        assert len(smtp_sink.messages) >= 3
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    before = len(smtp_sink.messages)
    assert before < count, "the daemon finished before it could be killed mid-send"
    time.sleep(2.5)  # the dead sender's leases run out
    smtp_sink.handler.delay_s = 0
    again = run_cli("run", "--once", config=config)
    assert again.returncode == 0, again.stderr
    ids = [m["Message-ID"] for _, m in smtp_sink.messages]
    assert len(set(ids)) == count  # nothing lost
    assert len(ids) - len(set(ids)) <= 1  # at most the one in flight repeats, same Message-ID
    subjects = {m["Subject"] for _, m in smtp_sink.messages}
    assert len(subjects) == count
    pending = run_cli("alerts", "--status", "pending", config=config)
    assert "pending" not in pending.stdout.splitlines()[-1]


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL")
def test_two_daemons_on_postgresql_poll_once_per_interval_and_send_once(
    make_config, feed_server: FeedServer, smtp_sink: SmtpSink, db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("several instances need PostgreSQL")
    count = 12
    paths = [f"/feed{i}.xml" for i in range(3)]
    for i, path in enumerate(paths):
        feed_server.add(
            path, rss([(f"p{i}", f"Company{i} Robotics raises $5 million Series A", "")])
        )
    interval_s = 3.0
    config = make_config(
        sources=[
            {
                "name": f"feed{i}",
                "url": feed_server.base + path,
                "interval_minutes": interval_s / 60,
            }
            for i, path in enumerate(paths)
        ],
        accounts=_accounts(count),
        reps=REPS,
        database_url=db_url,
        smtp_port=smtp_sink.port,
        extra_settings="poll_tick_s = 0.5\nsend_tick_s = 0.5\naccount_daily_cap = 99\n",
    )
    first, second = _daemon(config), _daemon(config)
    try:
        _wait_for(lambda: len(smtp_sink.messages) >= 3, 90)
        # new reports arrive while both run
        for i, path in enumerate(paths):
            items = [(f"p{i}", f"Company{i} Robotics raises $5 million Series A", "")]
            items += [
                (f"q{j}", f"Company{j} Robotics raises $7 million Series B", "")
                for j in range(3 + i * 3, 6 + i * 3)
            ]
            feed_server.add(path, rss(items))
        _wait_for(lambda: len(smtp_sink.messages) >= 12, 90)
        time.sleep(interval_s * 2)  # more cycles in which a duplicate could show up
    finally:
        for proc in (first, second):
            proc.send_signal(signal.SIGTERM)
        codes = [proc.wait(timeout=60) for proc in (first, second)]
    logs = [proc.stderr.read() if proc.stderr else "" for proc in (first, second)]
    assert codes == [0, 0], [log[-3000:] for log in logs]
    assert (
        all("source polled" in log for log in logs)
        or sum(log.count("source polled") for log in logs) >= 6
    )
    for path in paths:
        times = feed_server.times[path]
        assert len(times) >= 2, (path, times)
        gaps = [b - a for a, b in pairwise(times)]
        assert min(gaps) >= interval_s * 0.8, (path, gaps)  # never polled twice per interval
    ids = [m["Message-ID"] for _, m in smtp_sink.messages]
    assert len(ids) == len(set(ids))  # no email sent twice
    subjects = sorted(m["Subject"] for _, m in smtp_sink.messages)
    assert len(subjects) == len(set(subjects)) == 3 + 9  # 3 first reports, 9 new rounds
