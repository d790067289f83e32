"""Does a cue word play an event's role in its sentence, or is it the word in another sense?

Cue words are everyday words: "name" as a noun, "buy" a rating, "partner" a description,
"raise" a forecast, "launch" a reference back. These per-type checks are apart from whether
the event is news (background.py), so a wrong sense of a word has one place to be fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Span, Token

from extractors.actors import (
    EXCHANGE_WORDS,
    INTENT_NOUNS,
    INVESTOR_VERBS,
    ORGISH_NOUNS,
    PERSONAL_PRONOUNS,
    PLACES,
    SPEECH_VERBS,
    find_actor,
    refers_back,
)
from extractors.names import (
    DESCRIPTORS,
    TITLE,
    is_cap,
    is_headline,
    name_of,
    names_something,
    otext,
)
from extractors.products import (
    EVENT_NOUNS,
    NEW_WORDS,
    NOT_PRODUCTS,
    a_product,
    developed_thing,
    new_thing,
    not_product,
    scheduled,
)
from extractors.rules import inflect

_DEAL_NOUNS = frozenset(("merger", "acquisition", "takeover", "buyout", "purchase"))


def inside_name(cue: Span, sent: Span) -> bool:
    """A capitalised cue mid-sentence is part of a name ("Best Buy", "Energy Transfer Partners")."""
    doc = cue.doc
    if is_headline(doc) or cue.start == sent.start or len(cue) > 1:
        return False
    first = otext(doc, cue[0].idx, cue[0].idx + len(cue[0]))
    if not first[:1].isupper() or first.isupper():
        return False
    near = [doc[i] for i in (cue.start - 1, cue.end) if sent.start <= i < sent.end]
    return any(is_cap(otext(doc, t.idx, t.idx + len(t))) for t in near)


_ANNOUNCE_VERBS = frozenset(
    [
        "announce",
        "plan",
        "unveil",
        "begin",
        "start",
        "complete",
        "celebrate",
        "mark",
        "confirm",
        "reveal",
        "schedule",
        "set",
        "kick",
        "launch",
        "break",
        "hold",
    ]
)
_DEAL_VERBS = frozenset(
    [
        "form",
        "sign",
        "announce",
        "enter",
        "strike",
        "reach",
        "ink",
        "expand",
        "extend",
        "renew",
        "launch",
        "forge",
        "seal",
        "agree",
        "finalize",
        "finalise",
        "create",
        "establish",
        "set",
        "win",
        "award",
        "land",
        "secure",
        "complete",
        "close",
        "negotiate",
        "finalise",
    ]
)
_FUNDING_OBJECTS = frozenset(
    [
        "fund",
        "funding",
        "capital",
        "money",
        "cash",
        "financing",
        "round",
        "debt",
        "million",
        "billion",
        "m",
        "b",
        "investment",
        "equity",
        "bond",
        "bonds",
        "note",
        "notes",
        "loan",
        "facility",  # "secures $15M venture debt facility"
        "placement",
        "grant",
    ]
)


DEVELOP_VERBS = frozenset(("develop", "work"))
_REVAMP_VERBS = frozenset(("revamp", "redesign"))


def _developing_product(verb: Token) -> bool:
    """ "Acme is developing an AR headset", "is rumored to be working on a speaker": a
    product on its way. Only the progressive is matched (extractors/patterns): the simple
    present describes what a company does ("Acme develops software for banks"), and
    "developed by" is usually background."""
    if verb.pos_ != "VERB" or verb.dep_ in ("relcl", "acl"):
        return False  # "Argo, a startup that is developing software": what a company does
    if not any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children):
        return False
    thing = developed_thing(verb)
    return thing is not None and a_product(thing)


# What a company sells from, that a new product is added to.
CONTAINER_NOUNS = frozenset(
    ("portfolio", "portfolios", "lineup", "lineups", "catalog", "catalogue", "menu", "repertoire")
)
_ADD_VERBS = frozenset(("add", "bring", "introduce", "expand", "extend"))


def adding_verb(container: Token) -> Token | None:
    """The verb of "adds X to its portfolio", "X was added to the menu": one that puts a
    thing, not a company ("adds Bolt Corp. to its portfolio" is a fund's acquisition), into
    the actor's own range."""
    prep = container.head
    verb = prep.head
    if verb.dep_ == "dobj":  # "add [the spots to its portfolio]": the parser's attachment
        verb = verb.head
    if not (
        container.dep_ == "pobj"
        and prep.lower_ == "to"
        and verb.pos_ == "VERB"
        and verb.lemma_.lower() in _ADD_VERBS
        and any(c.dep_ == "poss" or c.lower_ == "the" for c in container.children)
    ):
        return None
    things = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if not things or any(t.ent_type_ == "ORG" or t.pos_ == "PRON" for t in things):
        return None
    return verb


# Sites a company puts money into when it grows: "will invest $1.3 billion in its Kentucky
# plant", "a $200 million investment in a new distribution center".
_SITE_NOUNS = frozenset(
    """plant factory facility center centre campus headquarters hq office store warehouse
    site hub mine refinery lab laboratory building mill fab foundry terminal hotel resort
    park hospital stadium infrastructure capacity gigafactory shipyard""".split()  # noqa: SIM905
)


_STAKE_NOUNS = frozenset(("stake", "interest", "holding", "share"))
_CONTROL_WORDS = frozenset(("majority", "controlling", "full", "remaining", "outstanding"))


# Parts of a company that change hands: "all of the outstanding shares of Hess"
_PORTION_WORDS = frozenset(
    ("all", "most", "rest", "remainder", "majority", "share", "stock", "asset", "part", "bulk")
)
_WHOLE_WORDS = frozenset(("all", "most", "rest", "remainder", "majority", "bulk"))


def paid_for(verb: Token) -> Token | None:
    """The company a price is paid for: "will pay $1.2 billion for Bolt", "paid $5 billion
    for Acme's chip unit"; not "paid $2 million for the rights"."""
    if verb.pos_ != "VERB":
        return None
    for c in verb.children:
        if c.dep_ != "prep" or c.lower_ != "for":
            continue
        for g in c.children:
            owned = any(p.dep_ == "poss" and names_something(p) for p in g.children)
            named = g.ent_type_ == "ORG" or (not g.ent_type_ and g.pos_ == "PROPN")
            if g.dep_ == "pobj" and (named or (owned and company_object(g))):
                return g
    return None


# what a takeover's terms or talks are called: "merger agreement", "takeover talks"
_DEAL_TERMS = frozenset(
    ("agreement", "deal", "pact", "plan", "proposal", "talks", "offer", "bid", "terms", "accord")
)
# kinds of takeover offer: "tender offer", "cash offer"
_OFFER_KINDS = frozenset(("tender", "takeover", "buyout", "cash", "stock", "share", "exchange"))


def company_object(obj: Token) -> bool:
    """Whether what is bought is a company, a named one or a part of one that gives control
    ("Bolt", "the unit", "all of the outstanding shares of Hess"), not a thing ("bought
    books") nor a holding ("bought shares of Apple")."""
    return (
        names_something(obj)
        or bool({obj.lower_, obj.lemma_.lower()} & ORGISH_NOUNS)
        or portion_of_company(obj)
        # "acquires Polish freight forwarder Transwis": a description, then the name
        or any(c.dep_ == "appos" and c.i == obj.i + 1 and names_something(c) for c in obj.children)
        # "to buy Unilever's tea business ekaterra": the name after a company word
        or any(
            c.dep_ == "compound" and c.i == obj.i - 1 and c.lemma_.lower() in ORGISH_NOUNS
            for c in obj.children
        )
    )


def portion_of_company(obj: Token, control: bool = False, depth: int = 0) -> bool:
    lemma = obj.lemma_.lower()
    if depth > 0 and (names_something(obj) or {obj.lower_, lemma} & ORGISH_NOUNS):
        return control
    if depth > 2 or lemma not in _PORTION_WORDS:
        return False
    control = (
        control
        or lemma in _WHOLE_WORDS
        or any(c.dep_ == "amod" and c.lower_ in _CONTROL_WORDS for c in obj.children)
    )
    return any(
        portion_of_company(g, control, depth + 1)
        for c in obj.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
        if g.dep_ == "pobj"
    )


def stake_in(verb: Token) -> Token | None:
    """The company in "buy a (majority) stake in Bolt"."""
    for obj in verb.children:
        if obj.dep_ == "dobj" and obj.lemma_.lower() in _STAKE_NOUNS:
            for prep in obj.children:
                if prep.dep_ == "prep" and prep.lower_ == "in":
                    return next((g for g in prep.children if g.dep_ == "pobj"), None)
    return None


_ENTRY_WORDS = frozenset(("expand", "expansion", "enter", "entry"))
_MARKET_NOUNS = frozenset(("market", "markets", "region", "country", "countries", "state", "city"))
_PLACE_LABELS = frozenset(("GPE", "LOC", "NORP"))


_MARKET_KINDS = frozenset(("new", "foreign", "international", "overseas", "additional", "other"))
_GROWTH_OBJECTS = frozenset(
    (
        *("footprint", "presence", "operations", "business", "reach"),
        # a service taken to new places: "expands grocery delivery to Monterrey"
        *("service", "delivery", "platform", "app", "coverage", "network", "offering"),
    )
)


def _a_market(tok: Token) -> bool:
    """A place, or a market with a place or a kind: "Germany", "the Indian market", "new
    regions". Not "the market" alone: "enter the market with a new chip" is a launch."""
    if tok.ent_type_ in _PLACE_LABELS:
        return True
    return tok.lemma_.lower() in _MARKET_NOUNS and any(
        c.dep_ in ("amod", "compound")
        and (c.ent_type_ in _PLACE_LABELS or c.lower_ in _MARKET_KINDS)
        for c in tok.children
    )


def market_entry(anchor: Token) -> bool:
    """A company going into a new market: "expands to Germany", "is expanding into Canada",
    "enters the Indian market", "its expansion into Europe", "a major Chicago expansion".
    Growth in a place ("sales expanded in China") is no entry: the place must be where the
    company goes (to/into, or what it enters)."""
    lemma = anchor.lemma_.lower()
    if lemma not in _ENTRY_WORDS:
        return False
    # "announced its expansion into Europe": the parser may hang "into" on the verb
    holders = [anchor, anchor.head] if anchor.dep_ == "dobj" else [anchor]
    into = [
        g
        for h in holders
        for c in h.children
        if c.dep_ == "prep" and c.lower_ in ("to", "into")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    if anchor.pos_ == "VERB":
        subject = next((c for c in anchor.children if c.dep_ == "nsubj"), None)
        if subject is not None and not (
            names_something(subject) or refers_back(subject) or subject.ent_type_ == "ORG"
        ):
            return False  # "sales expanded into new territory": not a company acting
        objects = [c for c in anchor.children if c.dep_ == "dobj"]
        if lemma == "expand" and any(o.lemma_.lower() not in _GROWTH_OBJECTS for o in objects):
            return False  # "expand the system to other countries": something else grows
        entered = objects if lemma == "enter" else []
        # "expands grocery delivery to Monterrey": the parser may hang "to" on the service
        into += [
            g
            for o in objects
            for c in o.children
            if c.dep_ == "prep" and c.lower_ in ("to", "into")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        return any(_a_market(t) for t in into + entered)
    if anchor.pos_ == "NOUN":
        placed = [c for c in anchor.children if c.dep_ in ("compound", "amod") and _a_market(c)]
        return any(_a_market(t) for t in into) or bool(placed)
    return False


def _invests_in_site(anchor: Token) -> bool:
    """Money put "in", "into" or "for" a site of the actor's own: a new one, one of its own
    ("its Kentucky plant"), or a counted one ("two new chip factories"). Investing in a
    company is a stake, and "the fund invests in office buildings" is a kind of asset."""
    # "would continue to invest in capacity": a habit; "continues to invest in its San
    # Antonio data center clusters" still names the site
    habit = anchor.dep_ == "xcomp" and anchor.head.lemma_.lower() in ("continue", "keep")
    money = [c for c in anchor.children if c.dep_ == "dobj"]  # "$20 billion in two plants"
    for prep in [c for t in (anchor, *money) for c in t.children]:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "into", "for"):
            continue
        pobjs = [g for g in prep.children if g.dep_ == "pobj"]
        # "in Swedish cloud and AI infrastructure": the conjoined objects too
        for site in pobjs + [c for g in pobjs for c in g.children if c.dep_ == "conj"]:
            if site.dep_ not in ("pobj", "conj") or not (
                site.lemma_.lower() in _SITE_NOUNS
                or any(  # "its data center clusters"
                    c.dep_ == "compound" and c.lemma_.lower() in _SITE_NOUNS for c in site.children
                )
            ):
                continue
            own = any(
                (c.dep_ == "poss" and c.lower_ in ("its", "their"))
                or (c.dep_ == "amod" and c.lemma_.lower() in (*NEW_WORDS, "additional"))
                or c.dep_ == "nummod"
                or (c.dep_ == "det" and c.lower_ in ("a", "an"))
                for c in site.children
            )
            if own or (site.tag_ == "NN" and not habit):
                return True
    # "to invest $1.1 billion to double capacity at its Arizona fab": capacity added at a site
    return any(
        c.dep_ in ("xcomp", "advcl")
        and any(t.lemma_.lower() in _CAPACITY_WORDS for t in c.subtree)
        and any(t.lemma_.lower() in _SITE_NOUNS for t in c.subtree)
        for c in anchor.children
    )


_CAPACITY_WORDS = frozenset(("capacity", "production", "output", "throughput"))


_DEAL_WORDS = frozenset(
    """agreement contract deal partnership alliance talks negotiations merger transaction pact
    settlement venture facility arrangement collaboration memorandum mou""".split()  # noqa: SIM905
)


def _enters_a_deal(verb: Token) -> bool:
    return any(
        g.lemma_.lower() in _DEAL_WORDS
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ == "into"
        for g in c.children
        if g.dep_ == "pobj"
    )


# what is entered that is no market: a time, a stage, a state of affairs
_NOT_ENTERED = frozenset(
    """week weeks month months year years day days phase stage round talks negotiation
    negotiations bankruptcy administration receivership liquidation race fray debate era
    agreement deal contract partnership plea guilty""".split()  # noqa: SIM905
)
_IPO_TALK = frozenset(
    ("price", "market", "window", "lockup", "lock-up", "pop", "performance", "class", "boom")
)
_CONTRACT_NOUNS = frozenset(("contract", "order", "tender", "award", "bid", "mandate"))


def _contracted_work(anchor: Token) -> bool:
    """A site a contractor is hired to build ("won a contract to build a hospital
    expansion"): the builder's contract, not the builder's own site."""
    if anchor.dep_ in ("compound", "amod") and anchor.head.lemma_.lower() in _CONTRACT_NOUNS:
        return True  # "wins $800M design-build contract", "a construction contract for ..."
    t = anchor
    for _ in range(4):
        if t.head.i == t.i or t.dep_ not in _PURPOSE_DEPS:
            return False  # (not across "and": "won a contract and will build its plant")
        if t.dep_ == "acl" and t.head.lemma_.lower() in _CONTRACT_NOUNS:
            return True
        if any(  # "signed a contract with X (worth $190 million) to build"
            c.dep_ == "dobj" and c.lemma_.lower() in _CONTRACT_NOUNS for c in t.head.children
        ):
            return True
        t = t.head
    return False


_PURPOSE_DEPS = frozenset(("acl", "advcl", "xcomp", "dobj", "prep", "pobj", "pcomp"))


_SALE_NOUNS = frozenset(("sale", "divestment", "divestiture", "disposal"))
SELL_VERBS = frozenset(("sell", "divest", "offload", *_SALE_NOUNS))


def launch_partner(verb: Token) -> str | None:
    """The organisation a product is launched "with" ("launches online MSc in AI with IBM",
    "starts grocery delivery in Japan with Aeon", "with Ant International as first client");
    not "with new features" nor a person."""
    if verb.pos_ != "VERB":
        return None
    holders = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
    for h in holders:
        for c in h.children:
            if c.dep_ != "prep" or c.lower_ not in ("with", "alongside"):
                continue
            for g in c.children:
                if g.dep_ == "pobj" and g.ent_type_ == "ORG" and g.pos_ == "PROPN":
                    return name_of(g)
    return None


def sold_to(verb: Token) -> Token | None:
    """The buyer of a business sold: "Shopify will sell its logistics business to Flexport"
    gives Flexport, who acquires. Not shares sold to investors, nor products to customers."""
    if verb.pos_ == "VERB":
        objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    elif verb.lemma_.lower() in _SALE_NOUNS:  # "agrees sale of logistics arm to Nordvik"
        objs = [
            g for c in verb.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"
        ]
    else:
        return None
    # "sells 26% of insurance arm to Yamato Life": what the portion is of
    objs += [
        g
        for o in objs
        if o.lemma_.lower() in ("%", "percent", "stake", "interest", "portion", "part")
        for c in o.children
        if c.dep_ == "prep" and c.lower_ in ("of", "in")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    if not objs or not any(
        company_object(o) and o.lemma_.lower() not in ("share", "stock") for o in objs
    ):
        return None
    # "its logistics subsidiary, Oberhaus Logistik GmbH, to Nordvik Freight": the parser may
    # hang the buyer on the unit's name; "a 26 per cent stake in its life insurance arm, ...,
    # to Yamato Life" on what the stake is in
    inner = [
        g
        for o in objs
        for c in o.children
        for g in ([c] if c.dep_ == "appos" else [x for x in c.children if x.dep_ == "pobj"])
        if c.dep_ == "appos" or (c.dep_ == "prep" and c.lower_ in ("in", "of"))
    ]
    inner += [c for g in inner for c in g.children if c.dep_ == "appos"]
    for holder in (verb, *objs, *inner):
        for c in holder.children:
            if c.dep_ in ("prep", "dative") and c.lower_ == "to":
                buyer = next((g for g in c.children if g.dep_ == "pobj"), None)
                if buyer is not None and names_something(buyer) and buyer.ent_type_ != "PERSON":
                    return buyer
    return None


def _launched_in_place(verb: Token) -> bool:
    """ "launch in Kampala", "launched in 12 US cities": where a service starts, not what."""
    return any(
        c.dep_ == "prep"
        and c.lower_ == "in"
        and any(g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC") for g in c.children)
        for c in verb.children
    ) and not any(
        c.dep_ == "nsubj" and c.lemma_.lower() in _PRODUCT_SUBJECTS for c in verb.children
    )


# subjects that are the product itself: "the app will launch in Japan first"
_PRODUCT_SUBJECTS = frozenset(("app", "product", "service", "phone", "model", "game", "car"))


def _exchange_debut(anchor: Token) -> bool:
    """A debut on a stock exchange, or of shares: a listing, not a product."""
    near = [c for c in anchor.children if c.dep_ in ("compound", "amod", "nmod", "poss")]
    near += [
        g
        for c in anchor.children
        if c.dep_ == "prep" and c.lower_ in ("on", "in")
        for g in c.subtree
    ]
    subj = [c for c in anchor.children if c.dep_ == "nsubj"]
    return any(t.lower_ in EXCHANGE_WORDS for t in near) or any(
        s.lemma_.lower() in ("share", "stock") for s in subj
    )


def cue_role_ok(etype: str, anchor: Token) -> bool:
    """Reject cue words used in another sense: "name" as a noun, "buy" a rating, "partner" a
    description, "raise" a forecast."""
    lemma = anchor.lemma_.lower()
    if etype == "partnership" and _describes_a_name(anchor):
        return False  # "BHP Mitsui Coal, a joint venture between BHP and Mitsui, said ..."
    if etype == "ipo" and any(
        t.lower_ == "listed" and (t.dep_ == "amod" or t.nbor(-1).text == "-")
        for t in anchor.doc[max(anchor.i - 3, 0) : anchor.i]
        if t.i > 0
    ):
        return False  # "Xiaomi's Hong Kong-listed shares have doubled": already listed
    if etype == "ipo" and anchor.dep_ == "compound" and anchor.head.lemma_.lower() in _IPO_TALK:
        return False  # "trading below its $16 IPO price": a listing's price, not a listing
    if etype == "leadership_change" and anchor.lower_ in ("incoming", "outgoing"):
        # "incoming CEO Dana Lee", not "incoming orders" with a chief elsewhere
        head = anchor.head
        phrase = anchor.doc[anchor.i : head.i + 1].text if head.i > anchor.i else ""
        if _speaker_title(anchor):
            return False  # "..., outgoing chief executive Piyush Gupta said": who speaks
        return anchor.dep_ == "amod" and bool(TITLE.search(phrase))
    if etype == "leadership_change" and lemma == "join" and _staff_join(anchor):
        return False  # "Ledgerline's 85 employees will join Corvanta": a takeover's staff
    if etype == "leadership_change" and lemma in ("name", "join", "tap", "fire", "leave"):
        return anchor.pos_ == "VERB" or _headline_verb(anchor)
    if etype == "leadership_change" and lemma == "welcome":
        # "Acme welcomes Jane Doe as CFO"; not "welcomed the decision"
        return anchor.pos_ == "VERB" and any(
            (c.dep_ == "dobj" and c.ent_type_ == "PERSON")
            or (c.dep_ == "prep" and c.lower_ == "as")
            for c in anchor.children
        )
    if etype == "leadership_change" and lemma == "hire" and anchor.pos_ == "VERB":
        # "hires Jane Doe as CFO", "was hired as CFO"; not a vacancy ("is hiring: Senior
        # Account Executive", "is hiring a new CFO")
        return any(
            (c.dep_ == "dobj" and names_something(c)) or c.dep_ in ("nsubjpass", "prep")
            for c in anchor.children
        )
    if etype == "expansion" and lemma in ("add", "create"):
        # "Acme will add 500 jobs", not "an order of this size creates 18,000 jobs" nor
        # "Trump boasted of helping create jobs": a company adds them
        actor, _ = find_actor(anchor)
        return (
            actor is not None
            and actor.ent_type_ != "PERSON"
            and (names_something(actor) or refers_back(actor))
        )
    if etype == "expansion" and lemma == "hire":
        # "hire 50,000 seasonal workers", not "hired Jane Doe as head of its unit": one
        # person hired is a leadership change
        return not any(
            (c.dep_ == "dobj" and c.ent_type_ == "PERSON")
            or (c.dep_ == "prep" and c.lower_ == "as")
            for c in anchor.children
        )
    if etype == "expansion" and _contracted_work(anchor):
        return False  # "Skanska signs $190M contract to build hospital expansion": for another
    if etype == "expansion" and lemma in ("invest", "investment"):
        return _invests_in_site(anchor)
    if etype == "expansion" and lemma == "commission":
        return anchor.pos_ == "VERB"  # "commissioned a flour mill", not "the Commission"
    if etype == "expansion" and lemma == "enter" and _enters_a_deal(anchor):
        return False  # "entered into a definitive merger agreement", "a credit facility"
    if (
        etype == "expansion"
        and lemma == "enter"
        and any(
            c.dep_ in ("dobj", "npadvmod") and c.lemma_.lower() in _NOT_ENTERED
            for c in anchor.children
        )
    ):
        return False  # "Walkout at Halvorsen's Ghent plant enters second week"
    if etype == "expansion" and lemma in ("open", "build", "enter"):
        return anchor.pos_ in ("VERB", "NOUN") and anchor.dep_ != "amod"
    if etype == "acquisition":
        if lemma in SELL_VERBS:
            return sold_to(anchor) is not None  # "sells logistics business to Flexport"
        if lemma == "take" and any(c.lower_ == "over" for c in anchor.children):
            # "will take over Bolt"; not "will take over on Oct. 1", "taking over from FedEx"
            # ... nor "taking over the perch as the largest company in Texas"
            taken = [c for c in anchor.children if c.dep_ == "dobj"] + [
                g for c in anchor.children if c.lower_ == "over" for g in c.children
            ]
            return any(names_something(t) or t.lemma_.lower() in ORGISH_NOUNS for t in taken)
        if lemma == "buy" and anchor.pos_ != "VERB":
            return False
        if anchor.dep_ == "amod":
            return False  # "the merged company", "the acquired unit": described, not done
        if lemma == "pay":
            return paid_for(anchor) is not None  # "will pay $1.2 billion for Bolt"
        if anchor.pos_ == "VERB":
            objs = [c for c in anchor.children if c.dep_ in ("dobj", "nsubjpass")]
            if (
                not objs
                and anchor.dep_ == "xcomp"
                and any(c.dep_ == "auxpass" for c in anchor.children)
            ):
                # "Acme is set to be bought by Bolt": the raised subject is what is bought
                objs = [c for c in anchor.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not objs and lemma in ("buy", "purchase", "pick"):
                return False  # "people bought and read books", "go there and buy"
            if any(c.lemma_.lower() == "control" for c in objs):
                # "Acme gained control of Euro Disney", not "took control of the situation"
                # nor a how-to title ("Taking Control of Your Router"): someone takes it
                has_subject = anchor.dep_ == "xcomp" or any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in anchor.children
                )
                return has_subject and controlled(anchor) is not None
            if not objs and lemma in ("merge", "combine"):
                return _merging_companies(anchor)
            if lemma == "combine":
                # "will combine its unit with Bolt's"; not "combines AI with search"
                return any(c.ent_type_ == "ORG" or c.lemma_.lower() in ORGISH_NOUNS for c in objs)
            if lemma == "merge":
                # "the van merges a Ford Transit chassis with an electric drivetrain": things
                # merged are no companies; "Acme will merge its unit with Bolt" are
                return any(c.ent_type_ == "ORG" or c.lemma_.lower() in ORGISH_NOUNS for c in objs)
            return not objs or any(company_object(c) for c in objs)
        if anchor.dep_ == "compound":  # "merger investigations", "content acquisition"
            # not "merger agreement" ("a purchase agreement for 30 jets" buys things)
            return (
                lemma in ("merger", "takeover", "buyout")
                and anchor.head.lemma_.lower() in _DEAL_TERMS
            )
        if (
            anchor.tag_ == "NNS"
            and lemma in _DEAL_NOUNS
            and not any(
                c.dep_ in ("det", "poss", "nummod") or (c.dep_ == "compound" and names_something(c))
                for c in anchor.children
            )
        ):
            return False  # "the M&A (mergers & acquisitions) space": deals in general
        if anchor.lemma_.lower() == "talk":
            # "takeover talks with Ford": a rumoured deal, the cue says which kind; talks
            # that ended ("broke off merger talks", "takeover talks collapsed") are none
            return anchor.head.lemma_.lower() not in _ENDED_TALKS
        if any(
            c.dep_ == "compound"
            and c.pos_ == "NOUN"
            and not c.ent_type_
            and c.lemma_.lower() not in _OFFER_KINDS
            for c in anchor.children
        ):
            return False  # "content acquisition", "customer acquisition": not of a company
        if lemma in ("purchase", "buyout"):
            return any(names_something(c) for c in anchor.subtree if c.i != anchor.i)
        if lemma in ("offer", "approach") and anchor.pos_ == "NOUN":
            # "a £50bn offer for GSK's consumer health arm"; not "an offer for customers"
            sought = [
                g
                for c in anchor.children
                if c.dep_ == "prep" and c.lower_ == "for"
                for g in c.children
                if g.dep_ == "pobj"
            ]
            return any(
                g.ent_type_ == "ORG"
                or g.pos_ == "PROPN"  # (the recogniser calls "Veltri Packaging" a person)
                or {g.lower_, g.lemma_.lower()} & ORGISH_NOUNS
                or any(c.dep_ in ("poss", "compound") and c.ent_type_ == "ORG" for c in g.children)
                for g in sought
            )
        if lemma == "bid":
            # "Comcast's bid for Sky", "a bid for the unit"; not "a bid for another term"
            sought = [
                g
                for c in anchor.children
                if c.dep_ == "prep" and c.lower_ == "for"
                for g in c.children
                if g.dep_ == "pobj"
            ]
            return not sought or any(
                names_something(g)
                or {g.lower_, g.lemma_.lower()} & (ORGISH_NOUNS | _STAKE_NOUNS)
                or any(c.dep_ == "poss" and names_something(c) for c in g.children)
                for g in sought
            )
        return True
    if etype == "partnership":
        if lemma in ("license", "licence", "in-license", "out-license"):
            # "licenses Greater China rights to Norvia's drug"; not "lost its license", "a
            # licensed bank"
            return (
                anchor.pos_ == "VERB"
                and anchor.dep_ != "amod"
                and any(c.dep_ in ("dobj", "nsubjpass") for c in anchor.children)
            )
        if lemma in _ENGAGE_VERBS or anchor.lower_ in _ENGAGE_FORMS:
            return anchor.pos_ == "VERB" and _engages_company(anchor)
        if lemma == "work" or anchor.lower_ in _WORK_FORMS:
            # "continue to work with Baidu Inc. to develop ...": a named company and a job;
            # "works with babashka", "when working with MVP" are about software.
            return (
                anchor.pos_ == "VERB"
                and _has_job(anchor)
                and any(t.ent_type_ == "ORG" or _lone_name(t) for t in with_objects(anchor))
            )
        if anchor.pos_ == "VERB":
            return lemma != "deal"  # "deal with its debt" is coping, not a deal
        if lemma == "partner" or anchor.dep_ == "compound" or _takeover_form(anchor):
            return False
        if any(c.dep_ in ("compound", "amod") and c.lower_ in _PAID_IN for c in anchor.children):
            return False  # "picks up Bolt in an all-stock deal": how a takeover is paid
        if _signs_a_person(anchor):
            return False  # "Yankees sign Juan Soto to a record deal": a player's contract
        parties = [
            g
            for c in anchor.children
            if c.dep_ == "prep" and c.lower_ in ("with", "between")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        if parties and all(_anyone(g) for g in parties):
            return False  # "will sign an agreement with every customer": no deal yet
        with_party = bool(parties)
        # "entered into a strategic alliance": the verb above the preposition
        verb = anchor.head.head if anchor.dep_ == "pobj" else anchor.head
        head = anchor.head.lemma_.lower()
        governed = anchor.dep_ in ("dobj", "pobj", "attr", "nsubjpass") and (
            head in _DEAL_VERBS or verb.lemma_.lower() in _DEAL_VERBS
        )
        # "Boeing's $3 billion contract", "the Aseman contract", "a $500 million deal": a
        # deal owned by a party or with a value is a concrete one, not deals in general.
        concrete = (
            any(
                c.dep_ == "poss"
                or (c.dep_ in ("compound", "nmod") and names_something(c))
                or (c.dep_ in ("nmod", "compound", "amod", "quantmod") and c.ent_type_ == "MONEY")
                for c in anchor.children
            )
            and anchor.tag_ != "NNS"
        )
        return with_party or governed or concrete
    if etype == "product_launch" and lemma == "debut" and _exchange_debut(anchor):
        return False  # "jumps 30% on ASX debut", "debuts on the Nasdaq": a listing
    if etype == "product_launch" and lemma in _REVAMP_VERBS:
        # "Microsoft revamped Skype", not "revamped its strategy", "the documentation", nor
        # the noun ("the tax overhaul")
        return anchor.pos_ == "VERB" and any(
            c.dep_ in ("dobj", "nsubjpass") and (a_product(c) or c.ent_type_ == "ORG")
            for c in anchor.children  # the tagger often calls a product's name an ORG
        )
    if etype == "product_launch" and (
        lemma in DEVELOP_VERBS or anchor.lower_ in ("developing", "working")
    ):
        return _developing_product(anchor)  # also when the tagger made it a noun
    if etype in ("product_launch", "expansion") and anchor.pos_ in ("NOUN", "PROPN"):
        if is_headline(anchor.doc):
            # ("... Financial Announce Merger Agreement": the verb read as a noun that
            # modifies what is announced, which is another event)
            return not (lemma == "announce" and anchor.head.lemma_.lower() in EVENT_NOUNS)
        # A noun cue is usually a reference ("the Vega launch", "its new office"), unless it is
        # what is announced or it names what is launched ("the launch of Amazon Chime").
        # ... or what is new: "the introduction of 50 new vehicles", "the launch of a new app"
        of_named = any(
            c.dep_ == "prep"
            and c.lower_ == "of"
            and any(names_something(g) or new_thing(g) for g in c.children)
            for c in anchor.children
        )
        announced = (
            anchor.dep_ in ("dobj", "attr", "nsubjpass")
            and anchor.head.lemma_.lower() in _ANNOUNCE_VERBS
        ) or scheduled(anchor)
        # "the Ryzen CPU launch", "Apple's iPhone launch": a launch of a named or described
        # product; "launch events", "launch operator" (the cue itself a modifier) are not.
        of_product = (
            etype == "product_launch"
            and anchor.dep_ != "compound"
            and any(
                c.dep_ == "compound"
                and c.pos_ in ("NOUN", "PROPN")
                and c.lemma_.lower() not in EVENT_NOUNS
                and c.lemma_.lower() not in NOT_PRODUCTS
                for c in anchor.children
            )
        )
        return of_named or announced or of_product
    if etype == "product_launch" and lemma == "announce":
        # "announced its newest iPhones", "announces the Pixel 2": only a new named thing
        objs = [c for c in anchor.children if c.dep_ in ("dobj", "nsubjpass")]
        return any(
            not not_product(c)
            and c.lemma_.lower() not in EVENT_NOUNS
            and (
                c.ent_type_ == "PRODUCT"
                or any(a.dep_ == "amod" and a.lemma_.lower() in NEW_WORDS for a in c.children)
                # "announced its Workplace platform": a thing of its own with a proper name
                or (
                    any(a.dep_ == "poss" for a in c.children)
                    and any(a.dep_ == "compound" and a.pos_ == "PROPN" for a in c.children)
                )
            )
            for c in objs
        )
    if etype == "product_launch" and anchor.pos_ == "VERB":
        # ("products will launch this quarter": a time is no object)
        objs = [
            c
            for c in anchor.children
            if c.dep_ in ("dobj", "nsubjpass") and c.ent_type_ not in ("DATE", "TIME")
        ]
        if not objs and lemma == "launch" and _launched_in_place(anchor):
            return False  # "plans to launch in Kampala": a market entered, no product
        if any(
            c.dep_ == "nsubj" and c.lemma_.lower() in ("share", "stock") for c in anchor.children
        ):
            return False  # "Rocket Lab shares launch 20% higher": a price move
        return not any(not_product(c) for c in objs)
    if (
        etype == "funding"
        and anchor.dep_ == "compound"
        and anchor.head.lemma_.lower() in _MONEY_TALK
    ):
        return False  # "our funding plan for this year", "its financing needs"
    if etype == "leadership_change" and lemma in ("replace", "succeed") and anchor.pos_ == "VERB":
        # "Jo Lee will replace Bo Chen", "was replaced as CEO"; not "replace the 2 a.m.
        # spreadsheet session before the board meeting"
        return any(
            c.ent_type_ == "PERSON"
            or c.lower_ in ("him", "her", "he", "she")
            or bool(TITLE.search(" ".join(t.text for t in c.subtree)))
            for c in anchor.children
            if c.dep_ in ("dobj", "nsubj", "nsubjpass", "prep")
        )
    if etype == "funding" and (lemma in ("lend", "lending") or anchor.lower_ == "lent"):
        # "EIB lends EUR 250 million to E-Redes"; not a bank's "investment grade lending"
        return anchor.pos_ == "VERB" and any(
            c.dep_ in ("prep", "dative")
            and c.lower_ == "to"
            and any(g.dep_ == "pobj" and names_something(g) for g in c.children)
            for c in anchor.children
        )
    if etype == "funding" and lemma in _GAIN_VERBS:
        return anchor.pos_ == "VERB" and _gains_funding(anchor)
    if etype == "funding" and lemma == "investment":
        return anchor.pos_ == "NOUN" and _received_investment(anchor)
    if etype == "funding" and lemma in ("pour", "pump", "inject", "plow", "plough"):
        # "investors poured $50 million into Corvane", not "poured $2 billion into its
        # Texas factory" (that is the company's own site)
        return _into_company(anchor, ("into",))
    if etype == "funding" and anchor.lower_ in ("funding", "financing") and anchor.pos_ == "VERB":
        return False  # "before funding their accounts", "is financing the project": paying
    if (
        etype == "funding"
        and anchor.pos_ == "NOUN"
        and anchor.dep_ in ("dobj", "conj")
        and _offered(anchor)
    ):
        return False  # "the app offers invoice financing, corporate cards ...": a product
    if etype == "funding" and lemma == "raise":
        obj = [c for c in anchor.children if c.dep_ in ("dobj", "nsubjpass")]
        return not obj or any(
            c.like_num
            or c.ent_type_ == "MONEY"
            or c.lemma_.lower() in _FUNDING_OBJECTS
            or any(g.ent_type_ == "MONEY" or g.like_num for g in c.subtree)
            for c in obj
        )
    return True


# what money is talked about as, not raised: "funding plan", "financing needs"
_MONEY_TALK = frozenset(
    (
        *("plan", "need", "requirement", "strategy", "gap", "cost", "model", "source"),
        *("option", "environment", "landscape", "shortfall", "crunch", "pressure", "squeeze"),
        *("freeze", "cut", "condition", "market", "decision", "priority", "formula"),
    )
)
_RECEIVE_VERBS = frozenset(("receive", "secure", "land", "attract", "win", "obtain", "close"))


def _merging_companies(verb: Token) -> bool:
    """ "Acme will merge with Bolt", "Acme and Bolt merged", "the two lenders merged"; not
    "merge in a value" or a git how-to's "Merge".
    """
    partners = [
        g
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ in ("with", "into")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    governing = verb.head if verb.dep_ == "xcomp" else verb  # "A and B agreed to merge"
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in INTENT_NOUNS:
        governing = verb.head.head  # "A and B signed an agreement to merge"
    subjects = [c for c in governing.children if c.dep_ in ("nsubj", "nsubjpass")]
    subjects += [g for s in subjects for g in s.conjuncts]
    parties = partners + subjects
    companies = any(
        names_something(t)
        or t.lemma_.lower() in ORGISH_NOUNS
        or t.lemma_.lower() in DESCRIPTORS
        or (t.pos_ == "PRON" and t.lower_ not in PERSONAL_PRONOUNS)
        for t in parties
    )
    several = (
        bool(partners) or len(subjects) > 1 or any(t.tag_ in ("NNS", "NNPS") for t in subjects)
    )
    # (however the parser joined them: "Advocate Aurora, Atrium Health to combine")
    return (companies and several) or _names_listed_before(verb)


_LEAD_IN = frozenset(("to", "will", "plan", "agree", "set", "aim", "seek", "expect", "be", "have"))


def _names_listed_before(verb: Token) -> bool:
    """ "Advocate Aurora Health and Atrium Health plan to merge", "Advocate Aurora, Atrium
    Health to combine": names listed right before the verb, however the parser joined them."""
    doc = verb.doc
    before = doc[verb.sent.start : verb.i]
    if not 3 <= len(before) <= 12 or not any(t.lower_ in ("and", ",", "&") for t in before):
        return False
    names = [t for t in before if t.pos_ == "PROPN"]
    return len(names) >= 2 and all(
        t.pos_ in ("PROPN", "CCONJ", "PUNCT", "PART", "AUX") or t.lemma_.lower() in _LEAD_IN
        for t in before
    )


# Headline verbs for taking in money: "Dragonfly bags $33M", "Acme secures $5M from Accel".
_GAIN_VERBS = frozenset(
    """bag nab snag secure land score pick get win net grab receive attract draw""".split()  # noqa: SIM905
)
_MULTIPLIERS = frozenset(("million", "billion", "m", "b", "bn", "mn", "mln"))
_MULTIPLIED = re.compile(r"^\d+(?:\.\d+)?(?:m|b|bn|mn|mln)$", re.I)
# Money taken in that is no funding round: "wins $2 million in damages", "lands a $500 million
# contract", "netted $5 million from the sale", "pulled in $4 million last quarter".
_NOT_FUNDING_MONEY = frozenset(
    """revenue revenues sale sales profit profits income earnings contract contracts order orders
    deal deals settlement damages fine fines penalty prize award bonus pay salary compensation
    refund tax taxes subsidy subsidies rebate jackpot judgment verdict payout dividend quarter
    ticket tickets box office""".split()  # noqa: SIM905
)


_GIFTS = frozenset(("grant", "gift", "donation", "endowment"))  # "received a $100 million gift"


def _gains_funding(verb: Token) -> bool:
    """ "bags $33M", "secures $5 million from Accel", "wins a $2 million grant": the verb's
    object is an amount of money (with a multiplier: small sums are prizes, not rounds), or a
    funding word the amount describes, and nothing in the clause says the money is revenue,
    a contract, damages or the price of a sale."""
    if verb.lemma_.lower() == "pick" and not any(
        c.dep_ == "prt" and c.lower_ == "up" for c in verb.children
    ):
        return False
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    if not objs:
        return False
    if any(o.lemma_.lower() == "investment" for o in objs):
        return all(_received_investment(o) for o in objs if o.lemma_.lower() == "investment")
    amount = any(
        t.lower_ in _MULTIPLIERS or _MULTIPLIED.match(t.text) for o in objs for t in o.subtree
    )
    money = any(o.ent_type_ == "MONEY" or o.like_num or o.lower_ in _MULTIPLIERS for o in objs)
    funding_word = any(
        o.lemma_.lower() in _FUNDING_OBJECTS or o.lemma_.lower() in _GIFTS for o in objs
    )
    if not (amount and (money or funding_word)):
        return False
    clause = [t for c in verb.children if c.dep_ not in ("nsubj", "nsubjpass") for t in c.subtree]
    return not any(
        t.lemma_.lower() in _NOT_FUNDING_MONEY or t.lower_ in _NOT_FUNDING_MONEY for t in clause
    )


def _received_investment(noun: Token) -> bool:
    """An investment the company takes in: "received a $10 million investment", "a strategic
    investment from Harbor Capital". Money a company puts into its own plants or into other
    firms' shares ("its investment in renewables", "invested $1 billion in Argo") is no
    funding round of its own."""
    head = noun.head
    received = noun.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in _RECEIVE_VERBS
    from_company = any(
        c.dep_ == "prep"
        and c.lower_ == "from"
        and any(g.dep_ == "pobj" and _is_company(g) for g in c.children)
        for c in noun.children
    )
    # "received a $3 million investment in its parks": money for a project, not the company
    into_project = any(
        c.dep_ == "prep"
        and c.lower_ in ("in", "into")
        and any(g.dep_ == "pobj" and not _is_company(g) for g in c.children)
        for c in noun.children
    )
    # "Accel led a $20 million investment in Corvane": investors put money into a company
    # (actors.funded_party names it)
    led_into = head.lemma_.lower() in INVESTOR_VERBS and _into_company(noun, ("in", "into"))
    return led_into or ((received or from_company) and not into_project)


_TEAM_VERB_FORMS = frozenset(("partners", "teams", "joins", "join", "partner", "team"))
_TEAM_NEXT = frozenset(("with", "up", "forces"))
_NOT_A_SUBJECT = frozenset(("'s", "’s", "its", "their", "his", "her", "the", "a", "an", "our"))


def misread_team_verb(cue: Span) -> bool:
    """Newsroom present tense the small tagger reads as a plural noun: "Contoso partners with
    Fabrikam", "Halden Motors teams with Brightwell", "Acme and Bolt join forces". It is the
    verb when a name stands right before it and it is no one's partners ("its partners with
    deep pockets", "the teams with the best record")."""
    first, root = cue[0], cue.root
    doc = cue.doc
    if root.pos_ not in ("NOUN", "PROPN") or first.lower_ not in _TEAM_VERB_FORMS:
        return False
    if first.i + 1 >= len(doc) or doc[first.i + 1].lower_ not in _TEAM_NEXT:
        return False
    if first.i == first.sent.start or root.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return False
    before = doc[first.i - 1]
    if before.lower_ in _NOT_A_SUBJECT or any(c.dep_ in ("poss", "det") for c in root.children):
        return False
    # (a place by the list, not by the recogniser, which calls "Nvidia" a GPE)
    place = before.ent_type_ in ("LOC", "NORP") or before.lower_ in PLACES
    return is_cap(otext(doc, before.idx, before.idx + len(before))) and not place


def _anyone(party: Token) -> bool:
    """ "an agreement with every customer": no one in particular."""
    return any(
        c.dep_ == "det" and c.lower_ in ("every", "each", "any", "all") for c in party.children
    )


def misread_phrase_verb(cue: Span) -> bool:
    """ "Tata Electronics breaks ground on a fab": a phrase cue that opens with its verb,
    which the tagger read as a plural noun modifying the rest, right after a name."""
    first, root = cue[0], cue.root
    doc = cue.doc
    if len(cue) < 2 or root.i == first.i or first.tag_ != "NNS":
        return False
    # ("Hilton signs deal with ...": or the subject of the rest, read as a verb)
    if not (first.dep_ == "compound" or (first.dep_ == "nsubj" and first.head.i == root.i)):
        return False
    if first.i == first.sent.start:
        return False
    before = doc[first.i - 1]
    return is_cap(otext(doc, before.idx, before.idx + len(before)))


_ENDED_TALKS = frozenset(
    ("end", "break", "collapse", "terminate", "suspend", "halt", "stall", "fail", "abandon")
)
_TAKEOVER_VERBS = frozenset(("acquire", "buy", "purchase", "merge", "combine", "take"))


def _signs_a_person(deal: Token) -> bool:
    """ "sign Juan Soto to a record deal": a person signed to a contract (a player, an
    executive) is hired, not a company partner. A deal with a person stays one ("expanded
    its movie deal with Adam Sandler")."""
    if deal.dep_ != "pobj" or deal.head.lower_ != "to":
        return False
    return any(c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in deal.head.head.children)


_PAID_IN = frozenset(("stock", "cash", "all-stock", "all-cash", "share", "shares"))


def _takeover_form(noun: Token) -> bool:
    """ "acquires Bolt in an all-stock deal": the deal is the takeover's form, not a second
    agreement between partners."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "in":
        return False
    verb = prep.head.head if prep.head.dep_ == "dobj" else prep.head  # or on the target
    return verb.pos_ == "VERB" and verb.lemma_.lower() in _TAKEOVER_VERBS


# "hire", "retain" and "engage" are left out: a company hiring a bank or adviser ("hired Morgan
# Stanley to raise money") is a sign of another event, not a partnership.
_ENGAGE_VERBS = frozenset(("tap", "select", "choose", "pick", "enlist"))


_ENGAGE_FORMS = frozenset(f for v in _ENGAGE_VERBS for f in inflect(v))
_WORK_FORMS = frozenset(inflect("work"))


def _lone_name(tok: Token) -> bool:
    """A one-word name the recogniser may call a person ("working with Pfizer"): people are
    named in full on first mention, so a lone word is as likely a company."""
    doc = tok.doc
    single = tok.ent_iob_ == "B" and (tok.i + 1 >= len(doc) or doc[tok.i + 1].ent_iob_ != "I")
    return tok.pos_ == "PROPN" and (not tok.ent_type_ or (tok.ent_type_ == "PERSON" and single))


def _has_job(verb: Token) -> bool:
    """An infinitive of purpose under the verb ("... to build the plane"), or a new thing
    worked on ("is working with Bolt on a new vaccine")."""
    return any(
        (c.dep_ in ("xcomp", "advcl") and any(a.lower_ == "to" for a in c.children))
        or (
            c.dep_ == "prep"
            and c.lower_ == "on"
            and any(g.dep_ == "pobj" and (new_thing(g) or names_something(g)) for g in c.children)
        )
        for c in verb.children
    )


def _into_company(tok: Token, preps: tuple[str, ...]) -> bool:
    """Money put "into Corvane" or "in Corvane": a company, not a site or a project."""
    return any(
        c.dep_ == "prep"
        and c.lower_ in preps
        and any(g.dep_ == "pobj" and _is_company(g) for g in c.children)
        for c in tok.children
    )


def _is_company(tok: Token) -> bool:
    """A named organisation, not a person or a place ("Corgan Associates", "Baidu Inc.")."""
    if tok.ent_type_:
        return tok.ent_type_ == "ORG"
    return tok.pos_ == "PROPN" and tok.lower_ not in PLACES


def _engages_company(verb: Token) -> bool:
    """ "DARPA tapped Boeing to build the plane", "Vector was selected to provide engines":
    a company hired for a job is a business relationship. Hiring people ("taps Jo Lee as
    CEO", "picks 500 workers") is not, and neither is choosing without a job to do."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if _supplier_role(verb):
        # the role says it is a business, whatever NER guessed for an unknown name
        return any(
            (o.pos_ == "PROPN" and o.ent_type_ not in ("GPE", "LOC", "NORP"))
            or _is_company(o)
            or (o.pos_ == "NOUN" and refers_back(o))
            for o in objs
            if o.lower_ not in PLACES
        )
    return _has_job(verb) and any(
        _is_company(o) or o.lower_ == "it" or (o.pos_ == "NOUN" and refers_back(o)) for o in objs
    )


# what a company is chosen as when it is chosen to do business for another
_SUPPLIER_ROLES = frozenset(
    """partner provider supplier vendor contractor subcontractor manufacturer distributor
    reseller integrator processor carrier""".split()  # noqa: SIM905
)


def _supplier_role(verb: Token) -> bool:
    """ "selects Northwind as its cloud provider", "was chosen as lead contractor": a business
    role stands for the job (and says the name is a business); "picked Jo Lee as CEO" names
    a person's post, not a supplier."""
    # the parser hangs "as ..." on the verb or on its object
    heads = [verb, *(c for c in verb.children if c.dep_ in ("dobj", "nsubjpass"))]
    return any(
        g.dep_ == "pobj" and g.lemma_.lower() in _SUPPLIER_ROLES
        for h in heads
        for prep in h.children
        if prep.dep_ == "prep" and prep.lower_ == "as"
        for g in prep.children
    )


def controlled(verb: Token) -> Token | None:
    """The company in "took control of X": a named or company-like "of" object."""
    for obj in verb.children:
        if obj.dep_ in ("dobj", "nsubjpass") and obj.lemma_.lower() == "control":
            # the parser hangs "of X" on the noun or on the verb
            for prep in (*obj.children, *verb.children):
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for g in prep.children:
                        if g.dep_ == "pobj" and (
                            names_something(g) or g.lemma_.lower() in ORGISH_NOUNS
                        ):
                            return g
    return None


def _headline_verb(anchor: Token) -> bool:
    """Headlines drop articles, so the tagger reads "Acme Names Jo Lee CFO" as a noun phrase;
    a cue in -s directly followed by a person's name is still the headline's verb, also in a
    title in sentence case ("Crestline Logistics names Dana Whitcomb chief operating officer")."""
    doc = anchor.doc
    if not (is_headline(doc) or doc.user_data.get("part") == "title"):
        return False
    if not anchor.lower_.endswith("s"):
        return False
    # the person may come after a title or honorific: "Names Dr. Olufemi Adeleke",
    # "Names Former FDA Official Dr. Marcus Bell Chair", "Names Chief Financial Officer Jo Lee"
    for tok in doc[anchor.i + 1 : anchor.i + 9]:
        if tok.ent_type_ == "PERSON":
            return True
        if not (is_cap(otext(doc, tok.idx, tok.idx + len(tok))) or tok.lower_ in _BEFORE_A_NAME):
            return False
    return False


_BEFORE_A_NAME = frozenset(
    (
        *("of", "the", "and", "&", "-", "former", "ex", "longtime", "veteran"),
        # "names former Bill.com exec Laura Kim as CEO"
        *("exec", "executive", "executives", "official", "chief", "alum", "insider"),
    )
)


def with_objects(anchor: Token) -> Iterable[Token]:
    t: Token | None = anchor
    for _ in range(3):
        if t is None:
            return
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "between"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        yield g
                        yield from (x for x in g.conjuncts)
        t = t.head if t.head.i != t.i else None


_ROUTE_NOUNS = frozenset(("route", "flight", "sailing", "connection"))
_SERVICE_NOUNS = frozenset(("service", "link"))
_ROUTE_WORDS = frozenset(("between", "linking", "connecting", "to", "from", "-", "–"))
_SCHEDULE_WORDS = frozenset(
    ("non-stop", "nonstop", "direct", "daily", "weekly", "twice-weekly", "fortnightly")
)


_PAIR = re.compile(r"[A-Z][a-z]{2,}[–—-][A-Z][a-z]{2,}")


def route_launch(anchor: Token) -> bool:
    """A new route launched ("to launch direct Nairobi-Lagos flights", "will launch a new
    weekly service linking China and South Korea with Manzanillo"): a carrier entering a
    market, which is an expansion, not a product."""
    for obj in anchor.children:
        if obj.dep_ not in ("dobj", "nsubjpass"):
            continue
        lemma = obj.lemma_.lower()
        if lemma not in _ROUTE_NOUNS and lemma not in _SERVICE_NOUNS:
            continue
        words = list(obj.subtree)
        paired = (
            any(  # "Colombo-Melbourne", "Asia-Mexico"
                t.text in ("-", "–")
                and 0 < t.i < len(t.doc) - 1
                and all(n.text[:1].isupper() and len(n) >= 3 for n in (t.nbor(-1), t.nbor()))
                for t in words
            )
            or any(_PAIR.fullmatch(t.text) for t in words)
        )  # "Santiago–Miami", one token
        if lemma == "route":
            return True  # "launch 12 new routes": new markets served, whatever they are
        if not paired and not any(
            t.ent_type_ in ("GPE", "LOC") or t.lower_ in PLACES for t in words
        ):
            continue
        low = {t.lower_ for t in words}
        if lemma in _ROUTE_NOUNS and low & (_ROUTE_WORDS | _SCHEDULE_WORDS):
            return True
        if paired or low & ({"between", "linking", "connecting"} | _SCHEDULE_WORDS):
            return True  # a "service" only as a schedule between places
    return False


_STAFF = frozenset(("employee", "staff", "worker", "team", "people", "engineer", "staffer"))


def _staff_join(verb: Token) -> bool:
    """Staff joining a buyer ("Ledgerline's 85 employees are expected to join Corvanta"):
    the people of a company taken over, not an executive hired."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ == "xcomp":
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(s.lemma_.lower() in _STAFF for s in subjects)


def _speaker_title(anchor: Token) -> bool:
    """ "..., outgoing chief executive Piyush Gupta said on Monday": a title naming who
    speaks about something else, not the news of the change."""
    tok = anchor
    for _ in range(3):
        if tok.dep_ in ("nsubj",) and tok.head.lemma_.lower() in SPEECH_VERBS:
            return True
        if tok.head.i == tok.i or tok.dep_ not in ("amod", "compound", "nsubj"):
            return False
        tok = tok.head
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in SPEECH_VERBS


_FORMING_VERBS = frozenset(("form", "create", "establish", "set", "launch", "announce", "unveil"))


def _describes_a_name(anchor: Token) -> bool:
    """A deal word describing the subject, which then does something else ("BHP Mitsui
    Coal, a joint venture between BHP and Mitsui, said it would cut 750 jobs"): what the
    company is, not a new deal."""
    head = anchor.head
    return (
        anchor.dep_ == "appos"
        and head.dep_ in ("nsubj", "nsubjpass")
        and (head.pos_ == "PROPN" or head.ent_type_ == "ORG")
        and head.head.lemma_.lower() not in _FORMING_VERBS
    )


def _offered(noun: Token) -> bool:
    """Financing a company sells, not raises: the object of "offers" (or one of a list of
    them) with no recipient named."""
    while noun.dep_ == "conj":
        noun = noun.head
    verb = noun.head
    return (
        noun.dep_ == "dobj"
        and verb.lemma_.lower() in ("offer", "sell", "market")
        and not any(
            c.dep_ in ("dative",) or (c.dep_ == "prep" and c.lower_ == "to") for c in verb.children
        )
    )


_PRESENCE_NOUNS = frozenset(
    ("operation", "operations", "presence", "business", "office", "offices", "storefront")
)


def operations_launch(anchor: Token) -> bool:
    """ "has launched operations in Brazil", "launched its business in Kenya": a company
    starting up in a place, which is an expansion, not a product."""
    for obj in anchor.children:
        if obj.dep_ != "dobj" or obj.lemma_.lower() not in _PRESENCE_NOUNS:
            continue
        placed = [
            g
            for h in (anchor, obj)
            for c in h.children
            if c.dep_ == "prep" and c.lower_ in ("in", "across", "throughout")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        if any(t.ent_type_ in ("GPE", "LOC") or t.lower_ in PLACES for t in placed):
            return True
    return False


def market_launch(verb: Token) -> bool:
    """ "Zoomi ride-hailing app launches in Lagos", "Reelhouse has launched in India": a
    service starting in a place with nothing named as launched is a market entered."""
    return (
        verb.lemma_.lower() == "launch"
        and verb.pos_ == "VERB"
        # who launches, actively: not "the 1.6-liter was designed and launched in Europe"
        and any(c.dep_ == "nsubj" for c in verb.children)
        and not any(
            (c.dep_ in ("dobj", "nsubjpass") and c.ent_type_ not in ("DATE", "TIME"))
            # "launches first generic of Lumirex in the U.S.", the product mistagged
            or (c.dep_ in ("advmod", "acomp", "oprd", "attr") and c.pos_ in ("ADJ", "NOUN"))
            for c in verb.children
        )
        and _launched_in_place(verb)
    )
