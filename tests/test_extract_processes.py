"""Extraction of a big backlog on every core: forked workers give exactly the serial result."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from extractors import processes
from extractors.events import Event
from extractors.nlp import Extractor
from extractors.processes import ParallelExtraction, process_count
from monitor.daemon import Daemon
from monitor.store.models import EventRow
from tests.conftest import FeedServer

# Made-up companies and news of every kind, plus items without any trigger.
COMPANIES = ["Acme Robotics", "Borealis Genomics", "Cobalt Freight", "Dunmore Foods"]
TEMPLATES = [
    "{a} raises ${n} million in Series B funding led by Northwind Ventures",
    "{a} acquires {b} for ${n} million",
    "{a} names Jane Doe chief financial officer",
    "{a} opens new headquarters in Denver",
    "{a} launches a payroll app for small businesses",
    "{a} and {b} announce a strategic partnership",
    "{a} shares fell 3% on Tuesday",
    "Weather: rain expected over the weekend",
]


@dataclass(frozen=True)
class Item:
    title: str
    text: str = ""


def items(count: int) -> list[Item]:
    out = []
    for k in range(count):
        a, b = COMPANIES[k % 4], COMPANIES[(k + 1) % 4]
        title = TEMPLATES[k % len(TEMPLATES)].format(a=a, b=b, n=10 + k)
        out.append(Item(title, f"{title}. The company said so in a statement on Monday."))
    return out


def summary(results: list[list[Event]]) -> list[list[tuple[str, str | None, str]]]:
    return [[(e.type, e.company, e.evidence) for e in evs] for evs in results]


def test_workers_give_the_serial_result_in_order(
    extractor: Extractor, caplog: pytest.LogCaptureFixture
) -> None:
    batch = items(48)
    serial = extractor.extract(batch)
    assert sum(map(len, serial)) >= 30  # the batch really exercises the pipeline
    caplog.set_level(logging.INFO, logger="extractors.processes")
    with ParallelExtraction(extractor, 3) as parallel:
        assert summary(parallel.extract(batch)) == summary(serial)
        assert parallel._pool is not None  # forked workers did part of it
    assert "extract workers started processes=3" in caplog.text


def test_a_small_batch_stays_in_this_process(extractor: Extractor) -> None:
    batch = items(processes.MIN_PARALLEL_ITEMS - 1)
    with ParallelExtraction(extractor, 2) as parallel:
        assert summary(parallel.extract(batch)) == summary(extractor.extract(batch))
        assert parallel._pool is None


def test_sec_filings_need_no_worker(extractor: Extractor) -> None:
    """A backlog of EDGAR entries is read by item number, in this process."""
    text = "Item 5.02: Departure of Directors or Certain Officers"
    batch = [
        Item(f"8-K - ACME ROBOTICS INC ({k:010d}) (Filer) - Current report", text)
        for k in range(1, processes.MIN_PARALLEL_ITEMS * 2)
    ] + items(4)
    serial = extractor.extract(batch)
    assert all(evs[0].type == "leadership_change" for evs in serial[:-4])
    with ParallelExtraction(extractor, 2) as parallel:
        assert summary(parallel.extract(batch)) == summary(serial)
        assert parallel._pool is None


def test_the_first_pass_runs_once_per_item(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daemon's first pass decides what to parse; neither this process nor a worker
    reads the item again (it ran twice here, and on every parsed item in the workers)."""
    batch = items(48)
    serial = summary(extractor.extract(batch))
    seen: list[str] = []
    first_pass = Extractor.to_parse

    def counting(self: Extractor, item: Item, matcher: object = None) -> list[tuple[str, str]]:
        seen.append(item.title)
        return first_pass(self, item, matcher)  # type: ignore[arg-type]

    monkeypatch.setattr(Extractor, "to_parse", counting)
    with ParallelExtraction(extractor, 2) as parallel:
        assert summary(parallel.extract(batch)) == serial
        assert parallel._pool is not None
    assert sorted(seen) == sorted(i.title for i in batch)  # workers' calls land elsewhere


def _die(texts: list[object]) -> list[list[Event]]:
    os._exit(3)  # a worker killed mid-batch (OOM killer, kill -9)


def test_a_dying_worker_costs_only_time(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    batch = items(48)
    serial = extractor.extract(batch)
    monkeypatch.setattr(processes, "_extract_in_worker", _die)
    caplog.set_level(logging.WARNING, logger="extractors.processes")
    with ParallelExtraction(extractor, 2) as parallel:
        assert summary(parallel.extract(batch)) == summary(serial)
        assert summary(parallel.extract(batch)) == summary(serial)  # no new fork after that
    assert "extract worker died" in caplog.text


def test_process_count() -> None:
    assert process_count(1) == 1
    assert process_count(3) == 3
    assert 1 <= process_count(0) <= processes.AUTO_MAX_PROCESSES


def _feed(count: int) -> bytes:
    entries = "".join(
        f"<item><guid>n{k}</guid><title>{it.title}</title>"
        f"<link>https://news.example.com/{k}</link><description>{it.text}</description></item>"
        for k, it in enumerate(items(count))
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        f"<link>https://news.example.com/</link>{entries}</channel></rss>"
    ).encode()


def _stored_events(config: Path) -> list[tuple[int, str, str | None]]:
    daemon = Daemon(config)
    try:
        daemon.poll(ignore_schedule=True)
        with daemon.db.session() as s:
            rows = s.execute(select(EventRow.item_id, EventRow.type, EventRow.company))
            return sorted((r[0], r[1], r[2]) for r in rows)
    finally:
        daemon.close()


@pytest.mark.slow
def test_daemon_backlog_on_two_processes_stores_what_one_does(
    make_config, feed_server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The real daemon cycle: a first poll whose backlog is extracted by forked workers
    stores the same events as the same poll extracted in the daemon's process alone."""
    url = feed_server.add("/news.xml", _feed(64))
    accounts = "name,aliases,domains,owner\n" + "".join(f"{c},,,\n" for c in COMPANIES)
    results = {}
    for count in (1, 2):
        config = make_config(
            sources=[{"name": "news", "url": url, "interval_minutes": 30}],
            accounts=accounts,
            database_url=f"sqlite:///{tmp_path}/p{count}.db",
            extra_settings=f"[nlp]\nprocesses = {count}\n",
        )
        caplog.clear()
        caplog.set_level(logging.INFO, logger="extractors.processes")
        results[count] = _stored_events(config)
        started = "extract workers started processes=2" in caplog.text
        assert started == (count == 2), caplog.text
    assert len(results[1]) >= 40
    assert results[2] == results[1]
