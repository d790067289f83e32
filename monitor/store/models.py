"""Tables. Alembic migrations in migrations/ create them; these classes only map them."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: SQLite has no time zones, PostgreSQL does."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        from datetime import UTC

        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        from datetime import UTC

        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Source(Base):
    """A configured source and its fetch state; the row outlives config edits by name."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_kind: Mapped[str | None] = mapped_column(String(50))
    error_streak: Mapped[int] = mapped_column(Integer, default=0)
    polls: Mapped[int] = mapped_column(Integer, default=0)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 0002: the URL the config gave (url may have moved), why polling stopped (410), since
    # when it fails, and when its last health warning was logged (at most one a day).
    config_url: Mapped[str | None] = mapped_column(Text)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    health_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Item(Base):
    """A feed entry seen once per source; (source, key) makes re-polls free of repeats."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("source_id", "item_key", name="uq_items_source_key"),
        # Only the few unextracted rows: extraction's "oldest unextracted first" stays cheap.
        Index(
            "ix_items_unextracted",
            "id",
            sqlite_where=text("extracted = 0"),
            postgresql_where=text("extracted = false"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(600))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    extracted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Near-identical syndicated copies share a fingerprint; the later copy points at the first.
    fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    company: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    evidence: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # 0003: the trigger rule or model decision behind the event, for feedback per rule.
    rule: Mapped[str | None] = mapped_column(String(200))


class Email(Base):
    """One email as it will be sent: rendered once, so a retry is byte-identical."""

    __tablename__ = "emails"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # instant | digest
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)  # the full RFC 5322 message
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @classmethod
    def pending(
        cls, recipient: str, kind: str, message_id: str, message: EmailMessage, now: datetime
    ) -> Email:
        """A rendered message queued for its first attempt now (alerts, digests, health)."""
        return cls(
            recipient=recipient,
            kind=kind,
            message_id=message_id,
            subject=str(message["Subject"]),
            body=message.as_string(),
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )


class Alert(Base):
    """An event for one account and one recipient; written with its event, mailed later.

    Reports of the same real-world event (same account, type and key facts within the
    dedupe window) attach to one root alert as extra sources; a report that adds a fact
    becomes an update alert whose `parent_id` is the root, mailed as a reply to it.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("event_id", "account", "recipient", name="uq_alerts_event_account_rcpt"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    account: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20))
    dedupe_key: Mapped[dict[str, str]] = mapped_column(JSON)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    delivery: Mapped[str] = mapped_column(String(20))  # instant | daily
    email_id: Mapped[int | None] = mapped_column(ForeignKey("emails.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # 0004
    # 0003: which talk track the alert showed ("funding" or "funding/tier=enterprise").
    talk_track: Mapped[str | None] = mapped_column(String(200))


class AlertSource(Base):
    """Every report (item and source) behind an alert, so one email can name them all."""

    __tablename__ = "alert_sources"
    __table_args__ = (UniqueConstraint("alert_id", "item_id", name="uq_alert_sources_alert_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), index=True
    )  # 0004
    source: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


FEEDBACK_VOTES: tuple[str, ...] = (
    "useful",
    "wrong_company",
    "not_a_trigger",
    "already_knew",
    "talk_track_helped",
)


class Feedback(Base):
    """One rep's vote on one alert, from a signed email link or the CLI."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    vote: Mapped[str] = mapped_column(String(40))  # one of FEEDBACK_VOTES
    recipient: Mapped[str] = mapped_column(String(320))
    channel: Mapped[str] = mapped_column(String(20))  # link | cli
    token: Mapped[str] = mapped_column(String(64), unique=True)  # digest of the link's nonce
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
