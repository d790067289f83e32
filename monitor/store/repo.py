"""Source state and item storage: what the polling side reads and writes."""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Insert,
    Row,
    Text,
    any_,
    bindparam,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.intervals import DEFAULT_START
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
    """A source this instance holds the lease on for one poll.

    `interval_minutes` is the backoff base: the configured interval, or for an adaptive
    source (`adaptive`) the interval chosen last time (`previous_s`), else 30 minutes.
    """

    id: int
    name: str
    url: str
    interval_minutes: float
    etag: str | None
    last_modified: str | None
    first_poll: bool
    adaptive: bool = False
    previous_s: float | None = None


@dataclass(frozen=True)
class Polled:
    """A successful fetch to commit: the items read and the source's new cache state."""

    source: DueSource
    items: Sequence[FeedItem]
    etag: str | None
    last_modified: str | None
    next_due_at: datetime
    moved_to: str | None = None
    # Ids of items the extractor's first pass already found nothing to parse in: stored as
    # extracted, so the poll's extraction never loads them (most items of a first poll).
    settled: frozenset[str] = frozenset()


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
    intervals: dict[str, float | None],
    *,
    ignore_schedule: bool = False,
    limit: int | None = None,
    take_back_own: bool = True,
) -> list[DueSource]:
    """Lease due sources (the most overdue first, at most `limit`) to `owner`.

    `intervals` maps each enabled source to its fixed interval in minutes, or None for an
    adaptive one. Another instance skips leased rows; a limit lets several instances share
    the work instead of the first one leasing everything.

    The lease is taken by one conditional UPDATE ... RETURNING whose rows say what was won,
    which is correct on SQLite (one writer at a time) and on PostgreSQL (row locks re-check
    the WHERE after a concurrent commit).
    """
    with db.session() as s:
        # Only the columns a DueSource needs, as plain rows: loading ORM objects was most of
        # the claim's CPU, and a claim's CPU is paid per source polled.
        query = select(*_DUE_COLUMNS).where(
            _named(db, list(intervals)), Source.disabled_reason.is_(None)
        )
        if not ignore_schedule:
            query = query.where(or_(Source.next_due_at.is_(None), Source.next_due_at <= now))
        # This instance polls one cycle at a time, so at a cycle's first claim a lease it
        # still holds is left over from a cycle that failed (e.g. the database dropped it
        # mid-commit): take it back. Later claims in the cycle (`take_back_own=False`) must
        # not, or they would lease again the sources still being fetched.
        free = or_(Source.lease_until.is_(None), Source.lease_until < now)
        if take_back_own:
            free = or_(free, Source.lease_owner == owner)
        query = query.where(free)
        query = query.order_by(Source.next_due_at.asc().nulls_first(), Source.id).limit(limit)
        if not db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        candidates = list(s.execute(query))
        won: set[int] = set()
        ids = [row.id for row in candidates]
        for start in range(0, len(ids), 500):
            won.update(
                s.scalars(
                    update(Source)
                    .where(Source.id.in_(ids[start : start + 500]))
                    .where(free)
                    .values(lease_owner=owner, lease_until=now + LEASE)
                    .returning(Source.id)
                    .execution_options(synchronize_session=False)
                )
            )
        return [_due(row, intervals[row.name]) for row in candidates if row.id in won]


def _named(db: Database, names: list[str]) -> ColumnElement[bool]:
    """`Source.name IN names` with the names as ONE bound value (a JSON text on SQLite, an
    array on PostgreSQL): an expanding IN of every configured name was rendered again on
    each of a poll's claims, a fifth of the CPU of a 304 with 5,000 sources."""
    if db.is_sqlite:
        listed = func.json_each(bindparam("names", json.dumps(names))).table_valued("value")
        return Source.name.in_(select(listed.c.value))
    return Source.name == any_(bindparam("names", names, type_=ARRAY(Text)))


