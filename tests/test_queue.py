"""The alert queue on SQLite and PostgreSQL with a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.alerts import queue
from monitor.alerts.mailer import SmtpMailer
from monitor.config import Config, load_config
from monitor.store.db import Database
from monitor.store.models import Alert, Email
from tests.conftest import SmtpSink
from tests.helpers import seed_alert

REPS = (
    "email,name,delivery,timezone\n"
    "alice@example.com,Alice,instant,America/New_York\n"
    "bob@example.com,Bob,instant,UTC\n"
    "dora@example.com,Dora,daily,Europe/Berlin\n"
)
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def setup(db_url: str, smtp_sink: SmtpSink, make_config) -> tuple[Database, Config]:
    config = load_config(make_config(database_url=db_url, smtp_port=smtp_sink.port, reps=REPS))
    db = Database(db_url)
    db.migrate()
    yield db, config
    db.dispose()


def seed(
    db: Database,
    recipient: str,
    account: str = "Agari",
    *,
    delivery: str = "instant",
    created: datetime = T0,
) -> int:
    return seed_alert(db, recipient, account, delivery=delivery, created=created)


def cycle(db: Database, config: Config, now: datetime, owner: str = "a") -> queue.SendStats:
    queue.compose(db, config, now)
    mailer = SmtpMailer(config.mail)
    try:
        return queue.deliver(db, config, mailer, owner, now)
    finally:
        mailer.close()


def email_of(db: Database, alert_id: int) -> Email | None:
    with db.session() as s:
        alert = s.get(Alert, alert_id)
        assert alert is not None
        return s.get(Email, alert.email_id) if alert.email_id else None


def test_instant_alert_is_sent_once(setup, smtp_sink: SmtpSink) -> None:
    db, config = setup
    seed(db, "alice@example.com")
    assert cycle(db, config, T0).sent == 1
    assert cycle(db, config, T0 + timedelta(minutes=1)).sent == 0
    assert cycle(db, config, T0 + timedelta(days=1)).sent == 0
    [msg] = smtp_sink.to("alice@example.com")
    assert msg["Subject"].startswith("[Funding] Agari raised $2.5M")


def test_smtp_outage_keeps_alerts_pending_then_sends_each_once(setup, smtp_sink: SmtpSink) -> None:
    db, config = setup
    ids = [seed(db, "alice@example.com", f"Acct{i}") for i in range(3)]
    smtp_sink.stop()
    stats = cycle(db, config, T0)
    assert (stats.sent, stats.retried) == (0, 3)
    assert all(email_of(db, i).status == "pending" for i in ids)
    assert all(email_of(db, i).attempts == 1 for i in ids)
    # still down a bit later: retried with backoff, never dropped
    assert cycle(db, config, T0 + timedelta(seconds=5)).retried == 3
    smtp_sink.start()
    assert cycle(db, config, T0 + timedelta(seconds=6)).sent == 0  # backoff not over yet
    assert cycle(db, config, T0 + timedelta(minutes=5)).sent == 3
    assert cycle(db, config, T0 + timedelta(minutes=10)).sent == 0
    assert len(smtp_sink.to("alice@example.com")) == 3
    assert len({m["Message-ID"] for m in smtp_sink.to("alice@example.com")}) == 3


def test_permanent_rejection_fails_one_and_delivers_others(setup, smtp_sink: SmtpSink) -> None:
    db, config = setup
    smtp_sink.handler.reject["bob@example.com"] = "550 5.1.1 No such user here"
    bob = seed(db, "bob@example.com", "Stripe")
    alice = seed(db, "alice@example.com", "Agari")
    stats = cycle(db, config, T0)
    assert (stats.sent, stats.failed) == (1, 1)
    failed = email_of(db, bob)
    assert failed is not None and failed.status == "failed"
    assert "550" in (failed.last_error or "") and "No such user" in (failed.last_error or "")
    assert email_of(db, alice).status == "sent"
    # an operator fixes the address and re-queues it
    del smtp_sink.handler.reject["bob@example.com"]
    assert queue.retry_now(db, bob, T0 + timedelta(minutes=1))
    assert not queue.retry_now(db, alice, T0 + timedelta(minutes=1))  # was not failed
    assert cycle(db, config, T0 + timedelta(minutes=1)).sent == 1
    assert len(smtp_sink.to("bob@example.com")) == 1


def test_daily_digest_follows_rep_time_zone(setup, smtp_sink: SmtpSink) -> None:
    db, config = setup
    seed(db, "dora@example.com", "Agari", delivery="daily", created=T0)
    seed(db, "dora@example.com", "Stripe", delivery="daily", created=T0 + timedelta(hours=2))
    # 2026-03-02 06:59 UTC is 07:59 in Berlin: not yet
    assert cycle(db, config, datetime(2026, 3, 2, 6, 59, tzinfo=UTC)).sent == 0
    # 07:00 UTC = 08:00 Berlin: one digest with both alerts
    assert cycle(db, config, datetime(2026, 3, 2, 7, 0, tzinfo=UTC)).sent == 1
    [digest] = smtp_sink.to("dora@example.com")
    assert digest["Subject"] == "Trigger digest: 2 alerts for Agari, Stripe"
    assert cycle(db, config, datetime(2026, 3, 3, 7, 0, tzinfo=UTC)).sent == 0


def test_digest_cutoff() -> None:
    now = datetime(2026, 7, 1, 5, 0, tzinfo=UTC)  # 01:00 in New York (EDT, UTC-4)
    cut = queue.digest_cutoff(now, "America/New_York", 8)
    assert cut == datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def test_two_senders_never_claim_the_same_email(setup) -> None:
    db, config = setup
    for i in range(6):
        seed(db, "alice@example.com", f"A{i}")
    queue.compose(db, config, T0)
    first = queue.claim(db, "one", T0)
    second = queue.claim(db, "two", T0)
    assert len(first) == 6 and second == []
    # after the lease runs out (the first sender died) another takes over
    later = queue.claim(db, "two", T0 + queue.SEND_LEASE + timedelta(seconds=1))
    assert sorted(later) == sorted(first)


def test_crash_after_acceptance_repeats_once_with_same_message_id(
    setup, smtp_sink: SmtpSink
) -> None:
    db, config = setup
    alert = seed(db, "alice@example.com")
    queue.compose(db, config, T0)
    [email_id] = queue.claim(db, "dead", T0)
    with db.session() as s:
        email = s.get(Email, email_id)
        assert email is not None
        body, mid = email.body, email.message_id
    mailer = SmtpMailer(config.mail)
    mailer.send(body, config.mail.sender, "alice@example.com", mid)  # accepted, then "crash"
    mailer.close()
    assert cycle(db, config, T0 + timedelta(minutes=1), owner="b").sent == 0  # lease held
    assert cycle(db, config, T0 + timedelta(minutes=6), owner="b").sent == 1
    assert cycle(db, config, T0 + timedelta(minutes=20), owner="b").sent == 0
    msgs = smtp_sink.to("alice@example.com")
    assert len(msgs) == 2 and {m["Message-ID"] for m in msgs} == {mid}
    assert email_of(db, alert).status == "sent"


def test_outbox_not_writable_keeps_alert_pending(setup, tmp_path: Path) -> None:
    from monitor.alerts.mailer import OutboxMailer

    db, config = setup
    alert = seed(db, "alice@example.com")
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    queue.compose(db, config, T0)
    stats = queue.deliver(db, config, OutboxMailer(blocker / "outbox"), "a", T0)
    assert stats.retried == 1 and email_of(db, alert).status == "pending"
    good = OutboxMailer(tmp_path / "outbox")
    assert queue.deliver(db, config, good, "a", T0 + timedelta(minutes=5)).sent == 1
    [eml] = list((tmp_path / "outbox").glob("*.eml"))
    assert "Agari raised $2.5M" in eml.read_text()


QUIET_REPS = (
    "email,name,delivery,timezone,quiet_hours,digest_hour\n"
    "alice@example.com,Alice,instant,America/New_York,,\n"
    "wes@example.com,Wes,weekly,Asia/Tokyo,,9\n"
)


@pytest.fixture
def quiet_setup(db_url: str, smtp_sink: SmtpSink, make_config) -> tuple[Database, Config]:
    config = load_config(
        make_config(
            database_url=db_url,
            smtp_port=smtp_sink.port,
            reps=QUIET_REPS,
            quiet_hours="20:00-07:00",
        )
    )
    db = Database(db_url)
    db.migrate()
    yield db, config
    db.dispose()


def test_instant_alerts_wait_out_quiet_hours_in_rep_time_zone(quiet_setup, smtp_sink) -> None:
    db, config = quiet_setup
    night = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 22:00 in New York
    seed(db, "alice@example.com", created=night)
    assert cycle(db, config, night).sent == 0
    assert cycle(db, config, datetime(2026, 3, 2, 11, 59, tzinfo=UTC)).sent == 0  # 06:59 NY
    assert cycle(db, config, datetime(2026, 3, 2, 12, 0, tzinfo=UTC)).sent == 1  # 07:00 NY


def test_account_cap_moves_the_rest_to_the_digest(setup, smtp_sink) -> None:
    db, config = setup
    for i in range(5):
        seed(db, "alice@example.com", "Agari", created=T0 + timedelta(minutes=i))
    assert cycle(db, config, T0 + timedelta(minutes=10)).sent == 3
    assert len(smtp_sink.to("alice@example.com")) == 3
    # the two over the cap go out in the next daily digest (08:00 New York = 13:00 UTC)
    assert cycle(db, config, datetime(2026, 3, 1, 12, 59, tzinfo=UTC)).sent == 0
    assert cycle(db, config, datetime(2026, 3, 2, 13, 0, tzinfo=UTC)).sent == 1
    digest = smtp_sink.to("alice@example.com")[-1]
    assert digest["Subject"] == "Trigger digest: 2 alerts for Agari"


def test_weekly_digest_on_the_configured_day_and_hour(quiet_setup, smtp_sink) -> None:
    db, config = quiet_setup
    seed(db, "wes@example.com", delivery="weekly", created=datetime(2026, 3, 3, 0, 0, tzinfo=UTC))
    # Monday 2026-03-09 09:00 in Tokyo is 00:00 UTC
    assert cycle(db, config, datetime(2026, 3, 8, 23, 59, tzinfo=UTC)).sent == 0
    assert cycle(db, config, datetime(2026, 3, 9, 0, 0, tzinfo=UTC)).sent == 1
    assert cycle(db, config, datetime(2026, 3, 10, 0, 0, tzinfo=UTC)).sent == 0


def test_quiet_hours_and_cutoffs() -> None:
    from monitor.config import parse_quiet_hours

    assert parse_quiet_hours("20:00-07:00") == (1200, 420)
    assert parse_quiet_hours("none") is None
    with pytest.raises(ValueError):
        parse_quiet_hours("8pm-7am")
    quiet = (1200, 420)
    assert queue.in_quiet_hours(datetime(2026, 1, 1, 21, 0, tzinfo=UTC), "UTC", quiet)
    assert queue.in_quiet_hours(datetime(2026, 1, 1, 6, 59, tzinfo=UTC), "UTC", quiet)
    assert not queue.in_quiet_hours(datetime(2026, 1, 1, 7, 0, tzinfo=UTC), "UTC", quiet)
    assert not queue.in_quiet_hours(datetime(2026, 1, 1, 12, 0, tzinfo=UTC), "UTC", (780, 840))
    assert queue.in_quiet_hours(datetime(2026, 1, 1, 13, 30, tzinfo=UTC), "UTC", (780, 840))


def test_routing_respects_rep_event_types_and_confidence(make_config) -> None:
    from extractors.accounts import Account, AccountMatch
    from monitor.alerts.routing import routes_for

    config = load_config(
        make_config(
            reps="email,name,delivery,event_types,min_confidence\n"
            "f@example.com,F,instant,funding;ipo,0.8\n"
            "all@example.com,A,daily,,\n",
        )
    )
    matches = [
        AccountMatch(Account("X", owner="f@example.com"), "company", "r"),
        AccountMatch(Account("Y", owner="all@example.com"), "company", "r"),
        AccountMatch(Account("Z", owner=None), "company", "r"),  # goes to the default
    ]
    routes = routes_for(matches, config, "funding", 0.9)
    assert [(r.account, r.recipient, r.delivery) for r in routes] == [
        ("X", "f@example.com", "instant"),
        ("Y", "all@example.com", "daily"),
        ("Z", "ops@example.com", "instant"),
    ]
    assert [r.account for r in routes_for(matches, config, "funding", 0.5)] == ["Y", "Z"]
    assert [r.account for r in routes_for(matches, config, "layoff", 0.9)] == ["Y", "Z"]
