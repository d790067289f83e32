"""Constructions added for recall: each with a positive and a negative sentence (written here)."""

from __future__ import annotations

import pytest

from extractors.nlp import Extractor
from tests.test_extract_nlp import one


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Norvale Foods said it will offer $750 million in senior notes due 2029.", "funding"),
        ("Tarnwick Energy drew $400 million on its revolving credit line on Friday.", "funding"),
        ("Marta Ilves will take the reins as chief executive of Pellmont.", "leadership_change"),
        ("Quorra Labs agreed to buy out its rival Densley Systems for $90 million.", "acquisition"),
        ("Brightwell said it had partnered with Halden Motors on battery packs.", "partnership"),
        ("Ostara Robotics will open 12 new units in Spain by 2026.", "expansion"),
        ("It launched a subscription service for small bakeries on Tuesday.", "product_launch"),
        ("Veltra announced its newest handheld scanner at a fair in Hanover.", "product_launch"),
        ("Corvane hopes to bring its migraine drug to market next spring.", "product_launch"),
        ("Skylark Air will begin service between Leeds and Porto in June.", "expansion"),
        ("It struck a $40 million contract with the Danish navy for sonar buoys.", "partnership"),
        ("Pellridge expects the Marlow Foods acquisition to lift margins.", "acquisition"),
        ("Dunmore Rail is issuing $2 billion in seven-year bonds this week.", "funding"),
        ("Three banks agreed to provide Kestrel Air with a $300 million loan.", "funding"),
        ("Halvard Tools will move its headquarters from Ohio to Austin next year.", "expansion"),
        ("Halvard moved the defense unit's headquarters from Ohio to Austin.", "expansion"),
        ("Brisco Labs set up a new research facility in Lyon this spring.", "expansion"),
        # A veto word in a description of the target or in the price does not veto the deal.
        (
            "Tarvel Media has acquired Pinecrest Group, a Denver firm that sells naming rights.",
            "acquisition",
        ),
        ("Holmark agreed to buy all of Denfield Bank for $2 billion in stock.", "acquisition"),
        # reported speech shifts the tense back: the past perfect is the news itself
        ("Brisco said on Tuesday it had raised $10 million in a Series A round.", "funding"),
        (
            "Pellmont's newly appointed chief executive, Marta Ilves, spoke on Monday.",
            "leadership_change",
        ),
    ],
)
def test_new_constructions_fire(extractor: Extractor, text: str, etype: str) -> None:
    assert any(e.type == etype for e in one(extractor, "", text)), text


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Loan growth and wider interest margins lifted Harwick Bank's profit.", "funding"),
        ("Shoppers bought and returned more sweaters than usual this winter.", "acquisition"),
        ("Regulators say the plant hired the firm as chief auditor last month.", "expansion"),
        ("The studio canceled the release of its holiday comedy.", "product_launch"),
        ("Analysts expect the bank's underwriting of new bond sales to slow.", "funding"),
        ("Veltra announced a new partnership with two hospitals in Ghent.", "product_launch"),
        ("Corvane Pharma announced its new chief financial officer on Monday.", "product_launch"),
        ("The hotel chain has had to deal with staff shortages all summer.", "partnership"),
        ("The union's contract with the carmaker expires in March.", "partnership"),
        ("Customer acquisition costs rose sharply at the streaming service.", "acquisition"),
        ("The fund sold its bonds after the rating cut.", "funding"),
        ("Traders moved quickly after the production figures were published.", "expansion"),
        ("Halvern's purchase of $2.8 billion in bonds drew criticism.", "acquisition"),
        ("Buying or holding a stock before earnings can be risky.", "acquisition"),
    ],
)
def test_new_constructions_negatives_stay_silent(
    extractor: Extractor, text: str, etype: str
) -> None:
    assert not one(extractor, "", text, etype), text


def test_headline_names_person_is_a_verb(extractor: Extractor) -> None:
    (ev,) = one(
        extractor, "Borvale Names Scott Linden Chief Restaurant Officer", etype="leadership_change"
    )
    assert ev.company == "Borvale"
    assert ev.attributes["person"] == "Scott Linden"


def test_headline_names_without_person_stays_silent(extractor: Extractor) -> None:
    assert not one(
        extractor,
        "Top Names In Retail Gather For Annual Officers Summit",
        etype="leadership_change",
    )