_DUE_COLUMNS = (
    Source.id,
    Source.name,
    Source.url,
    Source.etag,
    Source.last_modified,
    Source.next_due_at,
    Source.last_polled_at,
    Source.error_streak,
    Source.polls,
)


def _due(row: Row[Any], fixed: float | None) -> DueSource:
    previous = None
    if fixed is None and row.error_streak == 0 and row.next_due_at and row.last_polled_at:
        previous = (row.next_due_at - row.last_polled_at).total_seconds()
        previous = previous if previous > 0 else None
    if fixed is not None:
        base = fixed
    elif previous is not None:
        base = previous / 60
    else:
        base = DEFAULT_START.total_seconds() / 60
    return DueSource(
        id=row.id,
        name=row.name,
        url=row.url,
        interval_minutes=base,
        etag=row.etag,
        last_modified=row.last_modified,
        first_poll=row.polls == 0,
        adaptive=fixed is None,
        previous_s=previous,
    )


_SUCCESS = (
    update(Source.__table__)
    .where(Source.__table__.c.id == bindparam("b_id"))
    .values(
        etag=bindparam("b_etag"),
        last_modified=bindparam("b_last_modified"),
        url=func.coalesce(bindparam("b_moved", type_=Source.url.type), Source.__table__.c.url),
        last_polled_at=bindparam("b_now", type_=Source.last_polled_at.type),
        last_success_at=bindparam("b_now", type_=Source.last_success_at.type),
        error_streak=0,
        failing_since=None,
        polls=Source.__table__.c.polls + 1,
        items_seen=Source.__table__.c.items_seen + bindparam("b_new"),
        next_due_at=bindparam("b_due", type_=Source.next_due_at.type),
        lease_owner=None,
        lease_until=None,
    )
)


def record_successes(s: Session, polled: Sequence[Polled], now: datetime) -> dict[int, int]:
    """Store the new items of several polled sources and their new state, in `s`'s one
    transaction; return the number of new items per source id.

    An item is new when (source, item key) is not stored yet; the unique constraint makes
    that exact even against a concurrent writer (its rows are skipped, not doubled). Cache
    headers and the next due time commit with the items, so a crash before the commit
    re-polls the same feed state and loses nothing.
    """
    if not polled:
        return {}
    settled = {(p.source.id, key) for p in polled for key in p.settled}
    new = store_items(s, [(p.source.id, p.items) for p in polled], now, settled=settled)
    s.execute(
        _SUCCESS,
        [
            {
                "b_id": p.source.id,
                "b_etag": p.etag,
                "b_last_modified": p.last_modified,
                "b_moved": p.moved_to,
                "b_now": now,
                "b_new": new.get(p.source.id, 0),
                "b_due": p.next_due_at,
            }
            for p in polled
        ],
    )
    return new


def retry_after_delay(retry_after_s: float, interval_minutes: float) -> timedelta:
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


