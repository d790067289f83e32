"""Section 1: poll cycles of the in-process Daemon over N loopback feeds.

The Daemon is the real one (config folder, SQLite, ParsePool, spaCy); its pipeline's
fetcher, parser, store step and extraction are wrapped from outside (instance attributes
only, no code change) so each poll splits into download, parse, store and extraction.
fetch/parse times are summed over the fetch threads. Extraction runs on the main thread
between poll results and after the last one: `extract_cpu_s` is its CPU wherever it ran,
`fetch_parse_wall_s` the wall time until the last source was stored, `extract_wall_s` the
extraction left after that.
"""

from __future__ import annotations

import logging
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from monitor.cycle import CycleStats, Pipeline
from monitor.daemon import Daemon
from monitor.store import repo
from monitor.store.models import Item, Source
from tests.bench.common import Timers, bench_config, children_cpu_s, rss_mb
from tests.bench.feeds import SPACING, TTL_EVERY, TTL_MINUTES, CorpusItem
from tests.bench.servers import FeedServer

log = logging.getLogger("bench")


def instrument(daemon: Daemon) -> Timers:
    """Wrap the pipeline pieces of a live Daemon with timers."""
    timers = Timers()
    pipe = daemon.runtime.pipeline
    pipe.fetcher.fetch = timers.wrap("fetch", pipe.fetcher.fetch)  # type: ignore[method-assign]
    pipe.parse = timers.wrap("parse", pipe.parse)
    pipe._store = timers.wrap("store", pipe._store)  # type: ignore[method-assign]
    pipe.extract_items = timers.wrap("extract", pipe.extract_items)  # type: ignore[method-assign]
    pipe.claim_timer = timers  # type: ignore[attr-defined]
    return timers


def bounded_extract(pipe: Pipeline, stats: CycleStats, budget_s: float) -> tuple[int, int, float]:
    """Pipeline.extract_pending's loop, stopped after `budget_s`; the rest is marked done.

    Returns (items extracted, items skipped, seconds). Used only for first polls whose
    backlog (15 items x thousands of feeds) would take far longer than the whole bench.
    """
    from monitor.cycle import EXTRACT_BATCH

    done, started = 0, time.perf_counter()
    with pipe.parallel_extraction() as parallel:
        while time.perf_counter() - started < budget_s:
            items = repo.unextracted_items(pipe.db, EXTRACT_BATCH)
            if not items:
                break
            pipe.extract_items(items, stats, parallel)
            done += len(items)
    elapsed = time.perf_counter() - started
    with pipe.db.session() as s:
        skipped = s.scalar(select(func.count()).where(Item.extracted.is_(False))) or 0
        s.execute(update(Item).where(Item.extracted.is_(False)).values(extracted=True))
    return done, skipped, elapsed


