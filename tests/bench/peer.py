"""Section 2: rss2email (`r2e run`) as the peer, on the same loopback feeds and latency.

rss2email is installed from PyPI into a throwaway venv under /tmp (kept between runs).
Feeds are imported with one `r2e opmlimport`, mail goes over SMTP to a loopback aiosmtpd
sink. r2e fetches feeds one after the other, so a full 1,000-feed first poll can outlast
the bench: after `budget_s` it is stopped and its time is extrapolated from the number of
feeds the server saw it fetch (its per-feed cost is flat: same feeds, same latency).
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from tests.bench.common import Skip
from tests.bench.feeds import CorpusItem
from tests.bench.servers import FeedServer
from tests.conftest import SmtpSink

R2E_VENV = Path("/tmp/bench-r2e-venv")


def ensure_r2e() -> Path:
    """The r2e executable, installing rss2email with pip on first use."""
    r2e = R2E_VENV / "bin" / "r2e"
    if r2e.exists():
        return r2e
    try:
        subprocess.run([sys.executable, "-m", "venv", str(R2E_VENV)], check=True, timeout=120)
        subprocess.run(
            [str(R2E_VENV / "bin" / "pip"), "install", "--quiet", "rss2email"],
            check=True,
            timeout=300,
            capture_output=True,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        raise Skip(f"cannot install rss2email from PyPI: {exc}") from exc
    return r2e


def _configure(r2e: Path, folder: Path, urls: list[str], smtp_port: int) -> list[str]:
    base = [str(r2e), "-c", str(folder / "r2e.cfg"), "-d", str(folder / "r2e.json")]
    subprocess.run([*base, "new", "rep@example.com"], check=True, capture_output=True)
    cfg = folder / "r2e.cfg"
    text = cfg.read_text(encoding="utf-8")
    settings = {
        "email-protocol": "smtp",
        "smtp-server": "127.0.0.1",
        "smtp-port": str(smtp_port),
        "smtp-auth": "False",
        "smtp-ssl": "False",
        "from": "r2e@example.com",
    }
    for key, value in settings.items():  # `new` wrote every key once; replace its value
        text, n = re.subn(rf"(?m)^{re.escape(key)} = .*$", f"{key} = {value}", text, count=1)
        if not n:
            text = text.replace("[DEFAULT]\n", f"[DEFAULT]\n{key} = {value}\n", 1)
    cfg.write_text(text, encoding="utf-8")
    outlines = "".join(
        f'<outline type="rss" text="feed-{i}" xmlUrl={quoteattr(u)}/>' for i, u in enumerate(urls)
    )
    opml = folder / "feeds.opml"
    opml.write_text(
        f'<?xml version="1.0"?><opml version="1.0"><head/><body>{outlines}</body></opml>',
        encoding="utf-8",
    )
    subprocess.run([*base, "opmlimport", str(opml)], check=True, capture_output=True)
    return base


def _run_r2e(base: list[str], folder: Path, budget_s: float) -> tuple[float, bool, str]:
    """One `r2e run`: (seconds, whether it finished within the budget, its log)."""
    started = time.perf_counter()
    log_path = folder / "r2e.log"
    # r2e logs every message at INFO: a pipe would fill up and block it, so a file.
    with log_path.open("wb") as log:
        proc = subprocess.Popen([*base, "run"], stdout=subprocess.DEVNULL, stderr=log)
    try:
        proc.wait(timeout=budget_s)
        finished = True
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        finished = False
    return time.perf_counter() - started, finished, log_path.read_text(errors="replace")


def time_r2e(
    corpus: list[CorpusItem], feeds: int, *, latency_s: float, budget_s: float
) -> dict[str, Any]:
    """r2e's first run over the feeds, then (if that finished) a steady run after every feed
    published 1-3 new items, as section 1 does for the daemon."""
    r2e = ensure_r2e()
    server = FeedServer(corpus, feeds, latency_s=latency_s, nonce=uuid.uuid4().hex[:6])
    sink = SmtpSink()
    steady: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-r2e-") as tmp:
            base = _configure(r2e, Path(tmp), server.urls, sink.port)
            server.reset()
            elapsed, finished, stderr = _run_r2e(base, Path(tmp), budget_s)
            hits = server.hits()
            emails = len(sink.messages)
            if finished:
                server.advance()
                again, again_finished, _ = _run_r2e(base, Path(tmp), budget_s)
                steady = {
                    "r2e_steady_s": round(again, 1),
                    "r2e_steady_finished": again_finished,
                    "r2e_steady_emails": len(sink.messages) - emails,
                }
    finally:
        sink.stop()
        server.close()
    done = hits.distinct
    row: dict[str, Any] = {
        "feeds": feeds,
        "r2e_finished": finished,
        "r2e_elapsed_s": round(elapsed, 1),
        "r2e_feeds_fetched": done,
        "r2e_emails": emails,
        "r2e_s": round(elapsed if finished else elapsed * feeds / max(done, 1), 1),
        "r2e_errors": [line for line in stderr.splitlines() if "[ERROR]" in line][-3:],
        **steady,
    }
    if not finished:
        row["note"] = f"stopped after {elapsed:.0f} s at {done} feeds; extrapolated"
    return row


def run_peer(
    corpus: list[CorpusItem],
    feeds: int,
    *,
    latency_s: float,
    budget_s: float,
    ours: dict[str, Any] | None,
    extract_budget_s: float,
) -> dict[str, Any]:
    """r2e's first and steady polls vs ours (section 1's run of the same size, else a fresh
    one)."""
    if ours is None:
        from tests.bench.polling import run_polls

        ours = run_polls(corpus, feeds, latency_s=latency_s, extract_budget_s=extract_budget_s)
    first = ours["polls"][0]
    row = time_r2e(corpus, feeds, latency_s=latency_s, budget_s=budget_s)
    our_full = first.get("wall_projected_s", first["wall_s"])
    row.update(
        {
            "ours_s": our_full,
            "ours_fetch_parse_store_s": first["fetch_parse_wall_s"],
            "speedup": round(row["r2e_s"] / our_full, 2),
            "speedup_fetch_only": round(row["r2e_s"] / first["fetch_parse_wall_s"], 2),
        }
    )
    if row.get("r2e_steady_finished") and len(ours["polls"]) > 1:
        steady = ours["polls"][1]
        row["ours_steady_s"] = steady["wall_s"]
        row["speedup_steady"] = round(row["r2e_steady_s"] / steady["wall_s"], 2)
    return row
