"""Feedback end to end in one process: [feedback] config, links in composed emails, the real
HTTP endpoint on a loopback port (SQLite and PostgreSQL), and CLI votes."""

from __future__ import annotations

import http.client
import logging
import os
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_string, policy
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.alerts import queue
from monitor.cli import main as cli_main
from monitor.config import (
    BUNDLED_CONFIG,
    Config,
    FeedbackSettings,
    Problem,
    _feedback,
    _Toml,
    check_config,
    load_config,
)
from monitor.feedback.server import FeedbackServer, FeedbackServerError
from monitor.store.db import Database
from monitor.store.models import Alert, Email, Feedback
from tests.helpers import seed_alert

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ACCOUNTS = (
    "name,aliases,domains,owner,tier\n"
    "Agari,,agari.com,alice@example.com,enterprise\n"
    "Gilt Groupe,Gilt City,gilt.com,dora@example.com,mid-market\n"
)
REPS = (
    "email,name,delivery,timezone\n"
    "alice@example.com,Alice,instant,UTC\n"
    "dora@example.com,Dora,daily,UTC\n"
)
# Only enterprise accounts have a funding track: Gilt's entries show none.
TRACKS = '[[track]]\ntype = "funding"\nwhen = { tier = "enterprise" }\ntext = "Call {account}."\n'
LINK = re.compile(
    r"http://127\.0\.0\.1:\d+/feedback/(\d+)/([a-z_]+)/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"
)


def write_secret(path: Path, text: str = "x" * 40, mode: int = 0o600) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


def feedback_config(make_config, db_url: str = "", settings: str | None = None) -> Path:
    section = (
        settings
        if settings is not None
        else ('[feedback]\nlisten = "127.0.0.1:8088"\nsecret_file = "feedback-secret"\n')
    )
    config = make_config(
        accounts=ACCOUNTS, reps=REPS, database_url=db_url, extra_settings="\n" + section
    )
    write_secret(config / "feedback-secret")
    (config / "talk_tracks.toml").write_text(TRACKS, encoding="utf-8")
    return config


def parts_of(body: str) -> tuple[str, str]:
    msg = message_from_string(body, policy=policy.default)
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def links_in(text: str) -> dict[tuple[int, str], str]:
    return {(int(m.group(1)), m.group(2)): m.group(0) for m in LINK.finditer(text)}


def feedback_only(config: Path) -> tuple[FeedbackSettings, list[str]]:
    """Just the [feedback] table, read the way load_config reads it (without the seconds
    that compiling triggers.toml takes)."""
    problems: list[Problem] = []
    settings = _feedback(_Toml(config / "settings.toml", problems), config, problems)
    return settings, [str(p) for p in problems]


@pytest.fixture
def env(db_url: str, make_config) -> Iterator[tuple[Database, Config]]:
    config = load_config(feedback_config(make_config, db_url))
    db = Database(db_url)
    db.migrate()
    yield db, config
    db.dispose()


# ----------------------------------------------------------------------------- config


def test_feedback_settings_and_defaults(make_config) -> None:
    config = load_config(feedback_config(make_config))
    assert config.feedback.listen == ("127.0.0.1", 8088)
    assert config.feedback.base_url == "http://127.0.0.1:8088"
    assert config.feedback.links and config.feedback.link_max_age_days == 90
    assert config.feedback.secret() == b"x" * 40
    assert "xxxx" not in repr(config)  # the secret is read on use, never kept
    v6, problems = feedback_only(
        feedback_config(
            make_config,
            settings='[feedback]\nlisten = "[::1]:9000"\nsecret_file = "feedback-secret"\n'
            'base_url = "https://monitor.example.com/tm/"\n',
        )
    )
    assert problems == []
    assert v6.listen == ("::1", 9000)
    assert v6.base_url == "https://monitor.example.com/tm"
    off, _ = feedback_only(make_config(accounts=ACCOUNTS, reps=REPS))
    assert off.listen is None and not off.links


def test_bundled_config_documents_feedback_and_leaves_it_off() -> None:
    assert check_config(BUNDLED_CONFIG) == []
    assert not load_config(BUNDLED_CONFIG).feedback.links
    text = (BUNDLED_CONFIG / "settings.toml").read_text()
    assert "# [feedback]" in text and "--new-secret" in text


