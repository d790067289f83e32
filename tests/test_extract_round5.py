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
]


@pytest.mark.parametrize(("title", "text", "etype"), NO_EVENTS)
def test_round5_item_no_event(extractor: Extractor, title: str, text: str, etype: str) -> None:
    assert one(extractor, title, text, etype) == []