def test_name_before_event_noun_with_of_object_is_the_actor(extractor: Extractor) -> None:
    (ev,) = one(
        extractor, "", "AT & T acquisition of Time Warner will close next month.", "acquisition"
    )
    assert ev.company == "AT & T"
    assert ev.attributes["target"] == "Time Warner"


def test_name_before_event_noun_without_of_is_the_target(extractor: Extractor) -> None:
    events = one(
        extractor,
        "",
        "Pellridge expects the Marlow Foods acquisition to lift margins.",
        "acquisition",
    )
    assert [e.attributes.get("target") for e in events] == ["Marlow Foods"]
    assert events[0].company != "Marlow Foods"


@pytest.mark.parametrize(
    "text",
    [
        "Kestra announced its latest Orbit version on Tuesday.",
        "Darnell Media plans to launch streaming versions of Cobalt TV next year.",
    ],
)
def test_named_or_new_versions_are_products(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text, "product_launch"), text


def test_a_version_of_a_bill_is_no_product(extractor: Extractor) -> None:
    assert not one(
        extractor, "", "Harlow Council released a version of the budget.", "product_launch"
    )


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Kestrel Motors will open a new plant in Texas in 2031.", "expansion"),
        ("Kestrel Motors plans to launch the Rho sedan in 2031.", "product_launch"),
        ("Kestrel Motors is set to open a new plant in Texas in 2031.", "expansion"),
    ],
)
def test_a_year_schedules_a_future_event(extractor: Extractor, text: str, etype: str) -> None:
    (ev,) = one(extractor, "", text, etype)
    assert not ev.attributes.get("historical"), text
    assert ev.company == "Kestrel Motors"


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Kestrel Motors launched the Rho sedan in 2015.", "product_launch"),
        ("Kestrel Motors planned to open a new plant in Texas in 2015.", "expansion"),
        ("Kestrel Motors has agreed to acquire Dolan Foods in 2015.", "acquisition"),
    ],
)
def test_a_year_still_dates_a_past_event(extractor: Extractor, text: str, etype: str) -> None:
    assert not one(extractor, "", text, etype), text


@pytest.mark.parametrize(
    "text",
    [
        "Darpa tapped Holloway Aerospace to build the second-stage engine.",
        "Kestrel Motors will work with Baidu Inc. to develop driverless cars.",
    ],
)
def test_a_company_engaged_for_a_job_is_a_partnership(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text, "partnership"), text


@pytest.mark.parametrize(
    "text",
    [
        "Kestrel Motors tapped Jane Morrow as chief executive.",
        "Kestrel Motors picked 500 workers to staff its plant.",
        "Kestrel Motors engineers work with customers every day.",
        "Kestrel Motors selected Ohio for its new plant.",
    ],
)
def test_hiring_people_or_choosing_places_is_no_partnership(
    extractor: Extractor, text: str
) -> None:
    assert not one(extractor, "", text, "partnership"), text


def test_bring_out_is_a_launch(extractor: Extractor) -> None:
    assert one(
        extractor, "", "Kestrel Motors will bring out two plug-in hybrids.", "product_launch"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Germany's top clubs are refusing to work with the DFB, at least for now.",
        "Cloverage, a coverage library, now also works with Babashka.",
        "We can remap the header to a header of our choosing.",
    ],
)
def test_working_with_software_or_choosing_is_no_partnership(
    extractor: Extractor, text: str
) -> None:
    assert not one(extractor, "", text, "partnership"), text


def test_gaining_control_of_a_company_is_an_acquisition(extractor: Extractor) -> None:
    text = "Harwick Media has gained close to 100% control of Euro Parks and will delist it."
    (ev,) = one(extractor, "", text, "acquisition")
    assert ev.company == "Harwick Media"
    assert ev.attributes["target"] == "Euro Parks"


def test_taking_control_of_a_situation_is_no_acquisition(extractor: Extractor) -> None:
    assert not one(extractor, "", "The new manager took control of the situation.", "acquisition")