def test_check_config_reports_feedback_problems(make_config) -> None:
    config = feedback_config(make_config, settings='[feedback]\nlisten = "127.0.0.1:8088"\n')
    settings = config / "settings.toml"
    problems = [str(p) for p in check_config(config)]
    assert problems == [
        f"{settings}:{line_of(settings, '[feedback]')}: [feedback] needs secret_file to sign "
        "its links; create one with: trigger-monitor feedback --new-secret "
        f"{config / 'feedback-secret'}"
    ]


def line_of(path: Path, start: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(start)
    )


SECRET_LINE = 'secret_file = "feedback-secret"\n'


@pytest.mark.parametrize(
    ("section", "at", "message"),
    [
        (
            'listen = "127.0.0.1:8088"\n',
            "[feedback]",
            "needs secret_file to sign its links; create",
        ),
        ('listen = "localhost"\n' + SECRET_LINE, "listen", "listen 'localhost' must be host:port"),
        ('listen = "127.0.0.1:70000"\n' + SECRET_LINE, "listen", "port must be 1-65535"),
        ('listen = "0.0.0.0:8088"\n' + SECRET_LINE, "listen", "every address, so links need a"),
        ('base_url = "ftp://x.com"\n' + SECRET_LINE, "base_url", "base_url 'ftp://x.com' must be"),
        ("link_max_age_days = -1\n", "link_max", "link_max_age_days must be >= 0"),
        ('secret-file = "x"\n', "secret-file", "unknown key 'secret-file' in [feedback]"),
    ],
)
def test_feedback_problems_name_file_and_line(
    make_config, section: str, at: str, message: str
) -> None:
    config = feedback_config(make_config, settings="[feedback]\n" + section)
    settings = config / "settings.toml"
    problems = feedback_only(config)[1]
    wanted = [p for p in problems if message in p]
    assert wanted, problems
    assert wanted[0].startswith(f"{settings}:{line_of(settings, at)}: "), wanted


@pytest.mark.parametrize(
    ("text", "mode", "message"),
    [
        (None, 0o600, "does not exist; create one with: trigger-monitor feedback --new-secret"),
        ("", 0o600, "is empty (at least 32)"),
        ("short", 0o600, "holds only 5 characters"),
        ("y" * 40, 0o644, "is readable by every user; run: chmod 600"),
    ],
)
def test_unusable_secret_files_are_config_problems(
    make_config, text: str | None, mode: int, message: str
) -> None:
    config = feedback_config(make_config)
    secret = config / "feedback-secret"
    if text is None:
        secret.unlink()
    else:
        write_secret(secret, text, mode)
    settings = config / "settings.toml"
    problems = feedback_only(config)[1]
    where = f"{settings}:{line_of(settings, 'secret_file')}: "
    assert any(p.startswith(where) and message in p for p in problems), problems


# ----------------------------------------------------------------------------- emails


def test_instant_and_digest_entries_carry_signed_links(env: tuple[Database, Config]) -> None:
    db, config = env
    agari = seed_alert(db, "alice@example.com", "Agari", created=T0)
    gilt = seed_alert(db, "dora@example.com", "Gilt Groupe", delivery="daily", created=T0)
    agari2 = seed_alert(db, "dora@example.com", "Agari", delivery="daily", created=T0)
    queue.compose(db, config, T0 + timedelta(days=1))
    with db.session() as s:
        emails = {e.kind: e for e in s.scalars(select(Email))}
        tracks = {a.id: a.talk_track for a in s.scalars(select(Alert))}
    assert tracks == {
        agari: "funding/tier=enterprise",
        gilt: None,
        agari2: "funding/tier=enterprise",
    }

    text, html = parts_of(emails["instant"].body)
    votes = set(links_in(text))
    assert votes == {
        (agari, v)
        for v in ("useful", "wrong_company", "not_a_trigger", "already_knew", "talk_track_helped")
    }
    assert "Feedback (one click records it):" in text and "Talk track helped: http" in text
    assert set(links_in(html)) == votes and ">Wrong company</a>" in html
    assert set(links_in(text).values()) == set(links_in(html).values())  # one link per vote

    digest_text, digest_html = parts_of(emails["digest"].body)
    digest_votes = set(links_in(digest_text))
    assert (gilt, "useful") in digest_votes and (agari2, "useful") in digest_votes
    assert (gilt, "talk_track_helped") not in digest_votes  # Gilt's entry shows no track
    assert (agari2, "talk_track_helped") in digest_votes
    assert set(links_in(digest_html)) == digest_votes


