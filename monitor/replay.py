"""`trigger-monitor replay`: what a configuration would have alerted, against what was.

Marketing edits triggers, accounts and reps; before the daemon runs on the edit they want to
know what changes. Replay re-runs extraction and matching over the stored items with the
current or a candidate configuration folder and compares with the alerts in the database.
Nothing is written (every read is a read-only transaction) and nothing is sent.

Identity. The daemon ties every item that reports an event to an alert, as the alert's
creator or as one more source behind it (`alert_sources`: new, update, merged, duplicate
all leave one), so "alerted" is the set of (item, account, type, recipient) the database
holds, and "would alert" the same set computed now. A report that changes only its
recipient (the account got a new owner) shows as removed plus added. Whether a new report
would have made its own email or joined an earlier alert (dedupe) is not compared: that
depends on the order and timing of the daemon's cycles, not on the configuration.

Consistency with the daemon:
- freshness ([alerts] max_age_days of the replayed configuration) is judged at the moment
  the daemon first saw the item (`fetched_at`), as the daemon did, not at replay time;
- syndicated copies (never extracted; they only join their original's alerts) and items
  not yet extracted are left out on both sides and counted;
- the same code decides: Extractor.extract, then routing.event_routes (account matcher,
  owner or default recipient, the rep's types and minimum confidence).

Speed: an item that neither names an account nor comes from an account's domain cannot
alert anyone, so it is never parsed; the rest goes through nlp.pipe in batches.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractors.accounts import AccountMatcher
from extractors.events import Event
from extractors.nlp import Extractor, parts_text
from extractors.processes import ParallelExtraction, process_count
from monitor import since
from monitor.alerts.routing import event_routes
from monitor.config import Config
from monitor.cycle import worth_extracting
from monitor.explain import one_line
from monitor.logfmt import kv
from monitor.store.db import Database
from monitor.store.models import Alert, AlertSource, EventRow, Item, Source

log = logging.getLogger(__name__)
PAGE = 1000  # items read per read-only transaction (keyset pagination on items.id)
EXTRACT_CHUNK = 256  # items handed to Extractor.extract at once (it batches nlp.pipe itself)


class ReplayError(Exception):
    """A bad --since or a database without our tables; printed as one line."""


def parse_since(value: str, now: datetime) -> datetime:
    """`30d`, `12h`, `2w`, or an ISO date / date-time (UTC unless it says otherwise)."""
    try:
        return since.parse_since(value, now)
    except since.SinceError as exc:
        raise ReplayError(str(exc)) from None


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ReplayItem:
    """A stored item as replay reads it (no ORM object: nothing can be written back)."""

    id: int
    source: str
    title: str
    text: str
    url: str | None
    published_at: datetime | None
    fetched_at: datetime
    duplicate_of: int | None
    extracted: bool


@dataclass(frozen=True)
class ReportKey:
    """One report's identity within an item: the item tied to this alert for this rep."""

    account: str
    type: str
    recipient: str


@dataclass(frozen=True)
class Example:
    """One added or removed report, for people to read."""

    change: str  # added | removed
    item_id: int
    title: str
    source: str
    url: str | None
    account: str
    type: str
    recipient: str
    evidence: str
    confidence: float | None


@dataclass
class Counts:
    kept: int = 0
    added: int = 0
    removed: int = 0

    def add(self, change: str) -> None:
        setattr(self, change, getattr(self, change) + 1)


@dataclass
class ItemCounts:
    """What happened to the items in the window, so the totals can be trusted."""

    scanned: int = 0
    compared: int = 0  # extracted by the daemon, not a copy: both sides were looked at
    syndicated_copies: int = 0
    not_yet_extracted: int = 0
    too_old: int = 0  # older than max_age_days when fetched: can alert nobody
    no_account_named: int = 0  # skipped before parsing: cannot match an account
    parsed: int = 0
    extraction_errors: int = 0


@dataclass
class ReplayResult:
    since: datetime
    database: str
    candidate: str
    items: ItemCounts = field(default_factory=ItemCounts)
    totals: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=dict)
    by_account: dict[str, Counts] = field(default_factory=dict)
    by_source: dict[str, Counts] = field(default_factory=dict)
    examples: dict[str, list[Example]] = field(default_factory=lambda: {"added": [], "removed": []})
    elapsed_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        def table(rows: dict[str, Counts]) -> dict[str, dict[str, int]]:
            return {k: asdict(v) for k, v in _sorted(rows)}

        return {
            "since": self.since.isoformat(timespec="seconds"),
            "database": self.database,
            "candidate": self.candidate,
            "items": asdict(self.items),
            "totals": asdict(self.totals),
            "by_type": table(self.by_type),
            "by_account": table(self.by_account),
            "by_source": table(self.by_source),
            "examples": {k: [asdict(e) for e in v] for k, v in self.examples.items()},
            "elapsed_s": round(self.elapsed_s, 2),
        }


