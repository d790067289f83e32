"""Wire and press-release wording: who acts when the parser or the recogniser slips (a cue
verb read as a noun, a name it does not know, "X in talks to ..., Bloomberg reports"), stock
listings, and deals that are fought or called off. Sentences written here; each row's id
names its construction."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import holds, one

# (title, text, type, what the one event of that type must hold)
EVENTS = [
    pytest.param(
        "Corvane Breaks Ground on $500M Factory in Ohio",
        "",
        "expansion",
        {"company": "Corvane", "location": "Ohio"},
        id="cue-verb-read-as-noun",
    ),
    pytest.param(
        "",
        "Brisco named Jane Doe chief executive officer.",
        "leadership_change",
        {"company": "Brisco", "person": "Jane Doe"},
        id="surname-cut-off",
    ),
    pytest.param(
        "",
        "Brisco appointed Jane Doe as its new CFO on Monday.",
        "leadership_change",
        {"company": "Brisco", "person": "Jane Doe"},
        id="person-not-recognised",
    ),
    pytest.param(
        "",
        "Jane Doe was appointed CFO of Brisco.",
        "leadership_change",
        {"company": "Brisco", "person": "Jane Doe"},
        id="employer-not-recognised",
    ),
    pytest.param(
        "",
        "Halvor Systems said Jane Doe was appointed chief financial officer.",
        "leadership_change",
        {"company": "Halvor Systems"},
        id="announcer-of-passive-appointment",
    ),
    pytest.param(
        "Halvor buys Nigeria's Quorrix for over $200 million",
        "",
        "acquisition",
        {"company": "Halvor"},
        id="target-read-as-common-noun",
    ),
    pytest.param(
        "",
        "Corvane Group said on Wednesday it had signed a multi-year agreement with Brisco"
        " Energy for the supply of battery cells.",
        "partnership",
        {"company": "Corvane Group"},
        id="announcer-named-group",
    ),
    pytest.param(
        "",
        "Halvor Corp is in talks to acquire the U.S. operations of Brisco, people familiar"
        " with the matter said on Friday.",
        "acquisition",
        {"company": "Halvor Corp", "status": "rumoured"},
        id="in-talks-to-acquire",
    ),
    pytest.param(
        "Halvor in talks to buy Brisco's US business, people familiar say",
        "",
        "acquisition",
        {"company": "Halvor", "status": "rumoured"},
        id="headline-in-talks-sources-say",
    ),
    pytest.param(
        "Corvane in talks to raise funding at $5 billion valuation, Bloomberg reports",
        "",
        "funding",
        {"company": "Corvane"},
        id="reporter-is-no-actor",
    ),
    pytest.param(
        "Brisco Bank to list on Tokyo Stock Exchange in April",
        "",
        "ipo",
        {"company": "Brisco Bank"},
        id="to-list-on-exchange",
    ),
    pytest.param(
        "Kestrel Lithium jumps 30% on ASX debut",
        "",
        "ipo",
        {"company": "Kestrel Lithium"},
        id="exchange-debut",
    ),
    pytest.param(
        "",
        "Quorrix begins trading on the NYSE",
        "ipo",
        {"company": "Quorrix"},
        id="begins-trading-on-exchange",
    ),
    pytest.param(
        "Halvor Bancshares Announces CEO Transition; Mira Tanaka to Step Down",
        "",
        "leadership_change",
        {"company": "Halvor Bancshares", "person": "Mira Tanaka"},
        id="release-title-names-its-company",
    ),
    pytest.param(
        "Brisco Bancorp Announces Efficiency Initiative; Will Eliminate Approximately 200"
        " Positions",
        "PITTSBURGH, Oct. 3, 2011 /PRNewswire/ -- Brisco Bancorp, Inc. (Nasdaq: BRSC) today"
        " announced an efficiency initiative under which it will eliminate approximately 200"
        " positions.",
        "layoff",
        {"company": "Brisco Bancorp", "count": 200},
        id="ticker-is-no-other-company",
    ),
    pytest.param(
        "",
        "HELSINKI, 21 November 2023 -- Halvor Games Oy, the independent studio behind the"
        " Frostmarch series, today debuted Tidewater, a naval survival game.",
        "product_launch",
        {"company": "Halvor Games Oy"},
        id="day-month-dateline-and-legal-form",
    ),
    pytest.param(
        "Halvor Games Debuts Shattered Tides on PC and PlayStation 5",
        "",
        "product_launch",
        {"company": "Halvor Games"},
        id="headline-verb-read-into-product-name",
    ),
    pytest.param(
        "Marcus Delaney Joins Quillon Cyber as Chief Revenue Officer",
        "",
        "leadership_change",
        {"company": "Quillon Cyber", "person": "Marcus Delaney"},
        id="joins-company-as-title",
    ),
    pytest.param(
        "Rheinwerk Logistik CFO Klaus Brenner to retire after 14 years",
        "",
        "leadership_change",
        {"company": "Rheinwerk Logistik", "person": "Klaus Brenner"},
        id="name-after-title",
    ),
    pytest.param(
        "Corvane CEO Jane Doe to step down",
        "",
        "leadership_change",
        {"company": "Corvane", "direction": "left"},
        id="headline-infinitive",
    ),
    pytest.param(
        "",
        "Halvor Energie AG has successfully placed a €500 million green bond with a maturity"
        " of eight years.",
        "funding",
        {"company": "Halvor Energie AG", "amount": 500_000_000},
        id="placed-a-bond",
    ),
    pytest.param(
        "",
        "Severn Composites Ltd has been awarded a £2.4 million grant through the ATI Programme.",
        "funding",
        {"amount": 2_400_000, "round": "grant"},
        id="awarded-a-grant",
    ),
    pytest.param(
        "",
        "Halvor College today cut the ribbon on its new $48 million Westside Campus.",
        "expansion",
        {"company": "Halvor College"},
        id="cut-the-ribbon",
    ),
    pytest.param(
        "",
        "Brisco Mills has commissioned a 500-tonne-per-day flour mill in Kano.",
        "expansion",
        {"company": "Brisco Mills"},
        id="commissioned-a-mill",
    ),
    pytest.param(
        "",
        "Corvane Chemicals today announced that it will cease production at its Lake Charles"
        " unit, resulting in the elimination of approximately 140 positions.",
        "layoff",
        {"company": "Corvane Chemicals", "count": 140},
        id="elimination-of-positions",
    ),
    pytest.param(
        "",
        "Brisco Chemicals said approximately 140 positions will be eliminated.",
        "layoff",
        {"company": "Brisco Chemicals", "count": 140},
        id="positions-to-be-eliminated",
    ),
    pytest.param(
        "",
        "Corvane Health announced a restructuring that includes a reduction of approximately"
        " 30% of its corporate workforce.",
        "layoff",
        {"percent": 30.0},
        id="reduction-of-workforce",
    ),
    pytest.param(
        "Halvor brings back Jane Doe as CEO",
        "",
        "leadership_change",
        {"company": "Halvor", "direction": "joined"},
        id="brings-back-as-ceo",
    ),
    pytest.param(
        "",
        "Quorra Labs said Jane Doe would return as chief executive.",
        "leadership_change",
        {"company": "Quorra Labs"},
        id="return-as-chief-executive",
    ),
    pytest.param(
        "Unilever makes £50bn approach for Brisco consumer health arm",
        "",
        "acquisition",
        {"company": "Unilever"},
        id="approach-for-a-business",
    ),
    pytest.param(
        "Ledgerly ousts co-founder Mark Tan as chief executive",
        "",
        "leadership_change",
        {"company": "Ledgerly", "direction": "left"},
        id="sentence-case-title-opens-with-name",
    ),
    pytest.param(
        "",
        "Halden Grid Solutions, Inc. today announced it has been selected by Pacific Mountain"
        " Electric Cooperative to deploy a metering network.",
        "partnership",
        {"company": "Halden Grid Solutions"},
        id="selected-by-a-customer",
    ),
    pytest.param(
        "",
        "Nigerian payments company Interswitch is targeting an initial public offering in"
        " 2020, its chief executive said.",
        "ipo",
        {"company": "Interswitch", "status": "announced"},
        id="targeting-an-ipo-in-a-year",
    ),
    pytest.param(
        "",
        "Harlow Group plc announces that Catherine Wynn, currently Senior Independent"
        " Director, will succeed him as Chairman.",
        "leadership_change",
        {"company": "Harlow Group plc", "person": "Catherine Wynn"},
        id="title-modifier-is-no-company",
    ),
    pytest.param(
        "",
        "Cobalt Peak Acquisition Corp. today announced the pricing of its initial public"
        " offering of 20,000,000 units at $10.00 per unit, or $200 million.",
        "ipo",
        {"amount": 200_000_000},
        id="price-per-unit-is-no-amount",
    ),
    pytest.param(
        "",
        "Stripe has raised more than $6.5 billion in a Series I round.",
        "funding",
        {"company": "Stripe"},
        id="common-word-name-as-bare-subject",
    ),
    pytest.param(
        "",
        "Tata Sons on Thursday appointed N Chandrasekaran as chairman, following the ouster of"
        " Cyrus Mistry.",
        "leadership_change",
        {"company": "Tata Sons"},
        id="company-tagged-as-person",
    ),
    pytest.param(
        "Google axes 12,000 jobs worldwide",
        "",
        "layoff",
        {"company": "Google", "count": 12000},
        id="cut-verb-read-as-plural-noun",
    ),
    pytest.param(
        "Byju's sacks 2,500 employees amid cost cutting",
        "",
        "layoff",
        {"count": 2500},
        id="sacks-employees",
    ),
    pytest.param(
        "Arm prices IPO at $51 a share, valuing chip designer at $54.5bn",
        "",
        "ipo",
        {"company": "Arm"},
        id="common-word-name-prices-ipo",
    ),
    pytest.param(
        "Toyota and BMW sign hydrogen fuel cell pact",
        "",
        "partnership",
        {"company": "Toyota"},
        id="title-opens-with-names-and-verb",
    ),
    pytest.param(
        "Tata Electronics breaks ground on Dholera semiconductor fab",
        "",
        "expansion",
        {"company": "Tata Electronics"},
        id="phrase-verb-read-as-noun-fab",
    ),
    pytest.param(
        "EXCLUSIVE: Klarna in talks to raise up to $1bn at lower valuation - sources",
        "",
        "funding",
        {"company": "Klarna", "status": "rumoured"},
        id="flagged-title-in-talks",
    ),
    pytest.param(
        "CoreWeave prices downsized IPO at $40 per share",
        "",
        "ipo",
        {"company": "CoreWeave"},
        id="headline-verb-read-as-subject",
    ),
    pytest.param(
        "Red Gum Resources Ltd (ASX:RGR) - Completion of A$30m Placement",
        "",
        "funding",
        {"company": "Red Gum Resources Ltd", "amount": 30_000_000, "currency": "AUD"},
        id="placement",
    ),
    pytest.param(
        "Acme Logistics poaches Amazon exec to run North American operations",
        "",
        "leadership_change",
        {"company": "Acme Logistics"},
        id="poaches-an-exec",
    ),
    pytest.param(
        "",
        "Harrowgate chief executive Martin Oldroyd said the combined business would close four"
        " depots, with the loss of up to 240 roles.",
        "layoff",
        {"count": 240},
        id="loss-of-roles",
    ),
    pytest.param(
        "Harrowgate to buy Pennine Parcels in £68m deal, 240 jobs at risk",
        "",
        "layoff",
        {"count": 240},
        id="jobs-at-risk",
    ),
    pytest.param(
        "",
        "NorthPeak Lithium Corp. said Thursday it intends to list its shares on the Toronto"
        " Stock Exchange before the end of the year.",
        "ipo",
        {"company": "NorthPeak Lithium Corp"},
        id="list-its-shares-on",
    ),
    pytest.param(
        "NorthPeak Lithium closes $25 million private placement ahead of TSX listing",
        "",
        "funding",
        {"company": "NorthPeak Lithium", "amount": 25_000_000},
        id="placement-before-listing",
    ),
    pytest.param(
        "Halvor Therapeutics Announces Pricing of $150 Million Public Offering of Common Stock",
        "",
        "funding",
        {"company": "Halvor Therapeutics", "amount": 150_000_000},
        id="follow-on-public-offering-is-funding",
    ),
    pytest.param(
        "Halvor Therapeutics Receives FDA Approval and Launches Zentrova in the U.S.",
        "",
        "product_launch",
        {"company": "Halvor Therapeutics"},
        id="receives-approval-and-launches",
    ),
    pytest.param(
        "Krailing Pumpen forms joint venture with Bhandari Engineering for Indian water market",
        "",
        "partnership",
        {"company": "Krailing Pumpen"},
        id="sentence-case-forms-joint-venture",
    ),
    pytest.param(
        "Spotify inks multi-year licensing deal with Universal Music Group",
        "",
        "partnership",
        {"company": "Spotify"},
        id="name-the-recogniser-calls-a-place",
    ),
    pytest.param(
        "Nvidia partners with Foxconn on new servers",
        "",
        "partnership",
        {"company": "Nvidia"},
        id="partners-with-after-a-name-called-a-place",
    ),
    pytest.param(
        "",
        "Corvina Health today announced a strategic restructuring that includes a reduction of"
        " approximately 30% of its corporate workforce.",
        "layoff",
        {"company": "Corvina Health", "percent": 30.0},
        id="announced-plan-includes-a-reduction",
    ),
    pytest.param(
        "BREAKING: Northstar Media shuts newsroom, 60 staff let go",
        "",
        "layoff",
        {"company": "Northstar Media", "count": 60},
        id="staff-let-go",
    ),
    pytest.param(
        "",
        "Apple's new tablet will launch next month.",
        "product_launch",
        {"company": "Apple", "status": "planned"},
        id="product-launches-next-month",
    ),
]


@pytest.mark.parametrize(("title", "text", "etype", "expected"), EVENTS)
def test_wire_news_event(
    extractor: Extractor, title: str, text: str, etype: str, expected: dict[str, Any]
) -> None:
    holds(extractor, title, text, etype, expected)


NO_EVENTS = [
    pytest.param(
        "FTC sues to block $25 billion Halvor-Brisco merger", "acquisition", id="sued-to-block"
    ),
    pytest.param(
        "The Federal Trade Commission sued on Monday to block Halvor's proposed acquisition of"
        " Brisco.",
        "acquisition",
        id="block-proposed-acquisition",
    ),
    pytest.param(
        "Halvor Bancorp and Brisco Financial Mutually Agree to Terminate Merger Agreement",
        "partnership",
        id="terminated-merger-agreement",
    ),
    pytest.param(
        "Halvor Bancorp and Brisco Financial today announced that they have mutually agreed to"
        " terminate their previously announced Agreement and Plan of Merger.",
        "acquisition",
        id="terminated-plan-of-merger",
    ),
    pytest.param(
        "20 years after Google's IPO, what the Dutch auction taught Wall Street",
        "ipo",
        id="years-after",
    ),
    pytest.param(
        "Corvane posts first annual operating profit since going public", "ipo", id="since"
    ),
    pytest.param(
        "Halvor Motor Company Announces Voluntary Safety Recall of Certain 2019-2020 Sable SUVs",
        "product_launch",
        id="recall-announced",
    ),
    pytest.param(
        "Kestrel Lithium jumps 30% on ASX debut", "product_launch", id="listing-is-no-launch"
    ),
    pytest.param(
        "Kibo Dynamics, which builds robotic arms that restock convenience-store shelves"
        " overnight, said it has raised 3 billion yen.",
        "expansion",
        id="requires-word-in-another-clause",
    ),
    pytest.param(
        "Harbor Freightlines has entered into a $75 million senior secured revolving credit"
        " facility with Truist Bank.",
        "expansion",
        id="credit-facility",
    ),
    pytest.param(
        "A summary of the key terms of Ms Tanaka's employment agreement is attached.",
        "partnership",
        id="employment-agreement",
    ),
    pytest.param(
        "Corvane Holdings has reached an agreement in principle to settle the securities class"
        " action.",
        "partnership",
        id="settlement",
    ),
    pytest.param(
        "Qualcomm said on Thursday it would let its offer for NXP Semiconductors expire.",
        "acquisition",
        id="offer-left-to-expire",
    ),
    pytest.param("Corvane walks away from $44 billion Brisco deal", "partnership", id="walks-away"),
    pytest.param(
        "The reduction of staff turnover helped margins.", "layoff", id="reduction-of-turnover"
    ),
    pytest.param(
        "Corvane has a special offer for new customers.", "acquisition", id="offer-for-customers"
    ),
    pytest.param("How to launch your startup on BetaList", "product_launch", id="how-to-title"),
    pytest.param(
        "Pathwise Learning Enters into Definitive Agreement to Be Acquired by Summit Ridge"
        " Capital Partners",
        "partnership",
        id="agreement-to-be-acquired",
    ),
    pytest.param(
        "Keystone Valley Bancorp, Inc. and Lakeshore Financial Corporation have entered into a"
        " definitive merger agreement, creating a regional bank with 162 branches across"
        " Pennsylvania.",
        "expansion",
        id="entered-into-an-agreement",
    ),
    pytest.param(
        "Cobalt Peak Acquisition Corp. is a blank check company formed for the purpose of"
        " effecting a merger or similar business combination.",
        "acquisition",
        id="formed-for-the-purpose",
    ),
    pytest.param(
        "There is renewed speculation that Apple could acquire Disney.",
        "acquisition",
        id="speculation-that-it-could",
    ),
    pytest.param(
        "Northwind Traders is hiring: Senior Account Executive (Remote, US)",
        "leadership_change",
        id="job-ad",
    ),
    pytest.param(
        "Senate commission to review Cardama contract after Uruguay cancels ocean patrol vessel"
        " deal",
        "partnership",
        id="noun-after-opening-name",
    ),
    pytest.param(
        "Form 8-K: Harbor Lane Biosciences, Inc. - Entry into a Material Definitive Agreement"
        " ($75 Million Term Loan Facility)",
        "partnership",
        id="material-definitive-agreement",
    ),
    pytest.param(
        "The ACCC said on Thursday it opposed the proposed acquisition of Redbank Concrete by"
        " Ironbark Quarries.",
        "acquisition",
        id="opposed-acquisition",
    ),
    pytest.param(
        "Brightline Insurance Group and Carrow Mutual have ended talks about a possible merger.",
        "acquisition",
        id="ended-talks-about-a-merger",
    ),
    pytest.param(
        "Brightline Insurance and Carrow Mutual call off merger talks",
        "acquisition",
        id="call-off-merger-talks",
    ),
    pytest.param(
        "The company says the platform will sign a business associate agreement with every"
        " customer.",
        "partnership",
        id="agreement-with-every-customer",
    ),
    pytest.param(
        "Glenmore Outdoor Brands Withdraws Registration Statement for Proposed Initial Public"
        " Offering",
        "ipo",
        id="withdrawn-ipo",
    ),
    pytest.param(
        "Glenmore Outdoor Brands said it does not intend to pursue a public offering.",
        "funding",
        id="does-not-intend-to-pursue",
    ),
    pytest.param(
        "Halvor Therapeutics Announces Pricing of $150 Million Public Offering of Common Stock",
        "ipo",
        id="follow-on-offering-is-no-ipo",
    ),
]


@pytest.mark.parametrize(("title", "etype"), NO_EVENTS)
def test_wire_news_no_event(extractor: Extractor, title: str, etype: str) -> None:
    assert one(extractor, title, "", etype) == []


def test_a_continent_is_no_company(extractor: Extractor) -> None:
    text = (
        "Porsche AG shares opened at €84, valuing the carmaker at about €75 billion in one of"
        " Europe's biggest IPOs on record."
    )
    assert "Europe" not in {e.company for e in one(extractor, "", text)}


def test_ipo_money_is_no_second_funding_event(extractor: Extractor) -> None:
    events = one(
        extractor,
        "Lumenvault prices IPO above range, raising $640 million",
        "The Austin, Texas-based company sold 20 million shares at $32 each, above the range of"
        " $27 to $30 it had set last week, raising $640 million.",
    )
    assert [e.type for e in events] == ["ipo"]


def test_former_employer_is_not_the_company(extractor: Extractor) -> None:
    for text in (
        "At the same time, former Loblaw executive Donald Pike will retire from the board.",
        "At the same time, longtime director and former Loblaw executive Donald Pike will retire"
        " from the board after 18 years, the company confirmed this week.",
    ):
        assert "Loblaw" not in {e.company for e in one(extractor, "", text, "leadership_change")}
