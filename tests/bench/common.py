"""Helpers shared by the sections: config folders, account lists, timers, memory."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from extractors.accounts import LEGAL_SUFFIXES, normalise
from tests.bench.feeds import ACCOUNTS
from tests.helpers import write_config

T = TypeVar("T")


class Skip(Exception):
    """A section cannot run here (missing data or tool); the message says why."""


# ----------------------------------------------------------------------------- accounts


def sp500_names() -> list[str]:
    path = ACCOUNTS / "sp500.csv"
    if not path.exists():
        raise Skip(f"{path} is missing")
    with path.open(encoding="utf-8") as handle:
        return [row["Security"] for row in csv.DictReader(handle)]


def sec_names() -> list[str]:
    path = ACCOUNTS / "sec_company_tickers.json"
    if not path.exists():
        raise Skip(f"{path} is missing")
    data = json.loads(path.read_text(encoding="utf-8"))
    return [row["title"] for row in data.values()]


_SUFFIXES = ["Inc.", "Corp.", "LLC", "Holdings", "Group", "Ltd", "Technologies", "Partners"]


def account_names(count: int) -> list[str]:
    """`count` distinct realistic company names: S&P 500, then SEC filers, then synthetic
    names that recombine two or three words of real names ("Northern Apex Therapeutics
    Inc."). Never one word once normalised: a single recombined word is any English word
    ("Design Ltd", "From Group"), an account list nobody keeps and check-config warns about.
    So legal-suffix words are not recombined either: normalise() drops them, which made
    "Note Incorporated Corp." the account "note"."""
    names = _distinct(sp500_names())
    if count > len(names):
        names = _distinct(names + sec_names())
    if count > len(names):
        rng = random.Random(7)
        words = sorted(
            {
                w
                for n in names
                for w in re.findall(r"[A-Za-z][a-z]{3,}", n)
                if w.lower() not in LEGAL_SUFFIXES
            }
        )
        seen = {normalise(n) for n in names}
        while len(names) < count:
            name = " ".join(rng.sample(words, rng.choice((2, 2, 3))))
            name = f"{name} {rng.choice(_SUFFIXES)}"
            if " " in normalise(name) and normalise(name) not in seen:
                seen.add(normalise(name))
                names.append(name)
    return names[:count]


def _distinct(names: list[str]) -> list[str]:
    """One name per normalised key: load_config refuses an account listed twice."""
    out: dict[str, str] = {}
    for name in names:
        out.setdefault(normalise(name), name)
    return [n for k, n in out.items() if k]


def accounts_csv(names: list[str], owner: str = "") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "aliases", "domains", "owner"])
    for name in names:
        writer.writerow([name, "", "", owner])
    return out.getvalue()


def bench_config(
    directory: Path,
    urls: list[str],
    *,
    database_url: str,
    accounts: int = 500,
    smtp_port: int | None = None,
    extra_settings: str = "",
) -> Path:
    """A config folder like the tests' write_config, with one source per URL."""
    # No interval_minutes: the sources are adaptive, as the bundled news sources would be.
    sources = [{"name": f"bench-{i}", "url": url} for i, url in enumerate(urls)]
    return write_config(
        directory,
        sources=sources,
        accounts=accounts_csv(account_names(accounts))
        if accounts
        else "name,aliases,domains,owner\n",
        database_url=database_url,
        smtp_port=smtp_port,
        extra_settings=extra_settings,
        max_age_days=0,
    )


# ----------------------------------------------------------------------------- timing


@dataclass
class Timers:
    """Seconds summed over threads per named step, and call counts (thread-safe)."""

    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU of the calling thread
    calls: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wrap(self, name: str, func: Callable[..., T]) -> Callable[..., T]:
        def timed(*args: Any, **kwargs: Any) -> T:
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                used = time.thread_time() - cpu
                with self._lock:
                    self.seconds[name] = self.seconds.get(name, 0.0) + elapsed
                    self.cpu[name] = self.cpu.get(name, 0.0) + used
                    self.calls[name] = self.calls.get(name, 0) + 1

        return timed

    def reset(self) -> None:
        with self._lock:
            self.seconds.clear()
            self.cpu.clear()
            self.calls.clear()


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    box: dict[str, float] = {}
    started = time.perf_counter()
    try:
        yield box
    finally:
        box["s"] = time.perf_counter() - started


def rss_mb() -> dict[str, float]:
    """VmRSS and VmHWM (peak) of this process, in MB."""
    out: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":")
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out


def _descendants() -> set[str]:
    parents: dict[str, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[stat.parent.name] = fields[1]
    me = str(Path("/proc/self").resolve().name)
    family, grew = {me}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    return family - {me}


def children_cpu_s(exclude: set[int] = frozenset()) -> float:  # type: ignore[assignment]
    """CPU seconds (user + system) used so far by this process's live descendants (the
    parse workers), except the pids in `exclude` (e.g. the feed server)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _descendants() - {str(p) for p in exclude}:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def children_rss_mb(exclude: set[int] = frozenset()) -> float:  # type: ignore[assignment]
    """Summed VmRSS of all descendants (forkserver, parse workers, resource tracker), MB,
    except the pids in `exclude` (the feed server)."""
    total = 0.0
    for pid in _descendants() - {str(p) for p in exclude}:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return round(total, 1)
