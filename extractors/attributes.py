"""The facts an alert carries, per event type: money and round, person and title, place,
target, listing, count, partners, product, and the event's status.

They are read only after a cue is accepted and its actor found; ATTRIBUTES maps each type to
its reader, so a type's facts are in one function.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span, Token

from extractors.actors import compound_text, joins_as_title, owner_of
from extractors.clauses import actor_descriptions, clause_verb, past_asides
from extractors.names import (
    COMPANY_HEADS,
    LEGAL_FORMS,
    TITLE,
    capitalised_after,
    clean_name,
    compound_name,
    is_cap,
    is_headline,
    is_versioned,
    name_of,
    names_something,
    object_name,
    otext,
    unversioned,
)
from extractors.products import developed_thing, new_thing, not_product, scheduled
from extractors.roles import (
    controlled,
    market_entry,
    paid_for,
    portion_of_company,
    stake_in,
    with_objects,
)

_LEFT_DIRECTION = (
    "step",
    "stand",
    "resign",
    "resignation",
    "retire",
    "retirement",
    "depart",
    "departure",
    "leave",
    "oust",
    "fire",
    "left",
    "quit",
    "outgoing",
    "remov",
    "sack",
    "dismiss",
)

_MONEY = re.compile(
    r"(?P<cur>US\$|C\$|A\$|HK\$|S\$|NZ\$|R\$|\$|€|£|¥|₹|"
    r"\b(?:USD|EUR|GBP|JPY|CHF|SEK|NOK|DKK|CAD|AUD|NZD|INR|Rs\.?|RMB|CNY|ZAR|BRL)(?= ?\d))"
    r"\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?"
    r"(?P<mult>thousand|million|billion|trillion|crore|lakh|mln|bln|mn|bn|cr|[kmb])?\b",
    re.I,
)
_MULT = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "crore": 1e7,  # India: ten million
    "cr": 1e7,
    "lakh": 1e5,
    "billion": 1e9,
    "bln": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
}
_CURRENCY = {
    **{"$": "USD", "us$": "USD", "c$": "CAD", "a$": "AUD", "€": "EUR", "£": "GBP", "¥": "JPY"},
    **{"hk$": "HKD", "s$": "SGD", "nz$": "NZD", "r$": "BRL", "₹": "INR", "rs": "INR", "rs.": "INR"},
    **{"rmb": "CNY"},
    **{c.lower(): c for c in "USD EUR GBP JPY CHF SEK NOK DKK CAD AUD NZD INR CNY ZAR BRL".split()},  # noqa: SIM905
}
_ROUND = re.compile(
    r"\b(series [a-h]\b|pre-seed|seed|angel|bridge|mezzanine|convertible notes?|debt|"
    r"private placement|growth equity|grant(?=s?\b))",
    re.I,
)
_NAME_LIST_AFTER = re.compile(
    r"\b(?:from|led by|backed by|participation from|investors? including|including)\s+(.+)$",
    re.I,
)
_LED_BY = re.compile(r"\bled by\s+([A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*)*)")
# Title words the recogniser leaves at the front of a person's name
_TITLE_WORDS = re.compile(
    r"^(?:(?:chief|executive|officer|accountant|president|chairman|chairwoman|director|"
    r"commissioner|ceo|cfo|coo|cto|mr\.?|ms\.?|mrs\.?|dr\.?)\s+)+",
    re.I,
)
# ... and the title a Title Case headline runs into the name ("Jane Doe Chief Marketing")
_TITLE_TAIL = re.compile(
    r"\s+(?:chief|executive|senior|vice|president|chairman|chairwoman|director|head|"
    r"general|managing|ceo|cfo|coo|cto)\b.*$",
    re.I,
)
_PREVIOUS = re.compile(
    r"\b(?:formerly (?:of|at|with)|previously (?:at|with)|who left|joins from"
    r"|poached from|from rival)\s+([A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*)*)"
)
_EXCHANGE = re.compile(
    r"\b(NYSE|New York Stock Exchange|Nasdaq|NASDAQ|London Stock Exchange|LSE|"
    r"Hong Kong Stock Exchange|TSX|Euronext|AIM)\b"
)
_TICKER = re.compile(
    r"(?:\((?:NYSE|NASDAQ|Nasdaq|TSX)\s*:\s*([A-Z.]{1,6})\)|"
    r"(?:ticker|symbol)\s+(?:symbol\s+)?[\"“']?([A-Z.]{1,6})\b)"
)
_PRICE_RANGE = re.compile(r"\$(\d+(?:\.\d+)?)\s*(?:to|-|–|and)\s*\$(\d+(?:\.\d+)?)", re.I)
_LAYOFF_COUNT = re.compile(
    r"\b(\d[\d,]*)\s+(?:\w+\s+)?(?:jobs|employees|workers|positions|staff|"
    r"people|roles|posts)\b",
    re.I,
)
_PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)\s?(?:%|percent|per cent)")

_RUMOUR = re.compile(
    r"\b(in talks|talks to|considering|weighing|exploring|explore|reportedly|"
    r"rumou?r(?:s|ed)?|speculation|people familiar|sources said|according to sources|"
    r"mulling|eyeing|analysts? (?:expects?|predicts?|believes?|thinks?|says?|said)|"
    r"(?:merger|takeover|acquisition) talks|"
    r"in discussions|approached|could|might|(?-i:may)|is said to|are said to)\b",
    re.I,
)
_PLANNED = re.compile(
    r"\b(plans? to|planning to|will|intends? to|intention to|expects? to|"
    r"aims? to|set to|is to|are to|scheduled|upcoming|later this year|"
    r"next year|proposed|pending|would)\b",
    re.I,
)
_COMPLETED = re.compile(
    r"\b(completed?|completes|closed|closes|finali[sz]ed|has acquired|"
    r"have acquired|now owns|officially)\b",
    re.I,
)
PRODUCT_NAMED = "product_named"
PRODUCT_MAKER = "product_maker"


_PER_UNIT = re.compile(r"^\s*(?:(?:a|per|each)\s+(?:share|unit|ads|note|warrant)s?\b|each\b)", re.I)


def _money(text: str) -> dict[str, Any]:
    # the first sum that is no price per share or unit ("20,000,000 units at $10.00 per
    # unit" raise no $10)
    m = next((m for m in _MONEY.finditer(text) if not _PER_UNIT.match(text[m.end() :])), None)
    if not m:
        return {}
    num = float(m.group("num").replace(",", ""))
    mult = (m.group("mult") or "").lower()
    amount = num * _MULT.get(mult, 1.0)
    return {
        "amount": int(amount) if amount == int(amount) else amount,
        "currency": _CURRENCY.get(m.group("cur").lower(), "USD"),
    }


def _name_list(text: str) -> list[str]:
    """Capitalised names in "from A, B, C and D" lists."""
    m = _NAME_LIST_AFTER.search(text)
    if not m:
        return []
    chunk = re.split(r"[;.:(]|\s[-–—]\s|\bto\b|\bfor\b", m.group(1))[0]
    names = []
    for part in re.split(r",\s*|\s+and\s+|\s+&\s+", chunk, flags=re.I):
        part = part.strip()
        words = part.split()
        while words and not is_cap(words[0]):
            words = words[1:]
        if words and all(is_cap(w) or w.lower() in ("of", "&") for w in words):
            names.append(clean_name(" ".join(words)) or "")
    return [n for n in names if n and n.lower() not in ("others", "existing investors")]


def _funding(
    cue: Span, sent: Span, text: str, anchor: Token | None, _p: Token | None
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if anchor is not None:
        # "Acme, which raised $5 million last year, raised $20 million": the aside's amount
        # is an earlier round's
        aside = actor_descriptions(anchor) | past_asides(anchor)
        # "valued at $2 billion after a $300 million round": a valuation is no amount raised
        valued = [t for t in sent if t.lower_ == "at" and t.head.lemma_.lower() == "value"]
        aside |= {d.i for v in valued for d in v.subtree}
        attrs = _money("".join(t.text_with_ws for t in sent if t.i not in aside))
    attrs = attrs or _money(text)
    if m := _ROUND.search(text):
        r = m.group(1)
        attrs["round"] = r[0].upper() + r[1:] if r.lower().startswith("series") else r.lower()
    investors = _name_list(text)
    if investors:
        attrs["investors"] = investors
    if m := _LED_BY.search(text):
        attrs["lead"] = clean_name(m.group(1))
    return attrs


# Verbs whose subject appoints and whose object is appointed ("Mastercard appointed Jo Lee");
# not "succeed" or "replace", whose object is the one who goes
_APPOINT_VERBS = frozenset(
    ("appoint", "name", "hire", "tap", "promote", "elect", "choose", "select", "pick", "recruit")
)


def _unrecognised_appointee(anchor: Token) -> list[Span]:
    """The one appointed, named by proper nouns the recogniser took for no person or for an
    organisation ("Acme appointed Jane Doe as its new CFO": "CFO" was its only entity)."""
    verb = clause_verb(anchor)
    if verb is None or verb.lemma_.lower() not in _APPOINT_VERBS:
        return []
    for obj in verb.children:
        if obj.dep_ not in ("dobj", "nsubjpass") or obj.pos_ != "PROPN" or obj.ent_type_:
            continue
        words = [t for t in obj.subtree if t.i <= obj.i]
        if (
            all(t.pos_ == "PROPN" and t.text[:1].isupper() and not t.ent_type_ for t in words)
            and 2 <= len(words) <= 3
            and words[-1].i - words[0].i == len(words) - 1
        ):
            return [anchor.doc[words[0].i : obj.i + 1]]
    return []


def _with_surname(person: Span, sent: Span) -> Span:
    """A lone first name the recogniser cut from the surname after it ("named Jane Doe chief
    executive" gives "Jane"): the capitalised proper noun that follows belongs to it."""
    if len(person) != 1 or person.end >= sent.end:
        return person
    nxt = person.doc[person.end]
    if (
        nxt.pos_ == "PROPN"
        and nxt.text[:1].isupper()
        and nxt.ent_type_ in ("", "PERSON")
        and not _TITLE_WORDS.match(nxt.text + " ")
        and not _TITLE_TAIL.match(" " + nxt.text)
    ):
        return person.doc[person.start : person.end + 1]
    return person


def _titled_subject(verb: Token) -> str | None:
    """ "Rheinwerk Logistik CFO Klaus Brenner to retire", "appointed TCS chief executive N
    Chandrasekaran as chairman": the name after the title is the person, whatever the
    recogniser makes of the words around it."""
    # the subject who moves, or the one an active "appointed" names
    deps = ("dobj",) if verb.lemma_.lower() in _APPOINT_VERBS else ("nsubj", "nsubjpass")
    subj = next((c for c in verb.children if c.dep_ in deps), None)
    if subj is None or subj.pos_ != "PROPN":
        return None
    lefts = [t for t in subj.lefts if t.dep_ == "compound"]
    titles = [t for t in lefts if _TITLE_WORDS.match(t.text + " ")]
    if not titles:
        return None
    words = [t for t in lefts if t.i > titles[-1].i] + [subj]
    if len(words) < 2 or not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words):
        return None
    return clean_name(otext(verb.doc, words[0].idx, subj.idx + len(subj)))


