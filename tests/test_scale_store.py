"""Batched storing (several sources per transaction) keeps the one-item-once guarantees,
and adaptive intervals follow the feed: on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from extractors.accounts import AccountMatcher
from monitor.config import load_config
from monitor.cycle import Pipeline
from monitor.intervals import Bounds, next_interval, publishing_gap
from monitor.store import repo
from monitor.store.db import Database
from monitor.store.models import Item, Source
from sources.fetch import Fetcher, parse_max_age
from sources.records import FeedItem
from tests.conftest import FeedServer, Route
from tests.helpers import NoEvents

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(db_url: str):
    database = Database(db_url)
    database.migrate()
    yield database
    database.dispose()


def item(key: str, title: str, text: str = "body") -> FeedItem:
    return FeedItem(id=key, title=title, text=text, url=f"https://example.com/{key}")


def sources(db: Database, *names: str) -> list[int]:
    repo.sync_sources(db, ((n, f"https://example.com/{n}.xml") for n in names))
    with db.session() as s:
        return [s.scalar(select(Source.id).where(Source.name == n)) for n in names]  # type: ignore[misc]


def test_batch_stores_each_item_once_and_links_copies_within_the_batch(db: Database) -> None:
    a, b = sources(db, "a", "b")
    story = "Acme raises $5M from Example Ventures to grow its widget business"
    with db.session() as s:
        new = repo.store_items(
            s,
            [
                (a, [item("1", story), item("2", "Other news"), item("1", story)]),
                (b, [item("x", story), item("2", "Same key, other source")]),
            ],
            NOW,
        )
    assert new == {a: 2, b: 2}
    with db.session() as s:
        rows = {(r.source_id, r.item_key): r for r in s.scalars(select(Item))}
        # b's copy of a's story (same opening words) points at a's item, stored in the
        # same transaction; the same key from two sources is two items.
        assert rows[(b, "x")].duplicate_of == rows[(a, "1")].id
        assert rows[(a, "1")].duplicate_of is None and rows[(b, "2")].duplicate_of is None
    with db.session() as s:  # the next poll of the same feeds stores nothing again
        again = repo.store_items(s, [(a, [item("1", story)]), (b, [item("x", story)])], NOW)
    assert again == {}
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == 4


def test_a_row_another_writer_stored_first_is_skipped_not_doubled(db: Database) -> None:
    (a,) = sources(db, "a")
    with db.session() as s:
        repo.store_items(s, [(a, [item("1", "First")])], NOW)
    # Another instance stored key "1" between our known-key check and our insert: the
    # insert skips it (ON CONFLICT DO NOTHING) and counts only what it really added.
    with db.session() as s:
        row = {
            "source_id": a,
            "item_key": "1",
            "title": "First",
            "text": "",
            "url": None,
            "published_at": None,
            "fetched_at": NOW,
            "extracted": False,
            "fingerprint": "f",
            "duplicate_of": None,
        }
        counts: dict[int, int] = {}
        ids = repo._insert_items(s, [row, {**row, "item_key": "2"}], counts)
    assert ids[0] is None and ids[1] is not None and counts == {a: 1}


def test_one_transaction_commits_items_with_cache_state_and_next_due(db: Database) -> None:
    a, _ = sources(db, "a", "b")
    due = {
        d.name: d
        for d in repo.claim_due_sources(db, "me", NOW, {"a": 30, "b": None}, ignore_schedule=True)
    }
    assert set(due) == {"a", "b"} and due["b"].adaptive and not due["a"].adaptive
    polled = [
        repo.Polled(due["a"], [item("1", "One")], '"e1"', None, NOW + timedelta(minutes=30)),
        repo.Polled(due["b"], [], None, "Mon", NOW + timedelta(hours=2), moved_to="https://n/"),
    ]
    with db.session() as s:
        assert repo.record_successes(s, polled, NOW) == {a: 1}
    with db.session() as s:
        rows = {r.name: r for r in s.scalars(select(Source))}
    assert rows["a"].etag == '"e1"' and rows["a"].items_seen == 1 and rows["a"].polls == 1
    assert rows["b"].last_modified == "Mon" and rows["b"].url == "https://n/"
    assert rows["a"].url == "https://example.com/a.xml"
    assert rows["b"].next_due_at == NOW + timedelta(hours=2)
    assert rows["a"].lease_owner is None and rows["b"].lease_until is None
    # The next claim knows b's last interval (2 h), which a 304 keeps.
    later = NOW + timedelta(hours=3)
    again = {d.name: d for d in repo.claim_due_sources(db, "me", later, {"a": 30, "b": None})}
    assert again["b"].previous_s == 7200 and again["b"].interval_minutes == 120
    assert not again["a"].first_poll


# ----------------------------------------------------------------------------- intervals

BOUNDS = Bounds(timedelta(minutes=5), timedelta(hours=6))


def dates(*hours_ago: float) -> list[datetime | None]:
    return [NOW - timedelta(hours=h) for h in hours_ago]


def test_publishing_gap_counts_the_silence_since_the_last_item() -> None:
    assert publishing_gap(dates(1, 2, 3, 4), NOW) == timedelta(hours=1)
    # four items in a burst a day ago: a quiet feed now, not one that posts every minute
    assert publishing_gap(dates(24, 24.01, 24.02, 24.03), NOW) == timedelta(hours=24.03 / 4)
    assert publishing_gap([None, NOW - timedelta(hours=1)], NOW) is None


@pytest.mark.parametrize(
    ("published", "hint", "previous", "expected"),
    [
        (dates(1, 2, 3, 4), None, None, timedelta(hours=1)),  # follows the rate
        (dates(0.01, 0.02, 0.03), None, None, timedelta(minutes=5)),  # floor
        (dates(30, 60, 90), None, None, timedelta(hours=6)),  # ceiling
        (dates(1, 2, 3, 4), timedelta(hours=2), None, timedelta(hours=2)),  # ttl / max-age
        (None, None, timedelta(minutes=47), timedelta(minutes=47)),  # 304 keeps the last
        ([], None, None, timedelta(minutes=30)),  # no dates, no history: the start value
        (dates(1, 2), timedelta(days=3), None, timedelta(hours=6)),  # hints stay in bounds
    ],
)
def test_next_interval(published, hint, previous, expected) -> None:
    got = next_interval(
        fixed=None, bounds=BOUNDS, now=NOW, published=published, hint=hint, previous=previous
    )
    assert got == expected


def test_fixed_interval_is_kept_as_configured() -> None:
    got = next_interval(
        fixed=timedelta(minutes=1),
        bounds=BOUNDS,
        now=NOW,
        published=dates(30, 60),
        hint=timedelta(hours=1),
        previous=None,
    )
    assert got == timedelta(minutes=1)


def test_max_age_parsing() -> None:
    assert parse_max_age("public, max-age=600") == 600
    assert parse_max_age("max-age=60, must-revalidate") == 60
    assert parse_max_age("no-cache, max-age=60") is None
    assert parse_max_age("private") is None and parse_max_age(None) is None


def pipeline(config, database: Database, extractor=None, **kwargs) -> Pipeline:
    """The daemon's Pipeline on `database`, at NOW, with no events unless given an extractor."""
    return Pipeline(
        config,
        database,
        Fetcher(config.fetch),
        extractor or NoEvents(),  # type: ignore[arg-type]
        AccountMatcher(config.accounts),
        "me",
        lambda: NOW,
        **kwargs,
    )


