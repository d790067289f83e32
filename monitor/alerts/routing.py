"""Who gets an alert for an event: the account's owner, else the default recipient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from extractors.accounts import AccountMatch, AccountMatcher
from extractors.events import Event
from monitor.config import Config


@dataclass(frozen=True)
class Route:
    account: str
    role: str
    reason: str
    recipient: str
    delivery: str


def routes_for(
    matches: list[AccountMatch], config: Config, event_type: str, confidence: float
) -> list[Route]:
    """One route per (account, recipient) that wants this type at this confidence."""
    seen: set[tuple[str, str]] = set()
    routes: list[Route] = []
    for match in matches:
        recipient = match.account.owner or config.mail.default_recipient
        if not recipient:
            continue
        key = (match.account.name, recipient)
        if key in seen:
            continue
        seen.add(key)
        rep = config.reps.get(recipient)
        if rep is not None and not rep.wants(event_type, confidence):
            continue
        routes.append(
            Route(
                account=match.account.name,
                role=match.role,
                reason=match.reason,
                recipient=recipient,
                delivery=rep.delivery if rep else "instant",
            )
        )
    return routes


def event_routes(
    event: Event, url: str | None, matcher: AccountMatcher, config: Config, fresh: bool
) -> tuple[list[AccountMatch], list[Route]]:
    """The accounts an event is about and who gets an alert for it; an item too old to
    alert still names its accounts. The daemon and `replay` share this one rule."""
    matches = matcher.match(event, url)
    if not matches or not fresh:
        return matches, []
    return matches, routes_for(matches, config, event.type, event.confidence)


def is_fresh(
    published: datetime | None, fetched: datetime, now: datetime, max_age_days: int
) -> bool:
    """Items older than max_age_days are stored but never alerted (0 = no limit)."""
    if max_age_days == 0:
        return True
    when = published or fetched
    return when >= now - timedelta(days=max_age_days)
