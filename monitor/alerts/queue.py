"""The transactional outbox: pending alerts become emails, emails are leased and sent.

Compose and send are separate steps. Composing renders the message once and stores it
with its Message-ID in the same transaction that assigns the alerts to it; sending leases
an email, hands it to the mailer, and marks it sent only after the server accepted it.
A crash between acceptance and that mark repeats the same stored bytes (same Message-ID)
once the lease runs out; nothing else can repeat or lose an alert.
"""

from __future__ import annotations

import logging
import random
import socket
import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from monitor.alerts.mailer import Mailer, PermanentMailError, TemporaryMailError
from monitor.alerts.render import AlertView, build_message
from monitor.config import MIN_SECRET_CHARS, Config
from monitor.feedback.links import links_for
from monitor.logfmt import kv
from monitor.store.db import Database
from monitor.store.models import Alert, AlertSource, Email, EventRow, Item, Source
from monitor.talk_tracks import talk_track_for, talk_track_label

log = logging.getLogger(__name__)
SEND_LEASE = timedelta(minutes=5)


@dataclass
class SendStats:
    composed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


def digest_cutoff(now: datetime, timezone: str, hour: int) -> datetime:
    """The most recent digest time (hour:00 in the rep's zone) at or before `now`."""
    local = now.astimezone(ZoneInfo(timezone))
    cutoff = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if cutoff > local:
        cutoff -= timedelta(days=1)
    return cutoff.astimezone(now.tzinfo)


def _message_id(kind: str) -> str:
    host = socket.getfqdn() or "localhost"
    return f"<{kind}-{uuid.uuid4().hex}@{host}>"


def _view(s: Session, alert: Alert, config: Config | None = None) -> AlertView:
    """What the rep sees: for an update, everything known now plus what is new."""
    event = s.get(EventRow, alert.event_id)
    assert event is not None
    item = s.get(Item, event.item_id)
    assert item is not None
    source = s.get(Source, item.source_id)
    root = s.get(Alert, alert.parent_id) if alert.parent_id else alert
    assert root is not None
    reports = s.scalars(
        select(AlertSource).where(AlertSource.alert_id == root.id).order_by(AlertSource.id)
    ).all()
    names = list(dict.fromkeys(r.source for r in reports))
    this = source.name if source else "?"
    return AlertView(
        alert_id=alert.id,
        account=alert.account,
        role=alert.role,
        reason=alert.reason,
        type=event.type,
        company=event.company,
        attributes=dict(root.facts or {}),
        evidence=event.evidence,
        confidence=event.confidence,
        status=event.status,
        title=item.title,
        url=item.url,
        source=this,
        published=item.published_at,
        extra_sources=tuple(n for n in names if n != this),
        new_facts=dict(alert.facts or {}) if alert.parent_id else {},
        talk_track=talk_track_for(
            config, alert.account, event.type, event.company, dict(root.facts or {})
        ),
    )


def in_quiet_hours(now: datetime, timezone: str, quiet: tuple[int, int] | None) -> bool:
    if quiet is None:
        return False
    local = now.astimezone(ZoneInfo(timezone))
    minute = local.hour * 60 + local.minute
    start, end = quiet
    return start <= minute < end if start <= end else minute >= start or minute < end


def weekly_cutoff(now: datetime, timezone: str, hour: int, weekday: int) -> datetime:
    """The most recent `weekday` at hour:00 in the rep's zone, at or before `now`."""
    daily = digest_cutoff(now, timezone, hour).astimezone(ZoneInfo(timezone))
    while daily.weekday() != weekday:
        daily -= timedelta(days=1)
        daily = daily.replace(hour=hour)  # stay on the wall-clock hour across DST
    return daily.astimezone(now.tzinfo)


class _Rules:
    """Per-rep delivery rules with the [alerts] defaults filled in."""

    def __init__(self, config: Config, recipient: str) -> None:
        rep = config.reps.get(recipient)
        alerts = config.alerts
        self.timezone = rep.timezone if rep else "UTC"
        self.digest_hour = (
            rep.digest_hour if rep and rep.digest_hour is not None else alerts.digest_hour
        )
        quiet = rep.quiet_hours if rep else "default"
        self.quiet = alerts.quiet_hours if quiet == "default" else quiet
        self.digest = rep.delivery if rep and rep.delivery != "instant" else "daily"
        self.weekday = alerts.weekly_digest_day

    def cutoff(self, now: datetime, delivery: str) -> datetime:
        if delivery == "weekly":
            return weekly_cutoff(now, self.timezone, self.digest_hour, self.weekday)
        return digest_cutoff(now, self.timezone, self.digest_hour)


