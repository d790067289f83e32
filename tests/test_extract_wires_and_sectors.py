"""Press-release titles and trade-press items of many sectors: appointments titled with an
honorific or a former post ("Names Dr. Olufemi Adeleke President"), releases whose company
the recogniser calls a person, two companies listed before a headline's verb, and the
title's telling leading the text's. Sentences written here (names invented); each row's id
names its construction."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import holds, one

# (title, text, type, what the one event of that type must hold)
EVENTS = [
    pytest.param(
        "Torvald, Menzies sign fuel cell pact",
        "",
        "partnership",
        {"company": "Torvald"},
        id="two-names-listed-before-a-verb-read-as-noun",
    ),
    pytest.param(
        "St. Aldric Regional Health Names Dr. Kemi Oduya President and Chief Executive Officer",
        "",
        "leadership_change",
        {"company": "St. Aldric Regional Health", "person": "Kemi Oduya"},
        id="appointee-after-an-honorific",
    ),
    pytest.param(
        "Varnell Therapeutics Names Former FDA Official Dr. Marcus Webb Independent Chair",
        "",
        "leadership_change",
        {"company": "Varnell Therapeutics", "person": "Marcus Webb"},
        id="appointee-after-a-former-post",
    ),
    pytest.param(
        "St. Aldric Regional Health Names Dr. Kemi Oduya President and Chief Executive Officer",
        "SPRINGFIELD, Ill., April 22, 2019 /PRNewswire/ -- The Board of Trustees of St. Aldric"
        " Regional Health has named Kemi Oduya, M.D., as President and Chief Executive Officer,"
        " effective June 1, 2019. Dr. Oduya, currently Chief Operating Officer of a"
        " five-hospital system in Indiana, succeeds Kathleen Moore.",
        "leadership_change",
        {
            "company": "St. Aldric Regional Health",
            "person": "Kemi Oduya",
            "title": "President",
            "from_title": True,
        },
        id="title-telling-leads-the-texts",
    ),
    pytest.param(
        "Quintessa Cloud Appoints Rachel Dunmore Chief Revenue Officer",
        "AUSTIN, Texas--(BUSINESS WIRE)--Quintessa Cloud, a provider of observability software"
        " for Kubernetes environments, today announced the appointment of Rachel Dunmore as"
        " Chief Revenue Officer.",
        "leadership_change",
        {"company": "Quintessa Cloud", "person": "Rachel Dunmore"},
        id="release-company-tagged-a-person",
    ),
    pytest.param(
        "",
        "Quintessa Cloud, a provider of observability software for Kubernetes environments,"
        " today announced the appointment of Rachel Dunmore as Chief Revenue Officer.",
        "leadership_change",
        {"company": "Quintessa Cloud", "person": "Rachel Dunmore"},
        id="appointment-of-a-person-described-company-announces",
    ),
    pytest.param(
        "",
        "Varnell Therapeutics, Inc. (NASDAQ: VRNL) today announced that its Board of Directors"
        " has elected Piers Halloran, M.D., as independent Chair, effective immediately.",
        "leadership_change",
        {"company": "Varnell Therapeutics"},
        id="announcer-before-a-ticker-not-the-exchange",
    ),
    pytest.param(
        "",
        "The Board of Trustees of Marrow Valley Health has named Tilde Okafor as chief executive.",
        "leadership_change",
        {"company": "Marrow Valley Health"},
        id="board-of-trustees-of-a-company",
    ),
    pytest.param(
        "Kelpa raises $450 million at $7 billion valuation ahead of planned IPO",
        "",
        "funding",
        {"company": "Kelpa", "amount": 450_000_000},
        id="round-ahead-of-a-planned-listing",
    ),
    pytest.param(
        "Halden Hotels signs deal with Sandhu Group to open 30 hotels across India",
        "",
        "partnership",
        {"company": "Halden Hotels", "partners": ["Sandhu Group"]},
        id="headline-sign-read-as-noun-deal-as-verb",
    ),
    pytest.param(
        "Corvane lands Army enterprise agreement worth up to $10 billion",
        "",
        "partnership",
        {"company": "Corvane"},
        id="agreement-read-as-subject-of-worth",
    ),
    pytest.param(
        "Wesfarmers wins control of Pellham after rival bid falls away",
        "",
        "acquisition",
        {"company": "Wesfarmers", "target": "Pellham"},
        id="control-won-by-a-plural-looking-name",
    ),
    pytest.param(
        "",
        "Marrow Group has secured control of Pellham Industries after its offer was declared"
        " unconditional.",
        "acquisition",
        {"company": "Marrow Group"},
        id="control-secured",
    ),
    pytest.param(
        "Kenya Airways to launch direct Nairobi-Lagos flights from October",
        "",
        "expansion",
        {"company": "Kenya Airways", "kind": "market"},
        id="new-route-is-an-expansion",
    ),
    pytest.param(
        "",
        "Pacifica Line will launch a new weekly service linking China and South Korea with"
        " Manzanillo from May 12, the carrier said.",
        "expansion",
        {"company": "Pacifica Line"},
        id="new-shipping-service-between-places-is-an-expansion",
    ),
    pytest.param(
        "Deccan Finance Bank elevates Rajiv Menon as deputy MD",
        "",
        "leadership_change",
        {"company": "Deccan Finance Bank"},
        id="elevated-as-deputy-md",
    ),
    pytest.param(
        "Tallin's investors vote to remove founder Arjun Mehta as CEO",
        "",
        "leadership_change",
        {"person": "Arjun Mehta", "direction": "left"},
        id="removed-as-chief-with-the-name-between",
    ),
    pytest.param(
        "Marrow Valley Motors finalizes $6.5 billion DOE loan for Georgia factory",
        "",
        "funding",
        {"company": "Marrow Valley Motors", "amount": 6_500_000_000},
        id="loan-finalized",
    ),
    pytest.param(
        "Andes Copper closes US$1.4bn project finance facility for Huaraca mine",
        "",
        "funding",
        {"company": "Andes Copper", "amount": 1_400_000_000},
        id="project-finance-facility-closed",
    ),
    pytest.param(
        "Tandem Pay secures NZ$15m debt facility from Kiwibank",
        "",
        "funding",
        {"company": "Tandem Pay", "currency": "NZD"},
        id="dollar-prefix-the-tokenizer-lacked",
    ),
    pytest.param(
        "",
        "Riverside Children's Hospital has received a $100 million gift from the Marlow Family"
        " Foundation to build a behavioral health center.",
        "funding",
        {"company": "Riverside Children's Hospital", "amount": 100_000_000},
        id="gift-to-an-organisation",
    ),
    pytest.param(
        "Hanwha Ocean wins $1.1 billion order for four LNG carriers from Greek shipowner",
        "",
        "partnership",
        {"company": "Hanwha Ocean"},
        id="order-won-with-its-value",
    ),
    pytest.param(
        "BHEL bags Rs 2,500 crore order from NTPC",
        "",
        "partnership",
        {"company": "BHEL"},
        id="order-bagged-from-a-customer",
    ),
    pytest.param(
        "Marchetti Holdings Launches Unsolicited $1.2 Billion Tender Offer for Veltri Packaging",
        "",
        "acquisition",
        {"company": "Marchetti Holdings", "target": "Veltri Packaging"},
        id="tender-offer-launched",
    ),
    pytest.param(
        "CVC to buy Unilever's tea business ekaterra for €4.5bn",
        "",
        "acquisition",
        {"company": "CVC"},
        id="business-named-after-a-company-word",
    ),
    pytest.param(
        "First Prairie Bancorp and Heartland Valley Financial Announce Merger Agreement",
        "",
        "acquisition",
        {"company": "First Prairie Bancorp"},
        id="merger-agreement-announced",
    ),
    pytest.param(
        "Granville-Soto consortium awarded £1.4bn HS2 tunnelling contract",
        "",
        "partnership",
        {"company": "Granville-Soto"},
        id="consortium-named-by-its-members",
    ),
    pytest.param(
        "",
        "Veridian Wafer Technologies plans to invest $1.1 billion over five years to double"
        " wafer production capacity at its fab in Chandler, Arizona.",
        "expansion",
        {"company": "Veridian Wafer Technologies"},
        id="capacity-doubled-at-a-site",
    ),
    pytest.param(
        "Hualin Pharma licenses Greater China rights to Norvia's obesity drug",
        "",
        "partnership",
        {"company": "Hualin Pharma"},
        id="rights-licensed",
    ),
    pytest.param(
        "Oncaris Bio Enters into Exclusive License Agreement with Kisaragi Pharmaceutical",
        "",
        "partnership",
        {"company": "Oncaris Bio"},
        id="license-agreement-title-keeps-its-company",
    ),
    pytest.param(
        "Northwind Games to List on NYSE Through Direct Listing",
        "",
        "ipo",
        {"company": "Northwind Games", "exchange": "NYSE"},
        id="direct-listing-planned",
    ),
    pytest.param(
        "Voltaro completes SPAC merger, begins trading on Nasdaq",
        "",
        "ipo",
        {"company": "Voltaro"},
        id="spac-merger-is-a-listing",
    ),
    pytest.param(
        "",
        "Halvor Foods is letting go of 80 employees in its marketing department.",
        "layoff",
        {"company": "Halvor Foods", "count": 80},
        id="employees-let-go",
    ),
    pytest.param(
        "",
        "Halvor Foods plans to downsize its sales team by 60 people.",
        "layoff",
        {"company": "Halvor Foods"},
        id="team-downsized",
    ),
    pytest.param(
        "Kestrel Mills",
        "About 500 jobs will go at Kestrel Mills under the plan.",
        "layoff",
        {"company": "Kestrel Mills"},
        id="jobs-will-go",
    ),
    pytest.param(
        "",
        "Halvor Foods has signed a lease for 80,000 square feet of office space in Denver.",
        "expansion",
        {"company": "Halvor Foods", "location": "Denver"},
        id="lease-signed-for-space",
    ),
    pytest.param(
        "",
        "Halvor Foods unveiled plans for a $1 billion campus in Arizona.",
        "expansion",
        {"company": "Halvor Foods"},
        id="plans-for-a-site",
    ),
    pytest.param(
        "Halvor Foods plans $500M plant in Ohio",
        "",
        "expansion",
        {"company": "Halvor Foods"},
        id="site-planned-in-a-title",
    ),
    pytest.param(
        "Halvor Foods chooses Tulsa for $1 billion factory",
        "",
        "expansion",
        {"company": "Halvor Foods", "location": "Tulsa"},
        id="place-chosen-for-a-site",
    ),
    pytest.param(
        "",
        "Halvor Foods has launched operations in Brazil.",
        "expansion",
        {"company": "Halvor Foods", "location": "Brazil"},
        id="operations-launched-in-a-country",
    ),
    pytest.param(
        "Halvor Foods welcomes Jane Doe as Chief Revenue Officer",
        "",
        "leadership_change",
        {"company": "Halvor Foods", "person": "Jane Doe"},
        id="executive-welcomed",
    ),
    pytest.param(
        "Korean beauty startup Glowtown enters Japan",
        "Seoul-based Glowtown has launched its storefront in Japan, its second market.",
        "expansion",
        {"company": "Glowtown"},
        id="storefront-launched-in-a-country",
    ),
    pytest.param(
        "County awards 5-year ambulance contract to Lifeline EMS",
        "County commissioners voted unanimously Wednesday to award a five-year contract for"
        " emergency ambulance service to Lifeline EMS.",
        "partnership",
        {"company": "Lifeline EMS"},
        id="public-buyer-awards-to-a-vendor",
    ),
    pytest.param(
        "",
        "The U.S. Army has awarded Corvane Technologies an enterprise agreement worth up to $10"
        " billion.",
        "partnership",
        {"company": "Corvane Technologies", "partners": ["The U.S. Army"]},
        id="public-buyer-awards-a-vendor-dative",
    ),
    pytest.param(
        "",
        "The Board of Aldermen on Tuesday approved a $1.1 million contract with Hanson Layne"
        " Engineering to design upgrades to the city's water plant.",
        "partnership",
        {"company": "Hanson Layne Engineering"},
        id="public-buyer-approves-a-contract-with-a-vendor",
    ),
    pytest.param(
        "Manchester City sign record kit deal with Puma",
        "",
        "partnership",
        {"company": "Manchester City"},
        id="a-club-named-city-is-no-public-buyer",
    ),
    pytest.param(
        "",
        "Streaming service Reelhouse has launched in India with an ad-supported plan.",
        "expansion",
        {"company": "Reelhouse"},
        id="launched-in-a-country-is-a-market-entered",
    ),
    pytest.param(
        "Redline Express shuts down, leaving 800 drivers without work",
        "",
        "layoff",
        {"company": "Redline Express"},
        id="shutdown-leaves-staff-without-work",
    ),
    pytest.param(
        "",
        "Ecommerce platform Storely has made an unsolicited offer to buy smaller rival Cartloop"
        " for about $300 million in cash.",
        "acquisition",
        {"company": "Storely", "target": "Cartloop"},
        id="new-name-after-a-descriptor-tagged-an-adverb",
    ),
    pytest.param(
        "",
        "The Gulf Coast Regional Port Authority board has named Jonathan Daigle as executive"
        " director.",
        "leadership_change",
        {"company": "Regional Port Authority"},
        id="board-named-by-a-name-tagged-a-place",
    ),
    pytest.param(
        "Halvorsen Foods names Sarah Chen as CEO; David Olsen steps down as chairman",
        "",
        "leadership_change",
        {"company": "Halvorsen Foods"},
        id="person-later-in-a-title-appoints-nobody",
    ),
]


@pytest.mark.parametrize(("title", "text", "etype", "expected"), EVENTS)
def test_wire_and_sector_item_event(
    extractor: Extractor, title: str, text: str, etype: str, expected: dict[str, Any]
) -> None:
    holds(extractor, title, text, etype, expected)


# (title, text, type that must not be found)
NO_EVENTS = [
    pytest.param(
        "Kelpa raises $450 million at $7 billion valuation ahead of planned IPO",
        "",
        "ipo",
        id="listing-a-round-prepares-for",
    ),
    pytest.param(
        "Kenya Airways to launch direct Nairobi-Lagos flights from October",
        "",
        "product_launch",
        id="route-is-no-product",
    ),
    pytest.param(
        "T-Mobile launches T-Satellite texting service with Starlink",
        "",
        "expansion",
        id="hyphenated-product-name-is-no-route",
    ),
    pytest.param(
        "",
        "Hafiz, 49, will succeed Ahmad Zaki, taking over from him on June 1, the company said.",
        "acquisition",
        id="taking-over-from-a-predecessor",
    ),
    pytest.param(
        "",
        "Iger, 54, will take over on Oct. 1, the board said.",
        "acquisition",
        id="take-over-a-post",
    ),
    pytest.param(
        "",
        "Halvor has leapfrogged Exxon Mobil in the list, taking over the perch as the largest"
        " public company in Texas.",
        "acquisition",
        id="taking-over-a-rank",
    ),
    pytest.param(
        "",
        "Ledgerline's 85 employees are expected to join Corvanta, and co-founders Dana"
        " Whitfield and Luis Ortega will lead a new product group.",
        "leadership_change",
        id="a-bought-companys-staff-join-the-buyer",
    ),
    pytest.param(
        "",
        "Co-founders Dana Whitfield and Luis Ortega will lead a new product group.",
        "product_launch",
        id="new-product-group-is-a-team",
    ),
    pytest.param(
        "",
        "DBS plans to cut about 4,000 contract staff over the next three years, outgoing chief"
        " executive Piyush Gupta said on Monday.",
        "leadership_change",
        id="outgoing-chief-who-speaks",
    ),
    pytest.param(
        "BHP to cut 750 jobs in Queensland coal business",
        "BHP Mitsui Coal, a joint venture between BHP and Mitsui, said on Tuesday it would cut"
        " about 750 jobs.",
        "partnership",
        id="joint-venture-describing-the-speaker",
    ),
    pytest.param(
        "25 years ago today: AOL and Time Warner announce the merger that didn't work",
        "On January 10, 2000, America Online agreed to buy Time Warner for $165 billion.",
        "acquisition",
        id="a-title-that-looks-back",
    ),
    pytest.param(
        "Gulf Power & Water Co. raises $2 billion from dual-tranche sukuk",
        "The company received more than $9.5 billion in orders.",
        "partnership",
        id="bond-orders-are-no-customer-order",
    ),
    pytest.param(
        "",
        "Linden Components and Arcadia Electric have agreed to terminate their merger"
        " agreement, under which Arcadia would have acquired Linden for $31.50 per share.",
        "acquisition",
        id="would-have-acquired",
    ),
    pytest.param(
        "",
        "As previously announced on October 19, 2021, Lumen Peak agreed to acquire Fairhaven"
        " for $22.75 per share in cash.",
        "acquisition",
        id="reminder-of-earlier-news",
    ),
    pytest.param(
        "Customer Story: Alpine Ridge Credit Union Modernizes Member Onboarding",
        "Alpine Ridge redesigned identity verification and instant funding, cutting"
        " abandonment to 22%. Nearly 60% of applicants quit before funding their accounts.",
        "funding",
        id="customer-story-and-funding-an-account",
    ),
    pytest.param(
        "",
        "Nearly 60% of applicants quit before funding their accounts.",
        "funding",
        id="funding-as-paying-in",
    ),
    pytest.param(
        "Gulf Crescent Bank launches Tijara, a digital-only bank for SMEs",
        "The platform lets business owners open an account in minutes, and offers invoice"
        " financing, corporate cards and payroll services.",
        "funding",
        id="financing-a-product-offers",
    ),
    pytest.param(
        "Ridgeway Industrial Completes $50 Million Accelerated Share Repurchase",
        "Ridgeway Industrial Corp. today announced the completion of its $50 million"
        " accelerated share repurchase agreement with Goldman Sachs & Co. LLC.",
        "partnership",
        id="buyback-agreement-with-a-bank",
    ),
    pytest.param(
        "Lumaforge Studio 4.2.1 Release Notes",
        "This maintenance release fixes a crash when exporting files. Lumaforge Studio 4.2.1"
        " is available now as a free update.",
        "product_launch",
        id="release-notes",
    ),
    pytest.param(
        "Walkout at Halvorsen Motors' Ghent plant enters second week",
        "",
        "expansion",
        id="strike-enters-a-week",
    ),
    pytest.param(
        "Harlan-Reyes JV wins $800M design-build contract for airport's Terminal C",
        "",
        "expansion",
        id="contractor-design-build-contract",
    ),
    pytest.param(
        "GAO sustains protest of Army's $2.3 billion tactical radio award",
        "The Government Accountability Office has sustained a protest by Halcott"
        " Communications against the Army's award of a $2.3 billion contract to rival Vantor"
        " Systems.",
        "partnership",
        id="protest-of-a-contract-award",
    ),
    pytest.param(
        "",
        "Aseman Airlines signed a final purchase agreement with Boeing for 30 737 Max jets.",
        "acquisition",
        id="purchase-agreement-for-things",
    ),
    pytest.param(
        "",
        "Acme has a licensed bank in Kenya and lost its license in Uganda.",
        "partnership",
        id="licence-held-or-lost",
    ),
    pytest.param(
        "",
        "Halvor Foods plans to close the plant in Ohio next year.",
        "expansion",
        id="plans-to-close-a-site",
    ),
    pytest.param(
        "",
        "Halvor Foods has launched operations in Brazil.",
        "product_launch",
        id="operations-are-no-product",
    ),
    pytest.param(
        "Tallyfin freezes hiring but says 'no layoffs on the table'",
        "",
        "layoff",
        id="no-layoffs",
    ),
    pytest.param(
        "Mindloom CEO shoots down report of Google acqui-hire",
        "Mindloom's CEO on Thursday denied a report that Google was in talks to acqui-hire the"
        " startup's team.",
        "leadership_change",
        id="acqui-hire-report-shot-down",
    ),
    pytest.param(
        "Drawbridge lets employees cash out in $100M tender offer",
        "",
        "funding",
        id="employee-tender-offer",
    ),
    pytest.param(
        "",
        "Cartwheel has frozen hiring and paused plans to open a second office in Toronto.",
        "expansion",
        id="plans-paused",
    ),
    pytest.param("Stripe acquires Paystack (2020)", "", "acquisition", id="archive-title-dated"),
    pytest.param(
        "FACTBOX-The biggest lithium deals of the past five years",
        "Rio Tinto agreed to buy Arcadium Lithium for $6.7 billion.",
        "acquisition",
        id="factbox-of-past-deals",
    ),
    pytest.param(
        "",
        "While the 1.6-liter was designed and launched in Europe months before, GM has not been"
        " implicated.",
        "expansion",
        id="a-product-launched-in-a-place",
    ),
]


@pytest.mark.parametrize(("title", "text", "etype"), NO_EVENTS)
def test_wire_and_sector_item_no_event(
    extractor: Extractor, title: str, text: str, etype: str
) -> None:
    assert one(extractor, title, text, etype) == []


def test_a_credit_rating_is_no_minor_league_sport(extractor: Extractor) -> None:
    """The sports veto names minor-league teams, not a "triple-A credit rating"."""
    text = (
        "Despite its $30 billion acquisition of Actelion this month, the company was able to"
        " maintain its coveted triple-A credit rating."
    )
    assert [e.type for e in one(extractor, "", text)] == ["acquisition"]


def test_a_company_is_no_location(extractor: Extractor) -> None:
    (ev,) = one(extractor, "Hilton signs deal with Sandhu Group to open 30 hotels", "", "expansion")
    assert ev.company == "Hilton" and ev.attributes.get("location") != "Hilton"


def test_a_title_never_names_its_second_person_the_company(extractor: Extractor) -> None:
    events = one(
        extractor, "Halvorsen Foods names Sarah Chen as CEO; David Olsen steps down as chairman"
    )
    assert "David Olsen" not in {e.company for e in events}
