"""Section 4: resident memory of the in-process Daemon over many quick cycles.

A small config (3 loopback feeds) is polled and sent `cycles` times; every 10th cycle the
feeds publish 1-3 new items, otherwise they answer 304, so the model, the string store
(memory_zone), SQLAlchemy and the parse workers all see a long-running mix. VmRSS/VmHWM
come from /proc/self/status; the parse workers' RSS is reported separately.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from monitor.daemon import Daemon
from tests.bench.common import bench_config, children_rss_mb, rss_mb
from tests.bench.feeds import REPO, CorpusItem, load_corpus
from tests.bench.servers import FeedServer


def run_memory(corpus: list[CorpusItem], cycles: int) -> dict[str, Any]:
    server = FeedServer(corpus, 3, latency_s=0.005, nonce=uuid.uuid4().hex[:6])
    tmp = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    samples: list[dict[str, Any]] = []
    try:
        before = rss_mb()
        config = bench_config(
            tmp / "config", server.urls, database_url=f"sqlite:///{tmp}/db.sqlite"
        )
        daemon = Daemon(config)
        try:
            samples.append({"cycle": 0, "when": "model loaded", **rss_mb()})
            started = time.perf_counter()
            marks = {1, cycles // 2, cycles}
            for n in range(1, cycles + 1):
                if n % 10 == 0:
                    server.advance()
                daemon.poll(ignore_schedule=True)
                daemon.send()
                if n in marks:
                    samples.append(
                        {
                            "cycle": n,
                            "when": "after cycle",
                            **rss_mb(),
                            "workers_rss_mb": children_rss_mb({server.process.pid}),
                        }
                    )
            elapsed = time.perf_counter() - started
        finally:
            daemon.close()
        return {
            "cycles": cycles,
            "feeds": 3,
            "rss_before_daemon_mb": before.get("VmRSS"),
            "samples": samples,
            "cycle_ms": round(elapsed / cycles * 1000, 1),
            "growth_mid_to_end_mb": round(samples[-1]["VmRSS"] - samples[-2]["VmRSS"], 1),
        }
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)


def run_memory_isolated(cycles: int, timeout_s: float = 3600) -> dict[str, Any]:
    """run_memory in a fresh interpreter: VmHWM must not include the other sections' peaks."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.memory", str(cycles)],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        cwd=REPO,
    )
    if done.returncode != 0:
        raise RuntimeError(f"memory run failed: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)
    print(json.dumps(run_memory(load_corpus(), int(sys.argv[1]))))