def _sorted(rows: dict[str, Counts]) -> list[tuple[str, Counts]]:
    """Most changed first, then most kept, then by name."""
    return sorted(
        rows.items(), key=lambda kv_: (-(kv_[1].added + kv_[1].removed), -kv_[1].kept, kv_[0])
    )


# --------------------------------------------------------------------------- the diff


def diff(stored: Iterable[ReportKey], replayed: Iterable[ReportKey]) -> dict[str, list[ReportKey]]:
    """One item's reports: kept (in both), added (replay only), removed (database only)."""
    old, new = set(stored), set(replayed)
    order = lambda keys: sorted(keys, key=lambda k: (k.type, k.account, k.recipient))  # noqa: E731
    return {"kept": order(old & new), "added": order(new - old), "removed": order(old - new)}


class Tally:
    """Counts per type, account and source, and a few examples of each change that cover
    as many event types as they can (a funding flood should not hide one lost layoff)."""

    def __init__(self, result: ReplayResult, examples: int) -> None:
        self.result = result
        self.limit = examples
        self._pool: dict[str, dict[str, list[Example]]] = {"added": {}, "removed": {}}

    def count(self, change: str, item: ReplayItem, key: ReportKey) -> None:
        r = self.result
        r.totals.add(change)
        r.by_type.setdefault(key.type, Counts()).add(change)
        r.by_account.setdefault(key.account, Counts()).add(change)
        r.by_source.setdefault(item.source, Counts()).add(change)

    def wants_example(self, change: str, key: ReportKey) -> bool:
        return change != "kept" and len(self._pool[change].get(key.type, [])) < self.limit

    def example(self, example: Example) -> None:
        self._pool[example.change].setdefault(example.type, []).append(example)

    def removed_examples(self) -> list[Example]:
        return [e for examples in self._pool["removed"].values() for e in examples]

    def finish(self, stored_evidence: dict[tuple[int, str], tuple[str, float]]) -> None:
        """Round-robin over event types, up to `limit` examples per change; removed ones
        get the evidence of the item's stored event of that type."""
        for change, by_type in self._pool.items():
            chosen: list[Example] = []
            queues = [list(v) for _, v in sorted(by_type.items())]
            while len(chosen) < self.limit and any(queues):
                for queue in queues:
                    if queue and len(chosen) < self.limit:
                        chosen.append(queue.pop(0))
            if change == "removed":
                chosen = [_with_stored_evidence(e, stored_evidence) for e in chosen]
            self.result.examples[change] = sorted(chosen, key=lambda e: (e.type, e.item_id))


def _with_stored_evidence(
    example: Example, stored: dict[tuple[int, str], tuple[str, float]]
) -> Example:
    evidence, confidence = stored.get((example.item_id, example.type), ("", None))
    return replace(
        example,
        evidence=evidence or "(no stored event of this type)",
        confidence=None if confidence is None else round(confidence, 3),
    )


# --------------------------------------------------------------------------- replaying


