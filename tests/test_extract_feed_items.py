"""Whole feed items from blogs and general news: the events they do and do not carry.

Each construction comes from an error read on the labelled feed items
(tests/fixtures/eval/feed_items.jsonl); the sentences here are our own. One table says what
gives no event (of a type, or of any type: None), one what still does.
"""

from __future__ import annotations

import pytest

from extractors.nlp import Extractor, _same_company
from tests.test_extract_nlp import one

# A whole article's lead: over LEAD_CHARS of prose without a cue, so what follows is "deep".
LEAD = "The weather in Leeds was mild on Tuesday, and the trains ran on time. " * 32
STORY = "Halden Foods reports a strong quarter"

NO_EVENT: list[tuple[str, str, str, str | None]] = [
    # (why, title, text, type or None for any)
    # Nobody a rep sells to: the writer, the reader, or nothing at all.
    (
        "writer",
        "Podcast: our week",
        "We start this week with news: we bought a Super Bowl ad!",
        None,
    ),
    ("no actor", "Running tests faster", "Most of the memory is released when a test ends.", None),
    (
        "a teacher",
        "Learning a new language",
        "Last week, my son's new teacher told us he intended to introduce programming"
        " to the class.",
        None,
    ),
    (
        "a record",
        "Jazz I love",
        "It was the first record I owned, and it in turn introduced me to bebop.",
        None,
    ),
    (
        "my job",
        "Podcasting gear",
        "We're in the planning phase of launching a new podcast at my new job.",
        None,
    ),
    (
        "unresolved they",
        "My favourite design systems",
        "I saw a talk about design systems the day they released Spectrum CSS.",
        None,
    ),
    # Cue words used for something other than a new event.
    (
        "prefix",
        "SEC Charges Paul Doe and Doe Consulting with Acting as Brokers for Pre-IPO Stocks",
        "",
        "ipo",
    ),
    ("aside", "", "I worked on Pico (acquired by Harlow Labs), then joined Fathen.", "acquisition"),
    (
        "description",
        "",
        "Mira Osei, retired founder of Brannock, said the tools have changed.",
        None,
    ),
    ("tutorial", "", "An Introduction to Test-Driven Development", "product_launch"),
    ("tutorial", "", "Model View Presenters: Introduction", "product_launch"),
    ("ended", "", "Uruguay cancels ocean patrol vessel deal with Cardama", "partnership"),
    ("money", "", "Board of Peace will unveil $5 billion in pledges at its first meeting", None),
    ("changes", "", "The changes introduced by Tarven Media put a stop to that.", "product_launch"),
    (
        "presenting",
        "",
        "Jo Park of Brannock kicked off day two by introducing us to the Pi Zero.",
        None,
    ),
    (
        "task force",
        "",
        "Acting Chairman Uyeda launched a crypto task force on Tuesday.",
        "product_launch",
    ),
    (
        "merge a value",
        "S3 uploads",
        "We use the template_file data block to merge in a value.",
        "acquisition",
    ),
    # History, totals and proceeds.
    (
        "dated month",
        "",
        "In November 2009 the company announced that it'd raised $9 million from Benchmark.",
        "funding",
    ),
    (
        "history stays history when the company is borrowed",
        "Tarven Media launches its planner to the public",
        "Tarven Media opened its planner to everyone today. In November 2019 the company"
        " announced that it had raised $9 million from Benchmark Capital.",
        "funding",
    ),
    (
        "until",
        "Bugs, browsers and bookmarklets",
        "I've always been a fan of the clean UI of Opera but due to all the cool kids and"
        " their webkits up until Opera Next was released I used Chrome.",
        "product_launch",
    ),
    (
        "before",
        "Tablets",
        "Before Halden launched its tablet in 2012, it sold only phones.",
        "product_launch",
    ),
    (
        "to date",
        "Halden news",
        "To date, Halden has raised nearly $100 million from Battery.",
        "funding",
    ),
    (
        "so far",
        "Halden news",
        "Halden has raised $9 million so far from angel investors.",
        "funding",
    ),
    # Deep in a story, other companies' events are passing mentions, and a pronoun there
    # may mean any company named near it.
    ("deep, someone else", STORY, LEAD + "Velk Dairy will open a plant in Ohio.", "expansion"),
    ("deep, a pronoun", STORY, LEAD + "It will open a new plant in Ohio next year.", "expansion"),
    (
        "nobody acts in 'there is'",
        "Podcasts grow up",
        "There's more funding for podcasters (Velk Radio is a big proponent of exclusives).",
        "funding",
    ),
    (
        "IPO proceeds",
        "Halden news",
        "Halden aims to raise as much as $131 million in the offering and priced its IPO"
        " at $11 to $13 a share.",
        "funding",
    ),
]