def test_a_bank_named_as_actor_keeps_its_name(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Kestrel Bank will take control of the struggling lender.")
    assert ev.company == "Kestrel Bank"


def test_camel_case_and_domain_names_are_names(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Halden Telecom bought DirecTV for $48 billion.", "acquisition")
    assert ev.attributes["target"] == "DirecTV"


def test_newly_appointed_reads_the_title_it_modifies(extractor: Extractor) -> None:
    text = "Jim Hollis, the newly appointed chief executive of Vantry Motors, spoke on Monday."
    assert one(extractor, "", text, "leadership_change")


def test_appointed_as_a_plain_adjective_is_no_appointment(extractor: Extractor) -> None:
    text = "The mayor's appointed antitrust chief said the merger could still be blocked."
    assert not one(extractor, "", text, "leadership_change")


def test_history_in_a_relative_clause_does_not_date_the_event(extractor: Extractor) -> None:
    text = (
        "Kestrel Motors is tapping Corgan Associates to design a cooling plant, the same firm"
        " that designed its other buildings in the past."
    )
    (ev,) = one(extractor, "", text, "partnership")
    assert not ev.attributes.get("historical")


def test_taking_over_as_head_is_no_takeover(extractor: Extractor) -> None:
    text = "Marta Ilves said costs will fall after taking over as head of Pellmont Defense."
    assert not one(extractor, "", text, "acquisition")


def test_a_date_in_a_present_aside_still_dates_the_event(extractor: Extractor) -> None:
    text = (
        "But following Halden's $230 million acquisition of Gimlet Radio (a studio who are"
        " behind many shows) early last year, the stakes have felt higher."
    )
    assert not one(extractor, "", text, "acquisition")


def test_a_how_to_title_taking_control_is_no_acquisition(extractor: Extractor) -> None:
    assert not one(extractor, "Taking Control of Bell Fibe", etype="acquisition")


@pytest.mark.parametrize(
    "text",
    [
        "Pellworth Labs will acquire Danmore Systems in an all-stock deal.",
        "Ardent Freight bought Kelso Logistics for $900 million in cash and stock.",
        "Halcourt agreed to purchase Brenlow Media in a cash-and-stock transaction.",
        # a second predicate after the object says what the deal does
        "Corvale Sports buys Tenby, bolsters advertising sales",
        "Marlin Group acquires Fenwick Tools, expands its power tools range",
    ],
)
def test_how_a_takeover_is_paid_or_what_it_does_does_not_veto_it(
    extractor: Extractor, text: str
) -> None:
    assert one(extractor, "", text, "acquisition"), text


@pytest.mark.parametrize(
    "text",
    [
        "Ardent Freight bought shares in Kelso Logistics on Monday.",
        "Halcourt bought 5% of Brenlow's stock in a private deal.",
        "Pension funds bought stock and bonds in large amounts last week.",
    ],
)
def test_buying_stock_is_still_no_takeover(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "acquisition"), text


def test_the_deal_a_takeover_is_made_in_is_no_partnership(extractor: Extractor) -> None:
    title = "Pellworth to Acquire Danmore Labs in All-Stock Deal"
    assert one(extractor, title, etype="acquisition")
    assert not one(extractor, title, etype="partnership")
    # a deal with a partner stays one
    assert one(extractor, "Pellworth signed a supply deal with Danmore Labs.", etype="partnership")


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        (
            "Analysts say Orlan could gain share once its new chips are rolled out.",
            "product_launch",
        ),
        ("Tessel Foods will hire 300 people once the plant is opened.", "expansion"),
    ],
)
def test_a_present_passive_in_a_when_clause_looks_ahead(
    extractor: Extractor, text: str, etype: str
) -> None:
    (ev,) = one(extractor, "", text, etype)
    assert not ev.attributes.get("historical"), text


def test_a_perfect_or_past_passive_in_a_when_clause_is_still_history(
    extractor: Extractor,
) -> None:
    text = "Tessel Foods hired 300 people in 2015 once the plant was opened."
    assert not one(extractor, "", text, "expansion")


@pytest.mark.parametrize(
    "text",
    [
        "Its new phone is scheduled for release in March.",
        "Marlow Games said its next console is slated for launch in the spring.",
    ],
)
def test_a_scheduled_release_is_a_launch(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text, "product_launch"), text


@pytest.mark.parametrize(
    "text",
    [
        "The jobs report is scheduled for release on Friday.",
        "Corvane's earnings are due for release next week.",
    ],
)
def test_a_scheduled_report_is_no_launch(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "product_launch"), text


