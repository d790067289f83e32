"""Section 5: alert throughput through compose + deliver to a loopback SMTP server.

N alerts are seeded the way tests/test_queue.py `seed` makes them (source, item, event,
alert; distinct accounts so the per-account daily cap never holds one back), in one
transaction because seeding is not what is measured. Then queue.compose renders them and
queue.deliver is called until it sends nothing more (it leases 100 emails per call).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from monitor.alerts import queue
from monitor.alerts.mailer import SmtpMailer
from monitor.config import load_config
from monitor.store.db import Database
from tests.conftest import SmtpSink
from tests.helpers import seed_alert, write_config

REPS = (
    "email,name,delivery,timezone\n"
    "alice@example.com,Alice,instant,UTC\n"
    "bob@example.com,Bob,instant,UTC\n"
)
PG_BASE = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def seed_alerts(db: Database, count: int, now: datetime) -> None:
    for n in range(count):
        recipient = ("alice@example.com", "bob@example.com")[n % 2]
        seed_alert(db, recipient, f"Account {n}", created=now, key=f"k{n}")


def _one(db_url: str, count: int, sink: SmtpSink, tmp: Path) -> dict[str, Any]:
    config = load_config(
        write_config(
            tmp / f"c-{uuid.uuid4().hex[:6]}", database_url=db_url, smtp_port=sink.port, reps=REPS
        )
    )
    db = Database(db_url)
    db.migrate()
    try:
        now = datetime.now(UTC)
        seed_alerts(db, count, now)
        before = len(sink.messages)
        t0 = time.perf_counter()
        composed = queue.compose(db, config, now)
        t1 = time.perf_counter()
        mailer = SmtpMailer(config.mail)
        sent = 0
        try:
            while True:
                stats = queue.deliver(db, config, mailer, "bench", now)
                sent += stats.sent
                if not (stats.sent or stats.retried or stats.failed):
                    break
        finally:
            mailer.close()
        t2 = time.perf_counter()
        received = len(sink.messages) - before
        return {
            "alerts": count,
            "composed": composed,
            "sent": sent,
            "received": received,
            "compose_s": round(t1 - t0, 2),
            "deliver_s": round(t2 - t1, 2),
            "alerts_per_s": round(count / (t2 - t0), 1),
        }
    finally:
        db.dispose()


def run_alerts(count: int) -> dict[str, Any]:
    sink = SmtpSink()
    rows: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-alerts-") as tmp:
            rows["sqlite"] = _one(f"sqlite:///{tmp}/alerts.db", count, sink, Path(tmp))
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            try:
                admin = sa.create_engine(PG_BASE)
                with admin.begin() as conn:
                    conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            except sa.exc.OperationalError as exc:
                rows["postgresql"] = {"skipped": f"PostgreSQL unreachable: {exc.orig}"}
                return rows
            try:
                url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
                rows["postgresql"] = _one(url, count, sink, Path(tmp))
            finally:
                with admin.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    finally:
        sink.stop()
    return rows
