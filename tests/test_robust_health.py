"""Source health: the report, daily warnings and the admin's daily email (never to reps)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from monitor import health
from monitor.config import load_config
from monitor.store import repo
from monitor.store.db import Database
from monitor.store.models import Email, Item, Source
from tests.conftest import SmtpSink
from tests.helpers import run_cli

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(db_url: str):
    database = Database(db_url)
    database.migrate()
    yield database
    database.dispose()


def _due(db: Database, name: str) -> repo.DueSource:
    with db.session() as s:
        row = s.scalar(select(Source).where(Source.name == name))
        assert row is not None
        return repo.DueSource(row.id, row.name, row.url, 30, None, None, False)


def _items(db: Database, name: str, times: list[datetime]) -> None:
    with db.session() as s:
        row = s.scalar(select(Source).where(Source.name == name))
        assert row is not None
        for n, when in enumerate(times):
            s.add(
                Item(
                    source_id=row.id,
                    item_key=f"{name}-{n}",
                    title="t",
                    text="x",
                    published_at=when,
                    fetched_at=when,
                    extracted=True,
                )
            )


def _setup(db: Database, make_config, admin: str = "admin@example.com"):
    names = ["daily-silent", "daily-ok", "weekly", "failing", "failing-new", "gone"]
    config = load_config(
        make_config(
            sources=[{"name": n, "url": f"http://127.0.0.1:9/{n}"} for n in names],
            extra_settings="",
            default_recipient="ops@example.com",
        )
    )
    config = config.__class__(**{**vars(config), "mail": _with_admin(config.mail, admin)})
    repo.sync_sources(db, ((s.name, s.url) for s in config.sources))
    # daily-silent: two items a day for two weeks, nothing in the last 4 days.
    _items(db, "daily-silent", [NOW - timedelta(days=4, hours=h * 12) for h in range(28)])
    _items(db, "daily-ok", [NOW - timedelta(hours=h * 12) for h in range(28)])
    _items(db, "weekly", [NOW - timedelta(days=5 + 7 * w) for w in range(3)])
    repo.record_failure(db, _due(db, "failing"), NOW - timedelta(hours=30), "http_5xx", "boom")
    repo.record_failure(db, _due(db, "failing"), NOW - timedelta(hours=1), "http_5xx", "boom")
    repo.record_failure(db, _due(db, "failing-new"), NOW - timedelta(hours=2), "timeout", "slow")
    repo.record_failure(db, _due(db, "gone"), NOW, "gone", "source is gone (410)", disable=True)
    return config


def _with_admin(mail, admin):
    from dataclasses import replace

    return replace(mail, admin=admin)


def test_report_flags_silent_failing_and_disabled_sources(db: Database, make_config) -> None:
    config = _setup(db, make_config)
    report = {h.name: h for h in health.report(db, config, NOW)}
    assert report["daily-silent"].flags and "silent for 4 days" in report["daily-silent"].flags[0]
    assert report["daily-silent"].usual_per_day == pytest.approx(2.0, rel=0.1)
    assert report["daily-ok"].flags == []
    assert report["daily-ok"].items_last_day == 3  # 0, 12 and 24 h ago
    assert report["weekly"].flags == []  # silent for 5 days, but it never published daily
    assert "failing for 30h" in report["failing"].flags[0]
    assert report["failing"].error_streak == 2 and report["failing"].last_error_kind == "http_5xx"
    assert report["failing-new"].flags == []  # failing, but not yet for a day
    assert report["gone"].flags[0].startswith("disabled")


def test_check_warns_once_a_day_and_mails_the_admin_once_a_day(
    db: Database, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    config = _setup(db, make_config)
    with caplog.at_level(logging.WARNING, logger="monitor.health"):
        flagged = health.check(db, config, NOW)
        health.check(db, config, NOW + timedelta(hours=1))
        health.check(db, config, NOW + timedelta(hours=5))
    assert sorted(h.name for h in flagged) == ["daily-silent", "failing", "gone"]
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3, lines
    for name in ("daily-silent", "failing", "gone"):
        assert sum(f"source={name} " in line for line in lines) == 1
    with db.session() as s:
        emails = list(s.scalars(select(Email).where(Email.kind == "health")))
    assert len(emails) == 1
    assert emails[0].recipient == "admin@example.com"
    assert "3 sources need attention" in emails[0].subject
    assert "daily-silent" in emails[0].body and "failing for 30h" in emails[0].body
    assert "daily-ok" not in emails[0].body

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="monitor.health"):
        health.check(db, config, NOW + timedelta(days=1))
    assert len(caplog.records) == 4  # failing-new has now been failing for 26 h too
    with db.session() as s:
        assert len(list(s.scalars(select(Email).where(Email.kind == "health")))) == 2


def test_no_admin_means_log_only(db: Database, make_config) -> None:
    config = _setup(db, make_config, admin="")
    config = config.__class__(**{**vars(config), "mail": _with_admin(config.mail, None)})
    assert health.check(db, config, NOW)
    with db.session() as s:
        assert s.scalar(select(Email.id)) is None


def test_admin_setting_is_validated(make_config) -> None:
    from monitor.config import ConfigError

    good = load_config(make_config(extra_settings=""))
    assert good.mail.admin is None
    directory = make_config()
    settings = (directory / "settings.toml").read_text()
    (directory / "settings.toml").write_text(
        settings.replace("[mail]\n", '[mail]\nadmin = "not an address"\n')
    )
    with pytest.raises(ConfigError) as info:
        load_config(directory)
    assert "[mail] admin" in str(info.value)
    (directory / "settings.toml").write_text(
        settings.replace("[mail]\n", '[mail]\nadmin = "root@example.com"\n')
    )
    assert load_config(directory).mail.admin == "root@example.com"


@pytest.mark.slow
def test_run_once_sends_the_health_email_to_the_admin_not_to_reps(
    make_config, smtp_sink: SmtpSink, db_url: str
) -> None:
    """A source failing since yesterday: the real process logs it and mails the admin."""
    config_dir = make_config(
        sources=[{"name": "dead", "url": "http://127.0.0.1:9/feed.xml"}],
        database_url=db_url,
        smtp_port=smtp_sink.port,
        reps="email,name,delivery,timezone\nrep@example.com,Rep,instant,UTC\n",
    )
    settings = (config_dir / "settings.toml").read_text()
    (config_dir / "settings.toml").write_text(
        settings.replace("[mail]\n", '[mail]\nadmin = "admin@example.com"\n')
    )
    config = load_config(config_dir)
    db = Database(config.database_url)
    db.migrate()
    repo.sync_sources(db, ((s.name, s.url) for s in config.sources))
    yesterday = datetime.now(UTC) - timedelta(days=1, hours=1)
    repo.record_failure(db, _due(db, "dead"), yesterday, "unreachable", "cannot connect")
    db.dispose()

    result = run_cli("run", "--once", config=config_dir)
    assert result.returncode == 0, result.stderr
    warnings = [x for x in result.stderr.splitlines() if "source unhealthy" in x]
    assert len(warnings) == 1 and "source=dead " in warnings[0], result.stderr
    assert [r for r, _ in smtp_sink.messages] == ["admin@example.com"]
    body = smtp_sink.messages[0][1].get_body(("plain",)).get_content()
    assert "dead" in body and "failing for 25h" in body

    again = run_cli("run", "--once", config=config_dir)
    assert again.returncode == 0, again.stderr
    assert "source unhealthy" not in again.stderr
    assert len(smtp_sink.messages) == 1
