"""Releases and exchange filings name their issuer in set forms before the news, and their
titles often name nobody ("Contract Win", "Result of Placing"): the issuer is the item's
company. Sentences and headers written here (names invented)."""

from __future__ import annotations

import pytest

from extractors.issuers import filing_issuer
from extractors.nlp import Extractor
from tests.test_extract_nlp import one


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        pytest.param(
            "RNS Number : 8824P Halewood Defence Systems plc 17 March 2026. Halewood ...",
            "Halewood Defence Systems plc",
            id="lse-rns-header",
        ),
        pytest.param(
            "Issuer & Securities: LIONGATE HOLDINGS LIMITED. Announcement Sub Title: ...",
            "LIONGATE HOLDINGS LIMITED",
            id="sgx-issuer-line",
        ),
        pytest.param(
            "Appendix 3B. Announcement Summary. Entity name: WESTGATE LITHIUM LIMITED. ...",
            "WESTGATE LITHIUM LIMITED",
            id="asx-entity-name",
        ),
        pytest.param(
            "GLENRIDGE NICKEL LIMITED (Incorporated in the Republic of South Africa) JSE ...",
            "GLENRIDGE NICKEL LIMITED",
            id="jse-capitals-header",
        ),
        pytest.param(
            'The Board of Directors (the "Board") of Kestrel Marine Holdings Ltd. (the'
            ' "Company", and together with its subsidiaries, the "Group") wishes to announce',
            "Kestrel Marine Holdings Ltd",
            id="defined-as-the-company",
        ),
        pytest.param(
            "Redbank Minerals Limited (ASX: RBM) (Redbank or the Company) requests a halt.",
            "Redbank Minerals Limited",
            id="defined-after-a-ticker",
        ),
        pytest.param(
            'Halewood Defence Systems plc ("Halewood" or the "Group"), the supplier of ...',
            "Halewood Defence Systems plc",
            id="defined-as-the-group",
        ),
        pytest.param("Apple said the company (which is big) would buy it.", None, id="no-issuer"),
    ],
)
def test_filing_issuer(text: str, issuer: str | None) -> None:
    assert filing_issuer(text) == issuer


def test_a_title_that_names_nobody_gets_the_issuer(extractor: Extractor) -> None:
    text = (
        "RNS Number : 8824P Halewood Defence Systems plc 17 March 2026. Halewood Defence"
        ' Systems plc ("Halewood" or the "Group"), the supplier of sighting equipment, is'
        " pleased to announce that it has been awarded a contract worth approximately £38"
        " million by the UK Ministry of Defence."
    )
    (ev,) = one(extractor, "Contract Win", text, "partnership")
    assert ev.company == "Halewood Defence Systems plc"


def test_a_resignation_with_effect_from_a_date_is_news(extractor: Extractor) -> None:
    text = (
        "GLENRIDGE NICKEL LIMITED (Incorporated in the Republic of South Africa) JSE share"
        " code: GLN. Shareholders are advised that Mr Sipho Dlamini has resigned as Chief"
        " Executive Officer of the Company with effect from 31 March 2020."
    )
    (ev,) = one(extractor, "GLN - Changes to the Board of Directors", text, "leadership_change")
    assert ev.company == "GLENRIDGE NICKEL LIMITED"


def test_a_law_firms_investigation_notice_is_no_news(extractor: Extractor) -> None:
    text = (
        "Brannock & Weiss LLP is investigating claims on behalf of investors of Veridane"
        ' Therapeutics, Inc. ("Veridane" or the "Company"). On August 9, 2023, Veridane'
        " disclosed that the Company would reduce its workforce by approximately 35%."
    )
    title = "SHAREHOLDER INVESTIGATION: Brannock & Weiss LLP Investigates Claims on Behalf of"
    assert one(extractor, title + " Investors of Veridane Therapeutics", text) == []