EVENT: list[tuple[str, str, str, str, str | None]] = [
    # (why, title, text, type, company)
    (
        "a lone sentence is an excerpt",
        "",
        "The company will open a new plant in Ohio.",
        "expansion",
        None,
    ),
    (
        "the rest of the sentence",
        "",
        "Velk signed a supply deal with Harlow after Orm cancelled it.",
        "partnership",
        "Velk",
    ),
    (
        "speaker",
        "News",
        "Brannock said that chief financial officer Jo Lee will retire in May.",
        "leadership_change",
        "Brannock",
    ),
    (
        "speaker",
        "News",
        "Tarven Media announced it will open an office in Leeds.",
        "expansion",
        "Tarven Media",
    ),
    (
        "future month",
        "",
        "Tarven Media will open a plant in Ohio in March 2031.",
        "expansion",
        "Tarven Media",
    ),
    (
        "merge with",
        "",
        "Velk Foods will merge with Harlow Dairy next year.",
        "acquisition",
        "Velk Foods",
    ),
    (
        "agreed to merge",
        "",
        "Velk Foods and Harlow Dairy agreed to merge in a $2 billion deal.",
        "acquisition",
        "Velk Foods",
    ),
    (
        "deep, the story's own company",
        STORY,
        LEAD + "Halden Foods will open a new plant in Ohio next year.",
        "expansion",
        "Halden Foods",
    ),
    (
        "a new round that mentions the total",
        "Halden news",
        "Halden raised $20 million in a Series B, bringing its funding to date to $50 million.",
        "funding",
        "Halden",
    ),
]


@pytest.mark.parametrize(("why", "title", "text", "etype"), NO_EVENT, ids=[r[0] for r in NO_EVENT])
def test_no_event(extractor: Extractor, why: str, title: str, text: str, etype: str | None) -> None:
    assert not one(extractor, title, text, etype), text


@pytest.mark.parametrize(
    ("why", "title", "text", "etype", "company"), EVENT, ids=[r[0] for r in EVENT]
)
def test_event(
    extractor: Extractor, why: str, title: str, text: str, etype: str, company: str | None
) -> None:
    events = one(extractor, title, text, etype)
    assert [e.company for e in events] == [company], text
    assert not events[0].attributes.get("historical")


@pytest.mark.parametrize(
    ("title", "product"),
    [
        ("Halyard 9.0 released", "Halyard 9.0"),
        ("Halyard 8.4 released", "Halyard 8.4"),
        ("Halyard 8.1 is released", "Halyard"),
        ("Introducing Quillmark: a tool for tidy changelogs", "Quillmark"),
    ],
)
def test_a_named_release_stands_for_its_maker(
    extractor: Extractor, title: str, product: str
) -> None:
    """Nobody else is named: the project is its own maker ("Ardour 9.0 released")."""
    (ev,) = one(extractor, title, "", "product_launch")
    assert ev.attributes["product"].startswith(product)
    assert ev.company == product.split()[0]  # without the version
    assert "product_maker" not in ev.attributes  # internal, never shown


def test_deep_sentences_are_read_only_when_they_name_the_title(extractor: Extractor) -> None:
    """Parsing is the cost: later sentences that cannot name the story's company, and long
    runs of code or lists, are not parsed at all."""

    class Item:
        title = STORY
        text = (
            LEAD
            + "Velk Dairy will open a plant in Ohio. "
            + "Halden Foods will open a plant in Ohio. "
            + "Halden Foods will open a plant in "
            + "Ohio, " * 100
            + "and Utah."
        )

    parts = dict(extractor.parts(Item()))
    assert parts == {"deep": "Halden Foods will open a plant in Ohio."}


def test_a_story_names_its_company_in_whole_words() -> None:
    assert _same_company("Ford", "Ford Motor Co.") and _same_company("Amazon", "Amazon.com")
    assert not _same_company("Ford", "Fordham")
    assert _same_company("Halden Foods", STORY, within=True)
    assert not _same_company("AI", "Maintaining systems at scale", within=True)
