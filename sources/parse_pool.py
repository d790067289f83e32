"""A hard time (and memory) budget for feed parsing, usable from any thread.

feedparser is pure Python and cannot be interrupted: signal.alarm works only in the main
thread, and a thread cannot be killed. So parsing runs in a few long-lived worker
processes; a parse that exceeds its budget gets its worker killed and replaced, and the
caller gets a ParsedFeed with a problem instead of a stuck thread. Workers also run under an
address-space limit so a memory blowup kills only the worker. The cost is one pickle round
trip per feed (measured in the report: well under a millisecond for ordinary feeds).
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
from collections.abc import Collection
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

from sources.feeds import parse_feed
from sources.records import ParsedFeed

log = logging.getLogger(__name__)

DEFAULT_BUDGET_S = 10.0
DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024
STARTUP_TIMEOUT_S = 60.0


def _serve(conn: Connection, memory_bytes: int | None) -> None:
    """Worker loop: parse each job sent over the pipe until the pipe closes."""
    # Ctrl-C reaches the terminal's whole process group; the daemon finishes its step and
    # closes the pool, so a worker must not die mid-job with a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_bytes:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        except (ImportError, ValueError, OSError):
            pass
    conn.send("ready")  # imports are done: from here on only parsing counts against the budget
    while True:
        try:
            body, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = parse_feed(body, **kwargs)
        except MemoryError:
            result = ParsedFeed(is_feed=False, problem="not parsed: memory limit exceeded")
        except Exception as exc:  # a parser bug must not kill the daemon's parsing
            result = ParsedFeed(is_feed=False, problem=f"not parsed: {type(exc).__name__}")
        conn.send(result)


class _Worker:
    def __init__(self, context: Any, memory_bytes: int | None) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, memory_bytes), daemon=True, name="feed-parser"
        )
        self.process.start()
        child.close()
        if not self.conn.poll(STARTUP_TIMEOUT_S) or self.conn.recv() != "ready":
            self.kill()
            raise RuntimeError("feed parser worker did not start")

    def run(self, job: tuple[bytes, dict[str, Any]], budget_s: float) -> ParsedFeed | None:
        """The worker's answer, or None when the budget ran out."""
        self.conn.send(job)
        if not self.conn.poll(budget_s):
            return None
        result: ParsedFeed = self.conn.recv()
        return result

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ParsePool:
    """Run parse_feed in worker processes with a wall-clock budget per parse; thread-safe."""

    def __init__(
        self,
        workers: int = 2,
        budget_s: float = DEFAULT_BUDGET_S,
        *,
        memory_bytes: int | None = DEFAULT_MEMORY_BYTES,
        start_method: str = "forkserver",
    ) -> None:
        self._budget_s = budget_s
        self._memory_bytes = memory_bytes
        self._context = multiprocessing.get_context(start_method)
        self._slots = threading.BoundedSemaphore(workers)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        self._closed = False

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def parse(
        self,
        body: bytes,
        *,
        source: str,
        base_url: str | None = None,
        content_type: str | None = None,
        known: Collection[bytes] = (),
    ) -> ParsedFeed:
        """Like feeds.parse_feed, but gives up after the budget and never hangs the caller."""
        job = (
            body,
            {
                "source": source,
                "base_url": base_url,
                "content_type": content_type,
                "known": frozenset(known),
            },
        )
        with self._slots:
            worker = self._take()
            try:
                result = worker.run(job, self._budget_s)
            except (EOFError, OSError):
                self._discard(worker)
                return ParsedFeed(is_feed=False, problem="not parsed: parser worker died")
            if result is None:
                self._discard(worker)
                log.warning(
                    "event=parse_budget_exceeded source=%s budget_s=%g", source, self._budget_s
                )
                return ParsedFeed(
                    is_feed=False, problem=f"not parsed: exceeded {self._budget_s:g}s budget"
                )
            self._idle.put(worker)
            return result

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._live = list(self._live), set()
        for worker in workers:
            worker.kill()

    def _take(self) -> _Worker:
        try:
            worker = self._idle.get_nowait()
            if worker.process.is_alive():
                return worker
            self._discard(worker)
        except queue.Empty:
            pass
        with self._lock:
            if self._closed:
                raise RuntimeError("ParsePool is closed")
            worker = _Worker(self._context, self._memory_bytes)
            self._live.add(worker)
        return worker

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._live.discard(worker)
        worker.kill()
