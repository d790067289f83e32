"""More verbs for events that news tells in many words: money taken in ("bags $33M") and
products under way ("is developing a headset"). Sentences written here, each a positive with
its negative."""

from __future__ import annotations

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import one


@pytest.mark.parametrize(
    ("text", "company", "amount"),
    [
        ("Pellmont Bio inks a pact with Corvane, bags $33M", "Pellmont Bio", 33_000_000),
        ("Brisco Labs secures $5M to grow its sensor platform", "Brisco Labs", 5_000_000),
        ("Quorra nabs $12 million from Accel and Index", "Quorra", 12_000_000),
        ("Ostara Robotics picks up $8M in a round led by Balder", "Ostara Robotics", 8_000_000),
        ("Halden Motors won a $2 million grant from the state.", "Halden Motors", 2_000_000),
        ("Veltra gets $20 million from existing investors", "Veltra", 20_000_000),
    ],
)
def test_money_taken_in_is_funding(
    extractor: Extractor, text: str, company: str, amount: int
) -> None:
    (ev,) = one(extractor, "", text, "funding")
    assert ev.company == company
    assert ev.attributes["amount"] == amount


def test_a_grant_is_a_round(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Halden Motors won a $2 million grant from the state.", "funding")
    assert ev.attributes["round"] == "grant"


@pytest.mark.parametrize(
    "text",
    [
        "Brisco Labs wins $2 million in damages from Corvane.",
        "Quorra landed a $500 million contract with the Danish navy.",
        "Veltra netted $5 million from the sale of its scanner unit.",
        "Ostara Robotics picked $3 million of stock from the index.",
        "Fans get $5 off tickets to the Halden Motors show.",
        "Pellmont Bio secured $40 million in orders at the fair.",
        "Brisco Labs scored $1.2 million in revenue last quarter.",
    ],
)
def test_money_earned_or_won_is_no_funding(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "funding"), text


@pytest.mark.parametrize(
    ("text", "company", "status"),
    [
        ("Corvane Foods is developing an augmented reality headset.", "Corvane Foods", "planned"),
        ("Quorra Labs is working on its own smart speaker.", "Quorra Labs", "planned"),
        ("Brisco is rumored to be working on a folding phone.", "Brisco", "rumoured"),
        (
            "Halden Motors and Pellmont are developing an electric truck.",
            "Halden Motors",
            "planned",
        ),
    ],
)
def test_a_product_under_way_is_a_planned_launch(
    extractor: Extractor, text: str, company: str, status: str
) -> None:
    (ev,) = one(extractor, "", text, "product_launch")
    assert (ev.company, ev.status) == (company, status)


def test_the_product_worked_on_is_named(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Quorra Labs is working on its own smart speaker.", "product_launch")
    assert ev.attributes["product"] == "smart speaker"


@pytest.mark.parametrize(
    "text",
    [
        "Corvane develops accounting software for banks.",  # what the company does
        "Quorra Labs is developing a strategy for Asia.",
        "Brisco is working on improving its margins.",
        "Halden Motors is developing new drugs for migraine.",
        "Developers are working on compatible apps for the headset.",
        "Veltra invested in Pellmont, a startup that is developing delivery robots.",
        "Brisco's sterling work on its phones won praise.",
    ],
)
def test_strategies_descriptions_and_other_work_are_no_launch(
    extractor: Extractor, text: str
) -> None:
    assert not one(extractor, "", text, "product_launch"), text


def test_a_named_startup_in_apposition_is_the_actor(extractor: Extractor) -> None:
    text = "Yesterday a new startup, Pellmont, introduced its Lumen headset."
    (ev,) = one(extractor, "", text, "product_launch")
    assert ev.company == "Pellmont"


def test_its_event_after_a_preposition_is_the_subjects(extractor: Extractor) -> None:
    text = "Corvane Foods surprised investors with its $2 billion acquisition of Halden Mills."
    (ev,) = one(extractor, "", text, "acquisition")
    assert ev.company == "Corvane Foods"
    assert ev.attributes["target"] == "Halden Mills"


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Its largest shareholder, Brisco Capital, refused to provide more financing.", "funding"),
        ("Quorra declined to buy Densley Systems after a review.", "acquisition"),
        ("Veltra failed to raise $10 million from its backers.", "funding"),
    ],
)
def test_refusing_or_failing_to_act_is_no_event(
    extractor: Extractor, text: str, etype: str
) -> None:
    assert not one(extractor, "", text, etype), text