def test_the_owner_of_a_passive_launch_is_the_company(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Halvern's new tablet was unveiled on Tuesday.", "product_launch")
    assert ev.company == "Halvern"
    assert ev.attributes["product"] == "new tablet"


def test_incoming_and_outgoing_executives_are_changes(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Incoming CEO Dana Whitlow starts at Corvane in May.")
    assert ev.type == "leadership_change" and ev.attributes["direction"] == "joined"
    (ev,) = one(extractor, "", "Outgoing CEO Dana Whitlow thanked the staff of Corvane.")
    assert ev.type == "leadership_change" and ev.attributes["direction"] == "left"


def test_incoming_orders_are_no_leadership_change(extractor: Extractor) -> None:
    text = "Corvane reported more incoming orders from chief buyers in Asia."
    assert not one(extractor, "", text, "leadership_change")


@pytest.mark.parametrize(
    ("text", "etype", "company"),
    [
        ("Halvern CEO Jo Lee plans to launch a streaming service.", "product_launch", "Halvern"),
        (
            "Jo Lee, chief executive of Halvern Group, unveiled a new tablet on Monday.",
            "product_launch",
            "Halvern Group",
        ),
        # named elsewhere: the executive is not the company, the item's company stands in
        ("CEO Jo Lee said on Monday that it will open a plant in Ohio.", "expansion", None),
    ],
)
def test_an_executive_acts_for_a_company(
    extractor: Extractor, text: str, etype: str, company: str | None
) -> None:
    (ev,) = one(extractor, "", text, etype)
    assert ev.company == company, text


def test_a_company_named_after_a_person_stays_the_actor(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Jo Lee Associates opened an office in Leeds.", "expansion")
    assert ev.company == "Jo Lee Associates"


@pytest.mark.parametrize(
    "text",
    [
        "The sequel opened to $80 million at the box office this weekend.",
        "Weekend Box Office: 'Harbor Lights' Opened Bigger Than Expected",
    ],
)
def test_a_film_opening_at_the_box_office_is_no_expansion(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "expansion"), text


def test_an_office_opening_is_still_an_expansion(extractor: Extractor) -> None:
    assert one(extractor, "", "Orlan Media opened a new office in Leeds.", "expansion")


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("Tessel's strategy includes the introduction of 40 new models by 2030.", "new models"),
        ("Bookings rose after the launch of a new app for drivers.", "new app"),
    ],
)
def test_the_launch_of_a_new_thing_is_a_launch(
    extractor: Extractor, text: str, product: str
) -> None:
    (ev,) = one(extractor, "", text, "product_launch")
    assert ev.attributes["product"] == product


@pytest.mark.parametrize(
    "text",
    [
        "The launch of a new plan to cut costs lifted the shares.",
        "The release of new data on inflation rattled markets.",
    ],
)
def test_the_launch_of_a_new_plan_or_data_is_no_launch(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "product_launch"), text


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Halvern agreed to buy Tessel Foods, a deal that must still be approved.", "acquisition"),
        ("Halvern will acquire Tessel Foods; the deal should close in May.", "acquisition"),
        (
            "Halvern's $2 billion takeover of Tessel Foods must clear antitrust review.",
            "acquisition",
        ),
        ("Orlan launched a new phone, which analysts say should sell well.", "product_launch"),
    ],
)
def test_a_modal_on_another_predicate_is_no_advice(
    extractor: Extractor, text: str, etype: str
) -> None:
    (ev,) = one(extractor, "", text, etype)
    assert ev.confidence >= 0.7, text


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Halvern should buy Tessel Foods, analysts say.", "acquisition"),
        ("Analysts say Halvern should consider buying Tessel Foods.", "acquisition"),
        ("Orlan needs to raise $2 billion in new capital.", "funding"),
        ("Why Orlan must launch a cheaper phone", "product_launch"),
    ],
)
def test_advice_on_the_cue_is_still_no_event(extractor: Extractor, text: str, etype: str) -> None:
    assert not one(extractor, "", text, etype), text


def test_the_merged_company_is_no_new_merger(extractor: Extractor) -> None:
    for text in (
        "Analysts expect strong profits for the merged company next year.",
        "The acquired unit posted strong profits for Halvern.",
    ):
        assert not one(extractor, "", text, "acquisition"), text
    assert one(extractor, "", "Halvern merged with Tessel Foods on Monday.", "acquisition")