def rss(spacing: timedelta, *, ttl: str = "") -> bytes:
    entries = "".join(
        f"<item><guid>g{k}</guid><title>Item {k}</title>"
        f"<pubDate>{(NOW - spacing * (k + 1)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        "</item>"
        for k in range(5)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{ttl}'
        f"{entries}</channel></rss>"
    ).encode()


def test_poll_schedules_each_source_by_its_rate_and_hints(
    db_url: str, make_config, feed_server: FeedServer
) -> None:
    feed_server.add("/hourly.xml", rss(timedelta(hours=1)))
    feed_server.add("/ttl.xml", rss(timedelta(minutes=10), ttl="<ttl>90</ttl>"))
    feed_server.routes["/cached.xml"] = Route(
        body=rss(timedelta(minutes=10)),
        headers={"Content-Type": "application/rss+xml", "Cache-Control": "public, max-age=7200"},
    )
    feed_server.add("/fixed.xml", rss(timedelta(hours=1)))
    config_dir: Path = make_config(
        sources=[
            {"name": "hourly", "url": feed_server.base + "/hourly.xml"},
            {"name": "ttl", "url": feed_server.base + "/ttl.xml"},
            {"name": "cached", "url": feed_server.base + "/cached.xml"},
            {"name": "fixed", "url": feed_server.base + "/fixed.xml", "interval_minutes": 7},
        ],
        database_url=db_url,
        fetch_settings="min_interval_minutes = 15\nmax_interval_minutes = 240\n",
    )
    config = load_config(config_dir)
    database = Database(config.database_url)
    database.migrate()
    try:
        pipe = pipeline(config, database)
        pipe.sync_sources()
        stats = pipe.poll(ignore_schedule=True)
        assert stats.sources == 4 and stats.new_items == 20 and stats.failed == 0
        with database.session() as s:
            due = {r.name: r.next_due_at - NOW for r in s.scalars(select(Source))}
    finally:
        database.dispose()
    assert due == {
        "hourly": timedelta(hours=1),  # 5 items an hour apart
        "ttl": timedelta(minutes=90),  # 10-minute rate, but <ttl>90</ttl>
        "cached": timedelta(hours=2),  # 10-minute rate, but max-age=7200
        "fixed": timedelta(minutes=7),  # interval_minutes in sources.toml wins
    }