def test_a_pronoun_after_another_company_is_not_the_storys_company(
    extractor: Extractor,
) -> None:
    title = "Acme Robotics raises $20 million for warehouse robots"
    text = (
        "Acme Robotics raised $20 million in a Series B round led by Balder Ventures. "
        "Its rival Bolt Systems Inc. is growing fast, and last week they launched a new "
        "picking robot for grocers."
    )
    launches = one(extractor, title, text, "product_launch")
    assert all(e.company != "Acme Robotics" for e in launches), launches


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Halden Mills later acquired Corvane Foods and its debts.", "acquisition"),
        ("The bank eventually bought Pellmont Capital for $40 million.", "acquisition"),
        ("Veltra subsequently opened a plant in Ohio.", "expansion"),
    ],
)
def test_what_came_later_in_a_past_narrative_is_history(
    extractor: Extractor, text: str, etype: str
) -> None:
    assert not one(extractor, "", text, etype), text  # below min_confidence


@pytest.mark.parametrize(
    "text",
    [
        "As we exit the Pellmont output deal, our films move to Brisco.",
        "Quorra Labs ended its distribution deal with Veltra.",
    ],
)
def test_leaving_a_deal_is_no_partnership(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "partnership"), text


def test_merging_parts_is_no_takeover(extractor: Extractor) -> None:
    text = "The Brisco X2 van merges a Halden Transit chassis with an electric drivetrain."
    assert not one(extractor, "", text, "acquisition")


def test_merging_a_unit_with_a_company_is_a_takeover(extractor: Extractor) -> None:
    text = "Pellmont Capital will merge its bank unit with Corvane Financial."
    (ev,) = one(extractor, "", text, "acquisition")
    assert ev.company == "Pellmont Capital"


def test_speculation_is_a_rumour(extractor: Extractor) -> None:
    text = "Speculation grew that Veltra will sign a licensing deal with Brisco Labs."
    (ev,) = one(extractor, "", text, "partnership")
    assert ev.status == "rumoured"


@pytest.mark.parametrize(
    "text",
    [
        "Karen Walsh, who previously ran the sensor business of Brisco Labs for nine years, "
        "was named CEO of Pellmont Capital.",
        "Karen Walsh was named chief executive of Pellmont Capital on Monday.",
    ],
)
def test_a_person_named_to_a_post_keeps_the_company_of_the_post(
    extractor: Extractor, text: str
) -> None:
    (ev,) = one(extractor, "", text, "leadership_change")
    assert (ev.company, ev.attributes["person"]) == ("Pellmont Capital", "Karen Walsh")


def test_chief_executive_is_a_title(extractor: Extractor) -> None:
    text = "Karen Walsh was named chief executive of Pellmont Capital on Monday."
    (ev,) = one(extractor, "", text, "leadership_change")
    assert ev.attributes["title"] == "chief executive"


@pytest.mark.parametrize(
    "text",
    [
        "Quorra Labs, which previously raised $5 million, raised $20 million in a Series B.",
        "Quorra Labs, which raised $5 million last year, has now raised $20 million.",
    ],
)
def test_the_amount_is_the_new_rounds_not_an_asides(extractor: Extractor, text: str) -> None:
    (ev,) = one(extractor, "", text, "funding")
    assert ev.attributes["amount"] == 20_000_000


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Halden Motors will invest $1.3 billion in its Kentucky plant.", "Halden Motors"),
        ("Brisco Labs is investing $2 billion in two new chip factories.", "Brisco Labs"),
        ("Veltra announced a $200 million investment in a new distribution center.", "Veltra"),
    ],
)
def test_money_put_into_a_site_is_expansion(extractor: Extractor, text: str, company: str) -> None:
    (ev,) = one(extractor, "", text, "expansion")
    assert ev.company == company


@pytest.mark.parametrize(
    "text",
    [
        "Veltra invested $50 million in Pellmont Capital.",
        "The fund invests in office buildings across Europe.",
        "Investors poured $5 million into the startup.",
    ],
)
def test_money_put_into_a_company_or_assets_is_no_expansion(
    extractor: Extractor, text: str
) -> None:
    assert not one(extractor, "", text, "expansion"), text


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("Veltra will add the six-second spots to its ad products portfolio.", "six-second spots"),
        ("Corvane Foods added three new flavors to its lineup.", "three new flavors"),
    ],
)
def test_a_product_added_to_the_range_is_a_launch(
    extractor: Extractor, text: str, product: str
) -> None:
    (ev,) = one(extractor, "", text, "product_launch")
    assert ev.attributes["product"] == product


@pytest.mark.parametrize(
    "text",
    [
        "Balder Capital added Pellmont Corp. to its portfolio.",  # a fund's purchase
        "The fund manages a portfolio of bonds.",
        "Brisco added to its portfolio of patents.",
    ],
)
def test_a_company_or_no_thing_added_to_a_portfolio_is_no_launch(
    extractor: Extractor, text: str
) -> None:
    assert not one(extractor, "", text, "product_launch"), text


def test_a_hyphenated_pattern_word_indexes_its_first_word_only(tmp_path) -> None:
    from extractors.rules import load_triggers

    triggers = tmp_path / "triggers.toml"
    triggers.write_text(
        '[product_launch]\ncues = ["launch"]\npatterns = [[{LOWER = "line-up"}]]\n',
        encoding="utf-8",
    )
    index = load_triggers(triggers).cue_index()
    assert index is not None
    assert "line" in index.words
    assert "up" not in index.words


