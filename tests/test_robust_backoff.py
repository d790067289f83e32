"""Source backoff rules through Pipeline.poll: 410 disables, 429 honours Retry-After (clamped),
other failures back off exponentially, a permanent redirect moves the source once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from extractors.accounts import AccountMatcher
from monitor.config import load_config
from monitor.cycle import Pipeline
from monitor.store.db import Database
from monitor.store.models import Source
from sources.fetch import Fetcher
from tests.conftest import FIXTURES, FeedServer, Route
from tests.helpers import NoEvents

FEED = (FIXTURES / "feeds" / "TechCrunch.xml").read_bytes()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def pipeline_for(config_dir: Path, db: Database, clock: Clock) -> Pipeline:
    config = load_config(config_dir)
    pipe = Pipeline(
        config,
        db,
        Fetcher(config.fetch),
        NoEvents(),  # type: ignore[arg-type]
        AccountMatcher(config.accounts),
        "test-owner",
        clock,
    )
    pipe.sync_sources()
    return pipe


def source_row(db: Database, name: str) -> Source:
    with db.session() as s:
        row = s.scalar(select(Source).where(Source.name == name))
        assert row is not None
        return row


@pytest.fixture
def db(db_url: str):
    database = Database(db_url)
    database.migrate()
    yield database
    database.dispose()


def test_gone_disables_the_source_until_its_url_changes(
    make_config, feed_server: FeedServer, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    gone = feed_server.add("/gone.xml", b"gone", status=410)
    clock = Clock()
    config = make_config(sources=[{"name": "old", "url": gone, "interval_minutes": 30}])
    pipe = pipeline_for(config, db, clock)
    with caplog.at_level(logging.WARNING):
        stats = pipe.poll()
    assert stats.failed == 1
    row = source_row(db, "old")
    assert row.disabled_reason and row.disabled_reason.startswith("gone")
    warnings = [r for r in caplog.records if "old" in r.getMessage()]
    assert len(warnings) == 1 and "source disabled" in warnings[0].getMessage()

    clock.now += timedelta(days=2)
    assert pipe.poll(ignore_schedule=True).sources == 0  # even run --once skips it
    assert pipe.poll().sources == 0
    assert feed_server.hits["/gone.xml"] == 1

    # A restart with the same config keeps it disabled; a new URL re-enables it.
    pipeline_for(config, db, clock).poll()
    assert feed_server.hits["/gone.xml"] == 1
    new = feed_server.add("/new.xml", FEED)
    config2 = make_config(sources=[{"name": "old", "url": new, "interval_minutes": 30}])
    pipe2 = pipeline_for(config2, db, clock)
    stats = pipe2.poll()
    assert stats.sources == 1 and stats.failed == 0 and stats.new_items > 0
    row = source_row(db, "old")
    assert row.disabled_reason is None and row.error_streak == 0 and row.url == new


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("7200", timedelta(hours=2)), ("5", timedelta(minutes=30)), ("999999", timedelta(hours=6))],
)
def test_rate_limited_honours_retry_after_clamped(
    make_config, feed_server: FeedServer, db: Database, retry_after: str, expected: timedelta
) -> None:
    feed_server.routes["/busy.xml"] = Route(429, b"slow down", {"Retry-After": retry_after})
    clock = Clock()
    config = make_config(
        sources=[{"name": "busy", "url": feed_server.base + "/busy.xml", "interval_minutes": 30}]
    )
    pipe = pipeline_for(config, db, clock)
    assert pipe.poll().failed == 1
    row = source_row(db, "busy")
    assert row.last_error_kind == "rate_limited"
    assert row.next_due_at == clock.now + expected
    clock.now += expected - timedelta(seconds=1)
    assert pipe.poll().sources == 0
    clock.now += timedelta(seconds=1)
    assert pipe.poll().sources == 1


def test_other_failures_back_off_exponentially(
    make_config, feed_server: FeedServer, db: Database
) -> None:
    feed_server.add("/broken.xml", b"oops", status=500)
    clock = Clock()
    config = make_config(
        sources=[{"name": "b", "url": feed_server.base + "/broken.xml", "interval_minutes": 10}]
    )
    pipe = pipeline_for(config, db, clock)
    delays = []
    for _ in range(7):
        assert pipe.poll().failed == 1
        row = source_row(db, "b")
        assert row.next_due_at is not None
        delays.append((row.next_due_at - clock.now).total_seconds() / 60)
        clock.now = row.next_due_at
    for streak, minutes in enumerate(delays):
        nominal = min(10 * 2**streak, 360)
        assert nominal * 0.89 <= minutes <= nominal * 1.11, delays
    assert source_row(db, "b").error_streak == 7


def test_permanent_redirect_moves_the_source_once_and_survives_restart(
    make_config, feed_server: FeedServer, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    new = feed_server.add("/new.xml", FEED)
    feed_server.routes["/old.xml"] = Route(301, b"", {"Location": new})
    clock = Clock()
    config = make_config(
        sources=[{"name": "m", "url": feed_server.base + "/old.xml", "interval_minutes": 10}]
    )
    with caplog.at_level(logging.INFO):
        pipe = pipeline_for(config, db, clock)
        pipe.poll()
        clock.now += timedelta(minutes=11)
        pipe.poll()
        pipe2 = pipeline_for(config, db, clock)  # a restart: the config still says /old.xml
        clock.now += timedelta(minutes=11)
        pipe2.poll()
    moved = [r for r in caplog.records if "source moved" in r.getMessage()]
    assert len(moved) == 1
    assert feed_server.hits["/old.xml"] == 1 and feed_server.hits["/new.xml"] == 3
    assert source_row(db, "m").url == new
