"""Extraction of a big backlog on every core: forked copies of the loaded pipeline.

After a first poll of thousands of feeds, the few hundred items that reach spaCy ran on
one core while the other sat idle (the parse workers have nothing left to do by then).
Worker processes are *forked* from the daemon when such a backlog appears, so they share
its loaded model copy-on-write and start in milliseconds instead of loading spaCy again
(about 200 MB and a second or two each); they exit when the backlog is done, so an idle
daemon holds no extra memory. Only plain text goes to them and only Events come back:
the database, the matcher and the rest of the daemon stay in this process.

Fork is safe here because the workers only run the pipeline: they touch no lock, socket
or database connection they inherit, and multiprocessing ends them with os._exit.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from extractors.accounts import AccountMatcher
from extractors.events import Event
from extractors.nlp import Extractor, HasTitleText, ItemParts

log = logging.getLogger(__name__)

# Fewer items than this that need spaCy are parsed here: a fork and the pickling round trip
# cost more than splitting a few documents saves (a parsed item costs ~20 ms of CPU).
MIN_PARALLEL_ITEMS = 32
AUTO_MAX_PROCESSES = 4  # processes = 0 means one per core, up to this many

# The forked worker's pipeline: set once per worker process by _adopt, never in the daemon.
_worker_extractor: Extractor | None = None


def _adopt(extractor: Extractor) -> None:
    global _worker_extractor
    _worker_extractor = extractor


def _extract_in_worker(items: list[ItemParts]) -> list[list[Event]]:
    assert _worker_extractor is not None, "worker started without its extractor"
    # The daemon's first pass (accounts included) already chose what to parse.
    return _worker_extractor.extract_prepared(items)


def process_count(configured: int) -> int:
    """How many processes extract, this one included: `configured`, or one per core."""
    if configured > 0:
        return configured
    return max(1, min(os.cpu_count() or 1, AUTO_MAX_PROCESSES))


class ParallelExtraction:
    """Extractor.extract for one backlog, spread over `processes` processes (this one
    included); use as a context manager around the backlog so the workers end with it.

    Results are exactly those of Extractor.extract: every item's events are computed by
    the same pipeline, in one process, and come back in the items' order. A worker that
    dies (killed, out of memory) costs nothing but time: its share is redone here.
    """

    def __init__(self, extractor: Extractor, processes: int) -> None:
        self.extractor = extractor
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    def __enter__(self) -> ParallelExtraction:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def extract(
        self, items: Sequence[HasTitleText], matcher: AccountMatcher | None = None
    ) -> list[list[Event]]:
        """Events per item, as Extractor.extract(items, matcher) gives them."""
        # The first pass runs once, here; workers get only the sentences it chose.
        prepared = [self.extractor.prepare(item, matcher) for item in items]
        # SEC filings need no spaCy (extractors/filings.py): read here, never worth a worker.
        filed = [i for i, p in enumerate(prepared) if p.is_filing]
        chosen = [i for i, p in enumerate(prepared) if p.parts and not p.is_filing]
        parsed = [prepared[i] for i in chosen]
        pool = self._workers(len(parsed))
        if pool is None:
            found = self.extractor.extract_prepared(parsed)
        else:
            # Equal shares by count; this process takes the first and works meanwhile.
            shares = _split(len(parsed), self.processes)
            futures = [
                (r, pool.submit(_extract_in_worker, parsed[r.start : r.stop])) for r in shares[1:]
            ]
            found = self.extractor.extract_prepared(parsed[shares[0].start : shares[0].stop])
            for share, future in futures:
                found.extend(self._result(future, parsed[share.start : share.stop]))
        out: list[list[Event]] = [[] for _ in items]
        for i, events in zip(chosen, found, strict=True):
            out[i] = events
        filed_events = self.extractor.extract_prepared([prepared[i] for i in filed])
        for i, events in zip(filed, filed_events, strict=True):
            out[i] = events
        return out

    def _workers(self, parsed: int) -> ProcessPoolExecutor | None:
        if self.processes < 2 or parsed < MIN_PARALLEL_ITEMS or self._broken:
            return None
        if self._pool is None:
            try:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.processes - 1,
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=_adopt,
                    initargs=(self.extractor,),
                )
            except (OSError, ValueError) as exc:
                log.warning("extract workers unavailable error=%s", type(exc).__name__)
                self._broken = True
                return None
            log.info("extract workers started processes=%d items=%d", self.processes, parsed)
        return self._pool

    def _result(
        self, future: Future[list[list[Event]]], share: list[ItemParts]
    ) -> list[list[Event]]:
        try:
            return future.result()
        except BrokenProcessPool:
            if not self._broken:
                log.warning("extract worker died; its share is extracted here items=%d", len(share))
            self._broken = True  # no new fork for the rest of this backlog
            return self.extractor.extract_prepared(share)


def _split(count: int, parts: int) -> list[range]:
    """`count` positions in `parts` contiguous ranges whose sizes differ by at most one."""
    size, extra = divmod(count, parts)
    out, start = [], 0
    for k in range(parts):
        stop = start + size + (k < extra)
        out.append(range(start, stop))
        start = stop
    return out
