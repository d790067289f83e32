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
from contextlib import ExitStack
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


def _one(server: FeedServer, daemons: int, tmp: Path, timeout_s: float) -> dict[str, Any]:
    admin, schema = _schema()
    url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    try:
        config_dir = bench_config(
            tmp / f"c{daemons}",
            server.urls,
            database_url=url,
            extra_settings="poll_tick_s = 1\nsend_tick_s = 600\n",
        )
        db = Database(url)
        db.migrate()
        repo.sync_sources(db, ((s.name, s.url) for s in load_config(config_dir).sources))
        total = len(server.urls)
        paths = [tmp / f"daemon{daemons}-{n}.log" for n in range(daemons)]
        with ExitStack() as stack:
            logs = [stack.enter_context(path.open("wb")) for path in paths]
            started = time.perf_counter()
            procs = [
                subprocess.Popen(
                    [sys.executable, "-m", "monitor", "--config", str(config_dir), "run"],
                    cwd=REPO,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
                for log in logs
            ]
            try:
                polled, elapsed = _wait_all_polled(db, procs, total, started, timeout_s)
            finally:
                _stop(procs)
                db.dispose()
        # record_success clears the lease, so who polled what comes from each daemon's log.
        per_daemon = [path.read_text(errors="replace").count("source polled") for path in paths]
        return {
            "daemons": daemons,
            "all_polled_s": round(elapsed, 1),
            "polled": polled,
            "complete": polled >= total,
            "sources_polled_per_daemon": per_daemon,
        }
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _wait_all_polled(
    db: Database,
    procs: list[subprocess.Popen[bytes]],
    total: int,
    started: float,
    timeout_s: float,
) -> tuple[int, float]:
    """Poll the database until every source has polls > 0 (or a daemon died, or timeout)."""
    polled = 0
    while time.perf_counter() - started < timeout_s:
        with db.session() as s:
            polled = s.scalar(sa.text("SELECT count(*) FROM sources WHERE polls > 0")) or 0
        if polled >= total or any(p.poll() is not None for p in procs):
            break
        time.sleep(0.25)
    return polled, time.perf_counter() - started


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
