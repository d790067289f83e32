"""Source state and item storage: what the polling side reads and writes."""

from __future__ import annotations

import hashlib
import logging
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.logfmt import kv
from monitor.store.db import Database
from monitor.store.models import Item, Source
from sources.records import FeedItem

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)
DUPLICATE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class DueSource:
    """A source this instance holds the lease on for one poll."""

    id: int
    name: str
    url: str
    interval_minutes: int
    etag: str | None
    last_modified: str | None
    first_poll: bool


def sync_sources(db: Database, configured: Iterable[tuple[str, str]]) -> None:
    """Create rows for new sources and follow URL edits (a new URL forgets cache headers).

    An edit is judged against the URL the config gave last time, not the stored `url`,
    so a source moved by a permanent redirect stays moved across restarts; a URL edit also
    re-enables a source disabled because it was gone (410) and clears its backoff.
    """
    configured = list(configured)
    for attempt in range(3):
        try:
            _sync_sources(db, configured)
            return
        except IntegrityError:
            # Another instance starting at the same moment inserted the same source;
            # the next pass sees its row and only compares URLs.
            if attempt == 2:
                raise


def _sync_sources(db: Database, configured: list[tuple[str, str]]) -> None:
    with db.session() as s:
        rows = {row.name: row for row in s.scalars(select(Source))}
        for name, url in configured:
            row = rows.get(name)
            if row is None:
                s.add(
                    Source(
                        name=name, url=url, config_url=url, error_streak=0, polls=0, items_seen=0
                    )
                )
            elif (row.config_url or row.url) != url:
                row.url, row.config_url, row.etag, row.last_modified = url, url, None, None
                if row.disabled_reason is not None:
                    log.warning(kv("source re-enabled: its url changed", source=name, url=url))
                    row.disabled_reason = row.disabled_at = None
                    row.error_streak = 0
                    row.failing_since = row.next_due_at = None


def claim_due_sources(
    db: Database,
    owner: str,
    now: datetime,
    intervals: dict[str, int],
    *,
    ignore_schedule: bool = False,
    limit: int | None = None,
) -> list[DueSource]:
    """Lease due sources (the most overdue first, at most `limit`) to `owner`.

    Another instance skips leased rows; a limit lets several instances share the work
    instead of the first one leasing everything.

    The lease is taken by a conditional UPDATE whose row count says who won, which is
    correct on SQLite (one writer at a time) and on PostgreSQL (row locks re-check the
    WHERE after a concurrent commit).
    """
    claimed: list[DueSource] = []
    with db.session() as s:
        query = select(Source).where(
            Source.name.in_(list(intervals)), Source.disabled_reason.is_(None)
        )
        if not ignore_schedule:
            query = query.where(or_(Source.next_due_at.is_(None), Source.next_due_at <= now))
        # This instance polls one cycle at a time, so a lease it still holds is left over
        # from a cycle that failed (e.g. the database dropped it mid-commit): take it back.
        free = or_(
            Source.lease_until.is_(None), Source.lease_until < now, Source.lease_owner == owner
        )
        query = query.where(free)
        query = query.order_by(Source.next_due_at.asc().nulls_first(), Source.id).limit(limit)
        if not db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        candidates = list(s.scalars(query))
        for row in candidates:
            won = s.execute(
                update(Source)
                .where(Source.id == row.id)
                .where(free)
                .values(lease_owner=owner, lease_until=now + LEASE)
                .execution_options(synchronize_session=False)
            ).rowcount
            if won:
                claimed.append(
                    DueSource(
                        id=row.id,
                        name=row.name,
                        url=row.url,
                        interval_minutes=intervals[row.name],
                        etag=row.etag,
                        last_modified=row.last_modified,
                        first_poll=row.polls == 0,
                    )
                )
    return claimed


def record_success(
    s: Session,
    source: DueSource,
    now: datetime,
    *,
    etag: str | None,
    last_modified: str | None,
    new_items: int,
    moved_to: str | None = None,
) -> None:
    row = s.get(Source, source.id)
    if row is None:
        return
    row.etag, row.last_modified = etag, last_modified
    if moved_to:
        row.url = moved_to
    row.last_polled_at = row.last_success_at = now
    row.error_streak = 0
    row.failing_since = None
    row.polls += 1
    row.items_seen += new_items
    row.next_due_at = now + timedelta(minutes=source.interval_minutes)
    row.lease_owner = row.lease_until = None


