"""SEC filings: EDGAR entries become events from their form and item numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.accounts import Account, AccountMatcher
from extractors.events import Event
from extractors.filings import filing_events, is_filing
from extractors.nlp import Extractor
from sources.edgar import with_filer
from sources.feeds import parse_feed
from sources.records import FeedItem
from tests.conftest import FIXTURES, FeedServer, SmtpSink
from tests.helpers import run_cli

TITLE = "8-K - NVIDIA CORP (0001045810) (Filer)"
ITEMS = (
    "Filed: 2025-01-24 AccNo: 0001045810-25-000001 Size: 300 KB\n"
    "Item 5.02: Departure of Directors or Certain Officers; Election of Directors\n"
    "Item 2.03: Creation of a Direct Financial Obligation\n"
    "Item 9.01: Financial Statements and Exhibits"
)


def test_8k_items_map_to_events() -> None:
    events = {e.type: e for e in filing_events(TITLE, ITEMS)}
    assert set(events) == {"leadership_change", "funding"}
    lead = events["leadership_change"]
    assert lead.company == "NVIDIA CORP"
    assert lead.attributes == {"form": "8-K", "cik": "0001045810", "item": "5.02"}
    assert lead.evidence.startswith(TITLE) and "Departure of Directors" in lead.evidence
    assert lead.rule == "leadership_change/8-K item 5.02"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("8-K - NVIDIA CORP (0001045810) (Filer)", "Item 8.01: Other Events"),
        ("8-K/A - NVIDIA CORP (0001045810) (Filer)", ITEMS),  # an amendment repeats a filing
        ("S-1/A [Amend] - Maquia Capital (0001844419) (Filer) - General form", ""),
        ("10-Q - NVIDIA CORP (0001045810) (Filer) - Quarterly report", ITEMS),
        ("NVIDIA appoints a new CFO", ITEMS),  # not an EDGAR title: prose rules read it
    ],
)
def test_other_forms_and_items_give_nothing(title: str, text: str) -> None:
    assert filing_events(title, text) == []


def test_hostile_titles_are_no_filings() -> None:
    """A form is at most two words, so "A - A - A ..." cannot make the match try every split
    (it took 5 s on a 64 KB title before); titles longer than EDGAR's are never filings."""
    assert not is_filing("A - " * 16_000)
    assert not is_filing("8-K - " + "x" * 1_000 + " (0001234567) (Filer)")
    assert is_filing("SC 13G/A [Amend] - Keen Vision (0001889983) (Filer) - Statement")


def test_a_registration_statement_is_a_planned_ipo() -> None:
    title = "S-1 - Maquia Capital Acquisition Corp (0001844419) (Filer) - General form"
    (ev,) = filing_events(title, "Filed: 2021-03-01")
    assert (ev.type, ev.company, ev.status) == ("ipo", "Maquia Capital Acquisition Corp", "planned")


def test_a_company_feed_names_its_filer_in_every_entry() -> None:
    parsed = parse_feed((FIXTURES / "feeds" / "edgar-atom1.xml").read_bytes(), source="t")
    assert parsed.title == "Keen Vision Acquisition Corp. (0001889983)"
    assert all(is_filing(item.title) for item in parsed.items)
    assert parsed.items[0].title == (
        "8-K - Keen Vision Acquisition Corp. (0001889983) (Filer) - Current report"
    )
    other = FeedItem("x", "8-K - Current report", "", url="https://example.com/x")
    assert with_filer([other], parsed.title) == [other]  # only entries that link to sec.gov
    assert with_filer([other], "Some blog") == [other]


def test_filings_skip_spacy_and_give_their_items(extractor: Extractor) -> None:
    parsed = parse_feed((FIXTURES / "feeds" / "edgar-atom1.xml").read_bytes(), source="t")
    results = extractor.extract(parsed.items)
    found = sorted((e.type, e.attributes.get("item")) for evs in results for e in evs)
    assert ("leadership_change", "5.02") in found
    assert ("ipo", None) in found
    assert {e.company for evs in results for e in evs} == {"Keen Vision Acquisition Corp."}
    assert list(extractor.parts(parsed.items[0])) == [("filing", parsed.items[0].title)]


def test_a_filer_matches_its_account_by_cik() -> None:
    acc = Account("NVIDIA Corporation", extra=(("cik", "1045810"),))
    matcher = AccountMatcher([acc])
    ev = Event("leadership_change", "NVDA HOLDINGS", {"cik": "0001045810"})
    (m,) = matcher.match(ev)
    assert m.account is acc and "CIK" in m.reason
    assert matcher.could_match("8-K - NVDA HOLDINGS (0001045810) (Filer)")
    assert not matcher.could_match("8-K - OTHER CORP (0000000001) (Filer)")


@pytest.mark.slow
def test_filings_alert_the_filers_rep(
    make_config, feed_server: FeedServer, smtp_sink: SmtpSink, db_url: str
) -> None:
    url = feed_server.add("/edgar.xml", (FIXTURES / "feeds" / "edgar-atom1.xml").read_bytes())
    config: Path = make_config(
        sources=[{"name": "EDGAR: Keen Vision", "url": url, "interval_minutes": 60}],
        accounts="name,aliases,domains,owner,cik\nKV Acquisition,,,alice@example.com,1889983\n",
        reps="email,name,delivery,timezone\nalice@example.com,Alice,instant,UTC\n",
        database_url=db_url,
        smtp_port=smtp_sink.port,
        max_age_days=0,
    )
    done = run_cli("run", "--once", config=config)
    assert done.returncode == 0, done.stderr
    subjects = [m["Subject"] for m in smtp_sink.to("alice@example.com")]
    assert (
        "[Leadership] Keen Vision Acquisition Corp. changes its officers or directors" in subjects
    )
    assert any(s.startswith("[IPO]") for s in subjects), subjects