def timed_poll(
    daemon: Daemon,
    timers: Timers,
    label: str,
    extract_budget_s: float | None = None,
    server_pid: int | None = None,
) -> dict[str, Any]:
    """One `Daemon.poll(ignore_schedule=True)` with its split, in wall and CPU seconds.

    CPU is this process (fetch threads, storing, extraction) plus the parse workers, not
    the feed server: on a shared machine wall time says how busy the others were, CPU
    seconds what the daemon itself spent.
    """
    pipe = daemon.runtime.pipeline
    exclude = {server_pid} if server_pid else set()
    timers.reset()
    extract: dict[str, Any] = {}
    real_extract = pipe.extract_pending

    def extract_pending(stats: CycleStats) -> None:
        before = time.perf_counter()
        extract["fetch_parse_wall_s"] = before - started
        extract["fetch_cpu_s"] = time.process_time() - cpu0 - timers.cpu.get("extract", 0.0)
        extract["parse_cpu_s"] = children_cpu_s(exclude) - workers0
        if extract_budget_s is None:
            real_extract(stats)
            extract["extracted"] = stats.new_items
            extract["skipped"] = 0
        else:
            done, skipped, _ = bounded_extract(pipe, stats, extract_budget_s)
            extract["tail_done"], extract["skipped"] = done, skipped
            extract["extracted"] = stats.new_items - skipped
        extract["extract_wall_s"] = time.perf_counter() - before

    pipe.extract_pending = extract_pending  # type: ignore[method-assign]
    workers0, cpu0 = children_cpu_s(exclude), time.process_time()
    started = time.perf_counter()
    try:
        stats = daemon.poll(ignore_schedule=True)
    finally:
        pipe.extract_pending = real_extract  # type: ignore[method-assign]
    total = time.perf_counter() - started
    row: dict[str, Any] = {
        "poll": label,
        "wall_s": round(total, 2),
        "sources": stats.sources,
        "not_modified": stats.not_modified,
        "failed": stats.failed,
        "new_items": stats.new_items,
        "events": stats.events,
        "alerts": stats.alerts,
        "fetch_parse_wall_s": round(extract.get("fetch_parse_wall_s", 0.0), 2),
        "extract_wall_s": round(extract.get("extract_wall_s", 0.0), 2),
        "fetch_thread_s": round(timers.seconds.get("fetch", 0.0), 2),
        "parse_thread_s": round(timers.seconds.get("parse", 0.0), 2),
        "store_s": round(timers.seconds.get("store", 0.0), 2),
        "extracted_items": extract.get("extracted", 0),
        # CPU seconds: main process until extraction (fetch threads + storing), the parse
        # workers, and extraction (main process after the fetch phase).
        "fetch_store_cpu_s": round(extract.get("fetch_cpu_s", 0.0), 2),
        "parse_cpu_s": round(extract.get("parse_cpu_s", 0.0), 2),
        "extract_cpu_s": round(timers.cpu.get("extract", 0.0), 2),
    }
    if stats.sources:
        row["cpu_ms_per_source"] = round(
            (row["fetch_store_cpu_s"] + row["parse_cpu_s"]) * 1000 / stats.sources, 2
        )
    if extract.get("skipped"):
        # The rate of the extraction left after the fetches (the budgeted tail).
        done = extract["tail_done"]
        rate = done / extract["extract_wall_s"] if extract["extract_wall_s"] else 0.0
        row["extract_skipped_items"] = extract["skipped"]
        row["extract_items_per_s"] = round(rate, 1)
        row["extract_projected_s"] = round((done + extract["skipped"]) / rate, 1) if rate else None
        row["wall_projected_s"] = round(
            total - extract["extract_wall_s"] + (row["extract_projected_s"] or 0), 1
        )
    return row


def chosen_intervals(daemon: Daemon) -> list[dict[str, Any]]:
    """The interval the daemon chose for each kind of bench feed after one poll: the
    median of next_due_at - last_polled_at per publishing spacing, with and without <ttl>."""
    groups: dict[tuple[int, bool], list[float]] = {}
    with daemon.db.session() as s:
        for name, due, polled in s.execute(
            select(Source.name, Source.next_due_at, Source.last_polled_at)
        ):
            if due is None or polled is None:
                continue
            i = int(name.rsplit("-", 1)[1])
            key = (i % len(SPACING), i % TTL_EVERY == 0)
            groups.setdefault(key, []).append((due - polled).total_seconds() / 60)
    fetch = daemon.runtime.config.fetch
    out = []
    for (kind, ttl), minutes in sorted(groups.items()):
        out.append(
            {
                "publishes_every_min": SPACING[kind].total_seconds() / 60,
                "ttl_min": TTL_MINUTES if ttl else None,
                "feeds": len(minutes),
                "chosen_min": round(statistics.median(minutes), 1),
                "bounds_min": [fetch.min_interval_minutes, fetch.max_interval_minutes],
            }
        )
    return out


def run_polls(
    corpus: list[CorpusItem], feeds: int, *, latency_s: float, extract_budget_s: float | None
) -> dict[str, Any]:
    """First, steady-state and all-304 polls of `feeds` loopback feeds."""
    server = FeedServer(corpus, feeds, latency_s=latency_s, nonce=uuid.uuid4().hex[:6])
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-poll-{feeds}-"))
    try:
        config = bench_config(
            tmp / "config", server.urls, database_url=f"sqlite:///{tmp}/db.sqlite"
        )
        started = time.perf_counter()
        daemon = Daemon(config)
        startup = time.perf_counter() - started
        timers = instrument(daemon)
        try:
            pid = server.process.pid
            rows = [timed_poll(daemon, timers, "first", extract_budget_s, pid)]
            adaptive = chosen_intervals(daemon)
            server.advance()
            rows.append(timed_poll(daemon, timers, "steady (1-3 new/feed)", None, pid))
            rows.append(timed_poll(daemon, timers, "all-304", None, pid))
            hits = server.hits()
            memory = rss_mb()
        finally:
            daemon.close()
        return {
            "feeds": feeds,
            "latency_ms": int(latency_s * 1000),
            "hosts": len(server.hosts),
            "startup_s": round(startup, 2),
            "polls": rows,
            "adaptive": adaptive,
            "server_requests": hits.requests,
            "rss_mb": memory,
        }
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)
