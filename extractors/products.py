"""What counts as a product: the role, news and fact checks of a launch all ask the same question.

Things are announced and released that are no product ("details", "a statement", "a new
plan", "a version of the bill"); one answer keeps a launch and its product name consistent.
"""

from __future__ import annotations

from spacy.tokens import Token

from extractors.names import names_something

# Objects that are announced or released but are not products.
NOT_PRODUCTS = frozenset(
    """detail details plan plans bill bills video videos statement statements data figure figures
    report reports result results roadmap roadmaps forecast forecasts guidance payload payloads
    patch patches version versions edition information update updates number numbers list letter
    letters opinion ruling estimate estimates proposal proposals study survey investigation
    probe tax initiative effort attack strike campaign offer bid quarter datum change
    changes force committee panel inquiry lawsuit petition level degree amount risk concept
    idea notion overhead complexity layer round wave logo booklet prospectus circular
    notice""".split()  # noqa: SIM905
)


NEW_WORDS = frozenset(
    (
        *("new", "newest", "latest", "next-generation", "upcoming", "all-new"),
        # (the tagger reads these as participles: lemmas too)
        *("revamped", "redesigned", "refreshed", "revamp", "redesign", "refresh"),
        *("re-vamped", "re-designed", "overhauled"),
    )
)
# Announced things that are other events or plain news, not products.
EVENT_NOUNS = frozenset(
    """partnership agreement deal contract acquisition merger takeover plan strategy round
    funding financing offering ceo chief president chairman executive officer director office
    store plant facility factory headquarters program programme initiative dividend buyback
    target job cut layoff investment stake partner alliance venture collaboration structure
    organization organisation team role position hire appointment policy rule price pricing
    record quarter year loss profit revenue share shares name recall settlement webcast
    conference call meeting award date succession transition retirement resignation
    departure""".split()  # noqa: SIM905
)


_VERSION_NOUNS = frozenset(("version", "edition"))
# ("slated" is lemmatised "slat" by the small model)
_SCHEDULE_WORDS = frozenset(("schedule", "slate", "slat", "set", "due", "plan", "time", "ready"))


def scheduled(noun: Token) -> bool:
    """ "is scheduled for release", "slated for a spring launch", "due for launch": a launch
    someone has put on the calendar, not a reference back to one."""
    prep = noun.head
    return (
        noun.dep_ == "pobj" and prep.lower_ == "for" and prep.head.lemma_.lower() in _SCHEDULE_WORDS
    )


def not_product(tok: Token) -> bool:
    """Announced or released things that are not products ("details", "a statement"). A
    version is one only when it is of something named or new: "its latest Android version",
    "over-the-top versions of ESPN" are launches, "a version of the bill" is not."""
    lemma = tok.lemma_.lower()
    if lemma not in NOT_PRODUCTS:
        return False
    if lemma not in _VERSION_NOUNS:
        return True
    named = any(
        (c.dep_ == "compound" and c.pos_ == "PROPN")
        or (c.dep_ == "amod" and c.lemma_.lower() in NEW_WORDS)
        # "released version 5.0 of its database": a numbered release
        or (c.dep_ == "nummod" and c.text[:1].isdigit())
        or (c.dep_ == "prep" and c.lower_ == "of" and any(names_something(g) for g in c.children))
        for c in tok.children
    )
    return not named


def new_thing(tok: Token) -> bool:
    """A new thing that is not another event or a non-product: "new vehicles", not "a new
    plan" or "new details"."""
    lemma = tok.lemma_.lower()
    return (
        tok.pos_ == "NOUN"
        and lemma not in EVENT_NOUNS
        and lemma not in NOT_PRODUCTS
        and any(c.dep_ == "amod" and c.lemma_.lower() in NEW_WORDS for c in tok.children)
    )


# What a company can be building for sale: "is developing an AR headset", "is working on its
# own speaker". Not strategies, skills or drugs (years of trials are no launch).
_PRODUCT_HEADS = frozenset(
    """headset headsets glasses goggles phone phones smartphone smartphones handset handsets
    chip chips processor processors speaker speakers car cars vehicle vehicles truck trucks suv
    app apps application device devices tablet tablets laptop laptops computer computers pc
    watch smartwatch console consoles game games robot robots drone drones aircraft jet jets
    plane planes satellite satellites rocket rockets engine engines battery batteries assistant
    browser platform service services software product products feature features tool tools
    camera cameras tv television display displays wearable wearables model models version
    edition headphones earbuds printer printers router routers server servers""".split()  # noqa: SIM905
)


def developed_thing(verb: Token) -> Token | None:
    """What is developed or worked on: the object of "develop", the "on" object of "work"."""
    if verb.lemma_.lower() == "work":
        return next(
            (
                g
                for c in verb.children
                if c.dep_ == "prep" and c.lower_ == "on"
                for g in c.children
                if g.dep_ == "pobj"
            ),
            None,
        )
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def a_product(thing: Token) -> bool:
    """A product noun ("headset", "app") or a product's own name ("Skype"), not a thing
    merely named after something ("the Paradise documentation")."""
    return (
        thing.lemma_.lower() in _PRODUCT_HEADS
        or thing.lower_ in _PRODUCT_HEADS
        or thing.ent_type_ == "PRODUCT"
        or (thing.pos_ == "PROPN" and thing.ent_type_ not in ("ORG", "GPE", "PERSON", "NORP"))
    )