def store_items(
    s: Session,
    batches: Sequence[tuple[int, Sequence[FeedItem]]],
    now: datetime,
    settled: Collection[tuple[int, str]] = (),
) -> dict[int, int]:
    """Insert the items not seen before from each source; return new counts per source.

    A few queries per batch whatever its size: known keys, fingerprint originals, then one
    multi-row INSERT ... ON CONFLICT DO NOTHING (two when a syndicated copy's original is
    in the same batch, since the copy must point at the original's new id). Items whose
    (source id, key) is in `settled` are stored as extracted, unless they are syndicated
    copies: a copy joins its original's alerts, which only extraction does.
    """
    wanted: dict[tuple[int, str], FeedItem] = {}
    for source_id, items in batches:
        for item in items:
            wanted.setdefault((source_id, item.id), item)
    if not wanted:
        return {}
    known = _known_keys(s, wanted)
    fresh = [(key, item) for key, item in wanted.items() if key not in known]
    prints = [fingerprint(item.title, item.text) for _, item in fresh]
    originals = _originals(s, set(prints), now)
    first_here: dict[str, tuple[int, int]] = {}  # fingerprint -> (source, index in `rows`)
    rows: list[dict[str, object]] = []
    later: list[tuple[dict[str, object], int]] = []  # copies of an item of this batch
    for ((source_id, key), item), fp in zip(fresh, prints, strict=True):
        row: dict[str, object] = {
            "source_id": source_id,
            "item_key": key,
            "title": item.title,
            "text": item.text,
            "url": item.url,
            "published_at": item.published,
            "fetched_at": now,
            "extracted": False,
            "fingerprint": fp,
            "duplicate_of": next((i for src, i in originals.get(fp, ()) if src != source_id), None),
        }
        here = first_here.get(fp)
        if row["duplicate_of"] is None and here is not None and here[0] != source_id:
            later.append((row, here[1]))
            continue
        row["extracted"] = row["duplicate_of"] is None and (source_id, key) in settled
        if row["duplicate_of"] is None and here is None:
            first_here[fp] = (source_id, len(rows))
        rows.append(row)
    new: dict[int, int] = {}
    ids = _insert_items(s, rows, new)
    for row, index in later:
        row["duplicate_of"] = ids[index]
    _insert_items(s, [row for row, _ in later], new)
    return new


def _known_keys(s: Session, wanted: dict[tuple[int, str], FeedItem]) -> set[tuple[int, str]]:
    sources = sorted({source_id for source_id, _ in wanted})
    keys = sorted({key for _, key in wanted})
    known: set[tuple[int, str]] = set()
    for start in range(0, len(keys), 500):
        rows = s.execute(
            select(Item.source_id, Item.item_key).where(
                Item.source_id.in_(sources), Item.item_key.in_(keys[start : start + 500])
            )
        )
        known.update((source_id, key) for source_id, key in rows)
    return known


def _insert_items(
    s: Session, rows: list[dict[str, object]], new: dict[int, int]
) -> list[int | None]:
    """Insert rows, skipping any (source, key) a concurrent writer stored first; return
    each row's new id (None when skipped) and count the inserted rows per source."""
    if not rows:
        return []
    ids: dict[tuple[int, str], int] = {}
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        for item_id, source_id, key in s.execute(
            _insert_ignore(s).returning(Item.id, Item.source_id, Item.item_key), chunk
        ):
            ids[(source_id, key)] = item_id
            new[source_id] = new.get(source_id, 0) + 1
    return [ids.get((row["source_id"], row["item_key"])) for row in rows]  # type: ignore[misc]


def _insert_ignore(s: Session) -> Insert:
    table = Item.__table__
    if s.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(
            index_elements=["source_id", "item_key"]
        )
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=["source_id", "item_key"])


def _originals(s: Session, prints: set[str], now: datetime) -> dict[str, list[tuple[int, int]]]:
    """Stored originals (not copies, within the window) per fingerprint, oldest first, as
    (source id, item id): one query per 500 fingerprints, whatever the sources."""
    found: dict[str, list[tuple[int, int]]] = {}
    listed = sorted(prints)
    for start in range(0, len(listed), 500):
        rows = s.execute(
            select(Item.fingerprint, Item.source_id, Item.id)
            .where(
                Item.fingerprint.in_(listed[start : start + 500]),
                Item.fetched_at >= now - DUPLICATE_WINDOW,
                Item.duplicate_of.is_(None),
            )
            .order_by(Item.id)
        )
        for fp, source_id, item_id in rows:
            found.setdefault(fp, []).append((source_id, item_id))
    return found


def unextracted_items(db: Database, limit: int) -> list[Item]:
    """Items stored but not yet through extraction, e.g. after a crash mid-cycle."""
    with db.session() as s:
        return list(
            # `= false`, not `IS false`: the form the partial index ix_items_unextracted names.
            s.scalars(select(Item).where(Item.extracted == false()).order_by(Item.id).limit(limit))
        )
