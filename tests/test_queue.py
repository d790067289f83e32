"""The alert queue on SQLite and PostgreSQL with a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.alerts import queue
from monitor.alerts.mailer import SmtpMailer
from monitor.config import Config, load_config
from monitor.store.db import Database
from monitor.store.models import Alert, Email, EventRow, Item, Source
from tests.conftest import SmtpSink

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
    with db.session() as s:
        source = s.scalar(select(Source).where(Source.name == "feed"))
        if source is None:
            source = Source(name="feed", url="http://x", error_streak=0, polls=0, items_seen=0)
            s.add(source)
            s.flush()
        item = Item(
            source_id=source.id,
            item_key=f"k{created.timestamp()}{account}{recipient}",
            title=f"{account} raises $2.5M",
            text="",
            url="https://example.com/a",
            published_at=created,
            fetched_at=created,
            extracted=True,
        )
        s.add(item)
        s.flush()
        event = EventRow(
            item_id=item.id,
            type="funding",
            company=account,
            attributes={"amount": 2500000, "currency": "USD"},
            evidence=f"{account} raises $2.5M",
            confidence=0.9,
            status="announced",
            created_at=created,
        )
        s.add(event)
        s.flush()
        alert = Alert(
            event_id=event.id,
            account=account,
            type="funding",
            role="company",
            reason="test",
            recipient=recipient,
            delivery=delivery,
            dedupe_key={},
            facts={"amount": 2500000, "currency": "USD"},
            created_at=created,
        )
        s.add(alert)
        s.flush()
        return alert.id


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
