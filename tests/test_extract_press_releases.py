"""Press releases and wire stories: their headlines, datelines and legal style.

Written for this project in the shape of real releases (none is copied from one).
"""

from __future__ import annotations

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import one

CASES: list[tuple[str, str, str, str, str | None]] = [
    # (why, title, text, type, company); None: no event of that type
    (
        "headline: an agreement is nobody",
        "Acme Corp. Signs Definitive Agreement to Acquire Bolt Inc.",
        "",
        "acquisition",
        "Acme Corp",
    ),
    (
        "dateline with wire name",
        "Company news",
        "SAN FRANCISCO, March 3, 2026 /PRNewswire/ -- Acme Corp. (NASDAQ: ACME) today"
        " announced it has entered into a definitive agreement to acquire Bolt Inc. for"
        " $250 million in cash.",
        "acquisition",
        "Acme Corp",
    ),
    (
        "dateline alone",
        "Company news",
        "BOSTON -- Kestrel Security, a leader in cloud security, today announced the"
        " appointment of Jane Doe as Chief Revenue Officer.",
        "leadership_change",
        "Kestrel Security",
    ),
    (
        "wire dateline",
        "Company news",
        "LONDON, Jan 5 (Reuters) - Velk Foods said on Tuesday it would cut 1,200 jobs.",
        "layoff",
        "Velk Foods",
    ),
    (
        "a name the recogniser cut short",
        "Lumen AI Raises $40 Million Series C Led by Sequoia",
        "",
        "funding",
        "Lumen AI",
    ),
    (
        "a deal to buy",
        "Company news",
        "Acme has reached a deal to buy Bolt.",
        "acquisition",
        "Acme",
    ),
    ("cut jobs", "Ford to Cut 1,400 Jobs as Pressure Grows on Profits", "", "layoff", "Ford"),
    (
        "eliminate positions",
        "Company news",
        "Velk will eliminate about 500 positions, or 8% of its workforce.",
        "layoff",
        "Velk",
    ),
    (
        "reduce its workforce",
        "Company news",
        "Velk plans to reduce its workforce by 10%.",
        "layoff",
        "Velk",
    ),
    (
        "trim headcount",
        "Company news",
        "Velk will trim its global headcount by about 5%.",
        "layoff",
        "Velk",
    ),
    (
        "a name's full stop is no sentence end",
        "Company news",
        "Acme Corp. (NASDAQ: ACME) said it will open a plant in Ohio.",
        "expansion",
        "Acme Corp",
    ),
    (
        "plans to open",
        "Company news",
        "Acme has plans to open a plant in Ohio.",
        "expansion",
        "Acme",
    ),
    (
        "an offer to acquire",
        "Company news",
        "Acme made an offer to acquire Bolt.",
        "acquisition",
        "Acme",
    ),
    (
        "completes its own deal",
        "Company news",
        "Acme today completed its previously announced acquisition of Bolt Inc.",
        "acquisition",
        "Acme",
    ),
    (
        "closes its own round",
        "Company news",
        "Acme closed its $20 million Series B round on Tuesday.",
        "funding",
        "Acme",
    ),
    # Cuts that are no layoff.
    (
        "a tax cut",
        "Company news",
        "But the assertion that some of the corporate tax cut will flow to workers is sound.",
        "layoff",
        None,
    ),
    ("prices", "Company news", "Velk cut prices on its cereal by 10%.", "layoff", None),
    ("costs", "Company news", "The cuts will reduce staff costs by $40 million.", "layoff", None),
    ("history", "Company news", "Velk shed 300 jobs in 2019.", "layoff", None),
    # A deal in which a company changes hands is a takeover, not a partnership.
    (
        "a deal to sell a unit",
        "Company news",
        "Velk reached an agreement to sell Orbis, its European unit, to Harlow Group.",
        "partnership",
        None,
    ),
    (
        "a deal to buy",
        "Company news",
        "Velk signed a deal to buy Harlow Dairy.",
        "partnership",
        None,
    ),
    (
        "a deal to sell products",
        "Company news",
        "Velk signed a deal to sell its cereal through Harlow Stores.",
        "partnership",
        "Velk",
    ),
    (
        "an agreement to merge",
        "Company news",
        "Velk Foods and Harlow Dairy signed an agreement to merge.",
        "acquisition",
        "Velk Foods",
    ),
    # Money that is no financing round, an IPO that is a bank's job.
    (
        "asset sales",
        "Company news",
        "Velk could raise $2 billion by selling its packaging business.",
        "funding",
        None,
    ),
    (
        "underwriters",
        "Company news",
        "Morgan Stanley and Goldman Sachs are underwriting the initial public offering.",
        "ipo",
        None,
    ),
    (
        "underwriters of a named IPO",
        "Company news",
        "Morgan Stanley is underwriting Velk's initial public offering.",
        "ipo",
        "Velk",
    ),
]


@pytest.mark.parametrize(
    ("why", "title", "text", "etype", "company"), CASES, ids=[c[0] for c in CASES]
)
def test_press_release_events(
    extractor: Extractor, why: str, title: str, text: str, etype: str, company: str | None
) -> None:
    expected = [company] if company else []
    assert [e.company for e in one(extractor, title, text, etype)] == expected, (title, text)


def test_one_event_per_company_whatever_its_legal_suffix(extractor: Extractor) -> None:
    title = "Quorra Files for Nasdaq IPO"
    text = "Quorra Inc. has filed for an initial public offering on the Nasdaq under QRRA."
    assert len(one(extractor, title, text, "ipo")) == 1


def test_the_legal_company_is_no_name(extractor: Extractor) -> None:
    """Press-release and filing style: "the Company" refers back, even when tagged ORG."""
    text = "Much of the coverage centered on the Company's decision to go public."
    assert [e.company for e in one(extractor, "", text, "ipo")] in ([], [None])