def compose(db: Database, config: Config, now: datetime) -> int:
    """Turn due alerts into stored emails.

    Instant alerts go at once unless the rep is in quiet hours (they wait for its end) or
    the account already had its daily cap of instant alerts (they join the next digest).
    Digest alerts go at the rep's digest hour (daily) or weekday and hour (weekly).
    """
    composed = 0
    with db.session() as s:
        query = select(Alert).where(Alert.email_id.is_(None)).order_by(Alert.id)
        if not db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        pending = list(s.scalars(query))
        digests: dict[tuple[str, str], list[Alert]] = defaultdict(list)
        rules: dict[str, _Rules] = {}
        for alert in pending:
            rule = rules.setdefault(alert.recipient, _Rules(config, alert.recipient))
            if alert.delivery == "instant":
                if in_quiet_hours(now, rule.timezone, rule.quiet):
                    continue
                if _over_cap(s, alert, now, config.alerts.account_daily_cap):
                    alert.delivery = rule.digest
                    log.info(
                        kv(
                            "account cap reached; alert moved to digest",
                            alert=alert.id,
                            account=alert.account,
                            to=alert.recipient,
                        )
                    )
                else:
                    _store_email(s, config, "instant", [alert], now)
                    composed += 1
                    continue
            digests[(alert.recipient, alert.delivery)].append(alert)
        for (recipient, delivery), alerts in digests.items():
            cutoff = rules[recipient].cutoff(now, delivery)
            due = [a for a in alerts if a.created_at <= cutoff]
            if due:
                _store_email(s, config, "digest", due, now)
                composed += 1
    return composed


def _over_cap(s: Session, alert: Alert, now: datetime, cap: int) -> bool:
    sent_today = s.scalar(
        select(func.count(Alert.id))
        .join(Email, Email.id == Alert.email_id)
        .where(
            Alert.recipient == alert.recipient,
            Alert.account == alert.account,
            Email.kind == "instant",
            Email.created_at > now - timedelta(days=1),
        )
    )
    return (sent_today or 0) >= cap


def _store_email(s: Session, config: Config, kind: str, alerts: list[Alert], now: datetime) -> None:
    recipient = alerts[0].recipient
    rep = config.reps.get(recipient)
    message_id = _message_id("alert" if kind == "instant" else "digest")
    reply_to: Email | None = None
    if kind == "instant" and alerts[0].parent_id is not None:
        parent = s.get(Alert, alerts[0].parent_id)
        reply_to = s.get(Email, parent.email_id) if parent and parent.email_id else None
    views = [_view(s, a, config) for a in alerts]
    secret = _feedback_secret(config)
    for index, (alert, view) in enumerate(zip(alerts, views, strict=True)):
        # Remember which track the rep saw, so votes can be counted per talk track.
        if view.talk_track:
            alert.talk_track = talk_track_label(config, alert.account, view.type)
        if secret is not None and config.feedback.base_url:
            links = links_for(
                config.feedback.base_url,
                secret,
                alert.id,
                recipient,
                talk_track=bool(view.talk_track),
            )
            views[index] = replace(view, feedback_links=links)
    msg = build_message(
        kind=kind,
        alerts=views,
        sender=config.mail.sender,
        recipient=recipient,
        recipient_name=rep.name if rep else None,
        message_id=message_id,
        when=now,
        reply_to=(reply_to.message_id, reply_to.subject) if reply_to else None,
    )
    email = Email.pending(recipient, kind, message_id, msg, now)
    s.add(email)
    s.flush()
    for alert in alerts:
        alert.email_id = email.id
    log.info(
        kv(
            "email queued",
            kind=kind,
            to=recipient,
            message_id=message_id,
            alerts=len(alerts),
            subject=email.subject,
        )
    )


def _feedback_secret(config: Config) -> bytes | None:
    """The link-signing secret, or None: a secret gone bad since start costs the links,
    never the email."""
    if not config.feedback.links:
        return None
    try:
        secret = config.feedback.secret()
    except (OSError, UnicodeDecodeError) as exc:
        log.error(kv("feedback links left out: cannot read [feedback] secret_file", error=exc))
        return None
    if len(secret) < MIN_SECRET_CHARS:
        log.error(kv("feedback links left out: [feedback] secret_file is too short"))
        return None
    return secret


