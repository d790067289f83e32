"""Source health: what each source did lately, and a daily word to the admin about the sick.

A source is flagged when it is disabled (410 Gone), has been failing for a day, or used to
publish about daily and has brought nothing new for 3 days. Each flagged source gets one
warning line in the log a day (remembered in sources.health_warned_at, so restarts and
several instances agree), and `[mail] admin` gets one short plain-text email a day listing
them, queued as an `emails` row of kind "health" so the normal sender delivers it with the
usual retries. Reps never get it.
"""

from __future__ import annotations

import logging
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import func, select

from monitor.alerts.render import clean_header
from monitor.config import Config
from monitor.logfmt import kv
from monitor.store.db import Database
from monitor.store.models import Email, Item, Source

log = logging.getLogger(__name__)

SILENT_AFTER = timedelta(days=3)
FAILING_AFTER = timedelta(days=1)
HISTORY = timedelta(days=14)  # the usual rate is measured over this, before the silence
MIN_HISTORY = timedelta(days=3)
DAILY_RATE = 1.0  # items a day that make a source a daily publisher
ONCE_A_DAY = timedelta(hours=23)  # a little slack for a drifting daily schedule


@dataclass
class SourceHealth:
    name: str
    enabled: bool
    url: str | None = None
    last_success_at: datetime | None = None
    last_new_item_at: datetime | None = None
    last_error_kind: str | None = None
    last_error: str | None = None
    error_streak: int = 0
    failing_since: datetime | None = None
    disabled_reason: str | None = None
    items_last_day: int = 0
    usual_per_day: float | None = None  # None: not enough history to say
    flags: list[str] = field(default_factory=list)


def report(db: Database, config: Config, now: datetime) -> list[SourceHealth]:
    """Health of every configured source, in config order (read-only)."""
    rows, last_new, last_day, usual = _gather(db, now)
    out = []
    for src in config.sources:
        row = rows.get(src.name)
        health = SourceHealth(name=src.name, enabled=src.enabled)
        if row is not None:
            health.url = row.url
            health.last_success_at = row.last_success_at
            health.last_error_kind = row.last_error_kind if row.error_streak else None
            health.last_error = row.last_error if row.error_streak else None
            health.error_streak = row.error_streak
            health.failing_since = row.failing_since
            health.disabled_reason = row.disabled_reason
            health.last_new_item_at = last_new.get(row.id)
            health.items_last_day = last_day.get(row.id, 0)
            health.usual_per_day = usual.get(row.id)
        if src.enabled:
            health.flags = _flags(health, now)
        out.append(health)
    return out


def _gather(
    db: Database, now: datetime
) -> tuple[dict[str, Source], dict[int, datetime], dict[int, int], dict[int, float]]:
    seen = func.coalesce(Item.published_at, Item.fetched_at)
    window_end = now - SILENT_AFTER
    window_start = window_end - HISTORY
    with db.session() as s:
        rows = {row.name: row for row in s.scalars(select(Source))}
        last_new = dict(
            s.execute(select(Item.source_id, func.max(Item.fetched_at)).group_by(Item.source_id))
            .tuples()
            .all()
        )
        last_day = dict(
            s.execute(
                select(Item.source_id, func.count())
                .where(Item.fetched_at >= now - timedelta(days=1))
                .group_by(Item.source_id)
            )
            .tuples()
            .all()
        )
        history = s.execute(
            select(Item.source_id, func.count(), func.min(seen))
            .where(seen >= window_start, seen < window_end)
            .group_by(Item.source_id)
        ).all()
    usual: dict[int, float] = {}
    for source_id, count, first in history:
        if first is None:
            continue
        first = _aware(first)
        span = window_end - first
        if span >= MIN_HISTORY:
            usual[source_id] = count / max(span / timedelta(days=1), 1.0)
    return rows, {k: _aware(v) for k, v in last_new.items()}, last_day, usual


def _aware(value: datetime | str) -> datetime:
    """min() over coalesce() comes back as text on SQLite; always return aware UTC."""
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _flags(h: SourceHealth, now: datetime) -> list[str]:
    flags = []
    if h.disabled_reason:
        flags.append(f"disabled ({h.disabled_reason})")
    elif h.error_streak and h.failing_since and now - h.failing_since >= FAILING_AFTER:
        hours = int((now - h.failing_since) / timedelta(hours=1))
        flags.append(f"failing for {hours}h ({h.last_error_kind}: {h.last_error})")
    usual = h.usual_per_day
    if usual is not None and usual >= DAILY_RATE:
        last = h.last_new_item_at
        if last is None or now - last >= SILENT_AFTER:
            days = int((now - last) / timedelta(days=1)) if last else None
            flags.append(f"silent for {days} days (usually {usual:.1f} items/day)")
    return flags


def check(db: Database, config: Config, now: datetime) -> list[SourceHealth]:
    """Log each flagged source (once a day each) and queue the admin's daily email."""
    flagged = [h for h in report(db, config, now) if h.flags]
    due_names: list[str] = []
    with db.session() as s:
        rows = {
            r.name: r
            for r in s.scalars(select(Source).where(Source.name.in_([h.name for h in flagged])))
        }
        for h in flagged:
            row = rows.get(h.name)
            if row is None:
                continue
            if row.health_warned_at is not None and now - row.health_warned_at < ONCE_A_DAY:
                continue
            row.health_warned_at = now
            due_names.append(h.name)
    for h in flagged:
        if h.name in due_names:
            log.warning(kv("source unhealthy", source=h.name, problem="; ".join(h.flags)))
    if flagged and config.mail.admin:
        queue_admin_email(db, config, flagged, now)
    return flagged


def queue_admin_email(
    db: Database, config: Config, flagged: list[SourceHealth], now: datetime
) -> bool:
    """At most one health email a day; False when one was already queued."""
    admin = config.mail.admin
    assert admin is not None
    with db.session() as s:
        if not db.is_sqlite:
            # Two instances checking together: one takes the lock, the other sees its row.
            s.execute(select(func.pg_advisory_xact_lock(7_301_043)))
        recent = s.scalar(
            select(Email.id)
            .where(Email.kind == "health", Email.created_at > now - ONCE_A_DAY)
            .limit(1)
        )
        if recent is not None:
            return False
        message_id = f"<health-{uuid.uuid4().hex}@{socket.getfqdn() or 'localhost'}>"
        msg = build_health_message(config.mail.sender, admin, message_id, flagged, now)
        s.add(Email.pending(admin, "health", message_id, msg, now))
    log.info(kv("health email queued", to=admin, sources=len(flagged)))
    return True


def build_health_message(
    sender: str, admin: str, message_id: str, flagged: list[SourceHealth], now: datetime
) -> EmailMessage:
    from monitor.alerts.render import _POLICY

    msg = EmailMessage(policy=_POLICY)
    count = len(flagged)
    msg["Subject"] = clean_header(
        f"trigger-monitor: {count} source{'s' if count != 1 else ''} need attention"
    )
    msg["From"] = clean_header(sender)
    msg["To"] = clean_header(admin)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    lines = [f"Source health on {now:%Y-%m-%d %H:%M} UTC.", ""]
    for h in flagged:
        ok = f"{h.last_success_at:%Y-%m-%d %H:%M}" if h.last_success_at else "never"
        lines.append(f"- {clean_header(h.name)}: {clean_header('; '.join(h.flags), 400)}")
        lines.append(f"  url: {clean_header(h.url or '-', 300)}; last success: {ok}")
    lines += ["", "`trigger-monitor sources` shows every source."]
    msg.set_content("\n".join(lines) + "\n")
    return msg
