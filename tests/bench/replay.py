"""Section 7: `replay` over 100,000 stored items, timed through the real CLI.

The database is filled directly (a daemon would need hours of polling to store this much):
items are the real-world feed entries (title and summary, text capped like the served
feeds), repeated under distinct keys with fetch times spread over 300 days, 3% of them
syndicated copies. Alerts are written for a few hundred items the way the daemon ties them:
most for reports the extractor and matcher really give (replay keeps those), some for
reports it does not (replay removes those), so the diff has all three kinds.

Run alone: `python -m tests.bench.replay [--items N] [--accounts N]`, or as section 7 of
`python -m tests.bench`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from extractors.accounts import AccountMatcher, normalise
from extractors.nlp import load_pipeline
from monitor.alerts.routing import event_routes
from monitor.config import load_config
from monitor.store.db import Database
from monitor.store.models import Alert, AlertSource, EventRow, Item, Source
from sources.records import FeedItem
from tests.bench.common import account_names, accounts_csv, bench_config
from tests.bench.feeds import TEXT_CAP, CorpusItem, load_corpus
from tests.helpers import run_cli

SOURCES = 40
COPY_SHARE = 0.03
COMPANY_ACCOUNTS = 300
DROPPED_SHARE = 0.05
BOGUS_ALERTS = 100


def fill(db: Database, corpus: list[CorpusItem], items: int, now: datetime) -> None:
    """`items` stored, extracted items built from the corpus, oldest first."""
    rng = random.Random(11)
    with db.session() as s:
        s.execute(
            insert(Source),
            [
                {
                    "name": f"bench-{i}",
                    "url": f"http://bench.invalid/{i}.xml",
                    "error_streak": 0,
                    "polls": 0,
                    "items_seen": 0,
                }
                for i in range(SOURCES)
            ],
        )
    start = now - timedelta(days=300)
    step = timedelta(days=300) / items
    batch: list[dict[str, Any]] = []
    for n in range(items):
        entry = corpus[n % len(corpus)]
        fetched = start + step * n
        copy_of = (n - rng.randint(1, 50)) + 1 if n > 50 and rng.random() < COPY_SHARE else None
        batch.append(
            {
                "id": n + 1,
                "source_id": 1 + n % SOURCES,
                "item_key": f"bench-{n}",
                "title": entry.title,
                "text": entry.text[:TEXT_CAP],
                "url": f"{entry.url}#{n}" if entry.url else None,
                "published_at": fetched - timedelta(hours=rng.randint(0, 48)),
                "fetched_at": fetched,
                "extracted": True,
                "fingerprint": hashlib.sha1(entry.title.encode()).hexdigest(),
                "duplicate_of": copy_of,
            }
        )
        if len(batch) == 5000:
            with db.session() as s:
                s.execute(insert(Item), batch)
            batch = []
    if batch:
        with db.session() as s:
            s.execute(insert(Item), batch)


def event_companies(corpus: list[CorpusItem]) -> list[str]:
    """Companies the extractor finds in the corpus: as accounts they make replay match."""
    from tests.helpers import BUNDLED

    config = load_config(BUNDLED)
    assert config.triggers is not None
    extractor = load_pipeline(config.nlp_model, config.triggers)
    items = [
        FeedItem(id=str(i), title=c.title, text=c.text[:TEXT_CAP]) for i, c in enumerate(corpus)
    ]
    names: dict[str, str] = {}
    for events in extractor.extract(items):
        for event in events:
            for name in (event.company, event.attributes.get("target")):
                if name and normalise(name):
                    names.setdefault(normalise(name), name)
    return sorted(names.values())[:COMPANY_ACCOUNTS]


def seed_alerts(
    db: Database, config_dir: Path, corpus: list[CorpusItem], items: int, now: datetime
) -> int:
    """Alerts as the daemon would have left them for every item, except DROPPED_SHARE of
    them (replay adds those back), plus BOGUS_ALERTS no code gives (replay removes them).
    Reports are computed once per corpus entry with the same code replay uses, then
    repeated for every item built from that entry."""
    config = load_config(config_dir)
    assert config.triggers is not None
    extractor = load_pipeline(config.nlp_model, config.triggers)
    matcher = AccountMatcher(config.accounts)
    entries = [
        FeedItem(id=str(i), title=c.title, text=c.text[:TEXT_CAP], url=c.url)
        for i, c in enumerate(corpus)
    ]
    per_entry: dict[int, list[tuple[str, str, str, str, str]]] = {}
    for i, events in enumerate(extractor.extract(entries)):
        for event in events:
            _m, routes = event_routes(event, entries[i].url, matcher, config, True)
            for r in routes:
                per_entry.setdefault(i, []).append(
                    (r.account, r.recipient, r.role, event.type, event.evidence)
                )
    rng = random.Random(5)
    events_rows: list[dict[str, Any]] = []
    alerts_rows: list[dict[str, Any]] = []
    sources_rows: list[dict[str, Any]] = []
    with db.reading() as s:
        copies = set(s.scalars(select(Item.id).where(Item.duplicate_of.is_not(None))))

    def add(item_id: int, account: str, recipient: str, role: str, type_: str, ev: str) -> None:
        n = len(alerts_rows) + 1
        events_rows.append(
            {
                "id": n,
                "item_id": item_id,
                "type": type_,
                "company": account,
                "attributes": {},
                "evidence": ev,
                "confidence": 0.9,
                "status": "announced",
                "created_at": now,
            }
        )
        alerts_rows.append(
            {
                "id": n,
                "event_id": n,
                "account": account,
                "type": type_,
                "role": role,
                "reason": "bench",
                "recipient": recipient,
                "delivery": "instant",
                "dedupe_key": {},
                "facts": {},
                "created_at": now,
            }
        )
        sources_rows.append(
            {"alert_id": n, "item_id": item_id, "source": "bench", "created_at": now}
        )

    for n in range(items):
        if n + 1 in copies:
            continue
        for report in per_entry.get(n % len(corpus), []):
            if rng.random() >= DROPPED_SHARE:
                add(n + 1, *report)
    accounts = [a.name for a in config.accounts]
    for _ in range(BOGUS_ALERTS):
        add(rng.randint(1, items), rng.choice(accounts), "ops@example.com", "company", "layoff", "")
    with db.session() as s:
        for table, rows in (
            (EventRow, events_rows),
            (Alert, alerts_rows),
            (AlertSource, sources_rows),
        ):
            for start in range(0, len(rows), 5000):
                s.execute(insert(table), rows[start : start + 5000])
    return len(alerts_rows)


def run_replay_bench(
    corpus: list[CorpusItem], items: int = 100_000, accounts: int = 500
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as tmp:
        root = Path(tmp)
        url = f"sqlite:///{root / 'replay.db'}"
        config_dir = bench_config(root / "config", [], database_url=url, accounts=0)
        # S&P 500 names (few match these feeds) plus the companies the feeds' events name,
        # owned by the default recipient: the matches a real account list would have.
        names = list(dict.fromkeys(account_names(accounts) + event_companies(corpus)))
        unique = {normalise(n): n for n in names}
        (config_dir / "accounts.csv").write_text(accounts_csv(list(unique.values())))
        db = Database(url)
        db.migrate()
        now = datetime.now(UTC)
        t0 = time.perf_counter()
        fill(db, corpus, items, now)
        alerts = seed_alerts(db, config_dir, corpus, items, now)
        fill_s = time.perf_counter() - t0
        db.dispose()
        t1 = time.perf_counter()
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = run_cli(
            "replay", "--since", "3650d", "--format", "json", config=config_dir, timeout=3600
        )
        wall = time.perf_counter() - t1
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # On a shared machine CPU seconds say more than wall time: replay uses one core.
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        if result.returncode != 0:
            raise RuntimeError(f"replay failed: {result.stderr[-2000:]}")
        report = json.loads(result.stdout)
        n = report["items"]
        return {
            "items": items,
            "accounts": len(unique),
            "alerts_seeded": alerts,
            "fill_s": round(fill_s, 1),
            "replay_wall_s": round(wall, 1),  # the whole process: imports, model load, report
            "cpu_s": round(cpu, 1),
            "replay_s": report["elapsed_s"],  # the replay itself, as the command reports it
            "items_per_s": round(items / report["elapsed_s"], 0),
            "parsed": n["parsed"],
            "no_account_named": n["no_account_named"],
            "syndicated_copies": n["syndicated_copies"],
            "totals": report["totals"],
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.replay")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=500)
    args = parser.parse_args(argv)
    corpus = load_corpus()
    if not corpus:
        print("no real-world feeds in /work/shared/feeds/real-world", file=sys.stderr)
        return 1
    print(json.dumps(run_replay_bench(corpus, args.items, args.accounts), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