def test_a_fronted_past_when_clause_is_history(extractor: Extractor) -> None:
    text = "When Quorra Labs raised $5 million, it hired twenty engineers."
    assert not one(extractor, "", text, "funding")  # history: below min_confidence


def test_a_when_clause_before_a_modal_looks_ahead(extractor: Extractor) -> None:
    text = "When Quorra Labs opens its new plant, it will hire 200 workers."
    assert one(extractor, "", text, "expansion")


def test_a_subordinator_is_not_part_of_a_name() -> None:
    from extractors.components import _trim_descriptors

    assert _trim_descriptors(["When", "Turbo", "Pascal"]) == ["Turbo", "Pascal"]
    assert _trim_descriptors(["When"]) == ["When"]


def test_a_quarter_is_nobody() -> None:
    from extractors.components import clean_name

    assert clean_name("Q2") is None
    assert clean_name("Q2 2026") is None
    assert clean_name("FY2026") is None
    assert clean_name("Q2 Holdings") == "Q2 Holdings"


def test_the_month_may_is_no_rumour(extractor: Extractor) -> None:
    text = "Quorra Labs opened a new plant in Ohio on May 5."
    (ev,) = one(extractor, "", text, "expansion")
    assert ev.status == "announced"
    (ev,) = one(extractor, "", "Quorra Labs may open a new plant in Ohio.", "expansion")
    assert ev.status == "rumoured"


@pytest.mark.parametrize(
    "text",
    [
        "Veltra said it will continue to work with Brisco Labs Inc. to develop sensors.",
        "Veltra will continue its partnership with Brisco Labs.",
    ],
)
def test_a_partnership_that_goes_on_is_no_new_one(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "partnership"), text


def test_a_new_partnership_beside_continuing_growth_stays(extractor: Extractor) -> None:
    text = "Veltra signed a deal with Brisco Labs and continues to grow."
    assert one(extractor, "", text, "partnership")


def test_a_title_in_the_subjects_clause_counts_for_an_infinitive(extractor: Extractor) -> None:
    text = "The agency said that Chief Accountant Paul Munter plans to retire in January."
    (ev,) = one(extractor, "", text, "leadership_change")
    assert ev.attributes["person"] == "Paul Munter"
    assert ev.attributes["title"] == "Chief Accountant"


def test_an_acronym_and_the_full_name_are_one_company(extractor: Extractor) -> None:
    title = "SEC Announces Chief Accountant Paul Munter to Retire This Month"
    text = (
        "The Securities and Exchange Commission today announced that Chief Accountant Paul "
        "Munter plans to retire from federal service effective Jan. 24."
    )
    events = one(extractor, title, text, "leadership_change")
    assert [e.company for e in events] == ["The Securities and Exchange Commission"]
    assert events[0].attributes["from_title"]  # the stronger evidence


def test_initials_skip_minor_words_and_legal_suffixes() -> None:
    from extractors.nlp import _initials

    assert _initials("The Securities and Exchange Commission") == "sec"
    assert _initials("International Business Machines Corp.") == "ibm"
    assert _initials("Acme") == ""


@pytest.mark.parametrize(
    "text",
    [
        "The data puts Veltra on track to challenge Brisco Labs' recently launched migraine drug.",
        "It is one of the first comedies Amazon released as it started making its own films.",
    ],
)
def test_a_product_described_by_its_past_launch_is_background(
    extractor: Extractor, text: str
) -> None:
    assert not one(extractor, "", text, "product_launch"), text


def test_a_product_that_launched_in_a_subject_relative_stays(extractor: Extractor) -> None:
    text = "Brisco Chat, which launched globally this week, will replace the Veltra app."
    assert one(extractor, "", text, "product_launch")


def test_being_blocked_from_acting_is_no_event(extractor: Extractor) -> None:
    assert not one(extractor, "", "Regulators blocked Pellmont Capital from buying Veltra.")


@pytest.mark.parametrize(
    "text",
    [
        "Veltra agreed to buy a majority stake in Pellmont Capital for $200 million.",
        "Veltra acquired a 60% stake in Pellmont Capital.",
        "Veltra agreed to buy the remaining 40% stake in Pellmont Capital.",
    ],
)
def test_a_stake_that_gives_control_is_a_takeover_of_its_company(
    extractor: Extractor, text: str
) -> None:
    (ev,) = one(extractor, "", text, "acquisition")
    assert (ev.company, ev.attributes["target"]) == ("Veltra", "Pellmont Capital")


@pytest.mark.parametrize(
    "text",
    [
        "Veltra acquired a 5% stake in Pellmont Capital.",
        "Veltra bought a minority stake in Pellmont Capital.",
    ],
)
def test_a_minority_stake_is_no_takeover(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "acquisition"), text
