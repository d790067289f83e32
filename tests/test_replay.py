"""`replay`: the diff itself, the daemon's own path on both databases, and the real CLI
over a database filled by a real `run --once` on the sample feeds."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from extractors.accounts import Account, AccountMatcher
from extractors.nlp import Extractor, load_pipeline
from monitor import cli
from monitor.config import load_config
from monitor.cycle import CycleStats, Pipeline
from monitor.replay import (
    Example,
    ItemCounts,
    Replayer,
    ReplayError,
    ReplayItem,
    ReplayResult,
    ReportKey,
    Tally,
    diff,
    parse_since,
    render_text,
)
from monitor.store import repo
from monitor.store.db import Database
from monitor.store.models import Alert, AlertSource, Email, EventRow, Item, Source
from sources.records import FeedItem
from tests.helpers import BUNDLED, REPO, run_cli, write_config

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ACCOUNTS = (
    "name,aliases,domains,owner\n"
    "Agari,,agari.com,alice@example.com\n"
    "Acme Robotics,,,alice@example.com\n"
)
REPS = "email,name,delivery,timezone\nalice@example.com,Alice,instant,UTC\n"
AGARI = "Email Security Startup Agari Raises $2.5M From Alloy, Battery, Greylock And First Round"
NOKIA = "Nokia Strikes Supplier Deal With ST-Ericsson For Windows-Powered Handsets"


# --------------------------------------------------------------------------- pure parts


def test_diff_splits_kept_added_removed() -> None:
    a = ReportKey("Agari", "funding", "alice@example.com")
    b = ReportKey("Agari", "funding", "bob@example.com")  # same report, new owner
    c = ReportKey("Nokia", "partnership", "alice@example.com")
    assert diff([a, b], [a, c]) == {"kept": [a], "added": [c], "removed": [b]}
    assert diff([], []) == {"kept": [], "added": [], "removed": []}


def test_since_accepts_durations_and_iso_dates() -> None:
    assert parse_since("30d", NOW) == NOW - timedelta(days=30)
    assert parse_since("12h", NOW) == NOW - timedelta(hours=12)
    assert parse_since("2W", NOW) == NOW - timedelta(weeks=2)
    assert parse_since("2026-01-31", NOW) == datetime(2026, 1, 31, tzinfo=UTC)
    assert parse_since("2026-01-31T08:00+02:00", NOW) == datetime(2026, 1, 31, 6, tzinfo=UTC)
    with pytest.raises(ReplayError, match="30d, 12h, 2w"):
        parse_since("last month", NOW)


def _item(n: int, title: str = "t") -> ReplayItem:
    return ReplayItem(n, "feed", title, "", None, None, NOW, None, True)


def test_examples_cover_every_type_before_repeating_one() -> None:
    result = ReplayResult(since=NOW, database="db", candidate="c")
    tally = Tally(result, examples=3)
    for n in range(10):
        key = ReportKey("Agari", "funding", "a@x")
        tally.count("added", _item(n), key)
        if tally.wants_example("added", key):
            tally.example(
                Example("added", n, "t", "feed", None, "Agari", "funding", "a@x", "", 0.9)
            )
    key = ReportKey("Acme", "layoff", "a@x")
    tally.count("added", _item(99), key)
    tally.example(Example("added", 99, "t", "feed", None, "Acme", "layoff", "a@x", "", 0.9))
    tally.finish({})
    shown = [(e.type, e.item_id) for e in result.examples["added"]]
    assert shown == [("funding", 0), ("funding", 1), ("layoff", 99)]
    assert result.totals.added == 11 and result.by_type["funding"].added == 10


def test_text_report_escapes_feed_text() -> None:
    result = ReplayResult(since=NOW, database="db", candidate="c", items=ItemCounts(scanned=1))
    result.totals.added = 1
    result.examples["added"] = [
        Example(
            "added", 1, "Evil\x1b[2J title\r\nX", "feed\x07", "http://x/\x1b]8;;", "Acme",
            "layoff", "a@x", "cut\u202e jobs", 0.8,
        )
    ]  # fmt: skip
    out = io.StringIO()
    render_text(result, out)
    text = out.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\r" not in text
    assert "Evil\\x1b[2J title\\r X" in text and "cut\\u202e jobs" in text


def test_account_first_pass_reads_possessives_and_domains() -> None:
    matcher = AccountMatcher([Account("Agari", domains=("agari.com",)), Account("K Fortran")])
    assert matcher.could_match("Agari's CEO steps down", None)
    assert matcher.could_match("Agari’s CEO steps down", None)
    assert matcher.could_match("Running 4K FORTRAN on a PDP-8", None)
    assert matcher.could_match("Our CEO steps down", "https://blog.agari.com/news")
    assert not matcher.could_match("Initech's CEO steps down", "https://initech.example/")


# --------------------------------------------------------------------------- the daemon's path


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    config = load_config(BUNDLED)
    assert config.triggers is not None
    return load_pipeline(config.nlp_model, config.triggers)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    database.migrate()
    yield database
    database.dispose()


def _counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        counts = {
            t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0
            for t in (Item, EventRow, Alert, AlertSource, Email, Source)
        }
        counts["extracted"] = s.scalar(select(func.count()).where(Item.extracted.is_(True))) or 0
        return counts


def _daemon_fills(db: Database, config_dir: Path, extractor: Extractor) -> None:
    """What the daemon stored on 2026-11-23: an Agari funding (alerted), a syndicated copy
    of it from a second source, a Nokia deal (no account), an Acme Robotics funding
    published 30 days before it was fetched (too old: never alerted), and an Agari item
    fetched after the last extraction (not extracted yet)."""
    config = load_config(config_dir)
    pipe = Pipeline(
        config,
        db,
        None,  # type: ignore[arg-type]  # extraction never fetches
        extractor,
        AccountMatcher(config.accounts),
        "test",
        lambda: NOW,
    )
    repo.sync_sources(db, [("wire", "http://wire.test/feed"), ("blog", "http://blog.test/feed")])
    with db.session() as s:
        wire, blog = (s.scalar(select(Source.id).where(Source.name == n)) for n in ("wire", "blog"))
        _store(
            s,
            wire,
            [
                FeedItem("a", AGARI, "", "https://techcrunch.com/agari", NOW),
                FeedItem("n", NOKIA, "", "https://techcrunch.com/nokia", NOW),
                FeedItem(
                    "o",
                    "Acme Robotics raised $20 million in new funding",
                    "",
                    "https://news.test/acme",
                    NOW - timedelta(days=30),
                ),
            ],
            NOW,
        )
        _store(s, blog, [FeedItem("a2", AGARI, "", "https://blog.test/a", NOW)], NOW)
    pipe.extract_pending(CycleStats())
    with db.session() as s:
        _store(s, wire, [FeedItem("late", "Agari raises $10M Series B", "", None, NOW)], NOW)


def _store(s: Session, source_id: int, items: list[FeedItem], now: datetime) -> None:
    repo.store_items(s, [(source_id, items)], now)


def _candidate(tmp_path: Path, **settings: int) -> Path:
    """The same setup with Agari dropped and Nokia added (max_age_days may change)."""
    accounts = (
        "name,aliases,domains,owner\nAcme Robotics,,,alice@example.com\nNokia,,,alice@example.com\n"
    )
    return write_config(tmp_path / "candidate", accounts=accounts, reps=REPS, **settings)


def test_replay_with_the_same_config_changes_nothing_and_writes_nothing(
    db: Database, db_url: str, tmp_path: Path, extractor: Extractor
) -> None:
    config_dir = write_config(
        tmp_path / "current", accounts=ACCOUNTS, reps=REPS, database_url=db_url, max_age_days=14
    )
    _daemon_fills(db, config_dir, extractor)
    before = _counts(db)
    assert before["alerts"] == 1 and before["alert_sources"] == 2  # the copy joined it

    # Replayed long after: freshness is judged when each item was fetched, as the daemon did.
    replayer = Replayer(db, load_config(config_dir), extractor)
    result = replayer.run(NOW - timedelta(days=3650))
    assert (result.totals.kept, result.totals.added, result.totals.removed) == (1, 0, 0)
    items = result.items
    assert (items.scanned, items.compared) == (5, 3)
    assert (items.syndicated_copies, items.not_yet_extracted, items.too_old) == (1, 1, 1)
    assert _counts(db) == before

    # A window that starts after the items were fetched holds nothing.
    assert replayer.run(NOW + timedelta(hours=1)).items.scanned == 0


def test_candidate_config_shows_removed_and_added_reports(
    db: Database, db_url: str, tmp_path: Path, extractor: Extractor
) -> None:
    config_dir = write_config(
        tmp_path / "current", accounts=ACCOUNTS, reps=REPS, database_url=db_url, max_age_days=14
    )
    _daemon_fills(db, config_dir, extractor)
    before = _counts(db)
    # A longer max_age_days also lets the backlog item (30 days old when fetched) alert.
    candidate = load_config(_candidate(tmp_path, max_age_days=60))
    result = Replayer(db, candidate, extractor, examples=5).run(NOW - timedelta(days=3650))

    assert result.totals.removed == 1 and result.totals.kept == 0
    assert result.by_account["Agari"].removed == 1
    assert result.by_account["Nokia"].added >= 1
    assert result.by_account["Acme Robotics"].added == 1
    assert set(result.by_account) == {"Agari", "Nokia", "Acme Robotics"}
    assert result.totals.added == result.by_account["Nokia"].added + 1
    assert result.by_type["funding"].removed == 1 and result.by_type["funding"].added == 1
    assert result.by_source["wire"].removed == 1
    (removed,) = result.examples["removed"]
    assert (removed.account, removed.type, removed.source) == ("Agari", "funding", "wire")
    assert removed.evidence == AGARI and removed.url == "https://techcrunch.com/agari"
    nokia = [e for e in result.examples["added"] if e.account == "Nokia"]
    assert nokia and nokia[0].title == NOKIA and "Nokia" in nokia[0].evidence
    assert _counts(db) == before
    json.dumps(result.to_json())  # serialisable as it is


def test_reading_never_blocks_the_daemons_writes_and_refuses_its_own(db: Database) -> None:
    repo.sync_sources(db, [("wire", "http://wire.test/feed")])
    with db.reading() as r:
        assert r.scalar(select(func.count()).select_from(Source)) == 1
        repo.sync_sources(db, [("blog", "http://blog.test/feed")])  # a writer meanwhile
        assert r.scalar(select(func.count()).select_from(Source)) == 1  # one snapshot
        r.add(Source(name="x", url="u", error_streak=0, polls=0, items_seen=0))
        with pytest.raises(Exception, match=r"readonly|read-only"):
            r.flush()
    with db.session() as s:  # the pooled connection is writable again
        s.add(Source(name="y", url="u", error_streak=0, polls=0, items_seen=0))
    with db.session() as s:
        assert sorted(s.scalars(select(Source.name))) == ["blog", "wire", "y"]


@pytest.fixture
def own_logging() -> Iterator[None]:
    """cli.main sets up logging for a process; in-process it must not outlive the test."""
    root, alembic = logging.getLogger(), logging.getLogger("alembic")
    handlers, level, alembic_level = root.handlers[:], root.level, alembic.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    alembic.setLevel(alembic_level)


def test_bad_since_and_bad_candidate_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], own_logging: None
) -> None:
    config_dir = write_config(tmp_path / "current", database_url=f"sqlite:///{tmp_path / 'db'}")
    assert cli.main(["--config", str(config_dir), "replay", "--since", "last week"]) == 2
    assert capsys.readouterr().err.startswith("error: --since 'last week' is not a period")
    bad = write_config(tmp_path / "bad", reps="email,name,delivery,timezone\nx,X,hourly,UTC\n")
    assert cli.main(["--config", str(config_dir), "replay", "--config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad / 'reps.csv'}:2:" in err and "candidate configuration" in err


# --------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_replay_after_a_real_run_over_the_sample_feeds(tmp_path: Path) -> None:
    samples = REPO / "config" / "samples"
    sources = [
        {"name": "TechCrunch sample", "url": str(samples / "TechCrunch.xml")},
        {"name": "EDGAR sample", "url": str(samples / "edgar-atom1.xml")},
    ]
    accounts = (REPO / "config" / "accounts.csv").read_text(encoding="utf-8")
    reps = (REPO / "config" / "reps.csv").read_text(encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    outbox = tmp_path / "outbox"
    current = write_config(
        tmp_path / "current",
        sources=sources,
        accounts=accounts,
        reps=reps,
        database_url=url,
        outbox=str(outbox),
    )
    run = run_cli("run", "--once", config=current)
    assert run.returncode == 0, run.stderr
    sent = sorted(os.listdir(outbox))
    db = Database(url)
    before = _counts(db)
    assert before["alerts"] >= 5 and sent

    same = run_cli("replay", "--since", "3650d", config=current)
    assert same.returncode == 0, same.stderr
    assert f"kept {before['alerts']}   added 0   removed 0" in same.stdout
    assert "By type: no change" in same.stdout
    assert "\r" not in same.stderr and "item/s" not in same.stderr  # no bar in a pipe

    # The candidate drops Agari and adds Google and Nokia (no domains): the sample has
    # three Google launches and a Nokia partnership plus launch.
    candidate = write_config(
        tmp_path / "candidate",
        accounts="\n".join(line for line in accounts.splitlines() if not line.startswith("Agari"))
        + "\nGoogle,,,alice@example.com,strategic\nNokia,,,alice@example.com,enterprise\n",
        reps=reps,
        database_url="sqlite:////nonexistent/ignored.db",  # the current config's is used
    )
    diffed = run_cli(
        "replay", "--since", "3650d", "--config", str(candidate), "--format", "json",
        "--examples", "2", config=current,
    )  # fmt: skip
    assert diffed.returncode == 0, diffed.stderr
    report = json.loads(diffed.stdout)
    # Agari has two alerts: its funding round and "The company's product will be widely
    # released later in November" (the product's owner, "the company", is Agari).
    assert report["totals"] == {"kept": before["alerts"] - 2, "added": 5, "removed": 2}
    assert report["by_account"]["Agari"] == {"kept": 0, "added": 0, "removed": 2}
    assert report["by_account"]["Google"]["added"] == 3
    assert report["by_account"]["Nokia"]["added"] == 2
    assert report["by_type"]["funding"]["removed"] == 1
    assert report["by_type"]["product_launch"]["removed"] == 1
    assert report["by_source"]["TechCrunch sample"]["added"] == 5
    assert report["examples"]["removed"][0]["account"] == "Agari"
    assert len(report["examples"]["added"]) == 2
    assert report["database"] == url and report["candidate"] == str(candidate)

    assert sorted(os.listdir(outbox)) == sent  # nothing sent
    assert _counts(db) == before  # nothing written
    db.dispose()


def test_a_big_replay_runs_on_several_processes_with_the_same_result(
    db: Database,
    db_url: str,
    tmp_path: Path,
    extractor: Extractor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Enough items need spaCy for forked workers ([nlp] processes = 2) to take a share;
    replay reports exactly what it reports in one process."""
    titles = [
        "Acme Robotics raises ${n} million in Series B funding",
        "Agari acquires Initech for ${n} million",
        "Acme Robotics names Jane Doe chief financial officer",
        "Agari opens new headquarters in Denver",
    ]
    repo.sync_sources(db, [("wire", "http://wire.test/feed")])
    with db.session() as s:
        wire = s.scalar(select(Source.id).where(Source.name == "wire"))
        news = [
            FeedItem(f"i{n}", titles[n % 4].format(n=n + 10), "", f"https://news.test/{n}", NOW)
            for n in range(48)
        ]
        _store(s, wire, news, NOW)
        s.execute(update(Item).values(extracted=True))  # the daemon saw them, found nothing
    results = {}
    for processes in (1, 2):
        config_dir = write_config(
            tmp_path / f"p{processes}",
            accounts=ACCOUNTS,
            reps=REPS,
            database_url=db_url,
            extra_settings=f"[nlp]\nprocesses = {processes}\n",
        )
        caplog.clear()
        caplog.set_level(logging.INFO, logger="extractors.processes")
        result = Replayer(db, load_config(config_dir), extractor).run(NOW - timedelta(days=1))
        assert ("extract workers started processes=2" in caplog.text) == (processes == 2)
        results[processes] = (result.totals, result.by_account, result.by_type)
    assert results[1][0].added >= 30
    assert results[2] == results[1]