def test_a_secret_lost_after_start_costs_the_links_not_the_email(
    env: tuple[Database, Config], caplog
) -> None:
    db, config = env
    config.feedback.secret_file.unlink()  # type: ignore[union-attr]
    seed_alert(db, "alice@example.com", "Agari", created=T0)
    assert queue.compose(db, config, T0) == 1
    with db.session() as s:
        body = s.scalars(select(Email)).one().body
    assert "Agari" in body and "/feedback/" not in body
    assert "feedback links left out: cannot read [feedback] secret_file" in caplog.text


def test_no_links_when_feedback_is_not_configured(db_url: str, make_config) -> None:
    config = load_config(make_config(accounts=ACCOUNTS, reps=REPS, database_url=db_url))
    db = Database(db_url)
    db.migrate()
    seed_alert(db, "alice@example.com", "Agari", created=T0)
    queue.compose(db, config, T0)
    with db.session() as s:
        body = s.scalars(select(Email)).one().body
    db.dispose()
    assert "/feedback/" not in body and "Feedback" not in body


# ----------------------------------------------------------------------------- endpoint


class Client:
    def __init__(self, server: FeedbackServer) -> None:
        self.host, self.port = server.address

    def __call__(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()


@pytest.fixture
def served(env: tuple[Database, Config]) -> Iterator[tuple[Database, Config, FeedbackServer, dict]]:
    db, config = env
    alert = seed_alert(db, "alice@example.com", "Agari", created=T0)
    queue.compose(db, config, T0)
    with db.session() as s:
        text, _ = parts_of(s.scalars(select(Email)).one().body)
    paths = {vote: re.sub(r"^http://[^/]+", "", url) for (_, vote), url in links_in(text).items()}
    clock = {"now": T0 + timedelta(hours=1)}
    server = FeedbackServer(db, lambda: config.feedback, ("127.0.0.1", 0), lambda: clock["now"])
    server.start()
    yield db, config, server, {"alert": alert, "paths": paths, "clock": clock}
    server.stop()


def votes(db: Database) -> list[tuple[int, str, str, str]]:
    with db.session() as s:
        return [
            (f.alert_id, f.vote, f.recipient, f.channel)
            for f in s.scalars(select(Feedback).order_by(Feedback.id))
        ]


def test_get_shows_a_page_and_only_post_records_once(served, caplog) -> None:
    db, _, server, info = served
    client, path, alert = Client(server), info["paths"]["useful"], info["alert"]
    caplog.set_level(logging.INFO)

    status, page = client("GET", path)
    assert status == 200 and '<form method="post">' in page and "Record my vote" in page
    assert "\u201cUseful\u201d for alert #" in page and "document.forms[0].submit()" in page
    assert client("HEAD", path)[0] == 200
    assert votes(db) == []  # a link scanner's GET records nothing

    status, page = client("POST", path, b"")
    assert status == 200
    assert f"Thank you: recorded \u201cUseful\u201d for alert #{alert} (Agari)." in page
    assert votes(db) == [(alert, "useful", "alice@example.com", "link")]

    status, page = client("POST", path, b"")
    assert status == 409 and "already used" in page
    assert client("GET", path)[0] == 409
    assert votes(db) == [(alert, "useful", "alice@example.com", "link")]

    recorded = [r.getMessage() for r in caplog.records if "feedback recorded" in r.getMessage()]
    assert recorded == [
        f"feedback recorded alert={alert} vote=useful recipient=alice@example.com channel=link"
    ]
    signature = path.rsplit(".", 1)[1]
    nonce = path.rsplit("/", 1)[1].split(".")[0]
    assert not any(signature in r.getMessage() or nonce in r.getMessage() for r in caplog.records)

    status, _ = client("POST", info["paths"]["talk_track_helped"], b"")
    assert status == 200 and len(votes(db)) == 2  # each vote has its own link


def test_forged_unknown_expired_and_other_requests_are_refused(served) -> None:
    db, _, server, info = served
    client, paths, alert = Client(server), info["paths"], info["alert"]
    useful = paths["useful"]
    tail = useful.rsplit("/", 1)[1]
    forged = useful[:-1] + ("A" if useful[-1] != "A" else "B")
    assert client("POST", forged, b"") == (403, client("GET", forged)[1])
    assert "not valid" in client("POST", forged, b"")[1]
    # A valid nonce and signature moved to another vote or alert do not verify.
    assert client("POST", f"/feedback/{alert}/not_a_trigger/{tail}", b"")[0] == 403
    assert client("POST", f"/feedback/{alert + 1000}/useful/{tail}", b"")[0] == 404
    for other in ("/", "/feedback", "/feedback/x", "/robots.txt", useful + "/extra"):
        assert client("GET", other)[0] == 404, other
        assert client("POST", other, b"")[0] == 404, other
    assert client("GET", "/feedback/" + "1" * 600)[0] == 414
    assert client("POST", useful, b"x" * 5000)[0] == 413
    assert votes(db) == []

    info["clock"]["now"] = T0 + timedelta(days=91)
    status, page = client("POST", useful, b"")
    assert status == 410 and "expired" in page
    assert votes(db) == []
    info["clock"]["now"] = T0 + timedelta(days=89)
    assert client("POST", useful, b"")[0] == 200


def test_racing_clicks_of_one_link_count_once(served) -> None:
    db, _, server, info = served
    client, path = Client(server), info["paths"]["already_knew"]
    statuses: list[int] = []
    start = threading.Barrier(6)

    def click() -> None:
        start.wait()
        statuses.append(client("POST", path, b"")[0])

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409, 409, 409, 409, 409]
    assert [v[1] for v in votes(db)] == ["already_knew"]


