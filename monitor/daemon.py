"""The long-running process: a schedule ticker around the pipeline and the sender.

`schedule` only ticks; which source is due lives in the database, so restarts and
several instances agree. Every job is wrapped so an exception is logged, never fatal.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import schedule
from sqlalchemy.exc import InterfaceError, OperationalError

from extractors.accounts import AccountMatcher
from extractors.nlp import load_pipeline
from extractors.processes import process_count
from monitor import health
from monitor.alerts import queue
from monitor.alerts.mailer import Mailer, make_mailer
from monitor.clock import Clock, utcnow
from monitor.config import Config, ConfigError, load_config
from monitor.cycle import CycleStats, Pipeline
from monitor.feedback.server import FeedbackServer
from monitor.logfmt import kv
from monitor.store.db import Database
from monitor.systemd import notify, watchdog_interval_s
from sources.fetch import Fetcher
from sources.parse_pool import ParsePool

log = logging.getLogger(__name__)


class DatabaseWaitStopped(Exception):
    """SIGTERM/SIGINT arrived while waiting for the database at start."""


@dataclass
class Runtime:
    config: Config
    pipeline: Pipeline
    fetcher: Fetcher
    mailer: Mailer

    def close(self) -> None:
        self.fetcher.close()
        self.mailer.close()


class Daemon:
    def __init__(
        self, config_dir: Path, clock: Clock = utcnow, *, wait_for_database: bool = False
    ) -> None:
        self.config_dir = config_dir
        self.clock = clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._stop = False
        self._reload = False
        self.feedback_server: FeedbackServer | None = None
        config = load_config(config_dir)
        self.db = Database(config.database_url)
        if wait_for_database:
            self._migrate_when_reachable()
        else:
            self.db.migrate()
        # Feed parsing runs in worker processes with a time and memory budget: feedparser
        # can spend seconds of CPU on pathological markup and cannot be interrupted.
        self.parser = ParsePool(workers=2, budget_s=10.0)
        self.runtime = self._build(config)
        log.info(
            kv(
                "daemon ready",
                config=str(config_dir),
                database=self.db.describe(),
                sources=len(config.sources),
                accounts=len(config.accounts),
                mail=config.mail.smtp_host or f"outbox:{config.mail.outbox_dir}",
                instance=self.owner,
            )
        )

    def _migrate_when_reachable(self) -> None:
        """A database that is down at start is waited for (backoff up to a minute), one log
        line per try, not a crash loop; SIGTERM/SIGINT while waiting exits cleanly."""
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        delay = 1.0
        while True:
            try:
                self.db.migrate()
                return
            except (OperationalError, InterfaceError) as exc:
                reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
                log.error(
                    kv(
                        "database unreachable; retrying",
                        database=self.db.describe(),
                        error=reason[0] if reason else type(exc).__name__,
                        retry_in_s=f"{delay:g}",
                    )
                )
            self.db.dispose()
            deadline = time.monotonic() + delay
            while not self._stop and time.monotonic() < deadline:
                time.sleep(0.2)
            if self._stop:
                raise DatabaseWaitStopped
            delay = min(delay * 2, 60.0)

    def _build(self, config: Config) -> Runtime:
        assert config.triggers is not None  # load_config refuses a folder without rules
        extractor = load_pipeline(config.nlp_model, config.triggers)
        fetcher = Fetcher(config.fetch)
        pipeline = Pipeline(
            config,
            self.db,
            fetcher,
            extractor,
            AccountMatcher(config.accounts),
            self.owner,
            self.clock,
            parse=self.parser.parse,
            workers=config.fetch.workers,
            extract_processes=process_count(config.nlp_processes),
        )
        pipeline.sync_sources()
        return Runtime(config, pipeline, fetcher, make_mailer(config.mail))

    # ------------------------------------------------------------------ steps

    def poll(self, *, ignore_schedule: bool = False) -> CycleStats:
        stats = self.runtime.pipeline.poll(ignore_schedule=ignore_schedule)
        if stats.sources:
            log.info(kv("cycle done", **vars(stats)))
        return stats

    def send(self) -> queue.SendStats:
        now = self.clock()
        queue.compose(self.db, self.runtime.config, now)
        stats = queue.deliver(self.db, self.runtime.config, self.runtime.mailer, self.owner, now)
        self.runtime.mailer.close()
        if stats.sent or stats.failed or stats.retried:
            log.info(kv("send done", **vars(stats)))
        return stats

    def check_health(self) -> None:
        """Flag sick sources in the log and to [mail] admin (each at most once a day)."""
        health.check(self.db, self.runtime.config, self.clock())

    def run_once(self) -> None:
        """Poll every enabled source once, extract, match, check health, send; then return."""
        self.poll(ignore_schedule=True)
        self._guard("health", self.check_health)()
        self.send()

    # ------------------------------------------------------------------ loop

    def reload(self) -> None:
        """SIGHUP: a bad new config is reported and the running one is kept."""
        try:
            config = load_config(self.config_dir)
        except ConfigError as exc:
            for problem in exc.problems:
                log.error(kv("config reload refused; keeping the old config", problem=str(problem)))
            return
        if config.database_url != self.runtime.config.database_url:
            log.error(
                kv("config reload: [database] url changes need a restart; keeping the old one")
            )
            return
        if config.feedback.listen != self.runtime.config.feedback.listen:
            # The rest of [feedback] (base_url, secret, expiry) applies at once.
            log.warning(kv("config reload: [feedback] listen changes need a restart"))
        old = self.runtime
        self.runtime = self._build(config)
        old.close()
        log.info(kv("config reloaded", sources=len(config.sources), accounts=len(config.accounts)))

    def _guard(self, name: str, job: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            if self._stop:
                return
            try:
                job()
            except Exception:
                log.exception(kv("job failed; will run again at its next tick", job=name))

        return run

    def start_feedback_server(self) -> None:
        """Serve feedback links when [feedback] listen is set; raises FeedbackServerError."""
        listen = self.runtime.config.feedback.listen
        if listen is None:
            return
        self.feedback_server = FeedbackServer(
            self.db, lambda: self.runtime.config.feedback, listen, self.clock
        )
        self.feedback_server.start()

    def run_forever(self) -> None:
        try:
            self.start_feedback_server()
        except Exception:
            self.close()
            raise
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_hup)
        alerts = self.runtime.config.alerts
        ticker = schedule.Scheduler()
        ticker.every(alerts.poll_tick_s).seconds.do(self._guard("poll", self.poll))
        ticker.every(alerts.send_tick_s).seconds.do(self._guard("send", self.send))
        # Hourly so restarts cannot starve it; health.check itself reports once a day.
        ticker.every(1).hours.do(self._guard("health", self.check_health))
        watchdog = watchdog_interval_s()
        notify("READY=1\nSTATUS=polling")
        self._guard("poll", self.poll)()
        self._guard("health", self.check_health)()
        self._guard("send", self.send)()
        last_ping = time.monotonic()
        while not self._stop:
            if self._reload:
                self._reload = False
                self._guard("reload", self.reload)()
            ticker.run_pending()
            if watchdog is not None and time.monotonic() - last_ping >= watchdog:
                notify("WATCHDOG=1")
                last_ping = time.monotonic()
            time.sleep(0.2)
        notify("STOPPING=1")
        log.info(kv("daemon stopping", instance=self.owner))
        self.close()

    def _on_stop(self, signum: int, _frame: FrameType | None) -> None:
        log.info(
            kv("signal received; finishing the current step", signal=signal.Signals(signum).name)
        )
        self._stop = True

    def _on_hup(self, _signum: int, _frame: FrameType | None) -> None:
        self._reload = True

    def close(self) -> None:
        if self.feedback_server is not None:
            self.feedback_server.stop()
            self.feedback_server = None
        self.runtime.close()
        self.parser.close()
        self.db.dispose()
