"""Section 6: 1 vs 2 `trigger-monitor run` processes on one PostgreSQL, sharing N feeds.

Each daemon is the real CLI in its own process (own session, so the bench can stop it and
its parse workers by process group). The schema is migrated and the sources synced before
they start, so the measurement is polling, not two migrations racing. The clock starts
when the processes are launched (model loading included, as in a real restart) and stops
when every source has `polls > 0`; extraction after that is not part of this number.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from monitor.config import load_config
from monitor.store import repo
from monitor.store.db import Database
from tests.bench.alerts import PG_BASE
from tests.bench.common import Skip, bench_config
from tests.bench.feeds import REPO, CorpusItem
from tests.bench.servers import FeedServer


def _schema() -> tuple[sa.Engine, str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = sa.create_engine(PG_BASE)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        raise Skip(f"PostgreSQL unreachable at {PG_BASE}: {exc.orig}") from exc
    return admin, schema


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each daemon's group; SIGKILL after a grace (a poll step can run for minutes)."""
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 5
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _one(
    server: FeedServer, daemons: int, tmp: Path, timeout_s: float
) -> dict[str, Any]:
    admin, schema = _schema()
    url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    try:
        config_dir = bench_config(
            tmp / f"c{daemons}", server.urls, database_url=url,
            extra_settings="poll_tick_s = 1\nsend_tick_s = 600\n",
        )
        db = Database(url)
        db.migrate()
        repo.sync_sources(db, ((s.name, s.url) for s in load_config(config_dir).sources))
        total = len(server.urls)
        logs = [open(tmp / f"daemon{daemons}-{n}.log", "wb") for n in range(daemons)]
        started = time.perf_counter()
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "monitor", "--config", str(config_dir), "run"],
                cwd=REPO, stdout=log, stderr=log, start_new_session=True,
            )
            for log in logs
        ]
        polled, owners = 0, {}
        try:
            while time.perf_counter() - started < timeout_s:
                with db.session() as s:
                    polled = s.scalar(sa.text("SELECT count(*) FROM sources WHERE polls > 0")) or 0
                if polled >= total:
                    break
                if any(p.poll() is not None for p in procs):
                    break
                time.sleep(0.25)
            elapsed = time.perf_counter() - started
            with db.session() as s:
                owners = dict(
                    s.execute(
                        sa.text(
                            "SELECT lease_owner, count(*) FROM sources WHERE polls > 0 "
                            "GROUP BY lease_owner"
                        )
                    ).all()
                )
        finally:
            _stop(procs)
            for log in logs:
                log.close()
            db.dispose()
        return {
            "daemons": daemons,
            "all_polled_s": round(elapsed, 1),
            "polled": polled,
            "complete": polled >= total,
            "sources_per_lease_owner": sorted(owners.values(), reverse=True),
        }
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run_scaleout(
    corpus: list[CorpusItem], feeds: int, *, latency_s: float, timeout_s: float = 400
) -> dict[str, Any]:
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-scaleout-") as tmp:
        for daemons in (1, 2):
            server = FeedServer(corpus, feeds, latency_s=latency_s, nonce=uuid.uuid4().hex[:6])
            try:
                runs.append(_one(server, daemons, Path(tmp), timeout_s))
            finally:
                server.close()
    return {
        "feeds": feeds,
        "runs": runs,
        "speedup": round(runs[0]["all_polled_s"] / runs[1]["all_polled_s"], 2),
    }
