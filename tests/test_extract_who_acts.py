"""Who an event is about, and when the actor says there is no company event at all: a person
who leaves (the company is where they leave), a kind of actor ("cops", "banks"), a bid for
something that is no company, a cue word that is part of the actor's own name. Sentences
written here; each row's id names its construction."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import holds, one

# (title, text, type, what the one event of that type must hold)
EVENTS = [
    pytest.param(
        "",
        "Halvor Systems today announced that Mira Tanaka, the Director of Research since"
        " 2021, will leave her role on March 1.",
        "leadership_change",
        {"company": "Halvor Systems", "direction": "left"},
        id="leaves-her-role",
    ),
    pytest.param(
        "",
        "Halvor Systems today announced that Mira Tanaka, who has served as General Counsel"
        " since 2019, will leave the company on March 1.",
        "leadership_change",
        {"company": "Halvor Systems", "person": "Mira Tanaka"},
        id="leaves-the-company",
    ),
    pytest.param(
        "Halvor Policy Director Mira Tanaka to Step Down",
        "",
        "leadership_change",
        {"company": "Halvor", "person": "Mira Tanaka"},
        id="director-title-names-employer",
    ),
    pytest.param(
        "",
        "Mira Tanaka, the Acting Director of the Division of Research, will depart Halvor"
        " Systems in June.",
        "leadership_change",
        {"company": "Halvor Systems"},
        id="departs-named-company",
    ),
    pytest.param(
        "",
        "Corvane launched a $6 billion bid for Brisco's assets.",
        "acquisition",
        {"company": "Corvane"},
        id="bid-for-assets",
    ),
    pytest.param(
        "",
        "Corvane Labs made a bid for the company last week.",
        "acquisition",
        {"company": "Corvane Labs"},
        id="bid-for-the-company",
    ),
]

PRESS_RELEASE_EVENTS = [
    pytest.param(
        "Walgreens Boots Alliance named Tim Wentworth as its new chief executive officer,"
        " effective Oct. 23.",
        "leadership_change",
        {"company": "Walgreens Boots Alliance", "person": "Tim Wentworth"},
        id="main-verb-read-as-reduced-relative",
    ),
    pytest.param(
        "Corvane signed a definitive agreement to acquire Brisco for $2.7 billion.",
        "acquisition",
        {"company": "Corvane", "target": "Brisco"},
        id="unknown-first-word-is-a-name",
    ),
    pytest.param(
        "Corvane Corporation has entered into a definitive agreement with Brisco Corporation"
        " to acquire all of the outstanding shares of Brisco in an all-stock transaction.",
        "acquisition",
        {"company": "Corvane Corporation", "target": "Brisco"},
        id="all-outstanding-shares",
    ),
    pytest.param(
        "The board of directors of Corvane Corp. has appointed Mira Tanaka as Chief Financial"
        " Officer, effective immediately.",
        "leadership_change",
        {"company": "Corvane Corp", "person": "Mira Tanaka"},
        id="board-of-directors-of",
    ),
    pytest.param(
        "Corvane will pause production at its Illinois plant and lay off 6% of its workforce.",
        "layoff",
        {"company": "Corvane", "percent": 6.0},
        id="second-verb-shares-the-subject",
    ),
    pytest.param(
        "Corvane Systems closed a $10 billion Series J round led by Thrive Capital.",
        "funding",
        {"company": "Corvane Systems", "lead": "Thrive Capital"},
        id="late-series-letter",
    ),
    pytest.param(
        "Mastercard appointed Michael Miebach as chief executive officer, succeeding Ajay Banga.",
        "leadership_change",
        {"company": "Mastercard", "person": "Michael Miebach"},
        id="appointer-misread-as-person",
    ),
    pytest.param(
        "Dana Whitfield tapped Jo Lee to take over the entire company as CEO.",
        "leadership_change",
        {"company": None, "person": "Jo Lee"},
        id="a-person-appoints",
    ),
    pytest.param(
        "Halvor Energy will build a 200-megawatt solar farm in North Carolina.",
        "expansion",
        {"company": "Halvor Energy", "location": "North Carolina"},
        id="solar-farm",
    ),
    pytest.param(
        "Brisco Capital hired former Corvane executive Jane Doe as head of its asset"
        " management unit.",
        "leadership_change",
        {"company": "Brisco Capital", "title": "head of its asset management"},
        id="head-of-its-unit",
    ),
    pytest.param(
        "Corvane today announced the availability of Vision Pro in eight more countries.",
        "product_launch",
        {"company": "Corvane", "product": "Vision Pro"},
        id="product-name-is-no-owner",
    ),
    pytest.param(
        "Corvane Robotics plans to add 500 jobs at its Ohio facility.",
        "expansion",
        {"company": "Corvane Robotics", "kind": "headcount"},
        id="add-a-number-of-jobs",
    ),
    pytest.param(
        "Corvane Labs has agreed to be acquired by Brisco for $1.2 billion.",
        "acquisition",
        {"company": "Brisco", "target": "Corvane Labs"},
        id="agreed-to-be-acquired",
    ),
    pytest.param(
        "Brisco will pay $1.2 billion for Corvane Robotics.",
        "acquisition",
        {"company": "Brisco", "target": "Corvane Robotics"},
        id="pay-for-a-company",
    ),
    pytest.param(
        "Brisco paid $1 billion for Corvane's modem business.",
        "acquisition",
        {"company": "Brisco", "target": "Corvane"},
        id="pay-for-a-business",
    ),
    pytest.param(
        "Investors poured $50 million into Corvane Health.",
        "funding",
        {"company": "Corvane Health", "amount": 50_000_000},
        id="poured-into",
    ),
    pytest.param(
        "Accel led a $20 million investment in Corvane Health.",
        "funding",
        {"company": "Corvane Health", "amount": 20_000_000},
        id="led-an-investment-in",
    ),
    pytest.param(
        "Corvane Health and Bolt Pharma have entered into a strategic alliance.",
        "partnership",
        {"company": "Corvane Health"},
        id="entered-into-an-alliance",
    ),
    pytest.param(
        "Corvane Health is working with Pfizer on a new vaccine.",
        "partnership",
        {"company": "Corvane Health", "partners": ["Pfizer"]},
        id="working-with-on-a-new-thing",
    ),
    pytest.param(
        "Corvane Health will relocate its headquarters from Boston to Austin.",
        "expansion",
        {"location": "Austin"},
        id="moves-to-not-from",
    ),
    pytest.param(
        "The Menlo Park, California-based firm will open a new factory in Arizona.",
        "expansion",
        {"company": None},
        id="based-firm-is-no-town",
    ),
]

NO_EVENTS = [
    pytest.param(
        "Senator endorses Halvorsen's bid for another term after the elections",
        "acquisition",
        id="bid-for-a-term",
    ),
    pytest.param("Cops Are Buying ‘GeoSpy’, an AI That Finds Photos", "acquisition", id="cops"),
    pytest.param(
        "Banks are acquiring fintech startups at a record pace, the report says.",
        "acquisition",
        id="banks-in-general",
    ),
    pytest.param(
        "Brisco Capital hired former Corvane executive Jane Doe as head of its asset"
        " management unit.",
        "expansion",
        id="one-person-hired-is-no-headcount",
    ),
    pytest.param(
        "Corvane paid $2 million for the rights to the film.", "acquisition", id="pay-for-rights"
    ),
    pytest.param("The economy added 200,000 jobs in May.", "expansion", id="economy-adds-jobs"),
    pytest.param(
        "An order of this size creates or sustains 18,000 jobs in the U.S., Brisco said.",
        "expansion",
        id="an-order-creates-jobs",
    ),
    pytest.param(
        "The senator, who has often boasted of helping create jobs, spoke on Monday.",
        "expansion",
        id="a-person-creates-jobs",
    ),
    pytest.param("Corvane poured $2 billion into its Texas factory.", "funding", id="own-site"),
    pytest.param("Corvane launched a round of layoffs.", "product_launch", id="round-of-layoffs"),
    pytest.param(
        "Corvane Picks Up Bolt Labs in All-Stock Deal", "partnership", id="all-stock-deal"
    ),
    pytest.param("The economy picked up steam in May.", "acquisition", id="picked-up-steam"),
    pytest.param(
        "Picking up on one of the concerns, it noted that Corvane could charge customers.",
        "acquisition",
        id="picking-up-on",
    ),
    pytest.param("Yankees Sign Juan Soto to Record Deal", "partnership", id="player-signed"),
    pytest.param(
        "Halvor Capital bought shares of Brisco last quarter.", "acquisition", id="shares"
    ),
    pytest.param(
        "Corvane Corporation has entered into a definitive agreement with Brisco Corporation"
        " to acquire all of the outstanding shares of Brisco.",
        "partnership",
        id="takeover-agreement-is-no-partnership",
    ),
    pytest.param(
        "I think Expand-Contract is a great way of performing schema migrations.",
        "partnership",
        id="cue-inside-actor-name",
    ),
]


HEADLINES = [
    pytest.param(
        "Corvane Weekly Post Names Jane Doe Executive Editor",
        "leadership_change",
        {"company": "Corvane Weekly Post", "person": "Jane Doe"},
        id="a-name-ending-in-post",
    ),
    pytest.param(
        "Corvane Names Jo Lee Head of Sales",
        "leadership_change",
        {"company": "Corvane", "person": "Jo Lee"},
        id="title-run-into-the-name",
    ),
    pytest.param(
        "Tailscale Opens Office in Toronto",
        "expansion",
        {"company": "Tailscale", "location": "Toronto"},
        id="the-opener-is-no-place",
    ),
    pytest.param(
        "Corvane Picks Up Bolt Labs in All-Stock Deal",
        "acquisition",
        {"company": "Corvane", "target": "Bolt Labs"},
        id="picks-up-a-company",
    ),
    pytest.param(
        "Corvane Expands Into Brazil",
        "expansion",
        {"company": "Corvane"},
        id="unknown-word-subject",
    ),
    pytest.param(
        "Corvane CEO Jane Doe to Step Down",
        "leadership_change",
        {"company": "Corvane", "person": "Jane Doe"},
        id="unknown-word-employer",
    ),
    pytest.param(
        "Corvane Lays Off 12% of Staff Amid Slowdown",
        "layoff",
        {"company": "Corvane", "percent": 12.0},
        id="phrase-cue-words-lowered",
    ),
    pytest.param(
        "Corvane Cuts 10% of Workforce",
        "layoff",
        {"company": "Corvane", "percent": 10.0},
        id="cuts-percent",
    ),
    pytest.param(
        "Analysts Expect Corvane to Launch Foldable Phone in 2027",
        "product_launch",
        {"company": "Corvane", "status": "rumoured"},
        id="analysts-expect",
    ),
    pytest.param(
        "Corvane to Open Second Headquarters in Arlington",
        "expansion",
        {"company": "Corvane", "location": "Arlington"},
        id="town-before-building",
    ),
]


@pytest.mark.parametrize(("title", "etype", "expected"), HEADLINES)
def test_headline(extractor: Extractor, title: str, etype: str, expected: dict[str, Any]) -> None:
    holds(extractor, title, "", etype, expected)


@pytest.mark.parametrize(("title", "text", "etype", "expected"), EVENTS)
def test_event(
    extractor: Extractor, title: str, text: str, etype: str, expected: dict[str, Any]
) -> None:
    holds(extractor, title, text, etype, expected)


@pytest.mark.parametrize(("text", "etype", "expected"), PRESS_RELEASE_EVENTS)
def test_press_release_event(
    extractor: Extractor, text: str, etype: str, expected: dict[str, Any]
) -> None:
    holds(extractor, "", text, etype, expected)


@pytest.mark.parametrize(("text", "etype"), NO_EVENTS)
def test_no_event(extractor: Extractor, text: str, etype: str) -> None:
    assert not one(extractor, "", text, etype), text


def test_bank_of_america_keeps_its_descriptor_word() -> None:
    from extractors.names import _trim_descriptors

    assert _trim_descriptors(["Bank", "of", "America"]) == ["Bank", "of", "America"]
    assert _trim_descriptors(["Chinese", "Search", "Giant", "Baidu"]) == ["Baidu"]


def test_a_headline_verb_is_no_part_of_a_name(extractor: Extractor) -> None:
    (ev,) = one(extractor, "Microsoft and OpenAI Extend Partnership", "", "partnership")
    assert ev.company and "Extend" not in ev.company
