"""Faults through real daemon processes: the database down at start, PostgreSQL connections
dropped mid-run. (SMTP down: test_e2e; outbox not writable: test_queue; SIGHUP with a broken
config: test_daemon.)"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import FIXTURES, FeedServer, SmtpSink, _free_port, _pg_base_url, pg_schema
from tests.helpers import REPO, run_cli

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(_pg_base_url() is None, reason="TEST_DATABASE_URL is not set"),
]

QUIET_FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>quiet</title>'
    b"<link>http://example.com/</link><description>d</description>"
    b"<item><title>Weather is mild</title><link>http://example.com/1</link>"
    b"<guid>q1</guid><description>Nothing happened today.</description></item>"
    b"</channel></rss>"
)
ACCOUNTS = "name,aliases,domains,owner\nAgari,,agari.com,alice@example.com\n"
REPS = "email,name,delivery,timezone\nalice@example.com,Alice,instant,UTC\n"


class Daemon:
    """A real `python -m monitor run` process whose stderr is collected by a thread."""

    def __init__(self, config: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "run"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    def wait_for(self, needle: str, count: int = 1, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(needle in line for line in list(self.lines)) >= count:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} x{count} not seen; got:\n{self.log}")

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        self._reader.join(timeout=5)
        return code


class Forwarder:
    """A TCP port that refuses until started, then forwards to PostgreSQL."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.port = _free_port()
        self.target = target
        self.server: socket.socket | None = None

    def start(self) -> None:
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        assert self.server is not None
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        if self.server is not None:
            self.server.close()


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A private schema; the URL carries an application_name that marks our connections."""
    with pg_schema("&application_name=robust_{schema}") as url:
        yield url


def test_database_down_at_start_is_waited_for_then_the_daemon_runs(
    make_config, feed_server: FeedServer, pg_schema_url: str, tmp_path: Path
) -> None:
    real = make_url(pg_schema_url)
    forwarder = Forwarder((real.host or "127.0.0.1", real.port or 5432))
    url = real.set(port=forwarder.port).render_as_string(hide_password=False)
    feed = feed_server.add("/q.xml", QUIET_FEED)
    config = make_config(
        sources=[{"name": "q", "url": feed}],
        database_url=url,
        outbox=str(tmp_path / "outbox"),
        extra_settings="poll_tick_s = 1\nsend_tick_s = 1\n",
    )
    once = run_cli("run", "--once", config=config)
    assert once.returncode == 2
    errors = [x for x in once.stderr.splitlines() if "unreachable" in x]
    assert errors == [x for x in errors if x.startswith("error: database unreachable: ")]
    assert len(errors) == 1 and "Traceback" not in once.stderr, once.stderr

    daemon = Daemon(config)
    try:
        daemon.wait_for("database unreachable; retrying", count=3, timeout=30)
        assert daemon.proc.poll() is None and "Traceback" not in daemon.log
        waits = [x for x in daemon.lines if "database unreachable" in x]
        assert all("exc=" not in x for x in waits), waits  # one clean line, no traceback
        assert waits[0].rstrip().endswith("retry_in_s=1") and "retry_in_s=2" in waits[1]
        forwarder.start()
        daemon.wait_for("daemon ready", timeout=60)
        daemon.wait_for("source polled source=q ", timeout=60)
    finally:
        code = daemon.stop()
        forwarder.close()
    assert code == 0, daemon.log


def test_sigterm_while_waiting_for_the_database_exits_cleanly(make_config, tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/test"
    config = make_config(database_url=url, outbox=str(tmp_path / "outbox"))
    daemon = Daemon(config)
    daemon.wait_for("database unreachable; retrying", timeout=30)
    started = time.monotonic()
    assert daemon.stop() == 0
    assert time.monotonic() - started < 5
    assert "Traceback" not in daemon.log


def _terminate(base: str, application_name: str) -> int:
    engine = sa.create_engine(base)
    try:
        with engine.begin() as conn:
            return len(
                conn.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :app AND pid <> pg_backend_pid()"
                    ),
                    {"app": application_name},
                ).all()
            )
    finally:
        engine.dispose()


def test_postgres_connections_dropped_mid_run_the_daemon_reconnects_and_sends(
    make_config, feed_server: FeedServer, smtp_sink: SmtpSink, pg_schema_url: str
) -> None:
    app = make_url(pg_schema_url).query["application_name"]
    assert isinstance(app, str)
    base = _pg_base_url()
    assert base is not None
    feed_server.add("/tc.xml", QUIET_FEED)
    config = make_config(
        sources=[{"name": "tc", "url": feed_server.base + "/tc.xml", "interval_minutes": 0.02}],
        accounts=ACCOUNTS,
        reps=REPS,
        database_url=pg_schema_url,
        smtp_port=smtp_sink.port,
        extra_settings="poll_tick_s = 1\nsend_tick_s = 1\n",
    )
    daemon = Daemon(config)
    try:
        daemon.wait_for("source polled source=tc ", count=2)
        killed = 0
        for _ in range(15):  # hit idle and busy connections alike
            killed += _terminate(base, app)
            time.sleep(0.2)
        assert killed > 0
        polled = sum("source polled source=tc " in x for x in daemon.lines)
        feed_server.add("/tc.xml", (FIXTURES / "feeds" / "TechCrunch.xml").read_bytes())
        daemon.wait_for("source polled source=tc ", count=polled + 2)
        deadline = time.monotonic() + 90
        while not smtp_sink.to("alice@example.com") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert smtp_sink.to("alice@example.com"), daemon.log
        assert daemon.proc.poll() is None
    finally:
        code = daemon.stop()
    assert code == 0, daemon.log
    failed_jobs = [x for x in daemon.lines if "job failed" in x]
    print(f"connections terminated: {killed}; failed jobs logged: {len(failed_jobs)}")
    for line in failed_jobs:  # a job hit by a dropped connection is logged, never fatal
        assert "will run again at its next tick" in line
