"""Section 1: poll cycles of the in-process Daemon over N loopback feeds.

The Daemon is the real one (config folder, SQLite, ParsePool, spaCy); its pipeline's
fetcher, parser, store step and extraction are wrapped from outside (instance attributes
only, no code change) so each poll splits into download, parse, store and extraction.
fetch/parse times are summed over the 8 fetch threads; `fetch_parse_wall_s` is the wall
time until the last source was stored, `extract_wall_s` the batch extraction after it.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from monitor.cycle import CycleStats, Pipeline
from monitor.daemon import Daemon
from monitor.store import repo
from monitor.store.models import Item
from tests.bench.common import Timers, bench_config, rss_mb
from tests.bench.feeds import CorpusItem
from tests.bench.servers import FeedServer

log = logging.getLogger("bench")


def instrument(daemon: Daemon) -> Timers:
    """Wrap the pipeline pieces of a live Daemon with timers."""
    timers = Timers()
    pipe = daemon.runtime.pipeline
    pipe.fetcher.fetch = timers.wrap("fetch", pipe.fetcher.fetch)  # type: ignore[method-assign]
    pipe.parse = timers.wrap("parse", pipe.parse)
    pipe._store = timers.wrap("store", pipe._store)  # type: ignore[method-assign]
    pipe.claim_timer = timers  # type: ignore[attr-defined]
    return timers


def bounded_extract(pipe: Pipeline, stats: CycleStats, budget_s: float) -> tuple[int, int, float]:
    """Pipeline.extract_pending's loop, stopped after `budget_s`; the rest is marked done.

    Returns (items extracted, items skipped, seconds). Used only for first polls whose
    backlog (15 items x thousands of feeds) would take far longer than the whole bench.
    """
    from monitor.cycle import EXTRACT_BATCH

    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < budget_s:
        items = repo.unextracted_items(pipe.db, EXTRACT_BATCH)
        if not items:
            break
        for item, events in zip(items, pipe._extract(items), strict=True):
            pipe._write_events(item, events, stats)
        done += len(items)
    elapsed = time.perf_counter() - started
    with pipe.db.session() as s:
        skipped = s.scalar(select(func.count()).where(Item.extracted.is_(False))) or 0
        s.execute(update(Item).where(Item.extracted.is_(False)).values(extracted=True))
    return done, skipped, elapsed


def timed_poll(
    daemon: Daemon, timers: Timers, label: str, extract_budget_s: float | None = None
) -> dict[str, Any]:
    """One `Daemon.poll(ignore_schedule=True)` with its split."""
    pipe = daemon.runtime.pipeline
    timers.reset()
    extract: dict[str, Any] = {}
    real_extract = pipe.extract_pending

    def extract_pending(stats: CycleStats) -> None:
        before = time.perf_counter()
        extract["fetch_parse_wall_s"] = before - started
        if extract_budget_s is None:
            real_extract(stats)
            extract["extracted"] = stats.new_items
            extract["skipped"] = 0
        else:
            done, skipped, _ = bounded_extract(pipe, stats, extract_budget_s)
            extract["extracted"], extract["skipped"] = done, skipped
        extract["extract_wall_s"] = time.perf_counter() - before

    pipe.extract_pending = extract_pending  # type: ignore[method-assign]
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
    }
    if extract.get("skipped"):
        done = extract["extracted"]
        rate = done / extract["extract_wall_s"] if extract["extract_wall_s"] else 0.0
        row["extract_skipped_items"] = extract["skipped"]
        row["extract_items_per_s"] = round(rate, 1)
        row["extract_projected_s"] = round((done + extract["skipped"]) / rate, 1) if rate else None
        row["wall_projected_s"] = round(
            total - extract["extract_wall_s"] + (row["extract_projected_s"] or 0), 1
        )
    return row


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
            rows = [timed_poll(daemon, timers, "first", extract_budget_s)]
            server.advance()
            rows.append(timed_poll(daemon, timers, "steady (1-3 new/feed)"))
            rows.append(timed_poll(daemon, timers, "all-304"))
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
            "server_requests": hits.requests,
            "rss_mb": memory,
        }
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)
