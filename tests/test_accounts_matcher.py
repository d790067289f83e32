"""Account matching: normalised names, aliases, domains, target role, and scale."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest

from extractors.accounts import Account, AccountMatcher, normalise
from extractors.events import Event

SHARED = Path(__file__).resolve().parents[2] / "shared" / "accounts"

GILT = Account("Gilt Groupe", aliases=("Gilt City",), domains=("gilt.com",), owner="ana")
DISNEY = Account("The Walt Disney Company", domains=("thewaltdisneycompany.com",), owner="bo")
APPLE = Account("Apple Inc.", domains=("apple.com",), owner="cy")
BUYWITHME = Account("BuyWithMe, Inc.", owner="di")


@pytest.fixture()
def matcher() -> AccountMatcher:
    return AccountMatcher([GILT, DISNEY, APPLE, BUYWITHME])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Walt Disney Co.", "Walt Disney Company"),
        ("WALT DISNEY CO /DE/", "walt disney"),
        ("Angie’s List, Inc.", "Angie's List"),
        ("Siemens AG", "siemens"),
        ("Unilever PLC", "Unilever"),
        ("Acme Holdings Group Ltd", "ACME"),
        ("AT&T Inc.", "AT & T"),
    ],
)
def test_normalise_equates_variants(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_alias_match_has_readable_reason(matcher: AccountMatcher) -> None:
    ev = Event("acquisition", "Gilt City", {"target": "BuyWithMe"})
    matches = matcher.match(ev)
    assert [(m.account, m.role) for m in matches] == [(GILT, "company"), (BUYWITHME, "target")]
    assert matches[0].reason == "event company 'Gilt City' is an alias of account 'Gilt Groupe'"


def test_name_match_and_lookup(matcher: AccountMatcher) -> None:
    (m,) = matcher.match(Event("product_launch", "Apple", {"product": "iPhone"}))
    assert m.account is APPLE and m.role == "company"
    assert matcher.lookup("walt disney co") is DISNEY
    assert matcher.lookup("Netflix") is None


def test_target_only_for_acquisitions(matcher: AccountMatcher) -> None:
    ev = Event("partnership", "Netflix", {"target": "Apple", "partners": ["Apple"]})
    assert matcher.match(ev) == []


def test_domain_supports_company_match(matcher: AccountMatcher) -> None:
    ev = Event("expansion", "Apple", {})
    (m,) = matcher.match(ev, url="https://www.apple.com/newsroom/2024/01/x")
    assert m.account is APPLE and "domain" in m.reason
    (m,) = matcher.match(Event("expansion", None, {}), url="https://newsroom.apple.com/x")
    assert m.account is APPLE


def test_passing_mention_is_never_a_match(matcher: AccountMatcher) -> None:
    ev = Event(
        "funding",
        "Agari",
        {"investors": ["Apple"]},
        evidence="Agari raises $2.5M; Apple and Walt Disney were not involved.",
    )
    assert matcher.match(ev, url="https://techcrunch.com/agari") == []
    # ... but the cheap first pass does see the mentions
    assert matcher.mentions(ev.evidence) == {APPLE, DISNEY}


def test_real_account_lists_load_fast_and_match() -> None:
    sp500 = SHARED / "sp500.csv"
    tickers = SHARED / "sec_company_tickers.json"
    if not (sp500.is_file() and tickers.is_file()):
        pytest.skip(f"shared account lists not present at {SHARED}")
    with sp500.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    name_col = next(k for k in rows[0] if "name" in k.lower() or "security" in k.lower())
    accounts = [Account(r[name_col]) for r in rows]
    sec = json.loads(tickers.read_text(encoding="utf-8"))
    entries = sec.values() if isinstance(sec, dict) else sec
    accounts += [Account(e["title"]) for e in entries]
    # Scale to 100,000 accounts with synthetic distinct names.
    accounts += [Account(f"Synthetic Company {i} Holdings") for i in range(100_000 - len(accounts))]
    start = time.perf_counter()
    m = AccountMatcher(accounts)
    built = time.perf_counter() - start
    assert built < 10, f"building took {built:.1f}s"
    assert m.lookup("NVIDIA") is not None
    assert m.lookup("Synthetic Company 99 Holdings Inc.") is not None
    ev = Event("acquisition", "Nvidia Corp", {"target": "Synthetic Company 5"})
    start = time.perf_counter()
    for _ in range(1000):
        matches = m.match(ev)
    assert time.perf_counter() - start < 1.0
    assert [x.role for x in matches] == ["company", "target"]


def test_first_pass_needs_a_name_as_written_or_the_accounts_domain() -> None:
    target = Account("Target Corporation", domains=("target.com",), owner="ed")
    ebay = Account("eBay Inc.", owner="fi")
    m = AccountMatcher([target, ebay, APPLE])
    assert m.could_match("Target opens 30 small-format stores")
    assert m.could_match("Shares of TARGET CORP rose")
    assert not m.could_match("the company hit its revenue target and will open stores")
    assert not m.could_match("an apple a day")
    assert m.could_match("ebay buys a startup")  # the account itself is written lower-case
    assert m.could_match("Q3 results", "https://corporate.target.com/press/q3")
    assert not m.could_match("Q3 results", "https://example.com/target")


def test_first_pass_reads_possessives_and_digits_as_the_parser_does() -> None:
    agari = Account("Agari", owner="gi")
    fortran = Account("K Fortran Labs", owner="ho")
    m = AccountMatcher([agari, fortran, APPLE])
    assert m.could_match("Agari's CEO steps down")
    assert m.could_match("Agari’s CEO steps down")
    assert m.could_match("4K Fortran Labs opens an office")
    assert m.mentions("Apple’s and Agari's news") == {APPLE, agari}