class Replayer:
    """Replays stored items with one configuration against one database."""

    def __init__(
        self,
        db: Database,
        config: Config,
        extractor: Extractor,
        *,
        examples: int = 5,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.db = db
        self.config = config
        self.extractor = extractor
        self.matcher = AccountMatcher(config.accounts)
        self.examples = examples
        self.progress = progress

    def count_items(self, since: datetime) -> int:
        with self.db.reading() as s:
            return int(s.scalar(select(func.count(Item.id)).where(Item.fetched_at >= since)) or 0)

    def run(self, since: datetime) -> ReplayResult:
        started = time.perf_counter()
        result = ReplayResult(
            since=since, database=self.db.describe(), candidate=str(self.config.directory)
        )
        tally = Tally(result, self.examples)
        with self.db.reading() as s:
            sources = dict(s.execute(select(Source.id, Source.name)).tuples().all())
        after = 0
        processes = process_count(self.config.nlp_processes)
        with ParallelExtraction(self.extractor, processes) as parallel:
            while True:
                # A page and its alerts come from one snapshot: an item the daemon extracts
                # meanwhile is seen either before (left out) or after (with its alerts).
                with self.db.reading() as s:
                    page = _page(s, since, after, sources)
                    if not page:
                        break
                    stored = _stored_reports(s, page[0].id, page[-1].id)
                after = page[-1].id
                self._page(page, stored, result, tally, parallel)
                if self.progress is not None:
                    self.progress(len(page))
        tally.finish(self._stored_evidence(tally))
        result.elapsed_s = time.perf_counter() - started
        log.info(
            kv(
                "replay done",
                items=result.items.scanned,
                parsed=result.items.parsed,
                kept=result.totals.kept,
                added=result.totals.added,
                removed=result.totals.removed,
                s=round(result.elapsed_s, 1),
            )
        )
        return result

    def _page(
        self,
        page: list[ReplayItem],
        stored: dict[int, set[ReportKey]],
        result: ReplayResult,
        tally: Tally,
        parallel: ParallelExtraction,
    ) -> None:
        counts = result.items
        max_age = self.config.alerts.max_age_days
        compared: list[ReplayItem] = []
        to_parse: list[ReplayItem] = []
        for item in page:
            counts.scanned += 1
            if not item.extracted:
                counts.not_yet_extracted += 1
                continue
            if item.duplicate_of is not None:
                counts.syndicated_copies += 1
                continue
            compared.append(item)
            # The daemon decided when it fetched the item; so does replay.
            if not worth_extracting(item, item.fetched_at, max_age):
                counts.too_old += 1
            elif not self.matcher.could_match(self._first_pass_text(item), item.url):
                counts.no_account_named += 1
            else:
                to_parse.append(item)
        counts.compared += len(compared)
        counts.parsed += len(to_parse)
        events: dict[int, list[Event]] = {}
        for start in range(0, len(to_parse), EXTRACT_CHUNK):
            chunk = to_parse[start : start + EXTRACT_CHUNK]
            found = self._extract(chunk, counts, parallel)
            events.update(zip((i.id for i in chunk), found, strict=True))
        for item in compared:
            replayed = self._reports(item, events.get(item.id, []))
            changes = diff(stored.get(item.id, set()), replayed)
            for change, keys in changes.items():
                for key in keys:
                    tally.count(change, item, key)
                    if not tally.wants_example(change, key):
                        continue
                    if change == "added":
                        event = replayed[key]
                        tally.example(
                            _example("added", item, key, event.evidence, event.confidence)
                        )
                    else:  # the stored evidence is looked up at the end, for the few shown
                        tally.example(_example("removed", item, key, "", None))

    def _reports(self, item: ReplayItem, events: list[Event]) -> dict[ReportKey, Event]:
        """The reports this item would make now, each with its most confident event."""
        out: dict[ReportKey, Event] = {}
        for event in events:
            _matches, routes = event_routes(event, item.url, self.matcher, self.config, True)
            for route in routes:
                key = ReportKey(route.account, event.type, route.recipient)
                if key not in out or event.confidence > out[key].confidence:
                    out[key] = event
        return out

    def _first_pass_text(self, item: ReplayItem) -> str:
        """The text the daemon's first pass reads for accounts (Extractor.to_parse: the title
        and cue sentences), so replay skips exactly the items the daemon would: whether a
        common-word name counts depends on its context. Items without such parts give no
        event either way; they are judged on their whole text."""
        parts = list(self.extractor.parts(item))
        return parts_text(parts) if parts else f"{item.title} \n {item.text}"

    def _extract(
        self, items: Sequence[ReplayItem], counts: ItemCounts, parallel: ParallelExtraction
    ) -> list[list[Event]]:
        """Like the daemon: spread over the cores, and a failing batch is retried item by
        item; a poison item counts as an extraction error with no events."""
        try:
            return parallel.extract(items)
        except Exception:
            log.exception(kv("replay extraction batch failed; retrying item by item"))
        out: list[list[Event]] = []
        for item in items:
            try:
                out.append(self.extractor.extract([item])[0])
            except Exception:
                log.exception(kv("replay extraction failed; item skipped", item=item.id))
                counts.extraction_errors += 1
                out.append([])
        return out

    def _stored_evidence(self, tally: Tally) -> dict[tuple[int, str], tuple[str, float]]:
        """The stored events behind the removed examples (a few rows, one query)."""
        ids = {e.item_id for e in tally.removed_examples()}
        if not ids:
            return {}
        with self.db.reading() as s:
            rows = s.execute(
                select(EventRow.item_id, EventRow.type, EventRow.evidence, EventRow.confidence)
                .where(EventRow.item_id.in_(ids))
                .order_by(EventRow.confidence)
            ).all()
        return {(r.item_id, r.type): (r.evidence, r.confidence) for r in rows}


def _example(
    change: str, item: ReplayItem, key: ReportKey, evidence: str, confidence: float | None
) -> Example:
    return Example(
        change=change,
        item_id=item.id,
        title=item.title,
        source=item.source,
        url=item.url,
        account=key.account,
        type=key.type,
        recipient=key.recipient,
        evidence=evidence,
        confidence=None if confidence is None else round(confidence, 3),
    )


def _stored_reports(s: Session, first: int, last: int) -> dict[int, set[ReportKey]]:
    """Every (item, account, type, recipient) the database ties to an alert, for the items
    with ids first..last: the alert's own item and every report attached to it later."""
    rows = s.execute(
        select(AlertSource.item_id, Alert.account, Alert.type, Alert.recipient)
        .join(Alert, Alert.id == AlertSource.alert_id)
        .where(AlertSource.item_id.between(first, last))
    )
    out: dict[int, set[ReportKey]] = {}
    for item_id, account, type_, recipient in rows:
        out.setdefault(item_id, set()).add(ReportKey(account, type_, recipient))
    return out


def _page(s: Session, since: datetime, after: int, sources: dict[int, str]) -> list[ReplayItem]:
    rows = s.execute(
        select(
            Item.id,
            Item.source_id,
            Item.title,
            Item.text,
            Item.url,
            Item.published_at,
            Item.fetched_at,
            Item.duplicate_of,
            Item.extracted,
        )
        .where(Item.id > after, Item.fetched_at >= since)
        .order_by(Item.id)
        .limit(PAGE)
    ).all()
    return [
        ReplayItem(
            id=r.id,
            source=sources.get(r.source_id, "?"),
            title=r.title or "",
            text=r.text or "",
            url=r.url,
            published_at=r.published_at,
            fetched_at=r.fetched_at,
            duplicate_of=r.duplicate_of,
            extracted=bool(r.extracted),
        )
        for r in rows
    ]


# --------------------------------------------------------------------------- output


def render_text(result: ReplayResult, out: TextIO, *, rows: int = 15) -> None:
    """The report for people; feed text is escaped (no control characters reach the
    terminal) and long tables are cut at `rows` lines (--format json has them all)."""
    say = out.write
    n = result.items
    rate = n.scanned / result.elapsed_s if result.elapsed_s else 0.0
    say(f"Replay of items fetched since {result.since:%Y-%m-%d %H:%M} UTC\n")
    say(f"  database:   {result.database}\n")
    say(f"  config:     {result.candidate}\n")
    say(
        f"  items:      {n.scanned} scanned, {n.compared} compared "
        f"({n.parsed} parsed, {n.no_account_named} name no account, "
        f"{n.too_old} too old when fetched)\n"
    )
    left_out = []
    if n.syndicated_copies:
        left_out.append(f"{n.syndicated_copies} syndicated copies")
    if n.not_yet_extracted:
        left_out.append(f"{n.not_yet_extracted} not yet extracted")
    if left_out:
        say(f"  left out:   {', '.join(left_out)} (on both sides)\n")
    if n.extraction_errors:
        say(f"  errors:     {n.extraction_errors} items failed extraction (see the log)\n")
    say(f"  time:       {result.elapsed_s:.1f} s ({rate:.0f} items/s)\n")
    say("\n")
    t = result.totals
    say("Alerts (one per item, account, type and recipient)\n")
    say(f"  kept {t.kept}   added {t.added}   removed {t.removed}\n")
    for title, table in (
        ("type", result.by_type),
        ("account", result.by_account),
        ("source", result.by_source),
    ):
        changed = [(k, c) for k, c in _sorted(table) if c.added or c.removed]
        say("\n")
        if not changed:
            say(f"By {title}: no change\n")
            continue
        width = min(40, max(len(title), *(len(one_line(k, 40)) for k, _ in changed)))
        say(f"By {title:{width - 1}}  {'kept':>6} {'added':>6} {'removed':>7}\n")
        for key, c in changed[:rows]:
            say(f"  {one_line(key, 40):{width}}  {c.kept:>6} {c.added:>6} {c.removed:>7}\n")
        if len(changed) > rows:
            say(f"  … {len(changed) - rows} more (--format json lists all)\n")
    for change, sign in (("added", "+"), ("removed", "-")):
        examples = result.examples[change]
        total = getattr(result.totals, change)
        if not total:
            continue
        say("\n")
        say(f"{change.capitalize()} ({total}; {len(examples)} shown)\n")
        for e in examples:
            conf = f" ({e.confidence:.2f})" if e.confidence is not None else ""
            say(f"  {sign} {e.type}: {one_line(e.account, 80)} -> {one_line(e.recipient, 80)}\n")
            say(f"      title:    {one_line(e.title, 160)}\n")
            say(f"      source:   {one_line(e.source, 80)} (item {e.item_id})\n")
            if e.url:
                say(f"      url:      {one_line(e.url, 200)}\n")
            say(f'      evidence: "{one_line(e.evidence, 240)}"{conf}\n')
