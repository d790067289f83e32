"""One polling cycle: due sources -> fetch -> parse -> new items -> events -> alerts.

Items are stored first, as fetches finish, up to STORE_BATCH sources per transaction, each
source's items together with its new cache state and next due time; extraction then takes
stored, unextracted items in batches and writes each item's events and alerts in one
transaction, so a crash anywhere re-does work but loses none.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Collection, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from extractors.accounts import AccountMatcher
from extractors.events import Event
from extractors.nlp import Extractor
from extractors.processes import ParallelExtraction
from monitor.alerts import dedupe
from monitor.alerts.routing import event_routes, is_fresh
from monitor.clock import Clock
from monitor.config import Config
from monitor.intervals import Bounds, next_interval
from monitor.logfmt import kv
from monitor.store import repo
from monitor.store.db import Database
from monitor.store.models import EventRow, Item, Source
from sources.feeds import parse_feed
from sources.fetch import Fetcher
from sources.records import FeedItem, FetchError, FetchResult, ParsedFeed

log = logging.getLogger(__name__)
# Most items never reach spaCy (the first pass), so a batch must be large for the few that
# do to fill one nlp.pipe call: at 64 items, spaCy's per-call overhead was a fifth of
# extraction.
EXTRACT_BATCH = 256
# Whole articles run to 50k characters: 64 of them in one spaCy batch held over 1 GB, and
# 20 TechCrunch items (60k characters) took the daemon from 250 to 340 MB. A batch is also
# cut at this many characters of what the extractor may parse (the title plus its
# `text_chars` of the text; an item longer than that still goes through alone).
EXTRACT_BATCH_CHARS = 200_000
# Poll results are written this many sources per transaction, or after this long, whichever
# comes first: one commit per source was the critical path of a big poll.
STORE_BATCH = 100
STORE_DELAY_S = 0.5
# A feed of more entries than this is parsed whole every time: a hostile 4 MB feed of tiny
# items must not make the daemon remember hundreds of thousands of digests.
MAX_REMEMBERED_ENTRIES = 1000
# After the first finished fetch, wait this long before draining the others: waking for
# every finished fetch cost a context switch and a GIL hand-off per source (a sixth to a
# third of a 304's CPU with 32 fetch threads).
DRAIN_PAUSE_S = 0.01


class FeedParser(Protocol):
    """sources.feeds.parse_feed, or ParsePool.parse to give each parse a hard budget."""

    def __call__(
        self,
        body: bytes,
        *,
        source: str,
        base_url: str | None,
        content_type: str | None,
        known: Collection[bytes] = (),
    ) -> ParsedFeed: ...


@dataclass
class CycleStats:
    sources: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: int = 0
    events: int = 0
    alerts: int = 0


@dataclass
class _Polled:
    source: repo.DueSource
    result: FetchResult | None = None
    parsed: ParsedFeed | None = None
    error: FetchError | None = None
    elapsed_ms: int = 0


class _Writer:
    """Collects poll results and hands them to Pipeline._store in batches."""

    def __init__(self, pipeline: Pipeline, stats: CycleStats) -> None:
        self.pipeline = pipeline
        self.stats = stats
        self.batch: list[_Polled] = []
        self.since = time.monotonic()

    def add(self, results: Iterable[_Polled]) -> None:
        if not self.batch:
            self.since = time.monotonic()
        self.batch.extend(results)

    def full(self) -> bool:
        return len(self.batch) >= STORE_BATCH or (
            bool(self.batch) and time.monotonic() - self.since >= STORE_DELAY_S
        )

    def wait_s(self) -> float | None:
        """How long to wait for more results before the batch is due anyway."""
        if not self.batch:
            return None
        return max(0.0, STORE_DELAY_S - (time.monotonic() - self.since))

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if batch:
            self.pipeline._store(batch, self.stats)


class Pipeline:
    """Holds what one configuration needs to poll; rebuilt when the config is reloaded."""

    def __init__(
        self,
        config: Config,
        db: Database,
        fetcher: Fetcher,
        extractor: Extractor,
        matcher: AccountMatcher,
        owner: str,
        clock: Clock,
        workers: int = 8,
        parse: FeedParser = parse_feed,
        extract_processes: int = 1,
    ) -> None:
        self.config = config
        self.db = db
        self.fetcher = fetcher
        self.extractor = extractor
        self.matcher = matcher
        self.owner = owner
        self.clock = clock
        self.workers = workers
        self.parse = parse
        self.extract_processes = extract_processes
        self.intervals = {s.name: s.interval_minutes for s in config.sources if s.enabled}
        self.bounds = Bounds(
            timedelta(minutes=config.fetch.min_interval_minutes),
            timedelta(minutes=config.fetch.max_interval_minutes),
        )
        # Per source id, the entry elements whose items are stored (digest -> published), so
        # the next poll parses only new or changed entries. Written by the storing thread
        # after the commit, read by the fetch threads; lost on restart or reload, which only
        # means one full parse. Bounded by what the feeds serve now: each successful poll
        # replaces its source's entry.
        self.stored_entries: dict[int, dict[bytes, datetime | None]] = {}

    def sync_sources(self) -> None:
        repo.sync_sources(self.db, ((s.name, s.url) for s in self.config.sources))

    def poll(self, *, ignore_schedule: bool = False) -> CycleStats:
        """Poll the due sources this instance can lease, then extract what is new.

        Fetching (threads), parsing (the parse pool) and storing (this thread) overlap:
        results are written as they arrive, several sources per transaction, while the
        workers fetch the next ones. Sources are leased a few workers' worth at a time, so
        other instances on the same database pick up the rest; `ignore_schedule`
        (run --once) leases every enabled source in one go.
        """
        stats = CycleStats()
        chunk = None if ignore_schedule else self.workers * 4
        writer = _Writer(self, stats)
        # Finished fetches arrive on a queue: waiting on a set of thousands of futures
        # costs O(futures) per wake-up, which made an all-304 poll quadratic in CPU.
        finished: queue.SimpleQueue[Future[_Polled]] = queue.SimpleQueue()
        in_flight = 0
        claiming = first_claim = True
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            while True:
                if claiming and in_flight < self.workers:
                    due = repo.claim_due_sources(
                        self.db,
                        self.owner,
                        self.clock(),
                        self.intervals,
                        ignore_schedule=ignore_schedule,
                        limit=chunk,
                        take_back_own=first_claim,
                    )
                    stats.sources += len(due)
                    first_claim = False
                    for source in due:
                        pool.submit(self._fetch_and_parse, source).add_done_callback(finished.put)
                    in_flight += len(due)
                    claiming = bool(due) and not ignore_schedule
                if not in_flight:
                    break
                done: list[Future[_Polled]] = []
                try:
                    done.append(finished.get(timeout=writer.wait_s()))
                    if in_flight > 1:
                        time.sleep(DRAIN_PAUSE_S)  # let a few more finish first
                    while True:
                        done.append(finished.get_nowait())
                except queue.Empty:
                    pass  # the batch is due: write what has arrived
                in_flight -= len(done)
                writer.add(future.result() for future in done)
                if writer.full() or not in_flight:
                    writer.flush()
        writer.flush()
        self.extract_pending(stats)
        return stats

    def _fetch_and_parse(self, source: repo.DueSource) -> _Polled:
        started = time.monotonic()
        polled = _Polled(source)
        try:
            polled.result = self.fetcher.fetch(
                source.url, etag=source.etag, last_modified=source.last_modified
            )
            if polled.result.body is not None:
                polled.parsed = self.parse(
                    polled.result.body,
                    source=source.name,
                    base_url=polled.result.url,
                    content_type=polled.result.content_type,
                    known=self.stored_entries.get(source.id, {}).keys(),
                )
                if not polled.parsed.is_feed:
                    polled.error = FetchError(
                        "not_a_feed", polled.parsed.problem or "the document is not a feed"
                    )
        except FetchError as exc:
            polled.error = exc
        except Exception as exc:  # a bug or a surprise from a library: one source only
            log.exception(kv("source crashed", source=source.name))
            polled.error = FetchError("internal", f"{type(exc).__name__}: {exc}")
        polled.elapsed_ms = int((time.monotonic() - started) * 1000)
        return polled

    def _store(self, batch: list[_Polled], stats: CycleStats) -> None:
        """Write one batch of poll results: failures one by one, successes together."""
        ok: list[tuple[_Polled, repo.Polled]] = []
        now = self.clock()
        for polled in batch:
            if polled.error is not None or polled.result is None:
                self._record_failure(
                    polled, polled.error or FetchError("internal", "no result"), stats
                )
            else:
                ok.append((polled, self._success(polled, now)))
        if not ok:
            return
        try:
            with self.db.session() as s:
                new = repo.record_successes(s, [p for _, p in ok], now)
        except OperationalError:
            raise  # the database itself: the job fails, the leases lapse, the next tick retries
        except Exception:
            if len(ok) == 1:
                log.exception(kv("source could not be stored", source=ok[0][0].source.name))
                self._record_failure(ok[0][0], FetchError("internal", "could not be stored"), stats)
                return
            # One poison source must not cost the others their poll: write them one by one.
            for polled, _ in ok:
                self._store([polled], stats)
            return
        for polled, _ in ok:
            self._remember_entries(polled)
            self._log_success(polled, new.get(polled.source.id, 0), stats)

    def _remember_entries(self, polled: _Polled) -> None:
        """After the commit: the entries this poll served are stored, skip them next time."""
        parsed, source_id = polled.parsed, polled.source.id
        if parsed is None:
            return  # a 304: the feed and what we know of it are unchanged
        before = self.stored_entries.get(source_id, {})
        now = {d: before[d] for d in parsed.skipped if d in before} | parsed.digests
        if 0 < len(now) <= MAX_REMEMBERED_ENTRIES:
            self.stored_entries[source_id] = now
        else:
            self.stored_entries.pop(source_id, None)

    def _success(self, polled: _Polled, now: datetime) -> repo.Polled:
        source, result, parsed = polled.source, polled.result, polled.parsed
        assert result is not None
        items = parsed.items if parsed else []
        published = None
        if parsed:
            stored = self.stored_entries.get(source.id, {})
            published = [i.published for i in items] + [stored.get(d) for d in parsed.skipped]
        hints = [
            timedelta(seconds=s)
            for s in (
                result.max_age_s,
                parsed.ttl_minutes * 60 if parsed and parsed.ttl_minutes else None,
            )
            if s
        ]
        interval = next_interval(
            fixed=None if source.adaptive else timedelta(minutes=source.interval_minutes),
            bounds=self.bounds,
            now=now,
            published=published,
            hint=max(hints) if hints else None,
            previous=timedelta(seconds=source.previous_s) if source.previous_s else None,
        )
        return repo.Polled(
            source=source,
            items=items,
            etag=result.etag,
            last_modified=result.last_modified,
            next_due_at=now + interval,
            moved_to=result.permanent_redirect,
            settled=self._settled(items),
        )

    def _settled(self, items: Sequence[FeedItem]) -> frozenset[str]:
        """The items the extractor's cheap first pass finds nothing to parse in (no trigger
        cue, or no account named and no account's domain): they can give no event that
        alerts anyone, so they are stored as extracted. Done here, while the fetch threads
        work, rather than in extraction after the last fetch, where loading, checking and
        marking 97% of a first poll's items ran on one core with the other idle."""
        return frozenset(i.id for i in items if not self.extractor.to_parse(i, self.matcher))

    def _log_success(self, polled: _Polled, new: int, stats: CycleStats) -> None:
        source, result, parsed = polled.source, polled.result, polled.parsed
        assert result is not None
        if result.permanent_redirect:
            log.warning(kv("source moved", source=source.name, url=result.permanent_redirect))
        if parsed and parsed.problem:
            log.warning(kv("source feed problem", source=source.name, problem=parsed.problem))
        if result.not_modified:
            stats.not_modified += 1
        stats.new_items += new
        if log.isEnabledFor(logging.INFO):  # formatting a line nobody keeps cost a 304 2%
            log.info(
                kv(
                    "source polled",
                    source=source.name,
                    status=result.status,
                    items=len(parsed.items) + len(parsed.skipped) if parsed else 0,
                    new=new,
                    parsed=len(parsed.items) if parsed else 0,
                    ms=polled.elapsed_ms,
                )
            )

    def _record_failure(self, polled: _Polled, error: FetchError, stats: CycleStats) -> None:
        source, now = polled.source, self.clock()
        gone = error.kind == "gone"
        retry_at = repo.record_failure(
            self.db,
            source,
            now,
            error.kind,
            str(error),
            retry_after_s=error.retry_after_s if error.kind == "rate_limited" else None,
            disable=gone,
        )
        stats.failed += 1
        if gone or retry_at is None:
            log.warning(
                kv(
                    "source disabled: it is gone; edit its url in sources.toml to re-enable",
                    source=source.name,
                    kind=error.kind,
                    error=str(error),
                )
            )
            return
        log.warning(
            kv(
                "source failed",
                source=source.name,
                kind=error.kind,
                error=str(error),
                retry_at=retry_at.isoformat(timespec="seconds"),
            )
        )

    def extract_pending(self, stats: CycleStats) -> None:
        """Extract stored items in batches until none is left (also after a crash)."""
        with self.parallel_extraction() as parallel:
            while True:
                items = repo.unextracted_items(self.db, EXTRACT_BATCH)
                if not items:
                    return
                self.extract_items(items, stats, parallel)

    def parallel_extraction(self) -> ParallelExtraction:
        """For one backlog: extraction on every core when enough items need spaCy."""
        return ParallelExtraction(self.extractor, self.extract_processes)

    def extract_items(
        self, items: Sequence[Item], stats: CycleStats, parallel: ParallelExtraction
    ) -> None:
        """Extract these stored items and write what they give.

        Most items give no event, and most syndicated copies copy an item that alerted no
        one: those only need their 'extracted' mark, one UPDATE for all of them, instead of
        a transaction each (which was most of a first poll's extraction CPU). Copies are
        looked at after the batch's own events are written, since their original may be in
        the same batch.
        """
        for batch in _by_size(items, EXTRACT_BATCH_CHARS, self.extractor.text_chars):
            results = self._extract_fresh(batch, parallel)
            self._mark_extracted(
                [i.id for i, evs in zip(batch, results, strict=True) if not evs and not _copy(i)]
            )
            for item, events in zip(batch, results, strict=True):
                if events and not _copy(item):
                    self._write_item(item, events, stats)
            copies = [i for i in batch if _copy(i)]
            if not copies:
                continue
            with self.db.session() as s:
                alerted = dedupe.alerted_items(
                    s, {i.duplicate_of for i in copies if i.duplicate_of}
                )
            self._mark_extracted([i.id for i in copies if i.duplicate_of not in alerted])
            for item in copies:
                if item.duplicate_of in alerted:
                    self._write_item(item, [], stats)

    def _write_item(self, item: Item, events: list[Event], stats: CycleStats) -> None:
        try:
            self._write_events(item, events, stats)
        except OperationalError:
            raise  # the database itself: the job fails and the next tick retries
        except Exception:
            # A poison item must not block every item behind it.
            log.exception(kv("item could not be written; skipped", item=item.id))
            self._skip(item)

    def _skip(self, item: Item) -> None:
        with self.db.session() as s:
            s.execute(update(Item).where(Item.id == item.id).values(extracted=True))

    def _mark_extracted(self, ids: Collection[int]) -> None:
        """Items that gave no event and are no copy: nothing to write but the mark."""
        if not ids:
            return
        with self.db.session() as s:
            s.execute(
                update(Item)
                .where(Item.id.in_(sorted(ids)), Item.extracted.is_(False))
                .values(extracted=True)
                .execution_options(synchronize_session=False)
            )

    def _extract_fresh(
        self, items: Sequence[Item], parallel: ParallelExtraction
    ) -> list[list[Event]]:
        """Only items that can alert go through NLP: items too old ([alerts] max_age_days)
        could never reach anyone, and a syndicated copy only adds its source to the
        original's alerts, so extracting either would cost time for nothing."""
        now, max_age = self.clock(), self.config.alerts.max_age_days
        fresh = [i for i in items if worth_extracting(i, now, max_age)]
        found = (
            dict(zip((i.id for i in fresh), self._extract(fresh, parallel), strict=True))
            if fresh
            else {}
        )
        return [found.get(item.id, []) for item in items]

    def _extract(self, items: Sequence[Item], parallel: ParallelExtraction) -> list[list[Event]]:
        try:
            return parallel.extract(items, self.matcher)
        except Exception:
            log.exception(kv("extraction batch failed; retrying item by item", items=len(items)))
        results: list[list[Event]] = []
        for item in items:
            try:
                results.append(self.extractor.extract([item], self.matcher)[0])
            except Exception:
                log.exception(kv("extraction failed; item skipped", item=item.id))
                results.append([])
        return results

    def _write_events(self, item: Item, events: list[Event], stats: CycleStats) -> None:
        """Events and their alerts commit together with the item's 'extracted' mark."""
        now = self.clock()
        alerts = self.config.alerts
        fresh = is_fresh(item.published_at, item.fetched_at, now, alerts.max_age_days)
        with self.db.session() as s:
            claimed = s.execute(
                update(Item)
                .where(Item.id == item.id, Item.extracted.is_(False))
                .values(extracted=True)
                .execution_options(synchronize_session=False)
            ).rowcount
            if not claimed:  # another instance got there first
                return
            source = s.get(Source, item.source_id)
            source_name = source.name if source else "?"
            if item.duplicate_of is not None:
                copied = dedupe.attach_copy(s, item, source_name, now)
                log.info(
                    kv("syndicated copy", item=item.id, original=item.duplicate_of, alerts=copied)
                )
                return
            for event in events:
                row = EventRow(
                    item_id=item.id,
                    type=event.type,
                    company=event.company,
                    attributes=event.attributes,
                    evidence=event.evidence,
                    confidence=event.confidence,
                    status=event.status,
                    created_at=now,
                    rule=event.rule or None,
                )
                s.add(row)
                s.flush()
                stats.events += 1
                matches, routes = event_routes(event, item.url, self.matcher, self.config, fresh)
                if not matches:
                    continue
                outcomes = []
                for route in routes:
                    outcome, _alert = dedupe.place(
                        s, route, row, item, source_name, now, alerts.dedupe_window_days
                    )
                    outcomes.append(outcome)
                    stats.alerts += outcome in ("new", "update")
                log.info(
                    kv(
                        "event matched",
                        item=item.id,
                        type=event.type,
                        company=event.company,
                        accounts=",".join(m.account.name for m in matches),
                        alerts=",".join(outcomes) or ("none: too old" if not fresh else "none"),
                    )
                )


class StoredItem(Protocol):
    """What deciding about extraction needs of a stored item (an Item row or replay's copy)."""

    @property
    def duplicate_of(self) -> int | None: ...

    @property
    def published_at(self) -> datetime | None: ...

    @property
    def fetched_at(self) -> datetime: ...


def worth_extracting(item: StoredItem, now: datetime, max_age_days: int) -> bool:
    """The daemon extracts an item only if it can alert: not a syndicated copy (that only
    joins its original's alerts) and not older than max_age_days at `now`."""
    return item.duplicate_of is None and is_fresh(
        item.published_at, item.fetched_at, now, max_age_days
    )


def _copy(item: Item) -> bool:
    return item.duplicate_of is not None


def _by_size(items: Sequence[Item], max_chars: int, text_chars: int) -> list[list[Item]]:
    batches: list[list[Item]] = [[]]
    size = 0
    for item in items:
        length = len(item.title or "") + min(len(item.text or ""), text_chars)
        if batches[-1] and size + length > max_chars:
            batches.append([])
            size = 0
        batches[-1].append(item)
        size += length
    return [b for b in batches if b]
