"""Extraction on real headlines and sentences: types, actors, attributes, negatives."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest

from extractors.events import Event
from extractors.nlp import Extractor, load_pipeline
from extractors.rules import DEFAULT_TRIGGERS, load_triggers


@dataclass(frozen=True)
class Item:
    title: str
    text: str = ""


def one(ex: Extractor, title: str, text: str = "", etype: str | None = None) -> list[Event]:
    events = ex.extract([Item(title, text)])[0]
    return [e for e in events if etype is None or e.type == etype]


def holds(ex: Extractor, title: str, text: str, etype: str, expected: dict[str, Any]) -> None:
    """The one event of the type holds what a table row expects (company, status, facts)."""
    (ev,) = one(ex, title, text, etype)
    found = {"company": ev.company, "status": ev.status, **ev.attributes}
    assert {k: found.get(k) for k in expected} == expected


def test_agari_funding_headline(extractor: Extractor) -> None:
    title = (
        "Email Security Startup Agari Raises $2.5M From Alloy, Battery, Greylock And First Round"
    )
    (ev,) = one(extractor, title, etype="funding")
    assert ev.company == "Agari"
    assert ev.attributes["amount"] == 2_500_000
    assert ev.attributes["currency"] == "USD"
    assert ev.attributes["investors"] == ["Alloy", "Battery", "Greylock", "First Round"]
    assert ev.evidence == title
    assert 0.0 <= ev.confidence <= 1.0
    assert ev.rule == "funding/raise"  # the cue that fired, for feedback per rule


def test_gilt_city_acquires_buywithme(extractor: Extractor) -> None:
    (ev,) = one(
        extractor,
        "Gilt City, A Subsidiary Of Gilt Groupe, Officially Acquires BuyWithMe",
        etype="acquisition",
    )
    assert ev.company == "Gilt City"
    assert ev.attributes["target"] == "BuyWithMe"
    assert ev.rule == "acquisition/acquire"


def test_angies_list_ipo_curly_apostrophe(extractor: Extractor) -> None:
    (ev,) = one(
        extractor,
        "Angie’s List Sets Price Range IPO At $11 To $13 Per Share; Valued At Over $600M",
        etype="ipo",
    )
    assert ev.company == "Angie's List"
    assert ev.attributes["price_range"] == [11.0, 13.0]


def test_investor_is_not_the_company(extractor: Extractor) -> None:
    text = "Sequoia Capital led a $20 million Series B round in Acme Robotics, the startup said."
    events = one(extractor, "", text, "funding")
    assert events and all(e.company != "Sequoia Capital" for e in events)
    assert events[0].attributes.get("round") == "Series B"
    text2 = "Acme Robotics raised $20 million in a Series B round led by Sequoia Capital."
    (ev,) = one(extractor, "", text2, "funding")
    assert ev.company == "Acme Robotics"
    assert ev.attributes["lead"] == "Sequoia Capital"


def test_passive_acquisition_actor_is_the_agent(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Instagram was acquired by Facebook for $1 billion.", "acquisition")
    assert ev.company == "Facebook"
    assert ev.attributes["target"] == "Instagram"
    assert ev.attributes["amount"] == 1_000_000_000


def test_status_rumoured_and_planned(extractor: Extractor) -> None:
    (ev,) = one(
        extractor,
        "",
        "Microsoft is in talks to acquire GitHub, people familiar said.",
        "acquisition",
    )
    assert ev.status == "rumoured"
    (ev,) = one(
        extractor, "", "Amazon plans to open a new office in Boston next year.", "expansion"
    )
    assert ev.status == "planned"
    assert ev.company == "Amazon"
    assert ev.attributes["location"] == "Boston"


def test_leadership_change(extractor: Extractor) -> None:
    text = "Acme Corp appointed Jane Smith as chief financial officer."
    (ev,) = one(extractor, "", text, "leadership_change")
    assert ev.company == "Acme Corp"
    assert ev.attributes["person"] == "Jane Smith"
    assert ev.attributes["title"].lower() == "chief financial officer"
    assert ev.attributes["direction"] == "joined"


@pytest.mark.parametrize(
    "text",
    [
        "Acme Corp did not acquire Widgets Inc.",  # negation
        "Shares rose 3% after analysts raised their price target on Acme.",  # round-up
        "Should Apple buy Netflix?",  # question / opinion
        "The striker signed a new contract with Manchester United on Friday.",  # sports
        # not a company's doing: a blogger, a reader, an instruction, a country, a concept
        # (from ../shared/feeds/real-world items)
        "Today I released my new app, HotKey, a first experiment in measuring typing.",
        "Next time you release a model, run your private evals first.",
        "Launch the application and open the settings page.",
        "France releases suspected Russian shadow fleet tanker after fine paid.",
        "Peru ousts interim president over corruption probe.",
        "This article introduces the concept of a JavaScript footprint.",
    ],
)
def test_non_triggers_give_no_event(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text) == []


def test_historical_mention_is_not_alert_worthy(extractor: Extractor) -> None:
    events = one(extractor, "", "Google acquired YouTube in 2006 and has grown it since.")
    assert all(e.type != "acquisition" or e.confidence < 0.5 for e in events)
    dated = "Comcast has been closing the gap since the 2009 debut of The Wizarding World."
    assert one(extractor, "", dated, "product_launch") == []


def test_a_government_deal_with_a_company_stays(extractor: Extractor) -> None:
    text = "Iran signed a $3 billion deal with Boeing for 80 passenger jets."
    assert one(extractor, "", text, "partnership")


def test_one_event_per_type_and_company_title_wins(extractor: Extractor) -> None:
    events = extractor.extract(
        [
            Item(
                "Acme Robotics Raises $20M Series B",
                "Acme Robotics raised $20 million in a Series B round. "
                "Acme Robotics said the funding will pay for hiring.",
            ),
            Item("Nothing to see here", "The weather was fine."),
        ]
    )
    assert [e.type for e in events[1]] == []
    funding = [e for e in events[0] if e.type == "funding"]
    assert len(funding) == 1
    assert funding[0].attributes["from_title"] is True


def test_rules_only_mode_warns_and_still_finds_cues(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="extractors.nlp"):
        ex = load_pipeline("no_such_model_xx", load_triggers(DEFAULT_TRIGGERS))
    assert ex.model_loaded is False
    assert any("RULES ONLY" in r.getMessage() for r in caplog.records)
    events = ex.extract([Item("", "Acme Robotics raised $20 million in new funding.")])[0]
    assert [(e.type, e.company) for e in events] == [("funding", "Acme Robotics")]
    events = ex.extract([Item("", "Globex Corporation acquires Initech for $300 million.")])[0]
    assert [(e.type, e.company, e.attributes.get("target")) for e in events] == [
        ("acquisition", "Globex Corporation", "Initech")
    ]


def test_first_pass_skips_items_without_cues(extractor: Extractor) -> None:
    assert not extractor.needs_parse("The weather in Paris was fine today.")
    assert extractor.needs_parse("Acme laid off 200 workers.")


def test_item_company_only_stands_in_for_pronouns(extractor: Extractor) -> None:
    events = extractor.extract(
        [
            Item(
                "Nokia Strikes Supplier Deal With ST-Ericsson For Windows-Powered Handsets",
                "The company said it will also open a new research office in Berlin.",
            )
        ]
    )[0]
    by_type = {e.type: e for e in events}
    assert by_type["partnership"].company == "Nokia"
    assert by_type["partnership"].attributes["partners"] == ["ST-Ericsson"]
    assert by_type["expansion"].company == "Nokia"  # "The company" refers back to the title
    assert by_type["expansion"].attributes["company_from"] == "item"


def test_account_first_pass_skips_items_about_no_account(extractor: Extractor) -> None:
    from extractors.accounts import Account, AccountMatcher

    matcher = AccountMatcher([Account("Agari")])
    events = extractor.extract(
        [Item("Agari Raises $2.5M From Alloy"), Item("Zendesk Raises $60M From Benchmark")],
        matcher=matcher,
    )
    assert [len(e) for e in events] == [1, 0]
