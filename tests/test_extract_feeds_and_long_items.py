"""Feed entries and whole press releases and articles: dates a change takes effect, names
the recogniser splits or mistypes ("Bank of Eastvale", "CFO Mara Ilves" as one
organisation), denials of reports, and stories whose title denies what the text retells.
Sentences written here; each row's id names its construction."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import holds, one

# (title, text, type, what the one event of that type must hold)
EVENTS = [
    pytest.param(
        "",
        "Marrow Freight has appointed Tilde Okafor as chief operating officer, effective"
        " June 3, 2024.",
        "leadership_change",
        {"company": "Marrow Freight", "person": "Tilde Okafor"},
        id="effective-date-is-no-history",
    ),
    pytest.param(
        "",
        "Marrow Freight named Tilde Okafor its chief executive, starting in March 2025.",
        "leadership_change",
        {"company": "Marrow Freight"},
        id="starting-date-is-no-history",
    ),
    pytest.param(
        "Marrow Freight names Tilde Okafor chief operating officer",
        "",
        "leadership_change",
        {"company": "Marrow Freight", "person": "Tilde Okafor"},
        id="sentence-case-title-verb-read-as-noun",
    ),
    pytest.param(
        "",
        "Bank of Eastvale agreed to buy Pellham Securities for about $2 billion.",
        "acquisition",
        {"company": "Bank of Eastvale", "target": "Pellham Securities"},
        id="company-word-named-by-of",
    ),
    pytest.param(
        "Ostrava Tools posts record Q2 sales; CFO Mara Ilves to retire",
        "Ostrava Tools Inc. reported second-quarter sales of $410 million. Separately, the"
        " company said chief financial officer Mara Ilves will retire at year-end.",
        "leadership_change",
        {"company": "Ostrava Tools", "person": "Mara Ilves"},
        id="title-and-person-tagged-as-one-organisation",
    ),
    pytest.param(
        "",
        "Pellinor Mutual today announced that Tilde Okafor has been named Executive Vice"
        " President and Chief Financial Officer, effective February 3, 2020.",
        "leadership_change",
        {"company": "Pellinor Mutual"},
        id="title-word-is-no-employer",
    ),
    pytest.param(
        "",
        "Carvella expanded its ride-hailing service to Uganda and Tanzania.",
        "expansion",
        {"company": "Carvella", "kind": "market", "location": "Uganda"},
        id="service-taken-to-new-countries",
    ),
    pytest.param(
        "Tendrel expands grocery delivery to Mexico and Peru",
        "",
        "expansion",
        {"company": "Tendrel", "kind": "market"},
        id="to-hung-on-the-service",
    ),
    pytest.param(
        "Brakewell Raises $40 Million Series A, Launches Renters Insurance in Texas and"
        " Introduces Flood Cover",
        "",
        "product_launch",
        {"company": "Brakewell"},
        id="listed-verb-after-comma",
    ),
    pytest.param(
        "Mavuno Passes One Million Users in Kenya; Raises $30 Million Series B and Expands to"
        " Uganda",
        "",
        "funding",
        {"company": "Mavuno", "round": "Series B"},
        id="listed-verb-after-semicolon",
    ),
    pytest.param(
        "",
        "DUBAI, United Arab Emirates--(BUSINESS WIRE)--Feb 6, 2024--Sandrel Hotels today"
        " opened its first resort in the Maldives.",
        "expansion",
        {"company": "Sandrel Hotels"},
        id="business-wire-dateline",
    ),
    pytest.param(
        "",
        "Gothenburg, 17 September 2018 - Vellum Medical AB announces its intention to list its"
        " shares on Nasdaq Stockholm.",
        "ipo",
        {"company": "Vellum Medical AB"},
        id="mixed-case-dateline",
    ),
    pytest.param(
        "",
        "BENGALURU: IT services firm Tarnwell Technologies has won a five-year contract worth"
        " about $250 million from Dutch retailer Albrecht & Zonen.",
        "partnership",
        {"company": "Tarnwell Technologies"},
        id="colon-dateline",
    ),
    pytest.param(
        "",
        "The second property will be developed by Coral Reach Holdings Pvt. Ltd., which has"
        " signed a long-term agreement for Sandrel to manage the resort.",
        "partnership",
        {"company": "Coral Reach Holdings Pvt. Ltd"},
        id="pvt-ltd-ends-no-sentence",
    ),
    pytest.param(
        "Wendel Logistik AG acquires Polish freight forwarder Transvar and appoints CEO for"
        " Eastern Europe",
        "",
        "acquisition",
        {"company": "Wendel Logistik AG", "target": "Transvar"},
        id="described-target-then-its-name",
    ),
    pytest.param(
        "Wendel Logistik AG acquires Polish freight forwarder Transvar and appoints CEO for"
        " Eastern Europe",
        "",
        "leadership_change",
        {"company": "Wendel Logistik AG", "person": None},
        id="second-verb-names-its-own-people",
    ),
    pytest.param(
        "",
        "Halvor said Jo Lee has retired as chief executive and stepped down from the board.",
        "leadership_change",
        {"company": "Halvor", "person": "Jo Lee", "direction": "left"},
        id="shared-subject-of-two-verbs",
    ),
    pytest.param(
        "",
        "Halvor said chairman Jo Lee will stand down at the annual meeting.",
        "leadership_change",
        {"company": "Halvor", "direction": "left"},
        id="stand-down",
    ),
    pytest.param(
        "",
        "Tavi Capital raised Rs 2,000 crore through non-convertible debentures on Tuesday.",
        "funding",
        {"company": "Tavi Capital", "amount": 20_000_000_000, "currency": "INR"},
        id="crore-and-debentures",
    ),
    pytest.param(
        "",
        "Vellum plans to raise gross proceeds of approximately SEK 500 million in a private"
        " placement.",
        "funding",
        {"amount": 500_000_000, "currency": "SEK"},
        id="currency-code",
    ),
    pytest.param(
        "",
        "Corvane Motors, Inc. (NASDAQ: CRVM) today announced the pricing of $2.0 billion"
        " aggregate principal amount of convertible senior notes.",
        "funding",
        {"company": "Corvane Motors"},
        id="exchange-of-a-ticker-read-as-subject",
    ),
    pytest.param(
        "",
        "Halvor, which this week agreed to buy Corvane for $30 billion, is an index member.",
        "acquisition",
        {"company": "Halvor"},
        id="aside-with-this-week-is-news",
    ),
    pytest.param(
        "Corvane and Halvor announce $5 billion joint venture - CNBC",
        "",
        "partnership",
        {"company": "Corvane"},
        id="publisher-after-the-headline",
    ),
    pytest.param(
        "Brisco Roofing &amp; Solar <b>expands</b> to Tulsa with new branch office",
        "",
        "expansion",
        {"company": "Brisco Roofing & Solar"},
        id="entities-and-tags-left-in-a-feed",
    ),
    pytest.param(
        "",
        "The U.S. Department of Agriculture has awarded a $12.4 million Rural Energy for"
        " America Program grant to Plainfield Cooperative to help fund a diesel facility.",
        "funding",
        {"company": "Plainfield Cooperative", "round": "grant"},
        id="grant-awarded-to-someone",
    ),
    pytest.param(
        "Oxford spinout Quorrel awarded £2.5m Innovate UK grant",
        "",
        "funding",
        {"company": "Quorrel", "amount": 2_500_000},
        id="awarded-in-a-headline-is-received",
    ),
    pytest.param(
        "",
        "Brisco and Halvor agreed to combine in an all-stock deal.",
        "acquisition",
        {"company": "Brisco"},
        id="companies-combine",
    ),
    pytest.param(
        "Tarnwell Wins $630M Air Force Cyber Task Order",
        "",
        "partnership",
        {"company": "Tarnwell"},
        id="task-order",
    ),
    pytest.param(
        "Adobe to buy Vellum for $20bn",
        "",
        "acquisition",
        {"company": "Adobe", "target": "Vellum"},
        id="headline-subject-read-as-root-noun",
    ),
    pytest.param(
        "Marrow Health breaks ground on $310M tower in Jacksonville Beach",
        "",
        "expansion",
        {"company": "Marrow Health"},
        id="ground-broken-needs-no-site-word",
    ),
    pytest.param(
        "Brisco Telecom, Halvor extend 5G partnership with multi-billion dollar deal",
        "",
        "partnership",
        {"company": "Brisco Telecom"},
        id="first-of-a-comma-list",
    ),
    pytest.param(
        "Halvor to cut 20% of workforce, sell logistics business to Corvane",
        "",
        "acquisition",
        {"company": "Corvane"},
        id="business-sold-to-a-buyer",
    ),
    pytest.param(
        "Halvor to cut 20% of workforce, sell logistics business to Corvane",
        "",
        "layoff",
        {"company": "Halvor", "percent": 20.0},
        id="subject-tagged-a-verb",
    ),
    pytest.param(
        "",
        "Brisco agreed to sell its Spanish unit to Zegara for EUR 5 billion.",
        "acquisition",
        {"company": "Zegara", "target": "Brisco", "currency": "EUR"},
        id="unit-sold-to-a-buyer",
    ),
    pytest.param(
        "Tavora Japan to roll out zero-sugar Lemon-Dou nationwide",
        "",
        "product_launch",
        {"company": "Tavora Japan"},
        id="company-named-after-its-market",
    ),
    pytest.param(
        "Apple unveils slim iPhone Air and iPhone 17 Pro",
        "",
        "product_launch",
        {"company": "Apple"},
        id="headline-verb-read-as-plural-noun",
    ),
    pytest.param(
        "Berlin startup Kelpa launches seaweed packaging film, raises €4M seed",
        "",
        "funding",
        {"company": "Kelpa"},
        id="listed-verb-after-descriptors",
    ),
    pytest.param(
        "University of Eastvale launches online MSc in Artificial Intelligence with IBM",
        "",
        "partnership",
        {"company": "University of Eastvale", "partners": ["IBM"]},
        id="launched-with-another-organisation",
    ),
    pytest.param(
        "",
        "Revolut starts offering mortgages in Lithuania, its first home-loan market.",
        "product_launch",
        {"company": "Revolut"},
        id="starts-offering",
    ),
    pytest.param(
        "Tarven Corp takes 30% stake in ChargeGrid India, forms fleet-charging JV",
        "",
        "partnership",
        {"company": "Tarven Corp"},
        id="jv",
    ),
    pytest.param(
        "TARVEN TO CUT 10% OF WORKFORCE, CEO ORTBERG SAYS",
        "",
        "layoff",
        {"company": "Tarven", "percent": 10.0},
        id="all-caps-headline",
    ),
    pytest.param(
        "Vellum Medical AB publishes intention to float on Nasdaq Stockholm",
        "Vellum Medical AB announces its intention to list its shares on Nasdaq Stockholm. The"
        " Offering is expected to raise gross proceeds of approximately SEK 500 million.",
        "funding",
        {"company": "Vellum Medical AB"},
        id="the-offering-is-the-company's",
    ),
    pytest.param(
        "Bengaluru-based Zorvo raises Rs 120 crore in Series B led by Accel",
        "",
        "funding",
        {"company": "Zorvo", "currency": "INR", "round": "Series B"},
        id="unknown-name-tagged-a-nationality",
    ),
    pytest.param(
        "Medora Health secures $15M venture debt facility from Hercules Capital",
        "",
        "funding",
        {"company": "Medora Health", "amount": 15_000_000},
        id="facility-secured",
    ),
    pytest.param(
        "Payments giant Finvanta in talks to raise funds, sources say",
        "",
        "funding",
        {"company": "Finvanta", "status": "rumoured"},
        id="in-talks-after-descriptors",
    ),
    pytest.param(
        "EIB lends €250 million to Redalia for grid modernisation",
        "",
        "funding",
        {"company": "Redalia", "amount": 250_000_000},
        id="lent-to-someone",
    ),
    pytest.param(
        "Vilnius fintech Lumenpay confirms intention to float on London's AIM",
        "",
        "ipo",
        {"company": "Lumenpay"},
        id="intention-to-float",
    ),
    pytest.param(
        "Logistics firm Anvex applies for secondary listing in Hong Kong",
        "",
        "ipo",
        {"company": "Anvex"},
        id="secondary-listing",
    ),
    pytest.param(
        "Tarvo Energy to lay off 400, shelves Phase 2 expansion",
        "",
        "layoff",
        {"company": "Tarvo Energy"},
        id="shelving-one-thing-negates-no-other",
    ),
]


@pytest.mark.parametrize(("title", "text", "etype", "expected"), EVENTS)
def test_feed_and_long_item_event(
    extractor: Extractor, title: str, text: str, etype: str, expected: dict[str, Any]
) -> None:
    holds(extractor, title, text, etype, expected)


# (title, text, type that must not be found)
NO_EVENTS = [
    pytest.param(
        "",
        "A Halvor spokesperson said on Tuesday that reports the company was preparing another"
        ' round of job cuts were "false".',
        "layoff",
        id="report-called-false",
    ),
    pytest.param(
        "",
        "Halvor on Friday rejected a report that it is preparing job cuts at its games unit.",
        "layoff",
        id="report-rejected",
    ),
    pytest.param(
        "",
        "Halvor dismissed as baseless reports that it would acquire Brisco.",
        "acquisition",
        id="reports-dismissed-as-baseless",
    ),
    pytest.param(
        "Halvor Retail denies reports it plans to cut 2,000 jobs",
        "A Sunday newspaper reported that Halvor Retail was preparing to announce large-scale"
        " retrenchments as part of a cost-cutting drive.",
        "layoff",
        id="title-denies-what-the-text-retells",
    ),
    pytest.param(
        "Corvane Mining denies talks with suitor",
        "Corvane Mining Corp. says it is not in talks to be acquired. A website reported that a"
        " state-owned smelting company had hired advisers to study a bid for Corvane.",
        "acquisition",
        id="a-company-is-not-the-story's-company",
    ),
    pytest.param(
        "Brisco files for bankruptcy protection",
        "Brisco filed for bankruptcy protection on Monday, saying it had entered into a"
        " restructuring support agreement with most of its secured noteholders.",
        "partnership",
        id="creditors-are-no-partners",
    ),
    pytest.param("Valdora FC names Ander Ruiz head coach", "", "leadership_change", id="coach"),
    pytest.param(
        "",
        '"Our funding plan for this year does not depend on the rating," she said.',
        "funding",
        id="funding-plan",
    ),
    pytest.param(
        "",
        '"We are trying to replace the 2 a.m. spreadsheet session before the board meeting."',
        "leadership_change",
        id="replace-a-thing",
    ),
    pytest.param(
        "",
        "Corvane Air, which is in the process of merging with Brisco, gained 5.2 percent.",
        "acquisition",
        id="deal-in-an-aside-of-a-market-report",
    ),
    pytest.param(
        "Halvor buys payments startup Mavi",
        "Halvor has acquired Mavi. Mavi, which raised $17.5 million from investors including"
        " Tiger Global, will keep its brand.",
        "funding",
        id="past-round-in-an-aside",
    ),
    pytest.param(
        "", "The app combines AI with search to give better answers.", "acquisition", id="combine"
    ),
    pytest.param("", "The film breaks new ground in animation.", "expansion", id="new-ground"),
    pytest.param(
        "",
        "Mavuno has received a licence in Uganda and plans to launch in Kampala next quarter.",
        "product_launch",
        id="launch-in-a-city-is-no-product",
    ),
    pytest.param("", "Halvor sold 2 million shares to investors.", "acquisition", id="shares-sold"),
    pytest.param("Haaland launches Norway to 4-0 rout of Moldova", "", "product_launch", id="rout"),
    pytest.param(
        "Tarven Lab shares launch 20% higher after record revenue",
        "",
        "product_launch",
        id="shares-launch-higher",
    ),
    pytest.param(
        "",
        "Valdora FC have launched a fresh legal challenge seeking to have the league's charges"
        " against the club dismissed.",
        "product_launch",
        id="legal-challenge",
    ),
    pytest.param(
        "Olympic swimmer Kate Rowley launches coaching career at Loughborough",
        "",
        "product_launch",
        id="career",
    ),
    pytest.param(
        "Product Launch Manager (m/f/d) - Consumer Health - Munich",
        "",
        "product_launch",
        id="job-title",
    ),
    pytest.param(
        "",
        "Tarvo Games said its new title will now release on Nov. 19, 2026, pushing it back"
        " from May.",
        "product_launch",
        id="pushed-back",
    ),
    pytest.param(
        "",
        "Halvor will shut down Quill on May 5, ending the calling service more than two"
        " decades after it launched.",
        "product_launch",
        id="decades-after-it-launched",
    ),
    pytest.param(
        "", "Tarvo's Hong Kong-listed shares have more than doubled this year.", "ipo", id="listed"
    ),
    pytest.param(
        "",
        "Halvor said on Thursday it had completed its purchase of snack maker Brisco, closing"
        " the biggest packaged-food deal in years.",
        "partnership",
        id="deal-beside-a-takeover",
    ),
    pytest.param(
        "Orlin Chemicals repays $500 million term loan early", "", "funding", id="loan-repaid"
    ),
    pytest.param("Corvale Energy postpones London IPO", "", "ipo", id="ipo-postponed"),
    pytest.param(
        "",
        "The North Sea oil producer had been aiming to raise about £300 million.",
        "funding",
        id="had-been-aiming",
    ),
    pytest.param(
        "One year after IPO, Rosco Pets trades below offer price", "", "ipo", id="year-after-ipo"
    ),
    pytest.param(
        "",
        "A year after its stock market debut, Rosco Pets is trading 28% below its $16 IPO price.",
        "ipo",
        id="ipo-price",
    ),
    pytest.param(
        "Hong Kong IPO market has worst first half in two decades", "", "ipo", id="market"
    ),
    pytest.param(
        "",
        "Senate candidate Laura Whitman raised $12 million in the second quarter, her campaign"
        " said Monday.",
        "funding",
        id="political-campaign",
    ),
    pytest.param(
        "",
        "The bank is making a big push into risky-loan sales as well as investment grade lending.",
        "funding",
        id="lending-as-a-business",
    ),
    pytest.param(
        "",
        "Skanska has signed a contract with TriStar Health worth about $190 million to build a"
        " seven-story patient tower in Nashville.",
        "expansion",
        id="contractor-builds-for-another",
    ),
    pytest.param(
        "", "Halvor sells its products to Walmart and Target.", "acquisition", id="products-sold"
    ),
]


@pytest.mark.parametrize(("title", "text", "etype"), NO_EVENTS)
def test_feed_and_long_item_no_event(
    extractor: Extractor, title: str, text: str, etype: str
) -> None:
    assert one(extractor, title, text, etype) == []


def test_a_report_is_still_news(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Halvor will cut 500 jobs, according to a report by Reuters.")
    assert (ev.type, ev.company) == ("layoff", "Halvor")


def test_a_later_candidate_sentence_of_the_lead_is_still_read(extractor: Extractor) -> None:
    """The lead's fifth candidate sentence and beyond are read as deep sentences: an event
    there counts for the story's own company."""
    text = " ".join(
        [
            "Analysts expect the deal market to open up in Canada this year.",
            "Investors launched several funds in Japan last month.",
            "Rivals opened stores in France and Spain.",
            "The sector raised prices in Mexico.",
            "Halvor Grid will open a new assembly plant in Ohio next year, it said.",
        ]
    )
    events = one(extractor, "Halvor Grid's quiet year", text, "expansion")
    assert [(e.company, e.attributes.get("location")) for e in events] == [("Halvor Grid", "Ohio")]


def test_a_guarded_pattern_needs_all_its_words_in_the_first_pass() -> None:
    """The divestiture pattern starts with "sold", which car sales reports are full of: the
    first pass sends a sentence on only with its other words ("business", "to") there too."""
    from extractors.rules import DEFAULT_TRIGGERS, load_triggers

    index = load_triggers(DEFAULT_TRIGGERS).cue_index()
    assert index is not None
    assert index.candidate("Unilever sold its spreads business to KKR.")
    assert not index.candidate("GM sold over 5,000 XT5s in China in May.")
