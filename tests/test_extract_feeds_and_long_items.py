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
