"""check-config warnings: printed as file:line: warning: ..., never a failing exit code."""

from __future__ import annotations

from pathlib import Path

from monitor.config import BUNDLED_CONFIG, check_config
from monitor.config_lint import config_warnings, is_common, normalise_url
from tests.helpers import run_cli as cli

REPS = "email,name,delivery,timezone\nann@example.com,Ann,instant,UTC\n"


def texts(config: Path) -> list[str]:
    return [str(w) for w in config_warnings(config)]


def test_bundled_config_has_no_warnings() -> None:
    assert config_warnings(BUNDLED_CONFIG) == []


def test_common_word_accounts(make_config) -> None:
    accounts = (
        "name,aliases,domains,owner\n"
        "Square,,,ann@example.com\n"  # 2: warned
        "Box Inc.,,box.com,ann@example.com\n"  # 3: domain: fine
        "Target Corporation,Target Corp,,ann@example.com\n"  # 4: alias is common too: warned
        "Apple,Apple Computer Inc;AAPL,,ann@example.com\n"  # 5: AAPL disambiguates
        "Shopify,,,ann@example.com\n"  # 6: not a word
        "Gap,,,ann@example.com\n"  # 7: warned
    )
    config = make_config(accounts=accounts, reps=REPS)
    assert check_config(config) == []
    found = texts(config)
    path = config / "accounts.csv"
    assert any(w.startswith(f"{path}:2: account 'Square' is a common English word") for w in found)
    assert any(w.startswith(f"{path}:4: account 'Target Corporation' is a common") for w in found)
    assert any(w.startswith(f"{path}:7: account 'Gap'") for w in found)
    assert not any("'Box Inc.'" in w or "'Apple'" in w or "Shopify" in w for w in found), found
    assert is_common("The Box Company") and not is_common("Shopify")


def test_duplicate_accounts_and_shared_aliases(make_config) -> None:
    accounts = (
        "name,aliases,domains,owner\n"
        "Acme Inc,Acme Widgets,acme.com,ann@example.com\n"
        '"ACME, Inc.",,acme.io,ann@example.com\n'
        "Globex,Initech;GBX,globex.com,ann@example.com\n"
        "Initech Corp,,initech.com,ann@example.com\n"
        "Hooli,GBX,hooli.com,ann@example.com\n"
    )
    config = make_config(accounts=accounts, reps=REPS)
    assert check_config(config) == []
    found = texts(config)
    path = config / "accounts.csv"
    assert f"{path}:3: account 'ACME, Inc.' is the same name as 'Acme Inc' (line 2)" in "\n".join(
        found
    )
    assert any(
        w.startswith(f"{path}:5: name 'Initech Corp' of account 'Initech Corp' is also 'Initech'")
        for w in found
    ), found
    assert any(
        w.startswith(f"{path}:6: alias 'GBX' of account 'Hooli' is also 'GBX' of account 'Globex'")
        for w in found
    ), found
    assert len(found) == 3, found


def test_duplicate_sources(make_config) -> None:
    config = make_config(
        sources=[
            {"name": "a", "url": "https://Example.com/feed/"},
            {"name": "b", "url": "http://example.com/feed?utm_source=x&utm_medium=rss"},
            {"name": "c", "url": "https://example.com/feed?category=tech"},
            {"name": "d", "url": "https://www.EXAMPLE.com:443/feed?category=tech&fbclid=1"},
        ]
    )
    found = texts(config)
    src = config / "sources.toml"
    assert any(w.startswith(f"{src}:7: source 'b' is the same feed as 'a'") for w in found), found
    assert any(w.startswith(f"{src}:15: source 'd' is the same feed as 'c'") for w in found)
    assert len(found) == 2
    assert normalise_url("HTTP://x.org/a/?b=1&utm_campaign=z") == "https://x.org/a?b=1"


def test_trigger_rules_that_never_match(make_config) -> None:
    config = make_config()
    path = config / "triggers.toml"
    path.write_text(
        "[negative]\n"  # 1
        'cues = ["hire", "shares fell"]\n'  # 2
        "\n"  # 3
        "[funding]\n"  # 4
        'cues = ["raise", "funding round"]\n'  # 5
        'exclude = ["raise"]\n'  # 6
        "\n"  # 7
        "[leadership_change]\n"  # 8
        "cues = [\n"  # 9
        '  "appoint",\n'  # 10
        '  "hire",\n'  # 11
        "]\n"  # 12
        "\n"  # 13
        "[partnership]\n"  # 14
        "cues = []\n"  # 15
        "\n"
        "[expansion]\nenabled = false\n"
        "[product_launch]\nenabled = false\n",
        encoding="utf-8",
    )
    assert check_config(config) == [], check_config(config)
    found = texts(config)
    assert f"{path}:11: [leadership_change] cue 'hire' is also a [negative] cue" in "\n".join(found)
    assert any(
        w.startswith(f"{path}:5: [funding] cue 'raise' is also in its exclude") for w in found
    )
    assert any(w.startswith(f"{path}:14: [partnership] is enabled but has no cues") for w in found)
    # acquisition, ipo and layoff, not in the file, live on their bundled patterns unwarned;
    # partnership's file empties its cues, leaving only its bundled patterns (orders, licences)
    assert len(found) == 3, found


def test_cli_prints_warnings_and_still_exits_zero(make_config) -> None:
    config = make_config(accounts="name,aliases,domains,owner\nSquare,,,\n", reps=REPS)
    result = cli("check-config", config=config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{config / 'accounts.csv'}:2: warning: account 'Square' is a common" in result.stdout
    assert "ok:" in result.stdout
