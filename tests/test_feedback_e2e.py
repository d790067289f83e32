"""End to end: `run --once` over the bundled sample feeds mails signed links; a real
`trigger-monitor run` daemon serves them, records a click once, and a CLI vote joins it."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.conftest import _free_port
from tests.helpers import BUNDLED, REPO, run_cli

pytestmark = pytest.mark.slow

REPS = (
    "email,name,delivery,timezone\n"
    "alice@example.com,Alice Moreau,instant,UTC\n"
    "bob@example.com,Bob Tanaka,instant,UTC\n"
)
LINK = re.compile(r"http://127\.0\.0\.1:(\d+)(/feedback/(\d+)/([a-z_]+)/[A-Za-z0-9_.-]+)")


def wait_for(path: Path, text: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = path.read_text(errors="replace") if path.exists() else ""
        if text in log:
            return log
        assert proc.poll() is None, log
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not logged in {timeout} s")


def request(port: int, method: str, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=b"" if method == "POST" else None)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_sample_run_links_are_recorded_by_the_daemon_once(make_config, tmp_path: Path) -> None:
    port = _free_port()
    config = make_config(
        sources=[
            {"name": "Sample TechCrunch", "url": str(BUNDLED / "samples" / "TechCrunch.xml")},
            {"name": "Sample EDGAR", "url": str(BUNDLED / "samples" / "edgar-atom1.xml")},
        ],
        accounts=(BUNDLED / "accounts.csv").read_text(),
        reps=REPS,
        database_url=f"sqlite:///{tmp_path / 'monitor.db'}",
        outbox=str(tmp_path / "outbox"),
        extra_settings=f'\n[feedback]\nlisten = "127.0.0.1:{port}"\nsecret_file = "secret"\n',
    )
    shutil.copy(BUNDLED / "talk_tracks.toml", config / "talk_tracks.toml")
    made = run_cli("feedback", "--new-secret", "secret", config=config)
    assert made.returncode == 0, made.stderr

    once = run_cli("run", "--once", config=config)
    assert once.returncode == 0, once.stderr
    emails = [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted((tmp_path / "outbox").glob("*.eml"))
    ]
    assert emails, once.stderr
    links: dict[tuple[int, str], str] = {}
    funding_alerts: set[int] = set()
    for msg in emails:
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        found = {(int(m[3]), m[4]): m[2] for m in LINK.finditer(text)}
        assert found and all(int(m[1]) == port for m in LINK.finditer(text))
        assert {(int(m[3]), m[4]) for m in LINK.finditer(html)} == set(found)
        links.update(found)
        if str(msg["Subject"]).startswith("[Funding]"):
            funding_alerts |= {a for (a, _) in found}
    funding = next(
        a for (a, vote) in sorted(links) if vote == "talk_track_helped" and a in funding_alerts
    )
    useful = links[(funding, "useful")]

    log_path = tmp_path / "daemon.log"
    with log_path.open("wb") as log_file:
        daemon = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "run"],
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            cwd=config,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        try:
            wait_for(log_path, f"feedback endpoint listening address=127.0.0.1:{port}", daemon)
            status, page = request(port, "GET", useful)
            assert status == 200 and '<form method="post">' in page
            status, page = request(port, "POST", useful)
            assert status == 200 and f"recorded \u201cUseful\u201d for alert #{funding}" in page
            assert request(port, "POST", useful)[0] == 409
            assert request(port, "POST", useful[:-2] + "xx")[0] == 403
            assert request(port, "POST", links[(funding, "talk_track_helped")])[0] == 200

            vote = run_cli("feedback", str(funding), "not-a-trigger", config=config)
            assert vote.returncode == 0, vote.stderr
            assert vote.stdout.startswith(f"recorded: alert {funding} (")
        finally:
            daemon.send_signal(signal.SIGTERM)
            code = daemon.wait(timeout=60)
    log = log_path.read_text()
    assert code == 0, log
    recorded = [line for line in log.splitlines() if "feedback recorded" in line]
    assert len(recorded) == 2 and f"alert={funding} vote=useful " in recorded[0], log
    assert useful.rsplit(".", 1)[1] not in log  # the signature never reaches the log
    assert "reason=already_recorded" in log and "reason=bad_signature" in log

    listed = run_cli("feedback", "--list", config=config)
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.splitlines()
    assert rows[-1].startswith("3 vote(s) since"), listed.stdout
    votes = sorted((row.split()[4], row.split()[6]) for row in rows[1:-1])
    assert votes == [("not-a-trigger", "cli"), ("talk-track-helped", "link"), ("useful", "link")]
    assert all("/ funding / funding" in row for row in rows[1:-1]), listed.stdout
