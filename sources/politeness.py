"""Per-host politeness: a cap on requests in flight to one host and a gap between starts.

Feeds often share a host (one news site, many section feeds); a small thread pool must not
hammer it. Shared across the fetcher's threads, so everything here is lock-protected.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sources.records import FetchError


class HostGate:
    """Admit at most `concurrency` requests per host, starting at least `min_gap_s` apart."""

    def __init__(self, concurrency: int = 2, min_gap_s: float = 0.0) -> None:
        self._concurrency = max(1, concurrency)
        self._min_gap_s = max(0.0, min_gap_s)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def admit(self, host: str, deadline: float) -> Iterator[None]:
        """Hold a slot for host while the block runs; raise FetchError timeout past deadline."""
        host = host.lower()
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self._concurrency))
        if not slot.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise FetchError("timeout", f"no free slot for host {host!r} before the deadline")
        try:
            self._wait_turn(host, deadline)
            yield
        finally:
            slot.release()

    def _wait_turn(self, host: str, deadline: float) -> None:
        if self._min_gap_s <= 0:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, now))
            if start > deadline:
                raise FetchError("timeout", f"host {host!r} politeness gap exceeds the deadline")
            self._next_start[host] = start + self._min_gap_s
        time.sleep(start - now)
