"""The long-running daemon: signals, reload, systemd notify."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, FeedServer
from tests.helpers import REPO

pytestmark = pytest.mark.slow


def start(config: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )


def wait_for(
    proc: subprocess.Popen[str], needle: str, lines: list[str], timeout: float = 60
) -> None:
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        lines.append(line)
        if needle in line:
            return
    raise AssertionError(f"{needle!r} not seen; got:\n{''.join(lines)}")


def test_sigterm_stops_cleanly_and_sighup_keeps_old_config_when_new_is_bad(
    make_config, feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("/tc.xml", (FIXTURES / "feeds" / "TechCrunch.xml").read_bytes())
    config = make_config(
        sources=[{"name": "tc", "url": url}],
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        outbox=str(tmp_path / "outbox"),
        extra_settings="poll_tick_s = 1\nsend_tick_s = 1\n",
    )
    notify_path = tmp_path / "notify.sock"
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(notify_path))
    notify.settimeout(60)
    proc = start(config, {"NOTIFY_SOCKET": str(notify_path), "WATCHDOG_USEC": "2000000"})
    lines: list[str] = []
    try:
        assert notify.recv(100).startswith(b"READY=1")
        wait_for(proc, "source polled source=tc", lines)
        assert notify.recv(100) == b"WATCHDOG=1"

        (config / "sources.toml").write_text('[[source]]\nname = "tc"\nurl = 42\n')
        proc.send_signal(signal.SIGHUP)
        wait_for(proc, "config reload refused", lines)
        assert "sources.toml:1" in lines[-1] or "sources.toml:3" in lines[-1]
        assert proc.poll() is None  # still running on the old config

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        rest = proc.stderr.read() if proc.stderr else ""
        assert "daemon stopping" in "".join(lines) + rest
        notify.settimeout(2)
        received = b""
        while b"STOPPING=1" not in received:  # watchdog pings may be queued before it
            received = notify.recv(100)
    finally:
        if proc.poll() is None:
            proc.kill()
        notify.close()