def _person_moved(cue: Span, sent: Span, anchor: Token | None) -> str | None:
    """Who joins, leaves or is appointed: the person the cue's verb names ("Jo Lee, who led
    Bolt, was named CEO"), else the nearest person named."""
    verb = clause_verb(anchor) if anchor is not None else None
    if verb is not None and joins_as_title(verb):
        # "Marcus Delaney Joins Quillon Cyber as CRO": the subject joins, whatever the
        # recogniser calls either name
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and (joiner := compound_text(subj)):
            return joiner
    if verb is not None and (titled := _titled_subject(verb)):
        return titled
    if anchor is not None and anchor.pos_ == "NOUN" and cue.doc.has_annotation("ENT_IOB"):
        # "announced the appointment of Rachel Dunmore as CRO": the one the noun is of, not
        # the announcer (whom the recogniser may call a person)
        for c in anchor.children:
            of = [g for g in c.children if g.dep_ == "pobj"] if c.lower_ == "of" else []
            ent = next((e for e in sent.ents if of and e.start <= of[0].i < e.end), None)
            if ent is not None and ent.label_ == "PERSON":
                return clean_name(otext(cue.doc, ent.start_char, ent.end_char))
    people = (
        [
            e
            for e in sent.ents
            if e.label_ == "PERSON" and e[-1].lower_.rstrip(".") not in COMPANY_HEADS | LEGAL_FORMS
        ]  # not "Tata Sons", "Quorra Labs"
        if cue.doc.has_annotation("ENT_IOB")
        else []
    )
    if verb is not None and verb.dep_ == "conj" and verb.pos_ == "VERB":
        # "acquires freight forwarder Transwis and appoints CEO for Europe": a second verb
        # of the sentence names its own people, not its first verb's
        own = {t.i for t in verb.subtree}
        if verb.head.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
        ):
            # "Jo Lee has retired as CEO and stepped down from the board": a shared subject
            own |= {
                t.i
                for c in verb.head.children
                if c.dep_ in ("nsubj", "nsubjpass")
                for t in c.subtree
            }
        people = [e for e in people if e.start in own]
    if not people and anchor is not None:
        people = _unrecognised_appointee(anchor)
    if not people:
        return None
    # the one appointed before the one appointing: "Mastercard appointed Michael Miebach",
    # even when the recogniser calls the company a person
    parties = (
        [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        if verb is not None
        else []
    )
    named = [e for e in people if any(e.start <= p.i < e.end for p in parties)]
    if verb is not None and verb.lemma_.lower() in _APPOINT_VERBS:
        dobjs = [p for p in parties if p.dep_ == "dobj"]
        named.sort(key=lambda e: not any(e.start <= p.i < e.end for p in dobjs))
        # the subject of an active "named" appoints: "Brisco named Jane Doe chief
        # executive" (the recogniser calling Brisco a person) names Jane Doe
        appointer = [p for p in parties if p.dep_ == "nsubj"]
        others = [e for e in people if not any(e.start <= p.i < e.end for p in appointer)]
        if others and (not named or named[0] not in others):
            named = sorted(others, key=lambda e: abs(e.start - cue.start))
    best = named[0] if named else min(people, key=lambda e: abs(e.start - cue.start))
    best = _with_surname(best, sent)
    person = otext(cue.doc, best.start_char, best.end_char)
    person = _TITLE_TAIL.sub("", _TITLE_WORDS.sub("", person))  # "Accountant Paul Munter"
    return clean_name(person)


def _leadership(
    cue: Span, sent: Span, text: str, anchor: Token | None, _p: Token | None
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if person := _person_moved(cue, sent, anchor):
        attrs["person"] = person
    if m := TITLE.search(text):
        attrs["title"] = m.group(1)
    lemma = (anchor.lemma_ if anchor is not None else cue[0].lower_).lower()
    if any(lemma.startswith(x) for x in _LEFT_DIRECTION) or cue[0].lower_ in ("left", "quit"):
        attrs["direction"] = "left"
    elif lemma.startswith("promot"):
        attrs["direction"] = "promoted"
    else:
        attrs["direction"] = "joined"
    if m := _PREVIOUS.search(text):
        attrs["previous_company"] = clean_name(m.group(1))
    return attrs


_KINDS = {
    "office": (
        "office",
        "offices",
        "headquarters",
        "hq",
        "hub",
        "campus",
        "studio",
        "lab",
        "laboratory",
    ),
    "headcount": ("jobs", "employees", "workers", "staff"),
    "market": ("market", "markets", "footprint", "route", "routes", "flights"),
}


def _expansion(
    cue: Span, sent: Span, text: str, anchor: Token | None, _p: Token | None
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    words = {t.lower_ for t in sent}
    entry = anchor is not None and market_entry(anchor)
    attrs["kind"] = next(
        (k for k, ws in _KINDS.items() if words & set(ws)), "market" if entry else "facility"
    )
    if cue.doc.has_annotation("ENT_IOB"):
        places = [
            e
            for e in sent.ents
            if e.label_ in ("GPE", "LOC", "FAC")
            # not the one who opens, read as a place: "Tailscale Opens Office in Toronto"
            and not any(t.dep_ in ("nsubj", "nsubjpass") for t in e)
        ]
        # a town or a region before a building's name: "open Second Headquarters in Arlington"
        # ... and where a company moves to before where it leaves: "from Boston to Austin"
        places.sort(key=lambda e: (e.label_ == "FAC", cue.doc[e.start].head.lower_ == "from"))
        if places:
            attrs["location"] = otext(cue.doc, places[0].start_char, places[0].end_char)
    return attrs


def _acquisition(
    cue: Span, sent: Span, text: str, anchor: Token | None, passive: Token | None
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    target = name_of(passive) if passive is not None else object_name(anchor, ("dobj",))
    target = target or compound_name(anchor)
    if target is None and anchor is not None and (bought := paid_for(anchor)) is not None:
        owner = owner_of(bought)  # "paid $1 billion for Intel's modem business"
        target = name_of(bought) or (name_of(owner) if owner is not None else None)
    if target is None and anchor is not None and (owned := controlled(anchor)) is not None:
        target = name_of(owned)
    if target is None and anchor is not None and (held := stake_in(anchor)) is not None:
        target = name_of(held)  # "buy a majority stake in Bolt"
    if target is None and anchor is not None:
        target = next(  # "acquire all of the outstanding shares of Hess"
            (
                name_of(whose)
                for o in anchor.children
                if o.dep_ == "dobj" and portion_of_company(o)
                for whose in o.subtree
                if whose.dep_ == "pobj" and names_something(whose)
            ),
            None,
        )
    if target is None and anchor is not None:
        target = next(  # "acquires Polish freight forwarder Transwis"
            (
                name_of(c)
                for o in anchor.children
                if o.dep_ == "dobj"
                for c in o.children
                if c.dep_ == "appos" and c.i == o.i + 1 and names_something(c)
            ),
            None,
        )
    if target is None and (anchor is None or is_headline(cue.doc)):
        target = capitalised_after(cue, sent)
    if target:
        attrs["target"] = target
    attrs.update({k: v for k, v in _money(text).items()})
    return attrs


def _ipo(
    cue: Span, sent: Span, text: str, anchor: Token | None, _p: Token | None
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if m := _EXCHANGE.search(text):
        attrs["exchange"] = m.group(1)
    if m := _TICKER.search(text):
        attrs["ticker"] = m.group(1) or m.group(2)
    if m := _PRICE_RANGE.search(text):
        attrs["price_range"] = [float(m.group(1)), float(m.group(2))]
        rest = text[m.end() :]
        money = _money(rest)
    else:
        money = _money(text)
    if money:
        attrs.update(money)
    return attrs


def _layoff(
    cue: Span, sent: Span, text: str, anchor: Token | None, _p: Token | None
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if m := _LAYOFF_COUNT.search(text):
        attrs["count"] = int(m.group(1).replace(",", ""))
    if m := _PERCENT.search(text):
        attrs["percent"] = float(m.group(1))
    return attrs


def _partnership(
    cue: Span, sent: Span, text: str, anchor: Token | None, _p: Token | None
) -> dict[str, Any]:
    partners: list[str] = []
    if anchor is not None:
        for tok in with_objects(anchor):
            name = name_of(tok)
            if name:
                partners.append(name)
    if not partners and anchor is None and cue.doc.has_annotation("ENT_IOB"):
        partners = [
            otext(cue.doc, e.start_char, e.end_char) for e in sent.ents if e.label_ == "ORG"
        ]
    return {"partners": list(dict.fromkeys(p for p in partners if p))} if partners else {}


def _product(
    cue: Span, sent: Span, text: str, anchor: Token | None, passive: Token | None
) -> dict[str, Any]:
    product = None
    if anchor is not None and passive is not None and scheduled(anchor):
        anchor = anchor.head.head  # "its new phone is scheduled for release": the phone
    named = False  # a product with a name of its own, not "memory" or "a level"
    maker: str | None = None  # the name it gives its maker ("Ardour" for "Ardour 9.0")
    if anchor is not None:
        for c in anchor.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                if not_product(c) or c.pos_ in ("PRON", "NUM"):
                    return {}
                words = [
                    t for t in c.subtree if t.i <= c.i and t.dep_ not in ("det", "poss", "case")
                ]
                if words:
                    product = otext(cue.doc, words[0].idx, c.idx + len(c))
                    named = names_something(c) or c.ent_type_ == "WORK_OF_ART" or is_versioned(c)
                    maker = _maker_name(c) if named else None
                break
        if product is None and anchor.lemma_.lower() == "work":
            thing = developed_thing(anchor)  # "is working on AR glasses"
            if thing is not None:
                words = [
                    t
                    for t in thing.subtree
                    if t.i <= thing.i and t.dep_ not in ("det", "poss") and t.lower_ != "own"
                ]
                product = otext(cue.doc, words[0].idx, thing.idx + len(thing))
        if product is None and anchor.pos_ == "VERB":
            # "Ardour 9.0 released": a headline's versioned subject is what was released.
            versioned = [c for c in anchor.children if c.dep_ == "nsubj" and is_versioned(c)]
            if versioned:
                c = versioned[0]
                product = otext(cue.doc, c.left_edge.idx, c.right_edge.idx + len(c.right_edge))
                named, maker = True, _maker_name(c)
    if product is None and anchor is not None and anchor.pos_ == "NOUN":
        # "the India launch of Oreo Go", "the Pixel launch"
        product = maker = object_name(anchor, ()) or compound_name(anchor)
        named = product is not None
        product = product or _new_of(anchor)
    if product is None and (anchor is None or is_headline(cue.doc)):
        product = maker = capitalised_after(cue, sent)
        named = product is not None
    if not product:
        return {}
    # Internal, popped by Extractor._finish: in a whole item a named product stands in for a
    # missing actor ("Ardour 8.1 released"); "memory is released" cannot.
    return {
        "product": clean_name(product),
        PRODUCT_NAMED: named,
        PRODUCT_MAKER: clean_name(unversioned(maker)),
    }


def _maker_name(tok: Token) -> str | None:
    """A product's own name: its entity or compound chain, or a capitalised head word the
    tagger took for a common noun ("Ardour" in "Ardour 8.4 released")."""
    name = name_of(tok)
    if name is None and tok.text[:1].isupper():
        name = otext(tok.doc, tok.idx, tok.idx + len(tok))
    return name


def _new_of(noun: Token) -> str | None:
    """The new thing in "the introduction of 50 new vehicles": "new vehicles"."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj" and new_thing(g):
                    words = [t for t in g.subtree if t.i <= g.i and t.dep_ in ("amod", "compound")]
                    start = words[0] if words else g
                    return otext(noun.doc, start.idx, g.idx + len(g))
    return None


ATTRIBUTES = {
    "funding": _funding,
    "leadership_change": _leadership,
    "expansion": _expansion,
    "acquisition": _acquisition,
    "ipo": _ipo,
    "layoff": _layoff,
    "partnership": _partnership,
    "product_launch": _product,
}


def status_of(text: str, etype: str) -> str:
    if _RUMOUR.search(text):
        return "rumoured"
    if _PLANNED.search(text):
        return "planned"
    if _COMPLETED.search(text):
        return "completed"
    return "announced"
