"""`trigger-monitor explain`: --text, --item (after a real `run --once`) and a loopback URL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.explain import one_line, safe
from monitor.store.db import Database
from monitor.store.models import EventRow, Item
from tests.conftest import FIXTURES, FeedServer
from tests.helpers import run_cli as cli

ACCOUNTS = (
    "name,aliases,domains,owner,tier\n"
    "Agari,,agari.com,alice@example.com,enterprise\n"
    "Gilt Groupe,Gilt City,gilt.com,bob@example.com,mid-market\n"
    "Angie's List,,angieslist.com,bob@example.com,mid-market\n"
)
REPS = (
    "email,name,delivery,timezone,event_types,min_confidence\n"
    "alice@example.com,Alice,instant,UTC,,\n"
    "bob@example.com,Bob,daily,UTC,acquisition,0.5\n"
)
AGARI = "Email Security Startup Agari Raises $2.5M From Alloy, Battery, Greylock And First Round"
TRACKS = (
    '[[track]]\ntype = "funding"\nwhen = { tier = "enterprise" }\n'
    'text = "{account} raised {amount}: book a roadmap review."\n'
)


def config_for(make_config, tmp_path: Path, **kwargs: object) -> Path:
    config = make_config(
        accounts=ACCOUNTS,
        reps=REPS,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        outbox=str(tmp_path / "outbox"),
        **kwargs,
    )
    (config / "talk_tracks.toml").write_text(TRACKS, encoding="utf-8")
    return config


def test_escaping_helpers() -> None:
    assert safe("a\x1b[31mred\x07") == "a\\x1b[31mred\\x07"
    assert safe("evil\u202etxt.exe") == "evil\\u202etxt.exe"
    assert one_line("two\nlines\u2028here") == "two lines\\u2028here"


def test_text_that_alerts(make_config, tmp_path: Path) -> None:
    config = config_for(make_config, tmp_path)
    result = cli("explain", "--text", AGARI, config=config)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Title: " + AGARI in out
    assert re.search(r"entities: .*Agari \[ORG\]", out), out
    assert "trigger cues: raises -> funding" in out
    assert "Event 1: funding" in out and "company:    Agari" in out
    assert "amount=2500000" in out and "confidence: 0." in out and "evidence:" in out
    assert "account:    Agari (company): event company 'Agari' is account 'Agari'" in out
    assert "alert:      YES -> alice@example.com (instant) for account Agari" in out
    assert "talk track: Agari raised $2.5M: book a roadmap review." in out
    assert "Summary: 1 alert(s) would go out for 1 item(s)." in out


def test_text_without_alert_says_why(make_config, tmp_path: Path) -> None:
    config = config_for(make_config, tmp_path)
    unknown = cli("explain", "--text", "Initech Raises $40M Series B Led By Sequoia", config=config)
    assert unknown.returncode == 0, unknown.stderr
    assert "account:    none. 'Initech' is no account name or alias." in unknown.stdout
    assert "alert:      NO (no account matched)" in unknown.stdout
    unwanted = cli("explain", "--text", "Gilt Groupe Raises $20M Series C", config=config)
    assert "alert:      NO for Gilt Groupe: bob@example.com takes only acquisition" in (
        unwanted.stdout
    ), unwanted.stdout
    nothing = cli("explain", "--text", "The weather is lovely\x1b[2J today", config=config)
    assert "no event: no cue word" in nothing.stdout
    assert "\x1b" not in nothing.stdout and "\\x1b[2J" in nothing.stdout


def test_unknown_item_is_one_line_error(make_config, tmp_path: Path) -> None:
    config = config_for(make_config, tmp_path)
    result = cli("explain", "--item", "999", config=config)
    assert result.returncode == 2
    assert "error: item 999 is not in the database" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_stored_item_after_a_real_run(make_config, feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("/tc.xml", (FIXTURES / "feeds" / "TechCrunch.xml").read_bytes())
    config = config_for(
        make_config, tmp_path, sources=[{"name": "TechCrunch", "url": url}], max_age_days=0
    )
    run = cli("run", "--once", config=config)
    assert run.returncode == 0, run.stderr
    # (A) the email written by the real run carries the talk track
    emails = [p.read_text(encoding="utf-8") for p in (tmp_path / "outbox").glob("*.eml")]
    agari_mail = [e for e in emails if "Agari raised" in e]
    assert agari_mail and "book a roadmap review" in agari_mail[0]

    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with db.session() as s:
        agari = s.scalar(select(Item).where(Item.title.like("%Agari Raises%")))
        assert agari is not None
        agari_id = agari.id
        rules = s.scalars(select(EventRow.rule).where(EventRow.item_id == agari_id)).all()
        assert "funding/raise" in rules  # stored for the report's feedback per rule
        google = s.scalar(
            select(Item)
            .join(EventRow, EventRow.item_id == Item.id)
            .where(Item.title.like("Google%"))
        )
        google_id = google.id if google else None
    db.dispose()

    result = cli("explain", "--item", str(agari_id), config=config)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Item: stored item {agari_id} from source TechCrunch" in out
    assert "Event 1: funding" in out
    assert "account:    Agari (company)" in out
    assert re.search(
        r"alert:      NO new email for Agari to alice@example.com: the same event already has "
        r"alert #\d+ from this item \(.*email (sent|pending)\)",
        out,
    ), out
    if google_id is not None:
        other = cli("explain", "--item", str(google_id), config=config)
        assert "NO (no account matched)" in other.stdout


def test_url_on_loopback_feed_and_page(
    make_config, feed_server: FeedServer, tmp_path: Path
) -> None:
    feed = feed_server.add("/tc.xml", (FIXTURES / "feeds" / "TechCrunch.xml").read_bytes())
    page = feed_server.add(
        "/news.html",
        (
            "<html><head><title>Agari news</title><script>evil()</script></head><body>"
            f"<h1>{AGARI}</h1><p>The round closes today.</p></body></html>"
        ).encode(),
        content_type="text/html; charset=utf-8",
    )
    config = config_for(make_config, tmp_path, max_age_days=14)
    result = cli("explain", feed, config=config)
    assert result.returncode == 0, result.stderr
    assert f"{feed} is a feed (TechCrunch) with " in result.stdout
    assert "Item: feed entry 1" in result.stdout
    assert "alert:      NO (the item is older than max_age_days = 14)" in result.stdout
    assert result.stdout.count("Item: feed entry") <= 20

    html = cli("explain", page, config=config)
    assert html.returncode == 0, html.stderr
    assert "is not a feed (text/html; charset=utf-8): a page" in html.stdout
    assert "Title: Agari news" in html.stdout and "evil()" not in html.stdout
    assert "Event 1: funding" in html.stdout
    assert "alert:      YES -> alice@example.com" in html.stdout

    missing = cli("explain", feed_server.base + "/nope", config=config)
    assert missing.returncode == 2 and "http_404" in missing.stderr