def test_fetch_settings_are_read_and_bad_values_name_file_and_line(make_config) -> None:
    from monitor.config import check_config

    good = load_config(
        make_config(
            fetch_settings="workers = 64\nper_host_concurrency = 4\nper_host_min_gap_s = 0.5\n"
            "min_interval_minutes = 2\nmax_interval_minutes = 120\n"
        )
    )
    assert (good.fetch.workers, good.fetch.per_host_concurrency) == (64, 4)
    assert good.fetch.per_host_min_gap_s == 0.5
    assert (good.fetch.min_interval_minutes, good.fetch.max_interval_minutes) == (2, 120)
    folder = make_config(
        fetch_settings="workers = 0\nper_host_concurrency = 0\nper_host_min_gap_s = -1\n"
        "min_interval_minutes = 30\nmax_interval_minutes = 10\n"
    )
    settings = folder / "settings.toml"
    lines = settings.read_text().splitlines()
    text = "\n".join(str(p) for p in check_config(folder))

    def at(key: str) -> str:
        return f"{settings}:{next(i + 1 for i, x in enumerate(lines) if x.startswith(key))}: "

    assert at("workers") + "[fetch] workers must be 1-512" in text
    assert at("per_host_concurrency") + "[fetch] per_host_concurrency must be 1-64" in text
    assert at("per_host_min_gap_s") + "[fetch] per_host_min_gap_s must be 0-600 seconds" in text
    assert at("max_interval_minutes") + "[fetch] max_interval_minutes must be >= 30 (min)" in text