@pytest.mark.parametrize(
    "text",
    [
        "Orlan on Tuesday launched its 2031 lineup of electric bikes.",
        "Sales rose as Tessel introduced an all-new model for 2031.",
        "Orlan released Ledger Server 2031 to customers on Tuesday.",
    ],
)
def test_a_model_year_or_a_name_with_a_year_dates_nothing(extractor: Extractor, text: str) -> None:
    (ev,) = one(extractor, "", text, "product_launch")
    assert not ev.attributes.get("historical"), text


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Orlan launched the bike on 22 March 1999.", "product_launch"),
        (
            "Dana Whitlow was named CEO weeks before Orlan's 2014 recall crisis.",
            "leadership_change",
        ),
        ("Orlan acquired Bolt Tools in a deal that closed in 2006.", "acquisition"),
        # the past perfect tells what came before the story's own past
        ("Orlan had acquired Bolt Tools before the crisis hit.", "acquisition"),
        ("The company had planned to hire 1,000 workers for the Reno center.", "expansion"),
        ("Orlan bought Bolt Tools, which had launched its first app in March.", "product_launch"),
        ("That year, Orlan sold $4 billion of bonds to fund the expansion.", "funding"),
        ("Ten years later, Orlan merged with Bolt Tools.", "acquisition"),
        (
            "Orlan previously tested drone delivery via a partnership with Kestrel Air.",
            "partnership",
        ),
        # a product described by its past launch, while the news is something else
        ("Sales of Orlan's recently launched scanners have yet to pick up.", "product_launch"),
    ],
)
def test_history_gives_no_event(extractor: Extractor, text: str, etype: str) -> None:
    assert not one(extractor, "", text, etype), text


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Orlan, which was founded in 1998, raised $20 million in a Series B round.", "funding"),
        ("Founded in 2012, Orlan raised $20 million in a Series B round on Monday.", "funding"),
        ("Orlan, a firm founded in 2010, will open a new plant in Ohio.", "expansion"),
    ],
)
def test_the_actors_founding_year_does_not_date_the_event(
    extractor: Extractor, text: str, etype: str
) -> None:
    (ev,) = one(extractor, "", text, etype)
    assert not ev.attributes.get("historical"), text


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Orlan, founded in 1998, raised $20 million in 2015.", "funding"),
        ("Orlan acquired Bolt Tools, which was founded in 1990, in 2006.", "acquisition"),
    ],
)
def test_the_events_own_year_still_dates_it(extractor: Extractor, text: str, etype: str) -> None:
    assert not one(extractor, "", text, etype), text


@pytest.mark.parametrize(
    ("text", "company"),
    [
        (
            "Dana Whitlow will step down as CEO of Orlan Health at the end of the year.",
            "Orlan Health",
        ),
        ("Orlan Health's board of directors has elected Dana Whitlow as chair.", "Orlan Health"),
        # the previous employer is not the company she joins
        (
            "Dana Whitlow, formerly of Bolt Systems, was named CFO at Tessel Foods.",
            "Tessel Foods",
        ),
        # no company named: the item's company stands in, never the person
        ("Dana Whitlow resigned as chief executive on Friday.", None),
    ],
)
def test_a_person_as_subject_is_not_the_company(
    extractor: Extractor, text: str, company: str | None
) -> None:
    (ev,) = one(extractor, "", text, "leadership_change")
    assert ev.company == company, text
    assert ev.attributes["person"] == "Dana Whitlow"


@pytest.mark.parametrize(
    "text",
    [
        "Sales rose 5% last year, and Orlan now plans to open 20 new stores in Texas.",
        "Orlan opened a store in Leeds in 2015 and will open two more stores next year.",
    ],
)
def test_a_date_in_the_first_of_two_clauses_is_not_the_seconds(
    extractor: Extractor, text: str
) -> None:
    (ev,) = one(extractor, "", text, "expansion")
    assert not ev.attributes.get("historical"), text


def test_a_shared_date_still_dates_both_predicates(extractor: Extractor) -> None:
    text = "In 2015 Orlan opened a store in Leeds and hired 40 staff for it."
    assert not one(extractor, "", text, "expansion")


@pytest.mark.parametrize(
    "text",
    [
        "Tarnwick Energy priced $600 million of senior notes due 2045 on Tuesday.",
        "Dunmore Rail prices an offering of $1 billion in green bonds.",
    ],
)
def test_a_phrase_cue_is_not_vetoed_by_its_own_words(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text, "funding"), text


@pytest.mark.parametrize(
    "text",
    [
        "Tarnwick Energy raised prices on its heating oil contracts.",
        "Bond prices fell as investors sold notes after the rate decision.",
    ],
)
def test_prices_outside_a_phrase_cue_still_veto_funding(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "funding"), text


@pytest.mark.parametrize(
    "text",
    [
        "Halden Motors selected Brightwell Systems as its battery supplier.",
        "Pellmont Foods chose Ostara Robotics as the sole provider of its packing lines.",
        "Quorra Bank has picked Densley Cloud as its preferred technology partner.",
    ],
)
def test_a_company_chosen_as_a_supplier_is_a_partnership(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text, "partnership"), text


