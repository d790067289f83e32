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


def test_a_product_standing_in_for_its_maker_matches_by_domain(matcher: AccountMatcher) -> None:
    """ "Vision Pro 2.0 released" on apple.com: the product names no company of its own."""
    ev = Event("product_launch", "Vision Pro", {"company_from": "product"})
    (m,) = matcher.match(ev, url="https://www.apple.com/newsroom/x")
    assert m.account is APPLE
    assert matcher.match(Event("product_launch", "Vision Pro", {}), url="https://apple.com/x") == []


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


COMMON = [
    Account(n)
    for n in (
        "NEWS CORP",
        "CITY HOLDING CO",
        "On Holding AG",
        "UNIT CORP",
        "Yellow Corp",
        "Shell plc",
        "TEAM INC",
        "INTERFACE INC",
        "BEYOND, INC.",
        "TEN Holdings, Inc.",
        "Root, Inc.",
        "Integer Holdings Corp",
        "Target Corporation",
        "Amazon",
        "Oracle Corporation",
    )
]


@pytest.fixture()
def common() -> AccountMatcher:
    return AccountMatcher([*COMMON, APPLE, Account("Kong Inc"), Account("Sony Group Corp")])


@pytest.mark.parametrize(
    "text",
    [
        # the tail of a longer capitalised name
        "A thread that started out as a Hacker News comment",
        "Tolo News, meanwhile, also announced that Ramazan would begin",
        "she started with the Second City Toronto comedy troupe",
        "announcements by the React Team (React Server & Client)",
        "Discovering America's Seed Fund, and Sass/SCSS/Compass tips",
        "my interface looks like this: Public Interface IMessageSelector",
        # a capital that only marks the position: sentence start, label, list, table, quote
        "canning their real face. On Monday, Discord announced a change",
        "Ten years before humans land on Mars",
        "Beyond JSON: exploring file formats",
        "the rules of this post: | Liskov Substitution | Interface Segregation | and more",
        'as far as the so-called "Yellow Line" of Israeli positions',
        "environment: MYSQL_ROOT_PASSWORD: secret",
        # a capitalised common noun: the text uses the word in lower case too
        "have a large suite of Unit Tests; ideally these tests always run",
        "you need to write a Shell Script: save the script as mspec",
        "For I As Integer = 0 To 500",
        # lower case is never a name
        "the company hit its revenue target on the news",
        # a Title Case headline: a word glued to the one before it is part of that name
        "Walmart Beats Target In Third Quarter Sales",
        "Hacker News Is Down Again",
    ],
)
def test_common_word_name_is_not_a_mention_where_its_capital_says_nothing(
    common: AccountMatcher, text: str
) -> None:
    assert not common.could_match(text), common.mentions(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # written in full, with its legal suffix, wherever it is
        ("News Corp agreed to buy the listings site", "NEWS CORP"),
        ("Shares of City Holding rose", "CITY HOLDING CO"),
        ("On Holding AG raised its sales forecast", "On Holding AG"),
        ("Hacker News reported that Shell plc will cut 500 jobs", "Shell plc"),
        ("Root, Inc. laid off staff", "Root, Inc."),
        ("Shares of TARGET CORP rose", "Target Corporation"),
        ("Walmart Beats Target Corp. In Third Quarter Sales", "Target Corporation"),
        # a capital mid-sentence, not glued to a capitalised word before it
        ("analysts said on Monday that Unit will cut 200 jobs", "UNIT CORP"),
        ("It's the low end model available for £999 from Amazon.", "Amazon"),
        ("a monitoring solution for Oracle Tuxedo so these are my notes", "Oracle Corporation"),
        ("with Oracle Tuxedo (or BEA Tuxedo, before Oracle acquired it)", "Oracle Corporation"),
        ("QC45 wireless headphones, Apple AirPods Pro (3rd Generation)", "Apple Inc."),
        ("in order of competence: Google, Microsoft, Apple, Amazon", "Amazon"),
        ("In Apple's latest quarter", "Apple Inc."),
        # news leads with its subject
        ("Amazon told employees that it was cutting 16,000 corporate jobs", "Amazon"),
        ("Target to open 30 new stores", "Target Corporation"),
        ("Earnings beat. Target raised its outlook", "Target Corporation"),
        # Title Case: a leading name counts, and one after a lower-case or stop word
        ("Amazon Cuts 16,000 More Corporate Jobs", "Amazon"),
        ("Exclusive: Target To Close Nine Stores", "Target Corporation"),
        # after a colon, dash or bracket, as after a full stop: news writes it so
        ("Exclusive: Target to close nine stores in New York", "Target Corporation"),
        ("The retailer (Target) said it would close nine stores", "Target Corporation"),
        ("Nine stores will close - Target said on Monday", "Target Corporation"),
        ("Layoffs At Target Hit Headquarters Staff", "Target Corporation"),
        ("Why Target Is Struggling To Win Back Shoppers", "Target Corporation"),
        # names that are not common words match as before, neighbours or not
        ("protests spread from Hong Kong to Buenos Aires", "Kong Inc"),
        ("I have a Sony Vaio (VGN-FE21M)", "Sony Group Corp"),
    ],
)
def test_common_word_name_is_a_mention_where_a_reader_reads_a_name(
    common: AccountMatcher, text: str, name: str
) -> None:
    assert name in {a.name for a in common.mentions(text)}


def test_event_company_that_is_a_common_word_must_be_a_mention_in_its_evidence() -> None:
    unit = Account("UNIT CORP", domains=("unitcorp.com",), owner="ia")
    target = Account("Target Corporation", aliases=("Target Brands",), owner="jo")
    m = AccountMatcher([unit, target])
    tests = Event("product_launch", "Unit", evidence="We ship a suite of Unit Tests and tests.")
    assert m.match(tests) == []
    # ... but the item from the account's own domain is still about it
    (hit,) = m.match(tests, url="https://www.unitcorp.com/news")
    assert hit.account is unit and "domain" in hit.reason
    stores = Event("expansion", "Target", evidence="Target to open 30 new stores")
    assert [x.account for x in m.match(stores)] == [target]
    # an alias that is not a common word matches wherever it is written
    brands = Event("expansion", "Target Brands", evidence="Exclusive: Target Brands expands")
    assert [x.account for x in m.match(brands)] == [target]
    # the actor from the title or an earlier sentence: its evidence cannot say
    lent = Event("layoff", "Target", evidence="The retailer will cut 1,800 jobs.")
    assert [x.account for x in m.match(lent)] == [target]
    bought = Event(
        "acquisition", "Agari", {"target": "Unit"}, evidence="Agari bought Unit Tests, the tests"
    )
    assert m.match(bought) == []
