"""Talk tracks: parsing with line numbers, rendering with and without facts, most specific
wins, and the emails (instant and digest, text and HTML) carry the rendered text."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_string, policy
from pathlib import Path

from sqlalchemy import select

from monitor.alerts import queue
from monitor.config import BUNDLED_CONFIG, check_config, load_config
from monitor.store.db import Database
from monitor.store.models import Email
from monitor.talk_tracks import TalkTrack, TalkTracks, facts, fill
from tests.helpers import run_cli as cli
from tests.helpers import seed_alert

ACCOUNTS = (
    "name,aliases,domains,owner,tier,industry\n"
    "Agari,,agari.com,alice@example.com,enterprise,security\n"
    "Gilt Groupe,Gilt City,gilt.com,alice@example.com,mid-market,retail\n"
)
REPS = "email,name,delivery,timezone\nalice@example.com,Alice,instant,UTC\n"
TRACKS = """\
[[track]]
type = "funding"
text = "{company} raised {amount} in {round}."

[[track]]
type = "funding"
when = { tier = "enterprise" }
text = "Enterprise: {account} raised {amount}."

[[track]]
type = "funding"
when = { tier = "enterprise", industry = ["security", "fintech"] }
text = "Security <enterprise> & co: {company} raised {amount}; call the CISO."

[[track]]
type = "leadership_change"
text = "Meet {person}, new {title} at {company} in {location}."
"""


def with_tracks(make_config, text: str, **kwargs: object) -> Path:
    config = make_config(accounts=ACCOUNTS, reps=REPS, **kwargs)
    (config / "talk_tracks.toml").write_text(text, encoding="utf-8")
    return config


def test_bundled_example_is_valid_and_loaded() -> None:
    assert check_config(BUNDLED_CONFIG) == []
    tracks = load_config(BUNDLED_CONFIG).talk_tracks
    assert {t.type for t in tracks.tracks} >= {"funding", "leadership_change", "acquisition"}


def test_no_file_means_no_tracks(make_config) -> None:
    config = load_config(make_config(accounts=ACCOUNTS, reps=REPS))
    assert config.talk_tracks == TalkTracks()


def test_errors_name_file_and_line(make_config) -> None:
    config = with_tracks(
        make_config,
        '[[track]]\ntype = "funding"\ntext = "{company} raised {money}"\n\n'
        '[[track]]\ntype = "fundraising"\ntext = "ok"\n\n'
        '[[track]]\ntype = "ipo"\nwhen = { region = "emea" }\ntext = "x"\n\n'
        '[[track]]\ntype = "ipo"\ncolour = "red"\ntext = "{company"\n',
    )
    path = config / "talk_tracks.toml"
    problems = [str(p) for p in check_config(config)]
    text = "\n".join(problems)
    assert f"{path}:3: unknown placeholder {{money}}" in text
    assert f"{path}:6: [[track]] type 'fundraising' is not an event type" in text
    assert f"{path}:11: when: accounts.csv has no column 'region'" in text
    assert f"{path}:16: unknown key 'colour' in [[track]]" in text
    assert f"{path}:17: unbalanced {{ or }}" in text
    result = cli("check-config", config=config)
    assert result.returncode == 1
    assert f"{path}:3: unknown placeholder" in result.stdout
    assert "Traceback" not in result.stderr


def test_toml_syntax_error_has_line(make_config) -> None:
    config = with_tracks(make_config, '[[track]]\ntype = "funding"\ntext = "open\n')
    [problem] = check_config(config)
    assert problem.file.endswith("talk_tracks.toml") and problem.line == 3


def test_rendering_with_and_without_facts() -> None:
    text = "{company} raised {amount} in {round}; {person} is {title} in {location} ({account})"
    full = fill(
        text,
        facts(
            "Agari",
            "Agari Data",
            {
                "amount": 2_500_000,
                "currency": "USD",
                "round": "Series A",
                "person": "Ann Lee",
                "title": "CFO",
                "location": "Austin",
            },
        ),
    )
    assert full == "Agari Data raised $2.5M in Series A; Ann Lee is CFO in Austin (Agari)"
    empty = fill(text, facts("Agari", None, {"amount": None}))
    assert empty == (
        "Agari raised an undisclosed amount in a new round; a new executive is "
        "a leadership role in a new location (Agari)"
    )
    assert "None" not in empty and "{" not in empty


def test_most_specific_track_wins() -> None:
    tracks = TalkTracks(
        (
            TalkTrack("funding", "generic"),
            TalkTrack("funding", "tier", (("tier", ("enterprise",)),)),
            TalkTrack("funding", "both", (("tier", ("enterprise",)), ("industry", ("security",)))),
            TalkTrack("funding", "tier again", (("tier", ("enterprise",)),)),
        )
    )
    assert tracks.pick("funding", {"tier": "Enterprise", "industry": "Security"}).text == "both"
    assert tracks.pick("funding", {"tier": "enterprise", "industry": "retail"}).text == "tier"
    assert tracks.pick("funding", {"tier": "mid-market"}).text == "generic"
    assert tracks.pick("funding", {}).text == "generic"
    assert tracks.pick("ipo", {"tier": "enterprise"}) is None


def test_loaded_tracks_choose_by_account_columns(make_config) -> None:
    config = load_config(with_tracks(make_config, TRACKS))
    tracks = config.talk_tracks
    attrs = {"amount": 2_500_000, "currency": "USD"}
    agari = tracks.render(
        "funding",
        account="Agari",
        extra={"tier": "enterprise", "industry": "security"},
        company="Agari",
        attributes=attrs,
    )
    assert agari == "Security <enterprise> & co: Agari raised $2.5M; call the CISO."
    gilt = tracks.render(
        "funding",
        account="Gilt Groupe",
        extra={"tier": "mid-market"},
        company="Gilt City",
        attributes={},
    )
    assert gilt == "Gilt City raised an undisclosed amount in a new round."


def _seed(db: Database, account: str, created: datetime, delivery: str = "instant") -> None:
    seed_alert(db, "alice@example.com", account, delivery=delivery, created=created)


def test_instant_and_digest_emails_show_the_track_escaped(make_config, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    config = load_config(with_tracks(make_config, TRACKS, database_url=url))
    db = Database(url)
    db.migrate()
    t0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    _seed(db, "Agari", t0)
    _seed(db, "Gilt Groupe", t0, delivery="daily")
    assert queue.compose(db, config, datetime(2026, 3, 2, 10, 0, tzinfo=UTC)) == 2
    with db.session() as s:
        bodies = {e.kind: e.body for e in s.scalars(select(Email))}
    db.dispose()
    instant = message_from_string(bodies["instant"], policy=policy.default)
    text = instant.get_body(("plain",)).get_content()
    html = instant.get_body(("html",)).get_content()
    assert "Talk track: Security <enterprise> & co: Agari raised $2.5M; call the CISO." in text
    assert "Security &lt;enterprise&gt; &amp; co: Agari raised $2.5M" in html
    assert "<enterprise>" not in html
    digest = message_from_string(bodies["digest"], policy=policy.default)
    assert "Talk track: Gilt Groupe raised $2.5M in a new round." in (
        digest.get_body(("plain",)).get_content()
    )
