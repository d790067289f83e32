"""Recording votes: from a signed link (checked, counted once) or from the CLI.

Both channels write the same `feedback` row; the unique `token` is what makes a link
count once even when two clicks race (the second insert fails and is answered 409).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from monitor.feedback.links import LinkParts, cli_token
from monitor.logfmt import kv
from monitor.store.db import Database
from monitor.store.models import Alert, Email, Feedback

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What happened to one link or vote; `status` is the HTTP status the server answers."""

    status: int  # 200 ok, 403 bad signature, 404 unknown alert, 409 used, 410 expired
    reason: str  # ok | bad_signature | unknown_alert | already_recorded | expired
    alert_id: int
    vote: str
    account: str = ""
    recipient: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class VoteRow:
    id: int
    created_at: datetime
    alert_id: int
    account: str
    type: str
    talk_track: str | None
    vote: str
    recipient: str
    channel: str


def check_link(
    db: Database, parts: LinkParts, secret: bytes, now: datetime, max_age_days: int
) -> Outcome:
    """Whether a link may vote now, without recording anything (GET asks this)."""
    with db.session() as s:
        alert = s.get(Alert, parts.alert_id)
        if alert is None:
            return Outcome(404, "unknown_alert", parts.alert_id, parts.vote)
        account, recipient = alert.account, alert.recipient
        # Links are rendered when the email is composed; their age counts from then.
        issued = alert.created_at
        if alert.email_id is not None:
            email = s.get(Email, alert.email_id)
            if email is not None:
                issued = email.created_at
        used = s.scalar(select(Feedback.id).where(Feedback.token == parts.token))
    base = Outcome(0, "", parts.alert_id, parts.vote, account, recipient)
    if not parts.verify(secret, recipient):
        return replace(base, status=403, reason="bad_signature")
    if max_age_days and now - issued > timedelta(days=max_age_days):
        return replace(base, status=410, reason="expired")
    if used is not None:
        return replace(base, status=409, reason="already_recorded")
    return replace(base, status=200, reason="ok")


def record_link_vote(
    db: Database, parts: LinkParts, secret: bytes, now: datetime, max_age_days: int
) -> Outcome:
    """Check the link and store its vote once; a second use answers 409."""
    outcome = check_link(db, parts, secret, now, max_age_days)
    if not outcome.ok:
        return outcome
    try:
        with db.session() as s:
            s.add(
                Feedback(
                    alert_id=parts.alert_id,
                    vote=parts.vote,
                    recipient=outcome.recipient,
                    channel="link",
                    token=parts.token,
                    created_at=now,
                )
            )
    except IntegrityError:
        # Another click of the same link won the race for the unique token.
        return replace(outcome, status=409, reason="already_recorded")
    log.info(
        kv(
            "feedback recorded",
            alert=parts.alert_id,
            vote=parts.vote,
            recipient=outcome.recipient,
            channel="link",
        )
    )
    return outcome


def record_cli_vote(
    db: Database, alert_id: int, vote: str, recipient: str | None, now: datetime
) -> Outcome:
    """A vote given on the command line; `recipient` defaults to the alert's rep."""
    with db.session() as s:
        alert = s.get(Alert, alert_id)
        if alert is None:
            return Outcome(404, "unknown_alert", alert_id, vote)
        rep = (recipient or alert.recipient).strip().lower()
        s.add(
            Feedback(
                alert_id=alert_id,
                vote=vote,
                recipient=rep,
                channel="cli",
                token=cli_token(),
                created_at=now,
            )
        )
        account = alert.account
    log.info(kv("feedback recorded", alert=alert_id, vote=vote, recipient=rep, channel="cli"))
    return Outcome(200, "ok", alert_id, vote, account, rep)


def list_votes(db: Database, since: datetime | None = None, limit: int = 500) -> list[VoteRow]:
    """Votes newest first, with the alert's account, type and talk track."""
    with db.session() as s:
        query = (
            select(Feedback, Alert)
            .join(Alert, Alert.id == Feedback.alert_id)
            .order_by(Feedback.id.desc())
            .limit(limit)
        )
        if since is not None:
            query = query.where(Feedback.created_at >= since)
        return [
            VoteRow(
                id=f.id,
                created_at=f.created_at,
                alert_id=f.alert_id,
                account=a.account,
                type=a.type,
                talk_track=a.talk_track,
                vote=f.vote,
                recipient=f.recipient,
                channel=f.channel,
            )
            for f, a in s.execute(query).all()
        ]