def claim(
    db: Database, owner: str, now: datetime, limit: int = 100, lease: timedelta = SEND_LEASE
) -> list[int]:
    """Lease due emails to `owner` (SKIP LOCKED on PostgreSQL, one writer on SQLite)."""
    with db.session() as s:
        due = (
            select(Email.id)
            .where(Email.status == "pending", Email.next_attempt_at <= now)
            .where(or_(Email.lease_until.is_(None), Email.lease_until < now))
            .order_by(Email.id)
            .limit(limit)
        )
        if not db.is_sqlite:
            due = due.with_for_update(skip_locked=True)
        ids = list(s.scalars(due))
        won: list[int] = []
        for email_id in ids:
            count = s.execute(
                update(Email)
                .where(Email.id == email_id, Email.status == "pending")
                .where(or_(Email.lease_until.is_(None), Email.lease_until < now))
                .values(lease_owner=owner, lease_until=now + lease)
                .execution_options(synchronize_session=False)
            ).rowcount
            if count:
                won.append(email_id)
        return won


def deliver(db: Database, config: Config, mailer: Mailer, owner: str, now: datetime) -> SendStats:
    """Send every due email this instance can lease; one failure never blocks the rest."""
    stats = SendStats()
    lease = timedelta(seconds=config.alerts.send_lease_s)
    for email_id in claim(db, owner, now, lease=lease):
        with db.session() as s:
            email = s.get(Email, email_id)
            if email is None or email.lease_owner != owner or email.status != "pending":
                continue
            body, recipient, message_id = email.body, email.recipient, email.message_id
        try:
            mailer.send(body, config.mail.sender, recipient, message_id)
        except PermanentMailError as exc:
            _finish(db, email_id, owner, now, status="failed", error=str(exc))
            log.error(kv("email failed", to=recipient, message_id=message_id, reason=str(exc)))
            stats.failed += 1
        except TemporaryMailError as exc:
            when = _retry(db, config, email_id, owner, now, str(exc))
            log.warning(
                kv(
                    "email deferred",
                    to=recipient,
                    message_id=message_id,
                    reason=str(exc),
                    retry_at=when.isoformat(timespec="seconds"),
                )
            )
            stats.retried += 1
        else:
            _finish(db, email_id, owner, now, status="sent", error=None)
            log.info(kv("email sent", to=recipient, message_id=message_id))
            stats.sent += 1
    return stats


def _finish(
    db: Database, email_id: int, owner: str, now: datetime, *, status: str, error: str | None
) -> None:
    with db.session() as s:
        s.execute(
            update(Email)
            .where(Email.id == email_id, Email.lease_owner == owner)
            .values(
                status=status,
                sent_at=now if status == "sent" else None,
                last_error=error,
                attempts=Email.attempts + 1,
                lease_owner=None,
                lease_until=None,
            )
        )


def _retry(
    db: Database, config: Config, email_id: int, owner: str, now: datetime, error: str
) -> datetime:
    with db.session() as s:
        email = s.get(Email, email_id)
        attempts = (email.attempts if email else 0) + 1
        delay = min(config.alerts.retry_base_s * 2 ** (attempts - 1), config.alerts.retry_max_s)
        when = now + timedelta(seconds=delay * random.uniform(0.5, 1.0))
        s.execute(
            update(Email)
            .where(Email.id == email_id, Email.lease_owner == owner)
            .values(
                attempts=attempts,
                next_attempt_at=when,
                last_error=error[:1000],
                lease_owner=None,
                lease_until=None,
            )
        )
        return when


def retry_now(db: Database, email_or_alert_id: int, now: datetime) -> bool:
    """Re-queue a failed alert's email (CLI `alerts retry ID`, ID being the alert)."""
    with db.session() as s:
        alert = s.get(Alert, email_or_alert_id)
        if alert is None or alert.email_id is None:
            return False
        email = s.get(Email, alert.email_id)
        if email is None or email.status != "failed":
            return False
        email.status, email.next_attempt_at, email.last_error = "pending", now, None
        email.lease_owner = email.lease_until = None
        return True