def test_a_poll_fetches_each_due_source_once_while_it_leases_more(
    db_url: str, make_config, feed_server: FeedServer
) -> None:
    """The loop leases more sources while fetches are in flight; it must not lease again
    the ones it is still fetching (its own unexpired leases)."""
    for n in range(3):
        feed_server.add(f"/slow{n}.xml", rss(timedelta(hours=1)), delay_s=0.4)
    config = load_config(
        make_config(
            sources=[
                {"name": f"s{n}", "url": f"{feed_server.base}/slow{n}.xml", "interval_minutes": 5}
                for n in range(3)
            ],
            database_url=db_url,
        )
    )
    database = Database(config.database_url)
    database.migrate()
    try:
        pipe = pipeline(config, database, workers=8)
        pipe.sync_sources()
        stats = pipe.poll()
        assert stats.sources == 3 and pipe.poll().sources == 0  # not due again yet
    finally:
        database.dispose()
    assert [feed_server.hits[f"/slow{n}.xml"] for n in range(3)] == [1, 1, 1]


def test_a_steady_poll_parses_only_new_entries_and_still_stores_every_item(
    db_url: str,
    make_config,
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second poll serves two new entries on top of five stored ones: only the two are
    parsed, all seven dates still set the interval, and a restarted pipeline (empty memory
    of entries) parses the whole feed again and stores nothing twice."""

    def feed(count: int) -> bytes:
        entries = "".join(
            f"<item><guid>g{k}</guid><title>Item {k}</title>"
            f"<pubDate>{(NOW - timedelta(hours=k)).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
            "</pubDate></item>"
            for k in range(-count + 5, 5)
        )
        return f'<rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'.encode()

    feed_server.add("/f.xml", feed(5))
    config = load_config(
        make_config(
            sources=[{"name": "f", "url": f"{feed_server.base}/f.xml"}], database_url=db_url
        )
    )
    database = Database(config.database_url)
    database.migrate()

    dates: list[list[datetime | None]] = []

    def spy(**kwargs):  # the dates the interval is computed from
        dates.append(sorted(kwargs["published"]))
        return next_interval(**kwargs)

    monkeypatch.setattr("monitor.cycle.next_interval", spy)

    try:
        pipe = pipeline(config, database)
        pipe.sync_sources()
        caplog.set_level("INFO", logger="monitor.cycle")
        assert pipe.poll(ignore_schedule=True).new_items == 5
        feed_server.add("/f.xml", feed(7))  # guids g-2 and g-1, an hour apart, on top
        assert pipe.poll(ignore_schedule=True).new_items == 2
        assert "source polled source=f status=200 items=7 new=2 parsed=2" in caplog.text
        assert len(pipe.stored_entries[next(iter(pipe.stored_entries))]) == 7
        with database.session() as s:
            assert s.scalar(select(func.count()).select_from(Item)) == 7
        # All seven dates count for the interval, the five skipped ones included.
        assert dates[-1] == [NOW - timedelta(hours=k) for k in range(4, -3, -1)]
        caplog.clear()
        assert pipeline(config, database).poll(ignore_schedule=True).new_items == 0
        assert "items=7 new=0 parsed=7" in caplog.text
    finally:
        database.dispose()


def test_copies_join_their_originals_alert_even_in_the_same_batch(
    db_url: str, make_config, feed_server: FeedServer
) -> None:
    """Extraction marks quiet items in bulk; a syndicated copy whose original alerts (stored
    and extracted in the same batch) still adds its source to that alert, and a copy of a
    quiet item is only marked."""
    from extractors.nlp import load_pipeline
    from monitor.store.models import Alert, AlertSource

    funding = (
        "Email Security Startup Agari Raises $2.5M From Alloy, Battery, Greylock And First Round",
        "Agari, an email security startup, has raised $2.5 million in Series A funding.",
    )
    quiet = ("The weather was mild across the region", "Forecasters expect rain on Sunday.")

    def feed(prefix: str) -> bytes:
        entries = "".join(
            f"<item><guid>{prefix}-{n}</guid><title>{title}</title>"
            f"<link>https://{prefix}.example.com/{n}</link><description>{text}</description></item>"
            for n, (title, text) in enumerate((funding, quiet))
        )
        return (
            f'<rss version="2.0"><channel><title>{prefix}</title>{entries}</channel></rss>'.encode()
        )

    feed_server.add("/a.xml", feed("a"))
    feed_server.add("/b.xml", feed("b"))
    config = load_config(
        make_config(
            sources=[
                {"name": "a", "url": f"{feed_server.base}/a.xml"},
                {"name": "b", "url": f"{feed_server.base}/b.xml"},
            ],
            accounts="name,aliases,domains,owner\nAgari,,,rep@example.com\n",
            reps="email,name,delivery,timezone\nrep@example.com,Rep,instant,UTC\n",
            database_url=db_url,
        )
    )
    assert config.triggers is not None
    database = Database(config.database_url)
    database.migrate()
    try:
        pipe = pipeline(config, database, load_pipeline(config.nlp_model, config.triggers))
        pipe.sync_sources()
        stats = pipe.poll(ignore_schedule=True)
        assert stats.new_items == 4 and stats.alerts == 1
        with database.session() as s:
            assert s.scalar(select(func.count()).where(Item.extracted.is_(False))) == 0
            copies = s.scalar(select(func.count()).where(Item.duplicate_of.is_not(None)))
            assert copies == 2
            (alert,) = s.scalars(select(Alert)).all()
            assert alert.type == "funding" and alert.account == "Agari"
            reports = sorted(
                s.scalars(select(AlertSource.source).where(AlertSource.alert_id == alert.id))
            )
            assert reports == ["a", "b"]
    finally:
        database.dispose()


class QuietFirstPass(NoEvents):
    """Its first pass finds nothing in titles that say 'quiet'; remembers what it extracts."""

    def __init__(self) -> None:
        self.extracted: list[str] = []

    def to_parse(self, item, matcher=None):
        return [] if "quiet" in item.title else super().to_parse(item, matcher)

    def extract_prepared(self, items):
        self.extracted += [text for i in items for part, text in i.parts if part == "title"]
        return super().extract_prepared(items)


def test_items_the_first_pass_rules_out_are_stored_as_extracted(
    db_url: str, make_config, feed_server: FeedServer
) -> None:
    """Most items of a first poll name no account or have no cue: they are stored already
    extracted, and extraction loads only the rest. A syndicated copy is never settled, since
    only extraction attaches a copy to its original's alerts."""

    def feed(*titles: str) -> bytes:
        entries = "".join(
            f"<item><guid>{t}</guid><title>{t}</title><description>same words</description>"
            f"<pubDate>{NOW.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
            for t in titles
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel>{entries}</channel></rss>'.encode()
        )

    feed_server.add("/a.xml", feed("quiet one", "loud one", "quiet shared"))
    feed_server.add("/b.xml", feed("quiet shared"))
    config = load_config(
        make_config(
            sources=[
                {"name": "a", "url": feed_server.base + "/a.xml"},
                {"name": "b", "url": feed_server.base + "/b.xml"},
            ],
            database_url=db_url,
        )
    )
    database = Database(config.database_url)
    database.migrate()
    try:
        extractor = QuietFirstPass()
        pipe = pipeline(config, database, extractor)
        pipe.sync_sources()
        seen: dict[tuple[str, bool], bool] = {}
        real_extract = pipe.extract_pending

        def before_extraction(stats):
            with database.session() as s:
                rows = s.execute(select(Item.title, Item.duplicate_of, Item.extracted))
                seen.update(((title, copy is not None), done) for title, copy, done in rows)
            real_extract(stats)

        pipe.extract_pending = before_extraction  # type: ignore[method-assign]
        assert pipe.poll(ignore_schedule=True).new_items == 4
        assert seen == {
            ("quiet one", False): True,
            ("loud one", False): False,
            ("quiet shared", False): True,
            ("quiet shared", True): False,  # the copy
        }
        assert extractor.extracted == ["loud one"]  # the copy goes the copy's way, no NLP
        with database.session() as s:
            assert s.scalar(select(func.count()).where(Item.extracted.is_(False))) == 0
    finally:
        database.dispose()
