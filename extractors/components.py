"""spaCy components: find trigger cues, then turn each cue into an Event with its actor.

Registered factories (built from the rules, so a config edit needs no code change):
  trigger_cues   -> doc.spans["trigger_cues"] (label = event type), doc.spans["negative_cues"]
  trigger_events -> doc._.trigger_events: list[Event], one per cue that survives the checks
The actor is taken from the dependency parse when there is one and from capitalised-span
heuristics otherwise, so the rules-only pipeline (spacy.blank) still names a company.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from extractors.accounts import is_title_case as is_title_case  # re-exported: nlp, explain
from extractors.actors import (
    COMPANY_BODIES,
    business_actor,
    employer,
    employer_named,
    find_actor,
    funded_party,
    org_before,
    owner_of,
    people_of,
    refers_back,
    speaker_of,
)
from extractors.background import (
    ADVICE_TEXT,
    OPINION,
    advised,
    conditional,
    dated_history,
    negated,
    not_an_event,
    past_background,
)
from extractors.clauses import actor_descriptions, clause, clause_verb, own_clause, past_asides
from extractors.events import Event
from extractors.names import (
    TITLE,
    capitalised_after,
    capitalised_before,
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
from extractors.names import lowerable_words as lowerable_words  # re-exported: nlp
from extractors.names import original_text as original_text  # re-exported: nlp
from extractors.names import recase_title as recase_title  # re-exported: nlp, explain
from extractors.products import developed_thing, new_thing, not_product, scheduled
from extractors.roles import (
    CONTAINER_NOUNS,
    DEVELOP_VERBS,
    adding_verb,
    controlled,
    cue_role_ok,
    inside_name,
    market_entry,
    misread_team_verb,
    stake_in,
    with_objects,
)
from extractors.rules import TriggerRules, cue_forms

if not Doc.has_extension("trigger_events"):
    Doc.set_extension("trigger_events", default=None)
_LEFT_DIRECTION = (
    "step",
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
)

_MONEY = re.compile(
    r"(?P<cur>US\$|C\$|A\$|\$|€|£|¥)\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?"
    r"(?P<mult>thousand|million|billion|trillion|mln|bln|mn|bn|[kmb])?\b",
    re.I,
)
_MULT = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bln": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
}
_CURRENCY = {"$": "USD", "us$": "USD", "c$": "CAD", "a$": "AUD", "€": "EUR", "£": "GBP", "¥": "JPY"}
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
    r"mulling|eyeing|"
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


class TriggerCues:
    """Marks cue phrases (PhraseMatcher on lower-cased inflected forms) and token patterns."""

    def __init__(self, nlp: Language, rules: dict[str, Any]) -> None:
        self.rules = TriggerRules.from_config(rules)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.negative = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab)
        for t in self.rules.enabled():
            forms = sorted({f for cue in t.cues for f in cue_forms(cue)})
            if forms:
                self.phrases.add(t.name, [nlp.make_doc(f) for f in forms])
            if t.patterns:
                self.matcher.add(t.name, [list(p) for p in t.patterns])
        neg = sorted({f for cue in self.rules.negative_cues for f in cue_forms(cue)})
        if neg:
            self.negative.add("negative", [nlp.make_doc(f) for f in neg])

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s, e, label=k) for k, s, e in self.phrases(doc)]
        spans += [Span(doc, s, e, label=k) for k, s, e in self.matcher(doc)]
        doc.spans["trigger_cues"] = spans
        doc.spans["negative_cues"] = [Span(doc, s, e, label=k) for k, s, e in self.negative(doc)]
        return doc


@Language.factory("trigger_cues", default_config={"rules": {}})
def make_trigger_cues(nlp: Language, name: str, rules: dict[str, Any]) -> TriggerCues:
    return TriggerCues(nlp, rules)


# Veto words meant as nouns ("released its quarterly report"); the verb ("Bloomberg reported
# details on the launch of Apple's phone") vetoes nothing.
_NOUN_VETOES = frozenset(("report", "review", "statement", "audit", "estimate", "figure"))


class EventBuilder:
    """Turns cue spans into Events: checks context, finds actor, attributes and status."""

    def __init__(self, nlp: Language, rules: dict[str, Any]) -> None:
        self.rules = TriggerRules.from_config(rules)
        self.requires = {
            t.name: frozenset(w.lower() for w in t.requires) for t in self.rules.enabled()
        }
        self.exclude = {t.name: tuple(w.lower() for w in t.exclude) for t in self.rules.enabled()}

    def __call__(self, doc: Doc) -> Doc:
        best: dict[tuple[int, str], Event] = {}
        negatives = {
            s.sent.start if doc.has_annotation("SENT_START") else 0
            for s in doc.spans.get("negative_cues", [])
        }
        cues = sorted(doc.spans.get("trigger_cues", []), key=lambda s: (s.start, -len(s)))
        parsed = doc.has_annotation("DEP")
        for cue in cues:
            sent = cue.sent if doc.has_annotation("SENT_START") else doc[:]
            if sent.start in negatives:
                continue
            event = self.build(cue, sent, parsed)
            if event is None:
                continue
            key = (sent.start, event.type)
            if key not in best or event.confidence > best[key].confidence:
                best[key] = event  # overlapping cues ("raised ... funding") give one event
        doc._.trigger_events = list(best.values())
        return doc

    def _context_ok(self, etype: str, cue: Span, sent: Span, parsed: bool) -> bool:
        """`requires` words are looked for in the cue's clause when there is a parse ("opened"
        needs "store" near it, not somewhere in the sentence); `exclude` words likewise."""
        scope = clause(cue.root) if parsed else list(sent)
        words = {t.lower_ for t in scope} | {t.lemma_.lower() for t in scope}
        low = " " + " ".join(t.lower_ for t in scope) + " "
        req = self.requires.get(etype, frozenset())
        if (
            req
            and not (req & words)
            and not any(r in low for r in req if " " in r or r in "$€£")
            and not (parsed and etype == "expansion" and market_entry(cue.root))
        ):
            return False
        if parsed:
            own = own_clause(cue.root)
            low = " " + " ".join(t.lower_ for t in own) + " "
            # a phrase cue's own words cannot veto it: "prices $500 million of notes" is a
            # debt sale, though "prices" alone ("raises prices") is no funding
            inside = (cue.start, cue.end) if len(cue) > 1 else (0, 0)
            own = [t for t in own if not inside[0] <= t.i < inside[1]]
            words = {t.lower_ for t in own} | {
                t.lemma_.lower()
                for t in own
                if t.pos_ != "VERB" or t.lemma_.lower() not in _NOUN_VETOES
            }
        return not any(
            (" " + x + " ") in low if " " in x else x in words for x in self.exclude.get(etype, ())
        )

    def build(self, cue: Span, sent: Span, parsed: bool) -> Event | None:
        etype = cue.label_
        if not self._context_ok(etype, cue, sent, parsed):
            return None
        doc = cue.doc
        stext = otext(doc, sent.start_char, sent.end_char).strip()
        anchor = cue.root if parsed else cue[0]
        if parsed and etype == "product_launch" and anchor.lower_ in CONTAINER_NOUNS:
            # "Fox will add the spots to its ad portfolio": the verb adding a product to the
            # range it sells is the cue, and what it adds is the product
            adding = adding_verb(anchor)
            if adding is None:
                return None
            anchor = adding
        misread = parsed and etype == "partnership" and misread_team_verb(cue)
        if parsed and not misread and not cue_role_ok(etype, anchor):
            return None
        if inside_name(cue, sent) or (parsed and not_an_event(etype, cue, anchor)):
            return None
        around = otext(doc, sent.start_char, sent.end_char)
        if negated(anchor, around, parsed):
            return None
        actor_tok, passive_target = find_actor(anchor) if parsed else (None, None)
        if parsed and not business_actor(etype, anchor, actor_tok):
            return None
        if etype == "product_launch" and parsed and anchor.pos_ == "NOUN":
            # "details on the launch of Apple's upcoming smartphone": the product's owner
            launched = [
                g
                for c in anchor.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                if g.dep_ == "pobj"
            ]
            owner = owner_of(launched[0]) if launched else None
            if owner is not None and owner.pos_ != "PRON":
                actor_tok = owner
        if etype == "funding" and actor_tok is not None:
            actor_tok = funded_party(actor_tok)
        if actor_tok is not None and actor_tok.lemma_.lower() in COMPANY_BODIES:
            actor_tok = owner_of(actor_tok) or actor_tok  # "Acme's board elected Jo Lee"
        exec_company = employer(actor_tok) if actor_tok is not None else None
        if exec_company is not None:
            actor_tok = exec_company[0]  # the executive's company, or "the company" unnamed
        if etype == "product_launch" and actor_tok is None and passive_target is not None:
            actor_tok = owner_of(passive_target)  # "Apple's new iPhone was unveiled"
        company = unversioned(name_of(actor_tok)) if actor_tok is not None else None
        if exec_company is not None and company is None:
            attrs_ref = True  # an executive speaks for a company named elsewhere
        elif company is None and actor_tok is not None and refers_back(actor_tok):
            attrs_ref = True  # "the company", "it": the item's main company may stand in
        else:
            attrs_ref = False
        if company is None and attrs_ref and parsed and (speaker := speaker_of(anchor)):
            company, attrs_ref = speaker, False  # "Acme said it will open", "...that its CFO"
        if company is None and not parsed:
            company = capitalised_before(cue, sent)
        elif company is None and actor_tok is None:
            headline = is_headline(doc) or misread
            company = capitalised_before(cue, sent) if headline else None
        attrs = ATTRIBUTES[etype](cue, sent, stext, anchor if parsed else None, passive_target)
        passive_person = (
            company is None
            and actor_tok is None
            and passive_target is not None
            and passive_target.ent_type_ == "PERSON"
        )
        if etype == "leadership_change" and (company in people_of(attrs) or passive_person):
            # "Jo Lee was appointed CEO of Acme", "Jo Lee, formerly of Bolt, joins Acme"
            company = employer_named(sent, attrs)
            attrs_ref = attrs_ref or company is None
        if attrs_ref:
            attrs["actor_refers_back"] = True
            nearer = org_before(actor_tok) if actor_tok is not None else None
            if nearer is not None:
                attrs[NEARER_COMPANY] = nearer
        if etype == "acquisition" and company and attrs.get("target") == company:
            attrs.pop("target")
        status = _status(around, etype)
        if (
            parsed
            and etype == "product_launch"
            and status != "rumoured"
            and anchor.lemma_.lower() in DEVELOP_VERBS
        ):
            status = "planned"  # "is developing a headset": not launched yet
        # An event needs someone to alert about: an actor, or at least a named key detail.
        # A pronoun or "the company" is still a definite actor: the item's main company (or
        # an earlier sentence) names it, so the event itself is stated, only not attributed.
        confidence = 0.45 + (0.25 if company else REFERS_BACK_BONUS if attrs_ref else 0.0)
        confidence += 0.15 if any(attrs.get(k) for k in KEY_ATTRIBUTES[etype]) else 0.0
        if dated_history(anchor, around, parsed) or (
            parsed and past_background(anchor, around, etype)
        ):
            confidence -= 0.4
            attrs["historical"] = True
            attrs[NOT_NEWS] = True
        if (
            stext.rstrip().endswith("?")
            or OPINION.search(around)
            or (advised(anchor) if parsed else bool(ADVICE_TEXT.search(around)))
            or (parsed and conditional(anchor))
        ):
            confidence -= 0.45
            attrs[NOT_NEWS] = True
        if status == "rumoured":
            confidence -= 0.1
        return Event(
            type=etype,
            company=company,
            attributes=attrs,
            evidence=stext,
            confidence=round(max(0.05, min(0.99, confidence)), 3),
            status=status,
            rule=f"{etype}/{' '.join(t.lemma_.lower() or t.lower_ for t in cue)}",
        )


@Language.factory("trigger_events", default_config={"rules": {}})
def make_trigger_events(nlp: Language, name: str, rules: dict[str, Any]) -> EventBuilder:
    return EventBuilder(nlp, rules)


REFERS_BACK_BONUS = 0.15
PRODUCT_NAMED = "product_named"
PRODUCT_MAKER = "product_maker"
# Internal, popped by Extractor._finish: history, a question, opinion, advice or a condition.
# Borrowing the item's company must not lift such an event back over the alert threshold.
NOT_NEWS = "not_news"
# Internal, popped by Extractor._finish: a company the sentence names before its pronoun
# actor ("... within Adobe Spectrum the day they released Spectrum CSS"), which the pronoun
# more likely means than the story's main company.
NEARER_COMPANY = "nearer_company"

KEY_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "funding": ("amount", "investors", "round"),
    "leadership_change": ("person",),
    "expansion": ("location",),
    "acquisition": ("target",),
    "ipo": ("exchange", "ticker", "price_range", "amount"),
    "layoff": ("count", "percent"),
    "partnership": ("partners",),
    "product_launch": ("product",),
}


def _money(text: str) -> dict[str, Any]:
    m = _MONEY.search(text)
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


def _leadership(
    cue: Span, sent: Span, text: str, anchor: Token | None, _p: Token | None
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    people = (
        [e for e in sent.ents if e.label_ == "PERSON"] if cue.doc.has_annotation("ENT_IOB") else []
    )
    if people:
        # the person the cue's verb names ("Jo Lee, who led Bolt, was named CEO"), else the
        # nearest one
        verb = clause_verb(anchor) if anchor is not None else None
        parties = (
            {c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")}
            if verb is not None
            else set()
        )
        named = [e for e in people if any(e.start <= i < e.end for i in parties)]
        best = named[0] if named else min(people, key=lambda e: abs(e.start - cue.start))
        person = otext(cue.doc, best.start_char, best.end_char)
        attrs["person"] = clean_name(_TITLE_WORDS.sub("", person))  # "Accountant Paul Munter"
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
    "market": ("market", "markets", "footprint"),
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
        places = [e for e in sent.ents if e.label_ in ("GPE", "LOC", "FAC")]
        if places:
            attrs["location"] = otext(cue.doc, places[0].start_char, places[0].end_char)
    return attrs


def _acquisition(
    cue: Span, sent: Span, text: str, anchor: Token | None, passive: Token | None
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    target = name_of(passive) if passive is not None else object_name(anchor, ("dobj",))
    target = target or compound_name(anchor)
    if target is None and anchor is not None and (owned := controlled(anchor)) is not None:
        target = name_of(owned)
    if target is None and anchor is not None and (held := stake_in(anchor)) is not None:
        target = name_of(held)  # "buy a majority stake in Bolt"
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


def _status(text: str, etype: str) -> str:
    if _RUMOUR.search(text):
        return "rumoured"
    if _PLANNED.search(text):
        return "planned"
    if _COMPLETED.search(text):
        return "completed"
    return "announced"