def retry_after_delay(retry_after_s: float, interval_minutes: int) -> timedelta:
    """A server's Retry-After, clamped to [the source's interval, 6 h]."""
    base = timedelta(minutes=interval_minutes)
    wanted = timedelta(seconds=max(0.0, min(retry_after_s, MAX_BACKOFF.total_seconds())))
    return min(max(wanted, base), max(MAX_BACKOFF, base))


def record_failure(
    db: Database,
    source: DueSource,
    now: datetime,
    kind: str,
    message: str,
    *,
    retry_after_s: float | None = None,
    disable: bool = False,
) -> datetime | None:
    """Keep the error and back off; return the next try, or None when now disabled.

    Backoff is exponential with jitter (never give up), except that a server's Retry-After
    (rate limiting) is honoured within [interval, 6 h]. `disable` (the source said 410 Gone)
    stops polling until the configured URL changes (see sync_sources).
    """
    with db.session() as s:
        row = s.get(Source, source.id)
        if row is None:
            return now
        row.error_streak += 1
        row.polls += 1
        row.last_polled_at = now
        if row.failing_since is None:
            row.failing_since = now
        row.last_error, row.last_error_kind = message[:1000], kind
        row.lease_owner = row.lease_until = None
        if disable:
            row.disabled_reason = f"{kind}: {message}"[:1000]
            row.disabled_at = now
            row.next_due_at = None
            return None
        if retry_after_s is not None:
            row.next_due_at = now + retry_after_delay(retry_after_s, source.interval_minutes)
            return row.next_due_at
        base = timedelta(minutes=source.interval_minutes)
        delay = min(base * (2 ** min(row.error_streak - 1, 10)), max(MAX_BACKOFF, base))
        delay = delay * random.uniform(0.9, 1.1)
        row.next_due_at = now + delay
        return row.next_due_at


def fingerprint(title: str, body: str) -> str:
    """Syndicated copies differ in boilerplate and tails; their openings are the same."""
    words = re.findall(r"[a-z0-9]+", f"{title} {body}".lower())[:60]
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:32]


def store_new_items(
    s: Session, source_id: int, items: Sequence[FeedItem], now: datetime
) -> list[Item]:
    """Insert the items not seen before from this source; return only those."""
    by_key: dict[str, FeedItem] = {}
    for item in items:
        by_key.setdefault(item.id, item)
    if not by_key:
        return []
    existing: set[str] = set()
    keys = list(by_key)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing.update(
            s.scalars(
                select(Item.item_key).where(Item.source_id == source_id, Item.item_key.in_(chunk))
            )
        )
    fresh = {key: item for key, item in by_key.items() if key not in existing}
    prints = {key: fingerprint(item.title, item.text) for key, item in fresh.items()}
    originals = _originals(s, source_id, set(prints.values()), now)
    new_rows = [
        Item(
            source_id=source_id,
            item_key=key,
            title=item.title,
            text=item.text,
            url=item.url,
            published_at=item.published,
            fetched_at=now,
            extracted=False,
            fingerprint=prints[key],
            duplicate_of=originals.get(prints[key]),
        )
        for key, item in fresh.items()
    ]
    s.add_all(new_rows)
    s.flush()
    return new_rows


def _originals(s: Session, source_id: int, prints: set[str], now: datetime) -> dict[str, int]:
    """The first item from another source with each fingerprint: one query per batch."""
    found: dict[str, int] = {}
    listed = sorted(prints)
    for start in range(0, len(listed), 500):
        rows = s.execute(
            select(Item.fingerprint, func.min(Item.id))
            .where(
                Item.fingerprint.in_(listed[start : start + 500]),
                Item.source_id != source_id,
                Item.fetched_at >= now - DUPLICATE_WINDOW,
                Item.duplicate_of.is_(None),
            )
            .group_by(Item.fingerprint)
        )
        found.update({fp: item_id for fp, item_id in rows if fp is not None})
    return found


def unextracted_items(db: Database, limit: int) -> list[Item]:
    """Items stored but not yet through extraction, e.g. after a crash mid-cycle."""
    with db.session() as s:
        return list(
            s.scalars(select(Item).where(Item.extracted.is_(False)).order_by(Item.id).limit(limit))
        )
