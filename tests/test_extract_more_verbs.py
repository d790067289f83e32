"""Events news tells in many words ("bags $33M", "is developing a headset", "will invest $1
billion in its plant"), and the look-alikes that are none. Sentences written here; each
table row says, in its id, which construction it stands for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import holds, one

# (text, type, what the one event of that type must hold: "company", "status" or attributes)
EVENTS = [
    # money taken in
    pytest.param(
        "Pellmont Bio inks a pact with Corvane, bags $33M",
        "funding",
        {"company": "Pellmont Bio", "amount": 33_000_000},
        id="bags-money",
    ),
    pytest.param(
        "Brisco Labs secures $5M to grow its sensor platform",
        "funding",
        {"company": "Brisco Labs", "amount": 5_000_000},
        id="secures-money",
    ),
    pytest.param(
        "Quorra nabs $12 million from Accel and Index",
        "funding",
        {"company": "Quorra", "amount": 12_000_000},
        id="nabs-money",
    ),
    pytest.param(
        "Ostara Robotics picks up $8M in a round led by Balder",
        "funding",
        {"company": "Ostara Robotics", "amount": 8_000_000},
        id="picks-up-money",
    ),
    pytest.param(
        "Halden Motors won a $2 million grant from the state.",
        "funding",
        {"company": "Halden Motors", "amount": 2_000_000, "round": "grant"},
        id="wins-a-grant",
    ),
    pytest.param(
        "Veltra gets $20 million from existing investors",
        "funding",
        {"company": "Veltra", "amount": 20_000_000},
        id="gets-money",
    ),
    # the amount is the new round's, not an aside's
    pytest.param(
        "Quorra Labs, which previously raised $5 million, raised $20 million in a Series B.",
        "funding",
        {"amount": 20_000_000},
        id="aside-amount-previously",
    ),
    pytest.param(
        "Quorra Labs, which raised $5 million last year, has now raised $20 million.",
        "funding",
        {"amount": 20_000_000},
        id="aside-amount-last-year",
    ),
    # products under way
    pytest.param(
        "Corvane Foods is developing an augmented reality headset.",
        "product_launch",
        {"company": "Corvane Foods", "status": "planned"},
        id="developing",
    ),
    pytest.param(
        "Quorra Labs is working on its own smart speaker.",
        "product_launch",
        {"company": "Quorra Labs", "status": "planned", "product": "smart speaker"},
        id="working-on",
    ),
    pytest.param(
        "Brisco is rumored to be working on a folding phone.",
        "product_launch",
        {"company": "Brisco", "status": "rumoured"},
        id="rumored-working-on",
    ),
    pytest.param(
        "Halden Motors and Pellmont are developing an electric truck.",
        "product_launch",
        {"company": "Halden Motors", "status": "planned"},
        id="developing-together",
    ),
    # products added to the range
    pytest.param(
        "Veltra will add the six-second spots to its ad products portfolio.",
        "product_launch",
        {"product": "six-second spots"},
        id="added-to-portfolio",
    ),
    pytest.param(
        "Corvane Foods added three new flavors to its lineup.",
        "product_launch",
        {"product": "three new flavors"},
        id="added-to-lineup",
    ),
    pytest.param(
        "Brisco Chat, which launched globally this week, will replace the Veltra app.",
        "product_launch",
        {},
        id="launched-in-subject-relative",
    ),
    pytest.param(
        "Bloomberg reported details on the launch of Veltra's upcoming smartphone.",
        "product_launch",
        {"company": "Veltra", "product": "upcoming smartphone"},
        id="reported-launch-of-owners-product",
    ),
    pytest.param(
        "Microsoft revamped Skype to look like Snapchat",
        "product_launch",
        {"company": "Microsoft", "product": "Skype"},
        id="revamped-a-product",
    ),
    pytest.param(
        "Corvane Foods redesigned its flagship phone.",
        "product_launch",
        {"company": "Corvane Foods", "product": "flagship phone"},
        id="redesigned-a-product",
    ),
    # a market entered
    pytest.param(
        "Quorra Labs expands to Germany.",
        "expansion",
        {"company": "Quorra Labs", "kind": "market", "location": "Germany"},
        id="expands-to-a-country",
    ),
    pytest.param(
        "Veltra announced its expansion into the European market.",
        "expansion",
        {"company": "Veltra", "kind": "market"},
        id="expansion-into-a-market",
    ),
    pytest.param(
        "Brisco Labs enters the Indian market.",
        "expansion",
        {"company": "Brisco Labs", "kind": "market"},
        id="enters-a-market",
    ),
    # money put into a site
    pytest.param(
        "Halden Motors will invest $1.3 billion in its Kentucky plant.",
        "expansion",
        {"company": "Halden Motors"},
        id="invest-in-its-plant",
    ),
    pytest.param(
        "Brisco Labs is investing $2 billion in two new chip factories.",
        "expansion",
        {"company": "Brisco Labs"},
        id="invest-in-new-factories",
    ),
    pytest.param(
        "Veltra announced a $200 million investment in a new distribution center.",
        "expansion",
        {"company": "Veltra"},
        id="investment-in-a-center",
    ),
    pytest.param(
        "When Quorra Labs opens its new plant, it will hire 200 workers.",
        "expansion",
        {},
        id="when-clause-looking-ahead",
    ),
    pytest.param(
        "Quorra Labs opened a new plant in Ohio on May 5.",
        "expansion",
        {"status": "announced"},
        id="the-month-may",
    ),
    pytest.param(
        "Quorra Labs may open a new plant in Ohio.",
        "expansion",
        {"status": "rumoured"},
        id="the-modal-may",
    ),
    # who acts
    pytest.param(
        "Yesterday a new startup, Pellmont, introduced its Lumen headset.",
        "product_launch",
        {"company": "Pellmont"},
        id="name-in-apposition",
    ),
    pytest.param(
        "Corvane Foods surprised investors with its $2 billion acquisition of Halden Mills.",
        "acquisition",
        {"company": "Corvane Foods", "target": "Halden Mills"},
        id="with-its-acquisition",
    ),
    pytest.param(
        "Pellmont Capital will merge its bank unit with Corvane Financial.",
        "acquisition",
        {"company": "Pellmont Capital"},
        id="merge-a-unit-with-a-company",
    ),
    pytest.param(
        "Veltra agreed to buy a majority stake in Pellmont Capital for $200 million.",
        "acquisition",
        {"company": "Veltra", "target": "Pellmont Capital"},
        id="majority-stake",
    ),
    pytest.param(
        "Veltra acquired a 60% stake in Pellmont Capital.",
        "acquisition",
        {"company": "Veltra", "target": "Pellmont Capital"},
        id="stake-over-half",
    ),
    pytest.param(
        "Veltra agreed to buy the remaining 40% stake in Pellmont Capital.",
        "acquisition",
        {"company": "Veltra", "target": "Pellmont Capital"},
        id="remaining-stake",
    ),
    pytest.param(
        "Speculation grew that Veltra will sign a licensing deal with Brisco Labs.",
        "partnership",
        {"status": "rumoured"},
        id="speculation",
    ),
    pytest.param(
        "Quorra Labs is weighing a sale after holding takeover talks with Veltra.",
        "acquisition",
        {"status": "rumoured"},
        id="takeover-talks-plural",
    ),
    pytest.param(
        "Pellmont is in the process of rolling out the Lumen phone to dealers.",
        "product_launch",
        {"company": "Pellmont", "product": "Lumen phone"},
        id="process-of-rolling-out",
    ),
    pytest.param(
        "Veltra signed a deal with Brisco Labs and continues to grow.",
        "partnership",
        {},
        id="new-deal-beside-continuing-growth",
    ),
    # people and posts
    pytest.param(
        "Karen Walsh, who previously ran the sensor business of Brisco Labs for nine years, "
        "was named CEO of Pellmont Capital.",
        "leadership_change",
        {"company": "Pellmont Capital", "person": "Karen Walsh"},
        id="named-to-a-post-after-an-aside",
    ),
    pytest.param(
        "Karen Walsh was named chief executive of Pellmont Capital on Monday.",
        "leadership_change",
        {"company": "Pellmont Capital", "person": "Karen Walsh", "title": "chief executive"},
        id="named-chief-executive",
    ),
    pytest.param(
        "The agency said that Chief Accountant Paul Munter plans to retire in January.",
        "leadership_change",
        {"person": "Paul Munter", "title": "Chief Accountant"},
        id="title-in-the-subjects-clause",
    ),
]

# (text, type that must not be found)
NO_EVENTS = [
    # money earned or won
    pytest.param("Brisco Labs wins $2 million in damages from Corvane.", "funding", id="damages"),
    pytest.param(
        "Quorra landed a $500 million contract with the Danish navy.", "funding", id="contract"
    ),
    pytest.param(
        "Veltra netted $5 million from the sale of its scanner unit.", "funding", id="sale"
    ),
    pytest.param(
        "Ostara Robotics picked $3 million of stock from the index.", "funding", id="picked"
    ),
    pytest.param("Fans get $5 off tickets to the Halden Motors show.", "funding", id="discount"),
    pytest.param("Pellmont Bio secured $40 million in orders at the fair.", "funding", id="orders"),
    pytest.param(
        "Brisco Labs scored $1.2 million in revenue last quarter.", "funding", id="revenue"
    ),
    # work that is no product
    pytest.param(
        "Corvane develops accounting software for banks.", "product_launch", id="what-it-does"
    ),
    pytest.param(
        "Quorra Labs is developing a strategy for Asia.", "product_launch", id="a-strategy"
    ),
    pytest.param("Brisco is working on improving its margins.", "product_launch", id="margins"),
    pytest.param(
        "Halden Motors is developing new drugs for migraine.", "product_launch", id="drugs"
    ),
    pytest.param(
        "Developers are working on compatible apps for the headset.",
        "product_launch",
        id="bare-plural-actor",
    ),
    pytest.param(
        "Veltra invested in Pellmont, a startup that is developing delivery robots.",
        "product_launch",
        id="company-description",
    ),
    pytest.param(
        "Brisco's sterling work on its phones won praise.", "product_launch", id="work-noun"
    ),
    # nothing new added
    pytest.param(
        "Balder Capital added Pellmont Corp. to its portfolio.",
        "product_launch",
        id="company-added-to-a-fund",
    ),
    pytest.param(
        "The fund manages a portfolio of bonds.", "product_launch", id="portfolio-of-bonds"
    ),
    pytest.param("Brisco added to its portfolio of patents.", "product_launch", id="nothing-added"),
    # money put into a company or an asset class
    pytest.param("Veltra invested $50 million in Pellmont Capital.", "expansion", id="stake"),
    pytest.param(
        "The fund invests in office buildings across Europe.", "expansion", id="asset-class"
    ),
    pytest.param("Investors poured $5 million into the startup.", "expansion", id="startup"),
    # acts refused, failed or blocked
    pytest.param(
        "Its largest shareholder, Brisco Capital, refused to provide more financing.",
        "funding",
        id="refused",
    ),
    pytest.param(
        "Quorra declined to buy Densley Systems after a review.", "acquisition", id="declined"
    ),
    pytest.param("Veltra failed to raise $10 million from its backers.", "funding", id="failed"),
    pytest.param(
        "Regulators blocked Pellmont Capital from buying Veltra.", "acquisition", id="blocked"
    ),
    # history (below min_confidence)
    pytest.param(
        "Halden Mills later acquired Corvane Foods and its debts.", "acquisition", id="later"
    ),
    pytest.param(
        "The bank eventually bought Pellmont Capital for $40 million.",
        "acquisition",
        id="eventually",
    ),
    pytest.param("Veltra subsequently opened a plant in Ohio.", "expansion", id="subsequently"),
    pytest.param(
        "When Quorra Labs raised $5 million, it hired twenty engineers.",
        "funding",
        id="fronted-past-when",
    ),
    pytest.param(
        "The data puts Veltra on track to challenge Brisco Labs' recently launched migraine drug.",
        "product_launch",
        id="recently-launched-described",
    ),
    pytest.param(
        "It is one of the first comedies Amazon released as it started making its own films.",
        "product_launch",
        id="object-relative-release",
    ),
    # deals ended, going on, or of things
    pytest.param(
        "As we exit the Pellmont output deal, our films move to Brisco.",
        "partnership",
        id="exit-a-deal",
    ),
    pytest.param(
        "Quorra Labs ended its distribution deal with Veltra.", "partnership", id="end-a-deal"
    ),
    pytest.param(
        "Veltra said it will continue to work with Brisco Labs Inc. to develop sensors.",
        "partnership",
        id="continue-to-work-with",
    ),
    pytest.param(
        "Veltra will continue its partnership with Brisco Labs.",
        "partnership",
        id="continue-a-partnership",
    ),
    pytest.param(
        "The Brisco X2 van merges a Halden Transit chassis with an electric drivetrain.",
        "acquisition",
        id="merging-parts",
    ),
    pytest.param(
        "Corvane Foods revamped its strategy for Asia.", "product_launch", id="revamp-strategy"
    ),
    pytest.param(
        "Revamped the Paradise documentation.", "product_launch", id="revamp-documentation"
    ),
    pytest.param(
        "About $2 billion of the charge stemmed from the tax overhaul.",
        "product_launch",
        id="overhaul-noun",
    ),
    pytest.param(
        "Veltra released its annual report on Monday.", "product_launch", id="report-noun"
    ),
    pytest.param(
        "Fujitsu is about to enter the market with a faster chip.",
        "expansion",
        id="enter-the-market-with-a-product",
    ),
    pytest.param("Sales expanded into new territory.", "expansion", id="sales-expanded"),
    # activities and abstractions, not acts of a company
    pytest.param(
        "Veltra said they can introduce a level of verbosity to the code.",
        "product_launch",
        id="introduce-a-level",
    ),
    pytest.param(
        "Dana Lee, who runs Veltra, applies science to the M&A (mergers and acquisitions) space.",
        "acquisition",
        id="mergers-in-general",
    ),
    pytest.param(
        "Launching a product is hard for small firms.", "product_launch", id="gerund-subject"
    ),
]


@pytest.mark.parametrize(("text", "etype", "expected"), EVENTS)
def test_event(extractor: Extractor, text: str, etype: str, expected: dict[str, Any]) -> None:
    holds(extractor, "", text, etype, expected)


@pytest.mark.parametrize(("text", "etype"), NO_EVENTS)
def test_no_event(extractor: Extractor, text: str, etype: str) -> None:
    assert not one(extractor, "", text, etype), text


def test_a_pronoun_after_another_company_is_not_the_storys_company(
    extractor: Extractor,
) -> None:
    title = "Acme Robotics raises $20 million for warehouse robots"
    text = (
        "Acme Robotics raised $20 million in a Series B round led by Balder Ventures. "
        "Its rival Bolt Systems Inc. is growing fast, and last week they launched a new "
        "picking robot for grocers."
    )
    launches = one(extractor, title, text, "product_launch")
    assert all(e.company != "Acme Robotics" for e in launches), launches


def test_an_acronym_and_the_full_name_are_one_company(extractor: Extractor) -> None:
    title = "SEC Announces Chief Accountant Paul Munter to Retire This Month"
    text = (
        "The Securities and Exchange Commission today announced that Chief Accountant Paul "
        "Munter plans to retire from federal service effective Jan. 24."
    )
    events = one(extractor, title, text, "leadership_change")
    assert [e.company for e in events] == ["The Securities and Exchange Commission"]
    assert events[0].attributes["from_title"]  # the stronger evidence


def test_initials_skip_minor_words_and_legal_suffixes() -> None:
    from extractors.nlp import _initials

    assert _initials("The Securities and Exchange Commission") == "sec"
    assert _initials("International Business Machines Corp.") == "ibm"
    assert _initials("Acme") == ""


def test_a_subordinator_is_not_part_of_a_name() -> None:
    from extractors.names import _trim_descriptors

    assert _trim_descriptors(["When", "Turbo", "Pascal"]) == ["Turbo", "Pascal"]
    assert _trim_descriptors(["When"]) == ["When"]


def test_a_quarter_is_nobody() -> None:
    from extractors.names import clean_name

    assert clean_name("Q2") is None
    assert clean_name("Q2 2026") is None
    assert clean_name("FY2026") is None
    assert clean_name("Q2 Holdings") == "Q2 Holdings"


def test_a_hyphenated_pattern_word_indexes_its_first_word_only(tmp_path: Path) -> None:
    from extractors.rules import load_triggers

    triggers = tmp_path / "triggers.toml"
    triggers.write_text(
        '[product_launch]\ncues = ["launch"]\npatterns = [[{LOWER = "line-up"}]]\n',
        encoding="utf-8",
    )
    index = load_triggers(triggers).cue_index()
    assert index is not None
    assert "line" in index.words
    assert "up" not in index.words


def test_a_pattern_of_exact_words_is_indexed_as_a_phrase(tmp_path: Path) -> None:
    from extractors.rules import load_triggers

    triggers = tmp_path / "triggers.toml"
    triggers.write_text(
        '[product_launch]\ncues = ["launch"]\npatterns = [[{LOWER = "working"}, {LOWER = "on"}]]\n',
        encoding="utf-8",
    )
    index = load_triggers(triggers).cue_index()
    assert index is not None
    assert "working" not in index.words
    assert index.candidate("Brisco is working on a folding phone.")
    assert not index.candidate("Working from home suits Brisco.")


def test_a_market_entry_phrase_needs_no_requires_word() -> None:
    from extractors.rules import load_triggers

    index = load_triggers().cue_index()
    assert index is not None
    assert index.candidate("Quorra Labs expands to Germany.")
    assert index.candidate("Veltra confirmed its expansion into Canada.")
    assert not index.candidate("Quorra Corp. expands its margins.")