def test_a_port_in_use_is_one_clear_error(served) -> None:
    db, config, server, _ = served
    with pytest.raises(FeedbackServerError, match=r"cannot listen on 127\.0\.0\.1:\d+: "):
        FeedbackServer(db, lambda: config.feedback, server.address)


def test_a_new_secret_invalidates_old_links(served) -> None:
    db, config, server, info = served
    write_secret(config.feedback.secret_file, "z" * 40)  # type: ignore[arg-type]
    assert Client(server)("POST", info["paths"]["useful"], b"")[0] == 403
    assert votes(db) == []


# ----------------------------------------------------------------------------- CLI


def test_cli_votes_lists_and_refuses_unknown(make_config, tmp_path: Path, capsys) -> None:
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    config = feedback_config(make_config, db_url)
    db = Database(db_url)
    db.migrate()
    alert = seed_alert(db, "alice@example.com", "Agari", created=T0)
    queue.compose(db, load_config(config), T0)

    def cli(*args: str) -> tuple[int, str, str]:
        code = cli_main(["--config", str(config), "feedback", *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = cli(str(alert), "wrong-company")
    assert (code, out) == (
        0,
        f"recorded: alert {alert} (Agari) wrong-company by alice@example.com\n",
    )
    assert "feedback recorded alert=" in err and "channel=cli" in err
    code, out, _ = cli(str(alert), "useful", "--rep", "Bob@Example.com")
    assert code == 0 and "useful by bob@example.com" in out
    with db.session() as s:
        rows = list(s.scalars(select(Feedback).order_by(Feedback.id)))
    assert [(r.vote, r.recipient, r.channel) for r in rows] == [
        ("wrong_company", "alice@example.com", "cli"),
        ("useful", "bob@example.com", "cli"),
    ]
    assert len({r.token for r in rows}) == 2  # each CLI vote gets a fresh token

    code, _, err = cli(str(alert), "great")
    assert code == 2 and "error: unknown vote 'great' (known: useful, wrong-company" in err
    code, _, err = cli("99999", "useful")
    assert code == 2 and "error: alert 99999 does not exist" in err
    code, _, err = cli(str(alert), "useful", "--rep", "nobody")
    assert code == 2 and "--rep 'nobody' is not an email address" in err
    code, _, err = cli(str(alert))
    assert code == 2 and "usage: trigger-monitor feedback ALERT_ID VOTE" in err

    code, out, _ = cli("--list")  # default: the votes of the last 30 days
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:4] == ["id", "when", "(UTC)", "alert"]
    assert "wrong-company" in lines[2] and "Agari / funding / funding/tier=enterprise" in lines[2]
    assert "useful" in lines[1] and "bob@example.com" in lines[1] and " cli " in lines[1]
    assert lines[-1].startswith("2 vote(s) since ")
    assert cli("--list", "--since", "soon")[0] == 2
    db.dispose()


def test_new_secret_is_private_and_never_overwritten(tmp_path: Path, capsys) -> None:
    path = tmp_path / "secret"
    assert cli_main(["feedback", "--new-secret", str(path)]) == 0
    assert os.stat(path).st_mode & 0o777 == 0o600
    secret = path.read_text()
    assert len(secret.strip()) >= 32 and f"wrote a new feedback secret to {path}" in (
        capsys.readouterr().out
    )
    assert cli_main(["feedback", "--new-secret", str(path)]) == 2
    assert "exists; remove it first" in capsys.readouterr().err
    assert path.read_text() == secret
