"""The report's aggregates on a seeded database (SQLite and PostgreSQL), and its HTML."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import event, select

from extractors.accounts import Account
from monitor.config import Config, load_config
from monitor.report import build_report, parse_since, render_html
from monitor.report.data import ReportData, VoteRow, Window
from monitor.store.db import Database
from monitor.store.models import Alert, AlertSource, EventRow, Feedback, Item, Source
from tests.helpers import seed_alert, write_config

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ACCOUNTS = (
    "name,aliases,domains,owner\n"
    "Agari,,agari.com,alice@example.com\n"
    "Gilt Groupe,,gilt.com,bob@example.com\n"
    "Stripe,,stripe.com,bob@example.com\n"
    "Databricks,,databricks.com,bob@example.com\n"
    "Asana,,asana.com,\n"
)
REPS = (
    "email,name,delivery,timezone\n"
    "alice@example.com,Alice,instant,UTC\n"
    "bob@example.com,Bob,instant,UTC\n"
)
SOURCES = [
    {"name": "TechCrunch", "url": "http://127.0.0.1:9/tc.xml"},
    {"name": "Reuters", "url": "http://127.0.0.1:9/reuters.xml"},
    {"name": "Quiet Feed", "url": "http://127.0.0.1:9/quiet.xml"},
    {"name": "Old Feed", "url": "http://127.0.0.1:9/old.xml"},
]


@pytest.fixture(scope="module")
def base_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """Loaded once: reading triggers.toml takes seconds, the report only needs the lists."""
    folder = tmp_path_factory.mktemp("report-config")
    return load_config(write_config(folder, sources=SOURCES, accounts=ACCOUNTS, reps=REPS))


@pytest.fixture
def setup(db_url: str, base_config: Config) -> Iterator[tuple[Database, Config]]:
    config = replace(base_config, database_url=db_url)
    db = Database(db_url)
    db.migrate()
    yield db, config
    db.dispose()


def add_alert(
    db: Database,
    *,
    source: str,
    account: str,
    type: str = "funding",
    created: datetime,
    rule: str | None = None,
    track: str | None = None,
    title: str | None = None,
    also: tuple[str, ...] = (),
) -> int:
    """An alert as the cycle writes it: item, event, alert and one report per source."""
    with db.session() as s:
        ids = {}
        for name in (source, *also):
            row = s.scalar(select(Source).where(Source.name == name))
            if row is None:
                row = Source(name=name, url=f"http://x/{name}", error_streak=0, polls=0)
                row.items_seen = 0
                s.add(row)
                s.flush()
            ids[name] = row.id
        item = Item(
            source_id=ids[source],
            item_key=uuid.uuid4().hex,
            title=title or f"{account} news",
            text="",
            url=f"https://example.com/{uuid.uuid4().hex[:6]}",
            published_at=created,
            fetched_at=created,
            extracted=True,
        )
        s.add(item)
        s.flush()
        ev = EventRow(
            item_id=item.id,
            type=type,
            company=account,
            attributes={},
            evidence=item.title,
            confidence=0.9,
            status="announced",
            created_at=created,
            rule=rule,
        )
        s.add(ev)
        s.flush()
        alert = Alert(
            event_id=ev.id,
            account=account,
            type=type,
            role="company",
            reason="test",
            recipient="alice@example.com",
            delivery="instant",
            dedupe_key={},
            facts={},
            created_at=created,
            talk_track=track,
        )
        s.add(alert)
        s.flush()
        for name in (source, *also):
            s.add(AlertSource(alert_id=alert.id, item_id=None, source=name, created_at=created))
        return alert.id


def vote(db: Database, alert_id: int, name: str, rep: str = "alice@example.com") -> None:
    with db.session() as s:
        s.add(
            Feedback(
                alert_id=alert_id,
                vote=name,
                recipient=rep,
                channel="cli",
                token=uuid.uuid4().hex,
                created_at=NOW,
            )
        )


def seed(db: Database) -> dict[str, int]:
    day = timedelta(days=1)
    a = {
        # seed_alert writes no alert_sources row: the event's item still names the source.
        "a1": seed_alert(db, "alice@example.com", "Agari", created=NOW - day),
        "a2": add_alert(
            db,
            source="TechCrunch",
            account="Gilt Groupe",
            type="acquisition",
            created=NOW - 2 * day,
            rule="acquisition:acquires",
            track="acquisition",
            also=("Reuters",),
        ),
        "a3": add_alert(
            db,
            source="TechCrunch",
            account="Agari",
            created=NOW - 2 * day,
            rule="funding:raises",
            track="funding/tier=enterprise",
        ),
        "a4": add_alert(db, source="Reuters", account="Stripe", type="ipo", created=NOW - 10 * day),
        "old": add_alert(db, source="Old Feed", account="Databricks", created=NOW - 40 * day),
    }
    vote(db, a["a3"], "useful")
    vote(db, a["a3"], "useful")  # the same rep's vote recorded twice counts once
    vote(db, a["a3"], "talk_track_helped")
    vote(db, a["a3"], "already_knew", "bob@example.com")
    vote(db, a["a2"], "wrong_company", "bob@example.com")
    vote(db, a["a2"], "not_a_trigger", "carol@example.com")
    vote(db, a["a1"], "useful")
    vote(db, a["old"], "wrong_company")  # outside the window
    with db.session() as s:
        s.add(
            Source(
                name="Removed Feed",
                url="http://gone.example/feed",
                error_streak=3,
                polls=5,
                items_seen=0,
                last_error_kind="http_404",
                last_error="404 Not Found",
            )
        )
    return a


def report(db: Database, config: Config, **kw: object) -> ReportData:
    return build_report(db, config, parse_since("30d", NOW), **kw)  # type: ignore[arg-type]


def test_alert_counts_per_type_source_and_account(setup: tuple[Database, Config]) -> None:
    db, config = setup
    seed(db)
    data = report(db, config)
    assert data.totals.alerts == 4 and data.totals.alerts_ever == 5
    assert [(r.name, r.total) for r in data.by_type.rows] == [
        ("funding", 2),
        ("acquisition", 1),
        ("ipo", 1),
    ]
    # a2 was reported by TechCrunch and Reuters: it counts for both.
    assert [(r.name, r.total) for r in data.by_source.rows] == [
        ("Reuters", 2),
        ("TechCrunch", 2),
        ("feed", 1),
    ]
    assert [(r.name, r.total) for r in data.by_account.rows] == [
        ("Agari", 2),
        ("Gilt Groupe", 1),
        ("Stripe", 1),
    ]
    # Daily buckets from the window's first day to today; each alert in its own day.
    assert data.window.bucket == "day"
    assert data.buckets[0] == (NOW - timedelta(days=30)).date() and data.buckets[-1] == NOW.date()
    funding = dict(zip(data.buckets, data.by_type.rows[0].series, strict=True))
    assert funding[date(2026, 11, 22)] == 1 and funding[date(2026, 11, 21)] == 1
    assert sum(funding.values()) == 2
    assert data.totals.accounts_alerted == 3 and data.totals.accounts_configured == 5
    assert data.totals.sources_alerting == 3  # TechCrunch, Reuters, feed


def test_top_n_folds_the_rest_into_others(setup: tuple[Database, Config]) -> None:
    db, config = setup
    seed(db)
    data = report(db, config, top=1)
    assert [(r.name, r.total) for r in data.by_account.rows] == [("Agari", 2)]
    assert (data.by_account.other_names, data.by_account.other_total) == (2, 2)
    assert len(data.by_type.rows) == 3  # types are never folded


def test_feedback_rates_and_precision(setup: tuple[Database, Config]) -> None:
    db, config = setup
    seed(db)
    data = report(db, config)
    overall = data.overall
    assert overall.votes == {
        "useful": 2,
        "already_knew": 1,
        "wrong_company": 1,
        "not_a_trigger": 1,
        "talk_track_helped": 1,
    }
    assert overall.precision_votes == 5 and overall.precision == pytest.approx(0.6)
    assert overall.precision_reliable
    assert (data.totals.votes, data.totals.voted_alerts) == (6, 3)

    by_type = {r.name: r for r in data.feedback_by_type.rows}
    assert by_type["funding"].precision == 1.0 and by_type["funding"].precision_votes == 3
    assert not by_type["funding"].precision_reliable  # 3 votes: "n too small"
    assert by_type["acquisition"].precision == 0.0
    assert by_type["ipo"].precision is None and by_type["ipo"].response_rate == 0.0

    by_source = {r.name: r for r in data.feedback_by_source.rows}
    assert (by_source["Reuters"].alerts, by_source["Reuters"].voted_alerts) == (2, 1)
    assert by_source["Reuters"].votes == {"wrong_company": 1, "not_a_trigger": 1}
    assert by_source["TechCrunch"].precision == pytest.approx(0.5)

    by_rule = {r.name: r for r in data.feedback_by_rule.rows}
    assert set(by_rule) == {"(unrecorded)", "funding:raises", "acquisition:acquires"}
    assert by_rule["(unrecorded)"].alerts == 2  # a1 and a4 have no rule recorded
    assert by_rule["funding:raises"].votes["useful"] == 1

    by_track = {r.name: r for r in data.feedback_by_track.rows}
    assert by_track["funding/tier=enterprise"].helped_rate == 1.0
    assert by_track["acquisition"].helped_rate == 0.0
    assert by_track["(unrecorded)"].alerts == 2


def test_silent_sources_unmatched_accounts_and_alert_lists(
    setup: tuple[Database, Config],
) -> None:
    db, config = setup
    a = seed(db)
    data = report(db, config)
    silent = {s.name: s for s in data.silent_sources}
    # Old Feed's only alert is 40 days old; Removed Feed is only in the database.
    assert list(silent) == ["Quiet Feed", "Old Feed", "Removed Feed"]
    assert silent["Quiet Feed"].in_config and silent["Quiet Feed"].last_success_at is None
    assert not silent["Removed Feed"].in_config
    assert silent["Removed Feed"].last_error_kind == "http_404"
    assert data.unmatched_accounts == 2
    assert [name for name, _ in data.unmatched_shown] == ["Databricks", "Asana"]
    # Newest first; a2 and a3 share a time, so the later id leads.
    assert [line.id for line in data.latest] == [a["a1"], a["a3"], a["a2"], a["a4"]]
    latest = {line.id: line for line in data.latest}
    assert latest[a["a3"]].votes == ("already_knew", "talk_track_helped", "useful")
    assert latest[a["a1"]].source == "feed" and latest[a["a1"]].rule == "(unrecorded)"
    assert sorted(line.vote or "" for line in data.voted_wrong) == [
        "not_a_trigger",
        "wrong_company",
    ]
    assert {line.id for line in data.voted_wrong} == {a["a2"]}


def test_query_count_does_not_grow_with_the_data(setup: tuple[Database, Config]) -> None:
    """Aggregates in SQL: ten times the alerts and votes, the same statements."""
    db, config = setup

    def statements() -> int:
        count = 0

        def on_execute(*_args: object) -> None:
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            report(db, config)
        finally:
            event.remove(db.engine, "before_cursor_execute", on_execute)
        return count

    seed(db)
    small = statements()
    for n in range(40):
        alert = add_alert(
            db,
            source=("TechCrunch", "Reuters")[n % 2],
            account=("Agari", "Stripe", "Gilt Groupe")[n % 3],
            type=("funding", "ipo")[n % 2],
            created=NOW - timedelta(hours=n * 7),
            rule=f"rule-{n % 4}",
        )
        vote(db, alert, ("useful", "wrong_company")[n % 2])
    assert statements() == small


def test_empty_database_gives_a_valid_report_saying_so(setup: tuple[Database, Config]) -> None:
    db, config = setup
    data = report(db, config)
    assert not data.has_data and data.totals.alerts == 0
    html = render_html(data)
    page = Page.of(html)
    assert "There is no data yet" in page.text
    assert page.tags.count("section") == 9 and "svg" not in page.tags
    assert data.unmatched_accounts == 5 and len(data.silent_sources) == 4


def test_html_escapes_every_stored_text_and_draws_bars(setup: tuple[Database, Config]) -> None:
    db, config = setup
    seed(db)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    add_alert(
        db,
        source=f"Evil {hostile}",
        account=f"Acme {hostile}",
        created=NOW - timedelta(hours=3),
        rule=f"rule {hostile}",
        track=f"track {hostile}",
        title=f"Acme raises {hostile}",
    )
    with db.session() as s:
        item = s.scalars(select(Item).order_by(Item.id.desc())).first()
        assert item is not None
        item.url = "javascript:alert(1)"
    voted = add_alert(db, source="TechCrunch", account="Acme", created=NOW, title=hostile)
    vote(db, voted, "wrong_company", f"rep{hostile}@example.com")
    html = render_html(report(db, config))
    page = Page.of(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert not any(v.startswith("javascript:") for v in page.hrefs)
    assert page.text.count(hostile) >= 6  # shown as text wherever it appears
    assert page.tags.count("svg") >= 1 and page.tags.count("rect") >= 5
    assert_self_contained(page)


def assert_self_contained(page: Page) -> None:
    """Nothing on the page makes a browser fetch anything."""
    assert not {"script", "link", "img", "iframe", "object", "embed", "image"} & set(page.tags)
    assert not {"src", "srcset", "poster", "xlink:href"} & page.attr_names
    assert all(h.startswith(("http://", "https://", "#")) for h in page.hrefs), page.hrefs
    assert "url(" not in page.style and "@import" not in page.style


def test_a_hundred_thousand_accounts_show_a_count_and_the_first_ones(
    setup: tuple[Database, Config],
) -> None:
    db, config = setup
    seed(db)
    many = tuple(Account(name=f"Account {n:06d}", owner="bob@example.com") for n in range(100_000))
    big = replace(config, accounts=(Account(name="Agari"), *many))
    started = time.monotonic()
    data = build_report(db, big, parse_since("30d", NOW))
    html = render_html(data)
    elapsed = time.monotonic() - started
    assert data.unmatched_accounts == 100_000
    assert data.unmatched_shown[0][0] == "Account 000000" and len(data.unmatched_shown) == 200
    assert "Account 000199" in html and "Account 000200" not in html
    assert len(html) < 200_000
    assert elapsed < 20, elapsed


@pytest.mark.parametrize(
    ("text", "start", "label", "bucket"),
    [
        ("30d", NOW - timedelta(days=30), "last 30 days", "day"),
        ("12h", NOW - timedelta(hours=12), "last 12 hours", "day"),
        ("2w", NOW - timedelta(weeks=2), "last 2 weeks", "day"),
        ("1d", NOW - timedelta(days=1), "last 1 day", "day"),
        ("26w", NOW - timedelta(weeks=26), "last 26 weeks", "week"),
        ("2025-01-01", datetime(2025, 1, 1, tzinfo=UTC), "since 2025-01-01", "month"),
        ("2026-11-01T08:00+01:00", datetime(2026, 11, 1, 7, 0, tzinfo=UTC), None, "day"),
    ],
)
def test_since_accepts_periods_and_dates(
    text: str, start: datetime, label: str | None, bucket: str
) -> None:
    window = parse_since(text, NOW)
    assert window.start == start and window.end == NOW and window.bucket == bucket
    if label:
        assert window.label == label
    buckets = window.buckets()
    assert buckets[0] <= start.date() and buckets[-1] <= NOW.date()
    assert len(buckets) == len(set(buckets))


@pytest.mark.parametrize("text", ["30", "thirty days", "0d", "-3d", "2027-01-01", "30y", ""])
def test_since_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError, match="--since"):
        parse_since(text, NOW)


def test_precision_needs_verdict_votes() -> None:
    row = VoteRow("x", alerts=4, voted_alerts=1, votes={"talk_track_helped": 1})
    assert row.precision is None and row.precision_votes == 0
    assert row.helped_rate == 0.25
    assert Window(NOW, NOW, "now").buckets() == [NOW.date()]


class Page(HTMLParser):
    """Tags, hrefs and text of a page, the way a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.chunks: list[str] = []
        self.attr_names: set[str] = set()
        self.style = ""
        self._in_style = False

    @classmethod
    def of(cls, html: str) -> Page:
        page = cls()
        page.feed(html)
        return page

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]
        self.attr_names |= {k for k, _ in attrs}
        self.style += " ".join(v or "" for k, v in attrs if k == "style")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.chunks.append(data)
