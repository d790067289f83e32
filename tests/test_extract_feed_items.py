"""Whole feed items from blogs and general news: the events they do and do not carry.

Each construction comes from an error read on the labelled feed items
(tests/fixtures/eval/feed_items.jsonl); the sentences here are our own.
"""

from __future__ import annotations

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import one


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # Nobody a rep sells to: the writer, the reader, or nothing at all.
        ("Podcast: our week", "We start this week with exciting news: we bought a Super Bowl ad!"),
        ("Running your tests faster", "Most of the memory is released when a test ends."),
        (
            "Learning a new language",
            "Last week, my son's new teacher told us he intended to introduce programming"
            " to the class.",
        ),
        ("Jazz I love", "It was the first record I owned, and it in turn introduced me to bebop."),
        (
            "Podcasting gear",
            "We're in the planning phase of launching a new podcast at my new job.",
        ),
    ],
)
def test_an_item_that_names_no_actor_has_no_event(
    extractor: Extractor, title: str, text: str
) -> None:
    assert not one(extractor, title, text), (title, text)


def test_a_lone_sentence_still_stands_for_its_story(extractor: Extractor) -> None:
    """Without a title the sentence is an excerpt: its company is named elsewhere."""
    (ev,) = one(extractor, "", "The company will open a new plant in Ohio.", "expansion")
    assert ev.company is None


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


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Regulators charge brokers for Pre-IPO Stocks", "ipo"),
        ("I worked on Pico (acquired by Harlow Labs), then joined Fathen.", "acquisition"),
        ("Mira Osei, retired founder of Brannock, said the tools have changed.", None),
        ("An Introduction to Test-Driven Development", "product_launch"),
        ("Uruguay cancels ocean patrol vessel deal with Cardama", "partnership"),
        ("Board of Peace will unveil $5 billion in pledges at its first meeting", None),
        ("The changes introduced by Tarven Media put a stop to that.", "product_launch"),
        ("Model View Presenters: Introduction", "product_launch"),
        ("Jo Park of Brannock kicked off day two by introducing us to the Pi Zero.", None),
        ("Acting Chairman Uyeda launched a crypto task force on Tuesday.", "product_launch"),
        (
            "In November 2009 the company announced that it'd raised $9 million from Benchmark.",
            "funding",
        ),
    ],
)
def test_cue_words_that_report_no_new_event(
    extractor: Extractor, text: str, etype: str | None
) -> None:
    assert not one(extractor, "", text, etype), text


def test_ending_a_deal_elsewhere_in_the_sentence_does_not_veto_it(extractor: Extractor) -> None:
    assert one(extractor, "", "Velk signed a supply deal with Harlow after Orm cancelled it.")


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Brannock said that chief financial officer Jo Lee will retire in May.", "Brannock"),
        ("Tarven Media announced it will open an office in Leeds.", "Tarven Media"),
    ],
)
def test_the_speaker_is_the_company_of_its_own_news(
    extractor: Extractor, text: str, company: str
) -> None:
    events = one(extractor, "Company news", text)
    assert [e.company for e in events] == [company], text


def test_an_unresolved_pronoun_cannot_borrow_a_product_name(extractor: Extractor) -> None:
    """ "they released Spectrum CSS": "they" names nobody in this item, and a blog's passing
    mention of someone's release is not that someone's news."""
    title = "My favourite design systems"
    text = "I saw a talk about design systems the day they released Spectrum CSS."
    assert not one(extractor, title, text)


def test_a_date_in_the_future_with_a_month_is_still_a_plan(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Tarven Media will open a plant in Ohio in March 2031.")
    assert ev.type == "expansion" and not ev.attributes.get("historical")


def test_borrowing_the_items_company_does_not_undo_history(extractor: Extractor) -> None:
    title = "Tarven Media launches its planner to the public"
    text = (
        "Tarven Media opened its planner to everyone today. In November 2019 the company"
        " announced that it had raised $9 million from Benchmark Capital."
    )
    assert not one(extractor, title, text, "funding")


@pytest.mark.parametrize(
    "text",
    [
        "Velk Foods will merge with Harlow Dairy next year.",
        "Velk Foods and Harlow Dairy agreed to merge in a $2 billion deal.",
    ],
)
def test_companies_merging(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text, "acquisition"), text


def test_merging_a_value_is_no_merger(extractor: Extractor) -> None:
    text = "To do that we can use the template_file data block to merge in a value."
    assert not one(extractor, "S3 uploads with Terraform", text, "acquisition")


@pytest.mark.parametrize(
    "text",
    [
        "I've always been a fan of the clean UI of Opera but due to all the cool kids and"
        " their webkits up until Opera Next was released I used Chrome.",
        "Before Halden launched its tablet in 2012, it sold only phones.",
    ],
)
def test_a_launch_that_only_dates_the_story_is_none(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "Bugs, browsers and bookmarklets", text, "product_launch"), text


@pytest.mark.parametrize(
    "text",
    [
        "To date, Halden has raised nearly $100 million from Battery Ventures.",
        "Halden has raised $9 million so far from angel investors.",
        "Halden aims to raise as much as $131 million in the offering and priced its IPO"
        " at $11 to $13 a share.",
    ],
)
def test_totals_and_ipo_proceeds_are_no_new_funding(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "Halden news", text, "funding"), text


def test_a_new_round_that_mentions_the_total_is_funding(extractor: Extractor) -> None:
    text = "Halden raised $20 million in a Series B, bringing its funding to date to $50 million."
    (ev,) = one(extractor, "Halden news", text, "funding")
    assert ev.company == "Halden"
