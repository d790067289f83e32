"""Items of every era, language and form (feeds, whole articles, older wire stories, deals
told many ways): accented names, habits that are no news. Sentences written here (names
invented); each row's id names its construction."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import holds, one

# (title, text, type, what the one event of that type must hold)
EVENTS = [
    pytest.param(
        "",
        "Aerolíneas Argentinas will open a new route between Córdoba and Lima in March.",
        "expansion",
        {"company": "Aerolíneas Argentinas", "location": "Córdoba"},
        id="accented-name-parsed-as-its-plain-spelling",
    ),
    pytest.param(
        "Atlassian to buy Trello for $425 million - TechCrunch",
        "",
        "acquisition",
        {"company": "Atlassian", "target": "Trello"},
        id="title-name-tagged-a-nationality",
    ),
    pytest.param(
        "Mitsui takes 20% stake in Brazilian agtech firm Solo Vivo",
        "",
        "acquisition",
        {"company": "Mitsui", "target": "Solo Vivo"},
        id="minority-stake-taken",
    ),
    pytest.param(
        "",
        "Veltra bought a minority stake in Pellmont Capital.",
        "acquisition",
        {"company": "Veltra", "target": "Pellmont Capital"},
        id="minority-stake-bought",
    ),
    pytest.param(
        "Daimler Truck takes 10% stake in Finnish battery startup Volta Cells, signs supply pact",
        "",
        "partnership",
        {"company": "Daimler Truck"},
        id="a-supply-pact-beside-a-stake-is-a-second-deal",
    ),
    pytest.param(
        "Bellwood Bakery closing Toledo plant, 180 to lose jobs",
        "",
        "layoff",
        {"company": "Bellwood Bakery"},
        id="n-to-lose-jobs",
    ),
    pytest.param(
        "Verity Telecom restructuring to affect 1,200 roles",
        "Verity Telecom plc has begun a restructuring that will affect about 1,200 roles across"
        " its UK contact centres. Around 700 of the roles will be made redundant.",
        "layoff",
        {"company": "Verity Telecom"},
        id="roles-affected-and-made-redundant",
    ),
    pytest.param(
        "Quantrel Therapeutics, Inc. - Form 8-K - Item 2.05",
        "Item 2.05 Costs Associated with Exit or Disposal Activities. On February 6, 2024, the"
        ' Board of Directors of Quantrel Therapeutics, Inc. (the "Company") approved a reduction'
        " in force of approximately 35% of the Company's workforce, or 41 employees.",
        "layoff",
        {"company": "Quantrel Therapeutics", "count": 41},
        id="filing-dates-its-own-news",
    ),
    pytest.param(
        "Coastline Resorts furloughs 3,000 staff as parks shut",
        "",
        "layoff",
        {"company": "Coastline Resorts", "count": 3000},
        id="staff-furloughed",
    ),
    pytest.param(
        "",
        "Loopy let go of about a third of its team on Friday.",
        "layoff",
        {"company": "Loopy"},
        id="let-go-of-the-team",
    ),
    pytest.param(
        "eBay to Acquire Skype for $2.6 Billion",
        "Sept. 12, 2005 — eBay Inc. agreed to buy Internet phone company Skype Technologies for"
        " $2.6 billion in cash and stock.",
        "acquisition",
        {"status": "announced"},
        id="a-dateline-year-dates-the-story-not-history",
    ),
    pytest.param(
        "Kinetiq AI and Brandauer enter strategic partnership",
        "MUNICH / TORONTO, 23 April 2024 -- Kinetiq AI Inc., a Toronto-based developer of"
        " machine-learning software, and German automation group Brandauer Industrietechnik GmbH"
        " have entered a strategic partnership.",
        "partnership",
        {"company": "Kinetiq AI"},
        id="dateline-of-two-cities-is-no-company",
    ),
    pytest.param(
        "",
        "Company announcement no. 11/2018 Copenhagen, 2 July 2018 - Nordhavn Fodbold A/S today"
        " announced a three-year partnership with Carlsvej Bryggeri.",
        "partnership",
        {"company": "Nordhavn Fodbold A/S"},
        id="dateline-after-a-header-line",
    ),
    pytest.param(
        "Tallis Games cuts 30% of staff, cancels 'Ashfall' as studio head Ben Carver departs",
        "",
        "leadership_change",
        {"company": "Tallis Games", "person": "Ben Carver"},
        id="a-departure-beside-a-cancelled-game",
    ),
    pytest.param(
        "Pentagon awards Halcyon Systems $87M contract for satellite ground stations",
        "",
        "partnership",
        {"company": "Halcyon Systems"},
        id="public-buyer-awards-with-the-verb-read-as-noun",
    ),
    pytest.param(
        "",
        "Halcyon Systems Inc. of Huntsville, Alabama, has been awarded an $87 million contract"
        " by the U.S. Space Force to build four ground stations.",
        "partnership",
        {"company": "Halcyon Systems Inc"},
        id="contract-awarded-to-the-passive-subject",
    ),
    pytest.param(
        "DOE closes $1.2 billion loan to Lithium Ridge for Nevada processing plant",
        "",
        "funding",
        {"company": "Lithium Ridge", "investors": ["DOE"]},
        id="a-lenders-loan-to-a-borrower",
    ),
    pytest.param(
        "Apple Reinvents the Phone with iPhone",
        "MACWORLD SAN FRANCISCO—January 9, 2007—Apple® today introduced iPhone, combining"
        " three products into one small and lightweight handheld device.",
        "product_launch",
        {"company": "Apple"},
        id="dateline-of-em-dashes-and-a-registered-mark",
    ),
    pytest.param(
        "Oberhaus Gruppe agrees sale of logistics arm to Nordvik Freight",
        "",
        "acquisition",
        {"company": "Nordvik Freight"},
        id="a-sale-to-a-buyer-as-a-noun",
    ),
    pytest.param(
        "Ashoka Group sells 26% of insurance arm to Japan's Yamato Life",
        "",
        "acquisition",
        {"company": "Yamato Life"},
        id="a-part-of-a-unit-sold-to-a-buyer",
    ),
    pytest.param(
        "",
        "PetCare Partners has acquired three independent animal hospitals in Ohio.",
        "acquisition",
        {"company": "PetCare Partners"},
        id="businesses-counted-by-their-premises",
    ),
    pytest.param(
        "",
        "Northcoast Airlines said it will begin nonstop service between Cleveland and Denver on"
        " June 15.",
        "expansion",
        {"company": "Northcoast Airlines"},
        id="a-route-begun",
    ),
    pytest.param(
        "Northcoast adds nonstop Cleveland-Denver flights",
        "",
        "expansion",
        {"company": "Northcoast"},
        id="flights-added",
    ),
    pytest.param(
        "",
        "Tessellate Labs released version 5.0 of its open-source Tessellate database on Tuesday.",
        "product_launch",
        {"company": "Tessellate Labs"},
        id="a-numbered-version-released",
    ),
]


@pytest.mark.parametrize(("title", "text", "etype", "expected"), EVENTS)
def test_round5_item_event(
    extractor: Extractor, title: str, text: str, etype: str, expected: dict[str, Any]
) -> None:
    holds(extractor, title, text, etype, expected)


# (title, text, type that must not be found)
NO_EVENTS = [
    pytest.param(
        "",
        "Tata Consumer said it would continue to invest in capacity and distribution.",
        "expansion",
        id="continuing-to-invest-in-capacity-is-a-habit",
    ),
    pytest.param(
        "",
        "On Jan. 10, 2000, America Online agreed to buy Time Warner for $165 billion.",
        "acquisition",
        id="agreed-to-buy-on-a-dated-day-is-history",
    ),
    pytest.param(
        "Helix Bay Therapeutics Announces $75 Million Private Placement",
        "Helix Bay Therapeutics, Inc. today announced that it has entered into a securities"
        " purchase agreement with a group of institutional investors for a private placement.",
        "partnership",
        id="securities-purchase-agreement-is-funding",
    ),
    pytest.param(
        "Tessellate Robotics 8-K: Lease for new headquarters",
        'On April 7, 2025, Tessellate Robotics, Inc. (the "Company") entered into a lease'
        " agreement with Allegheny Riverfront Partners LLC for 142,000 square feet of space.",
        "partnership",
        id="a-lease-is-no-partnership",
    ),
    pytest.param(
        "Oldfield Athletic sign striker Dunne in club-record deal",
        "Oldfield Athletic have signed striker Kevin Dunne from Bristol Rovers. Dunne, 24, agreed"
        " a four-year contract and will wear shirts bearing the name of the club's new sponsor.",
        "partnership",
        id="a-sports-title-vetoes-its-text",
    ),
    pytest.param(
        "Raptors acquire guard in three-team trade",
        "The Toronto Raptors acquired guard Devin Mallory from the Sacramento Kings.",
        "acquisition",
        id="a-three-team-trade",
    ),
    pytest.param(
        "Billionaire snaps up Manhattan penthouse for $88 million",
        "",
        "acquisition",
        id="a-billionaire-buys-a-home",
    ),
    pytest.param(
        "Virgin America prices IPO at $23 a share",
        "(Reuters) - Virgin America Inc priced its initial public offering at $23 per share,"
        " raising about $307 million as the airline prepares to make its market debut.",
        "product_launch",
        id="a-market-debut-is-no-product",
    ),
    pytest.param(
        "",
        "Founded in 2016, Corvane has raised about $190 million from private investors,"
        " including a $110 million Series B round in March.",
        "funding",
        id="money-raised-since-founding",
    ),
    pytest.param(
        "Vantor Systems to acquire Halcyon Data for $2.3 billion; Halcyon scraps IPO",
        "",
        "ipo",
        id="an-ipo-scrapped",
    ),
    pytest.param(
        "", "Trellis opened 58 stores in its last fiscal year.", "expansion", id="last-fiscal-year"
    ),
    pytest.param(
        "",
        "Founder Lei Jun said Xiaomi received more than 50,000 firm orders within 27 minutes.",
        "partnership",
        id="buyers-orders-are-no-deal",
    ),
    pytest.param(
        "Alvarado Rail wins €620m order for 40 regional trains from Ferrocarriles del Sur",
        "Alvarado Rail has signed a €620 million contract with Ferrocarriles del Sur. The post"
        " Alvarado Rail wins €620m order for 40 regional trains from Ferrocarriles del Sur"
        " appeared first on Railway Gazette.",
        "funding",
        id="a-feed-footer-repeats-the-title",
    ),
    pytest.param(
        "",
        "Olympic champion Hannah Reed will lay off track training for at least three weeks.",
        "layoff",
        id="lay-off-training",
    ),
    pytest.param(
        "Norvance launches first generic of Lumirex in the U.S.",
        "",
        "expansion",
        id="a-product-launched-in-a-market",
    ),
    pytest.param(
        "Former Orrin Logistics workers sue over 2019 warehouse layoffs, alleging WARN Act"
        " violations",
        "More than 300 former employees of Orrin Logistics have filed a lawsuit accusing the"
        " freight company of laying them off without notice.",
        "layoff",
        id="a-court-case-retells-its-layoffs",
    ),
    pytest.param(
        "Corvex sues Altamed Devices, alleging stent coating patents infringed",
        "Altamed launched its newest drug-coated coronary stent in January.",
        "product_launch",
        id="a-patent-suit-retells-a-launch",
    ),
    pytest.param(
        "What would a Norvia-Castell Drug merger look like? One analyst runs the numbers",
        "In the scenario, Norvia buys Castell Drug at a 30% premium in a mostly stock deal.",
        "acquisition",
        id="a-title-asking-what-would-be",
    ),
    pytest.param(
        "",
        "Overbond Ltd. announced that it was starting a service to allow companies to sell bonds"
        " digitally.",
        "expansion",
        id="a-service-started-to-do-something-is-no-route",
    ),
    pytest.param(
        "",
        "Air New Zealand has opened bookings for Skynest on Auckland-New York flights from"
        " September.",
        "expansion",
        id="bookings-opened-on-flights",
    ),
]


@pytest.mark.parametrize(("title", "text", "etype"), NO_EVENTS)
def test_round5_item_no_event(extractor: Extractor, title: str, text: str, etype: str) -> None:
    assert one(extractor, title, text, etype) == []