@pytest.mark.parametrize(
    "text",
    [
        "Halden Motors selected Marta Ilves as its new chief executive.",
        "Pellmont Foods chose Austin as the site of its new bakery.",
        "Voters chose Dana Whitlow as their preferred candidate.",
    ],
)
def test_a_person_or_place_chosen_is_no_partnership(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "partnership"), text


def test_a_maturity_year_does_not_date_a_debt_sale(extractor: Extractor) -> None:
    (ev,) = one(extractor, "", "Harwick Bank sold $900 million of bonds due 2045.", "funding")
    assert not ev.attributes.get("historical")


def test_a_past_year_still_dates_a_debt_sale(extractor: Extractor) -> None:
    text = "Harwick Bank sold $900 million of bonds in 2015."
    assert not one(extractor, "", text, "funding")


@pytest.mark.parametrize(
    "text",
    [
        "Tessel Foods received a $12 million investment from Harbor Capital.",
        "Ostara Robotics has secured a strategic investment from Densley Ventures.",
        "Pinecrest Bio landed a $30 million investment led by Halden Partners.",
    ],
)
def test_an_investment_a_company_takes_in_is_funding(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text, "funding"), text


@pytest.mark.parametrize(
    "text",
    [
        "Orlan Power keeps talking up its $4 billion investment in wind farms.",
        "The county received a $3 million investment in its harbour from the state.",
        "Investment banking fees at Harwick Bank fell 12% to $400 million.",
    ],
)
def test_an_investment_a_company_makes_is_no_funding(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "funding"), text


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Densley Cloud partners with Orlan Health on patient records.", "Densley Cloud"),
        ("Halvard Tools teams with Brisco Labs on cordless drills.", "Halvard Tools"),
        ("Quorra Labs and Pellridge join forces to build grid batteries.", None),
    ],
)
def test_a_present_tense_team_verb_read_as_a_noun_is_a_partnership(
    extractor: Extractor, text: str, company: str | None
) -> None:
    events = one(extractor, "", text, "partnership")
    assert events, text
    assert company is None or events[0].company == company


@pytest.mark.parametrize(
    "text",
    [
        "Its partners with the largest stakes include two pension funds.",
        "The teams with the best records reached the final.",
        "Farmers in Ohio join forces against the new toll road.",
    ],
)
def test_plural_partners_or_teams_are_no_partnership(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "partnership"), text


@pytest.mark.parametrize(
    "text",
    [
        "Halden Motors is in merger talks with Brightwell Systems.",
        "Densley Bank held takeover talks with Orlan Health, people familiar said.",
    ],
)
def test_takeover_talks_are_a_rumoured_acquisition(extractor: Extractor, text: str) -> None:
    (ev,) = one(extractor, "", text, "acquisition")
    assert ev.status == "rumoured"


@pytest.mark.parametrize(
    "text",
    [
        "Quorra Labs ended acquisition talks with Pellridge on Friday.",
        "Takeover talks between Densley Bank and Orlan Health collapsed on Monday.",
        "Brightwell broke off merger talks with Halden Motors.",
    ],
)
def test_ended_takeover_talks_are_no_acquisition(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "acquisition"), text


@pytest.mark.parametrize(
    "text",
    [
        "Densley Cloud launched a new storage offering for hospitals.",
        "Orlan Health unveiled a telehealth offering for rural clinics.",
    ],
)
def test_a_product_offering_is_a_launch(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text, "product_launch"), text


@pytest.mark.parametrize(
    "text",
    [
        "Densley Cloud launched a $500 million offering on Tuesday.",
        "Densley Cloud launched an offering of 5 million shares.",
        "Densley Cloud launched a secondary offering to fund growth.",
    ],
)
def test_a_securities_offering_is_no_launch(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "product_launch"), text


@pytest.mark.parametrize(
    "text",
    [
        "Orlan Health introduced a redesigned version of its patient app.",
        "Densley Cloud released a revamped edition of its storage software.",
    ],
)
def test_a_redesigned_version_is_a_product(extractor: Extractor, text: str) -> None:
    assert one(extractor, "", text, "product_launch"), text


@pytest.mark.parametrize(
    "text",
    [
        "The agency released an updated version of its forecast.",
        "Densley Cloud released a version of the report to lawmakers.",
    ],
)
def test_an_updated_version_of_a_report_is_no_product(extractor: Extractor, text: str) -> None:
    assert not one(extractor, "", text, "product_launch"), text
