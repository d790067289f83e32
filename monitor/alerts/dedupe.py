"""One alert per real-world event.

The same round is reported by many outlets over days. Reports of one account's event of
one type within the window are the same event unless a key fact (round, person, target,
location, ...) differs; a missing key fact matches anything. A report that adds a fact
the rep has not seen yet becomes an update threaded under the first email; one that adds
nothing only adds its source to the alert.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from monitor.alerts.routing import Route
from monitor.store.models import Alert, AlertSource, EventRow, Item

KEY_FACTS: dict[str, tuple[str, ...]] = {
    "funding": ("round",),
    "leadership_change": ("person",),
    "acquisition": ("acquirer", "target"),
    "expansion": ("location",),
    "partnership": ("partners",),
    "product_launch": ("product",),
    "ipo": (),
    "layoff": (),
}
# Facts worth an update when a later report brings them.
NEWS_FACTS = (
    "amount",
    "round",
    "investors",
    "lead",
    "person",
    "title",
    "target",
    "location",
    "exchange",
    "ticker",
    "count",
    "percent",
    "partners",
    "product",
    "previous_company",
)
_SUFFIX = re.compile(
    r"\b(inc|corp|corporation|co|company|ltd|limited|llc|plc|ag|sa|nv|gmbh|holdings?|group)\b\.?"
)


def norm(value: Any) -> str:
    """Case, accents, punctuation and legal suffixes do not make facts differ."""
    if isinstance(value, list | tuple):
        return "|".join(sorted(filter(None, (norm(v) for v in value))))
    text_ = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    text_ = _SUFFIX.sub(" ", text_)
    return " ".join(re.findall(r"[a-z0-9]+", text_))


def key_facts(
    event_type: str, role: str, company: str | None, attrs: dict[str, Any]
) -> dict[str, str]:
    facts: dict[str, str] = {}
    for name in KEY_FACTS.get(event_type, ()):
        if name == "acquirer":
            # The account's own name varies across reports ("Gilt City" / "Gilt Groupe"):
            # only the other party identifies the deal.
            value = company if role == "target" else None
        elif name == "target":
            value = attrs.get("target") if role != "target" else None
        else:
            value = attrs.get(name)
        normalised = norm(value) if value not in (None, "", []) else ""
        if normalised:
            facts[name] = normalised
    return facts


def same_event(a: dict[str, str], b: dict[str, str]) -> bool:
    """Equal on every key fact both reports give; a fact only one gives does not split."""
    return all(a[k] == b[k] for k in a.keys() & b.keys())


def added_facts(known: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in new.items()
        if key in NEWS_FACTS
        and value not in (None, "", [], {})
        and known.get(key) in (None, "", [], {})
    }


def _serialise(s: Session, route: Route, event_type: str) -> None:
    """On PostgreSQL, instances placing reports of one account's events take turns."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
            {"k": f"{route.account}|{route.recipient}|{event_type}"},
        )


def root_alerts(
    s: Session, account: str, recipient: str, event_type: str, since: datetime | None = None
) -> list[Alert]:
    """First alerts (not updates) for this account, rep and type, oldest first."""
    query = select(Alert).where(
        Alert.account == account,
        Alert.recipient == recipient,
        Alert.type == event_type,
        Alert.parent_id.is_(None),
    )
    if since is not None:
        query = query.where(Alert.created_at >= since)
    return list(s.scalars(query.order_by(Alert.id)))


def place(
    s: Session,
    route: Route,
    event: EventRow,
    item: Item,
    source_name: str,
    now: datetime,
    window_days: int,
) -> tuple[str, Alert]:
    """Attach this report to an existing alert or create one; say which it was.

    Returns ("new" | "update" | "merged" | "duplicate", alert).
    """
    _serialise(s, route, event.type)
    attrs = dict(event.attributes or {})
    key = key_facts(event.type, route.role, event.company, attrs)
    roots = root_alerts(
        s, route.account, route.recipient, event.type, now - timedelta(days=window_days)
    )
    root = next((r for r in roots if same_event(r.dedupe_key, key)), None)
    if root is None:
        alert = _new_alert(s, route, event, key, attrs, None, now)
        _add_source(s, alert, item, source_name, now)
        return "new", alert
    _add_source(s, root, item, source_name, now)
    extra = added_facts(root.facts, attrs)
    if not extra:
        return "duplicate", root
    root.facts = {**root.facts, **extra}
    root.dedupe_key = {**key, **root.dedupe_key}
    if root.email_id is None:  # not mailed yet: the first email will carry the new facts
        return "merged", root
    # The update's facts are what is new; the parent holds everything known.
    update = _new_alert(s, route, event, root.dedupe_key, extra, root.id, now)
    _add_source(s, update, item, source_name, now)
    return "update", update


def _new_alert(
    s: Session,
    route: Route,
    event: EventRow,
    key: dict[str, str],
    facts: dict[str, Any],
    parent_id: int | None,
    now: datetime,
) -> Alert:
    alert = Alert(
        event_id=event.id,
        account=route.account,
        type=event.type,
        role=route.role,
        reason=route.reason,
        recipient=route.recipient,
        delivery=route.delivery,
        dedupe_key=key,
        facts=facts,
        confidence=event.confidence,
        parent_id=parent_id,
        created_at=now,
    )
    s.add(alert)
    s.flush()
    return alert


def _add_source(s: Session, alert: Alert, item: Item, source_name: str, now: datetime) -> None:
    exists = s.scalar(
        select(AlertSource.id).where(
            AlertSource.alert_id == alert.id, AlertSource.item_id == item.id
        )
    )
    if exists is None:
        s.add(
            AlertSource(
                alert_id=alert.id, item_id=item.id, source=source_name, url=item.url, created_at=now
            )
        )


def alerted_items(s: Session, item_ids: Collection[int]) -> set[int]:
    """Those of `item_ids` whose events have alerts (that a copy of them would join)."""
    if not item_ids:
        return set()
    return set(
        s.scalars(
            select(EventRow.item_id)
            .join(Alert, Alert.event_id == EventRow.id)
            .where(EventRow.item_id.in_(sorted(item_ids)), Alert.parent_id.is_(None))
            .distinct()
        )
    )


def attach_copy(s: Session, item: Item, source_name: str, now: datetime) -> int:
    """A syndicated copy adds its source to the original's alerts and nothing else."""
    alert_ids = s.scalars(
        select(Alert.id)
        .join(EventRow, EventRow.id == Alert.event_id)
        .where(EventRow.item_id == item.duplicate_of, Alert.parent_id.is_(None))
    ).all()
    for alert_id in alert_ids:
        alert = s.get(Alert, alert_id)
        if alert is not None:
            _add_source(s, alert, item, source_name, now)
    return len(alert_ids)
