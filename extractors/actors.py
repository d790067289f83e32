"""Who an event is about: the company behind a cue, read from the parse.

The grammatical subject is often not the account to alert: an executive speaks for a company
("Disney CEO Bob Iger"), an investor leads another firm's round, a pronoun points at a company
named elsewhere, and a blogger or a country acting for itself is no account at all.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span, Token

from extractors.names import (
    COMPANY_HEADS,
    DESCRIPTORS,
    GENERIC_ACTORS,
    LEGAL_FORMS,
    PLACES,
    TITLE,
    clean_name,
    is_cap,
    is_headline,
    is_versioned,
    misread_name,
    name_of,
    names_something,
    otext,
    the_group,
    unknown_word,
)

SPEECH_VERBS = frozenset(
    (
        *("say", "announce", "confirm", "report", "tell", "disclose", "reveal", "state", "add"),
        *("admit", "acknowledge", "indicate", "note", "explain", "write"),
    )
)


def company_named(tok: Token) -> bool:
    """A name ending in a company word or legal form ("Quorra Labs" tagged a person), or
    one described as a business ("Quintessa Cloud, a provider of observability software")."""
    return (
        tok.lower_.rstrip(".") in COMPANY_HEADS | LEGAL_FORMS
        and any(c.dep_ == "compound" for c in tok.children)
    ) or any(c.dep_ == "appos" and c.lemma_.lower() in _BUSINESS_NOUNS for c in tok.children)


_BUSINESS_NOUNS = frozenset(
    """provider developer manufacturer maker supplier operator retailer producer distributor
    company firm startup start-up lender insurer bank chain platform specialist leader
    pioneer designer builder brand marketplace subsidiary unit division""".split()  # noqa: SIM905
)


def speaker_of(anchor: Token) -> str | None:
    """The organisation whose statement an event is: "Acme said it will open a plant",
    "The SEC announced that its chief accountant will retire", "Acme announced it has
    entered into an agreement to acquire Bolt". People are not companies."""
    child = anchor
    for t in list(anchor.ancestors)[:6]:
        if t.lemma_.lower() in SPEECH_VERBS and (
            child.dep_ in ("ccomp", "xcomp")
            # "Corvina Health announced a restructuring that includes a reduction of ...":
            # what it announces is its own
            or (t.lemma_.lower() == "announce" and child.dep_ == "dobj")
        ):
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is None or (subj.ent_type_ == "PERSON" and not company_named(subj)):
                return None
            # none for "the company", "it"; "Lucid Group" is a name; and "Ellery Pharma,
            # Inc. (NASDAQ: ELRX) today announced" is Ellery's, not the exchange's
            return name_of(listed_company(subj) or subj)
        child = t
    return None


EXCHANGE_WORDS = frozenset(
    """nyse nasdaq asx lse tsx hkex sgx bse nse jse euronext xetra kosdaq aim exchange
    bourse""".split()  # noqa: SIM905
)


def listed_company(tok: Token) -> Token | None:
    """ "Tesla Motors, Inc. (NASDAQ: TSLA) today announced": the parser may make the
    exchange of a ticker, or "today", the subject; the company is the name before the
    parenthesis."""
    doc = tok.doc
    i = tok.i
    if tok.lower_ in ("today", "yesterday") and i > 0 and doc[i - 1].text == ")":
        i = next((t.i for t in reversed(doc[max(0, i - 8) : i]) if t.text == "("), -1) + 1
    elif tok.lower_ not in EXCHANGE_WORDS:
        return None
    if i < 2 or doc[i - 1].text != "(":
        return None
    for t in reversed(doc[max(0, i - 6) : i - 1]):
        if t.pos_ == "PROPN" and t.lower_.rstrip(".") not in LEGAL_FORMS:
            return t
    return None


ORGISH_NOUNS = frozenset(
    [
        "stake",
        "company",
        "firm",
        "business",
        "rival",
        "unit",
        "division",
        "operations",
        "assets",
        "startup",
        "maker",
        "chain",
        "competitor",
        "subsidiary",
        "brand",
        "portfolio",
        "group",
        "bank",
        "lender",
        "insurer",
        "retailer",
        "developer",
        "arm",
        # businesses counted by their premises: "has acquired three animal hospitals"
        *("clinic", "hospital", "practice", "dealership", "pharmacy"),
        *("distributor", "supplier", "manufacturer", "producer", "provider"),
    ]
)


INTENT_NOUNS = frozenset(
    """agreement deal plan offer bid proposal move decision effort attempt right option
    approval talks intention intent commitment pact contract""".split()  # noqa: SIM905
)


def find_actor(anchor: Token) -> tuple[Token | None, Token | None]:
    """The grammatical actor of a cue: subject of its verb, possessor of its noun, or the
    agent of a passive. Also returns a passive subject (the target in "X was acquired by Y")."""
    if anchor.dep_ == "compound" and anchor.tag_ in ("VBZ", "VBD"):
        # "Ironleaf Games Debuts Shattered Tides": a headline verb the parser made part of
        # the product's name; the name before it acts (the caller reads it off the headline)
        return None, None
    t = anchor
    prev: Token | None = None
    for _ in range(6):
        agent = [g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        passive = [c for c in t.children if c.dep_ in ("nsubjpass",)]
        if agent:
            if not passive and t.dep_ == "xcomp":
                # "Acme agreed to be acquired by Bolt": the raised subject is the target
                passive = [c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            return agent[0], passive[0] if passive else None
        if passive and t.pos_ == "VERB":
            if t.i != anchor.i and prev is not None and prev.dep_ == "xcomp":
                # "Acme is set to open", "Acme is expected to buy Bolt": the raised subject
                # of the passive is the actor of the infinitive.
                return passive[0], None
            return None, passive[0]
        if any(c.dep_ == "expl" for c in t.children):
            return None, None  # "There's more funding for podcasters": nobody acts
        subj = [c for c in t.children if c.dep_ in ("nsubj",)]
        if t.lower_ == "worth" and any(c.i == anchor.i and c.dep_ == "nsubj" for c in t.children):
            # "Palantir lands Army agreement worth up to $10 billion": the cue read as the
            # subject of "worth"; who lands it is further up
            prev, t = t, t.head
            if t.i == prev.i:
                return None, None
            continue
        if subj:
            s = subj[0]
            if s.lower_ in ("which", "who", "that") and t.dep_ == "relcl":
                return t.head, None
            if s.pos_ == "NOUN" and not s.ent_type_:
                # "a new startup, Mira, introduced ...": the name in apposition; "rental
                # platform Bostadly is merging": a new name right after, whatever its tag
                named = [c for c in s.children if c.dep_ == "appos" and names_something(c)]
                nxt = s.doc[s.i + 1] if s.i + 1 < len(s.doc) else None
                if nxt is not None and nxt.dep_ in ("advmod", "npadvmod") and unknown_word(nxt):
                    named.append(nxt)  # (the parser hangs the unknown name on the verb)
                if named:
                    return named[0], None
            if s.ent_type_ in ("GPE", "LOC"):
                # "The Menlo Park, California-based firm has hired": the firm, not its town
                firm = [
                    c
                    for c in s.children
                    if c.dep_ == "appos"
                    and c.lower_ in DESCRIPTORS
                    and any(a.lemma_.lower() == "base" for a in c.children)
                ]
                if firm:
                    return firm[0], None
            return s, None
        poss = [c for c in t.children if c.dep_ == "poss"]
        if poss and t.pos_ in ("NOUN", "PROPN"):
            verb = t.head if t.dep_ == "dobj" else t.head.head if t.dep_ == "pobj" else None
            if poss[0].lower_ in ("its", "their") and verb is not None and verb.pos_ == "VERB":
                # "Acme completed its previously announced acquisition of Bolt", "Amazon
                # stunned the world with its acquisition of Whole Foods": "its" is the
                # subject that does something with its own event
                subj = [c for c in verb.children if c.dep_ == "nsubj"]
                if (
                    subj
                    and subj[0].pos_ != "PRON"
                    and (t.dep_ == "dobj" or names_something(subj[0]))
                ):
                    return subj[0], None
            return poss[0], None
        if t.i == anchor.i and (owner := _name_before_of(t)) is not None:
            return owner, None
        by = [
            g
            for c in t.children
            if c.dep_ == "prep" and c.lower_ == "by"
            for g in c.children
            if g.dep_ == "pobj"
        ]
        if by and t.pos_ == "NOUN":
            return by[0], None
        if t.dep_ == "acl" and (t.head.lemma_.lower() in INTENT_NOUNS or t.head.lower_ == "talks"):
            # "Acme signs an agreement to acquire Bolt", "has plans to open": the one who
            # holds the agreement or plan acts, not the agreement
            prev, t = t, t.head
            continue
        if t.dep_ in ("relcl", "acl") and t.pos_ == "VERB":
            return t.head, None
        if t.dep_ == "ROOT" or t.head.i == t.i:
            if prev is not None and prev.dep_ == "prep" and _headline_name(t):
                return t, None  # a headline without verb: "Microsoft in talks to buy Bolt"
            # A headline subject without verb: "Agari Funding Round Led By..." -> compounds
            comp = [c for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
            return (comp[0], None) if comp else (None, None)
        if t.dep_ == "appos" and t.pos_ == "VERB":
            return t.head, None
        if (
            t.dep_ in ("dep", "ccomp", "parataxis", "advcl")
            and t.head.i > t.i
            and t.head.lemma_.lower() in SPEECH_VERBS
        ):
            # "OpenAI in talks to raise funding, Bloomberg reports", "..., people familiar
            # say": whoever reports it afterwards is no actor; a verbless headline's name is
            named = prev is not None and prev.dep_ == "prep" and _headline_name(t)
            return (t, None) if named else (None, None)
        prev, t = t, t.head
    return None, None


def _headline_name(tok: Token) -> bool:
    """The name a verbless headline opens with ("Microsoft in talks to buy ..."): a proper
    noun, an organisation, or a word that is no English word ("Corvane")."""
    return tok.pos_ == "PROPN" or tok.ent_type_ == "ORG" or unknown_word(tok)


INVESTOR_VERBS = frozenset(
    (
        *("lead", "invest", "participate", "back", "provide", "inject", "pour", "commit"),
        *("fund", "pump", "plow", "plough"),
        # who gives a grant or a loan: "USDA awards $12.4 million grant to Northern Plains"
        *("award", "grant", "extend", "lend", "give"),
    )
)


def _name_before_of(noun: Token) -> Token | None:
    """A name before an event noun ("AT&T acquisition of Time Warner", "Google purchase of
    Fitbit") that has its own "of" object is the actor, as a possessive would be. Without the
    "of" object ("the Whole Foods acquisition") the name is what the event is about."""
    if noun.pos_ != "NOUN" or not any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.dep_ == "pobj" for g in c.children)
        for c in noun.children
    ):
        return None
    return next(
        (
            c
            for c in noun.children
            if c.dep_ in ("compound", "nmod")
            and c.i < noun.i
            and c.pos_ == "PROPN"
            and c.ent_type_ not in ("GPE", "NORP", "LOC", "DATE", "PERSON")
        ),
        None,
    )


_EXEC_TITLE = re.compile(
    r"\b(chief|ceo|cfo|coo|cto|president|chairman|chairwoman|(?:co-?)?founder|executive|director"
    r"|counsel|officer|treasurer)\b",
    re.I,
)
_PHRASE_DEPS = frozenset(("compound", "appos", "amod", "poss", "case", "nmod", "prep", "pobj"))


_TITLE_MODIFIERS = frozenset(
    """senior independent non-executive nonexecutive executive lead deputy interim acting
    global group chief vice managing general associate assistant regional""".split()  # noqa: SIM905
)


def employer(actor: Token) -> tuple[Token | None] | None:
    """An executive as the actor ("Disney CEO Bob Iger plans to launch", "Bob Iger, chief
    executive of Disney, said"): the company is the organisation in the title phrase, or
    (None,) when it is named elsewhere. None when the actor is no executive."""
    phrase = [actor]
    stack = list(actor.children)
    while stack:
        t = stack.pop()
        if t.dep_ in _PHRASE_DEPS or t.dep_ == "punct":
            phrase.append(t)
            stack.extend(t.children)
    phrase.sort(key=lambda t: t.i)
    person = any(t.ent_type_ == "PERSON" for t in phrase)
    if not person or not _EXEC_TITLE.search(" ".join(t.text for t in phrase)):
        return None
    if any(t.lower_ in ("former", "ex", "onetime", "erstwhile") for t in phrase):
        return (None,)  # "former Loblaw executive Donald Pike": Loblaw is not the company
    org = next((t for t in phrase if t.ent_type_ == "ORG" and t.dep_ != "compound"), None)
    org = org or next((t for t in phrase if t.ent_type_ == "ORG"), None)
    # an unknown name the tagger leaves untyped, before the title: "Corvane founder Jo Lee"
    # (not a capitalised title word: "Jo Lee, the Chief Economist")
    title = next((t.i for t in phrase if _EXEC_TITLE.fullmatch(t.text)), -1)
    # (or one the recogniser took for part of a person: "Rheinwerk Logistik CFO Klaus Brenner")
    own = _entity_of(actor)
    org = org or next(
        (
            t
            for t in phrase
            if t.i < title
            and (t.pos_ == "PROPN" or unknown_word(t))
            and t.lower_ not in _TITLE_MODIFIERS  # "Senior Independent Director"
            and (not t.ent_type_ or (t.ent_type_ == "PERSON" and _entity_of(t) != own))
        ),
        None,
    )
    return (org,)


def _entity_of(tok: Token) -> tuple[int, int] | None:
    return next(((e.start, e.end) for e in tok.doc.ents if e.start <= tok.i < e.end), None)


_EMPLOYER_PREPS = frozenset(("of", "at", "for"))
# What a person does, not a company: the subject is who moves, never the company
PERSON_MOVES = frozenset(("leave", "depart", "retire", "resign", "step", "quit", "join"))
_ROLE_NOUNS = frozenset(("role", "post", "position", "job", "seat", "office", "duties"))
_OWN_BODIES = frozenset(("agency", "commission", "organization", "organisation", "board", "team"))


def titled(name: Token) -> bool:
    """A name described by a title is a person's: "YJ Fischer, the Director of OIA", "CFO
    Martin Abara" (which the recogniser may tag an organisation, title and all)."""
    return any(
        (c.dep_ == "appos" and TITLE.search(" ".join(t.text for t in c.subtree)))
        or (c.dep_ == "compound" and c.i < name.i and _EXEC_TITLE.fullmatch(c.text))
        for c in name.children
    )


def titled_person(name: str) -> str | None:
    """The person in a name that opens with a title ("CFO Mara Ilves" -> "Mara Ilves"), which
    the recogniser may tag an organisation, title and all."""
    first, _, rest = name.partition(" ")
    if first.lower().rstrip(".") in _HONORIFICS:
        return rest or first  # "Dr. Bell, who has served on its board, succeeds ..."
    return rest if rest and _EXEC_TITLE.fullmatch(first) else None


_HONORIFICS = frozenset(("dr", "mr", "mrs", "ms", "prof", "sir", "dame"))


def joins_as_title(verb: Token) -> bool:
    """ "joins Acme as CFO", "has joined the company as Chief Revenue Officer"."""
    return verb.lemma_.lower() == "join" and any(
        c.dep_ == "prep"
        and c.lower_ == "as"
        and any(TITLE.search(g.text) or _EXEC_TITLE.search(g.text) for g in c.subtree)
        for c in verb.subtree  # (the parser may hang "as CTO" on the company)
    )


def compound_text(tok: Token) -> str | None:
    """A proper name as written, whatever entity the recogniser gave it: "Quillon Cyber"."""
    run = _proper_run(tok)
    return clean_name(otext(tok.doc, run.start_char, run.end_char)) if run else None


def _proper_run(tok: Token) -> Span | None:
    """The proper nouns that end at `tok` and hang on it ("agritech startup Shamba" ->
    "Shamba", "chief executive of Corvane Labs" -> "Corvane Labs")."""
    if tok.pos_ != "PROPN":
        return None
    start = tok.i
    while start > 0 and tok.doc[start - 1].pos_ == "PROPN" and tok.is_ancestor(tok.doc[start - 1]):
        start -= 1
    return tok.doc[start : tok.i + 1]


def place_moved(verb: Token) -> Token | None:
    """What a person leaves or joins: "leave the agency", "join Acme", "resign from Bolt"."""
    for c in verb.children:
        if c.dep_ == "dobj":
            return c
        if c.dep_ == "prep" and c.lower_ == "from" and verb.lemma_.lower() != "retire":
            # not "retire from federal service": one retires from working, not from a firm
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def own_place(place: Token) -> bool:
    """ "the agency", "the company", "her role": the item's own company, named elsewhere."""
    if place.ent_type_:
        return False
    lemma = place.lemma_.lower()
    if lemma in _ROLE_NOUNS and any(g.dep_ == "poss" for g in place.children):
        return True
    return any(g.lower_ == "the" for g in place.children) and (
        lemma in GENERIC_ACTORS or lemma in DESCRIPTORS or lemma in _OWN_BODIES
    )


def people_of(attrs: dict[str, Any]) -> set[str]:
    """Names a leadership change's company must not be: the person, their former employer."""
    return {n for n in (attrs.get("person"), attrs.get("previous_company")) if n}


# parts of a company that act for it
COMPANY_BODIES = frozenset(("board", "management"))  # not shareholders: they are investors


def employer_named(sent: Span, attrs: dict[str, Any]) -> str | None:
    """The company a person joins or leaves, when the person is the sentence's subject: an
    organisation after "of"/"at"/"for" ("CEO of Acme"), else the only other one named. A
    previous employer ("formerly of Bolt") is not it."""
    doc = sent.doc
    person = (attrs.get("person") or "").lower()
    previous = (attrs.get("previous_company") or "").lower()
    orgs = [
        e
        for e in sent.ents
        if e.label_ == "ORG"
        and e.text.lower() not in (person, previous)
        and not (person and e.text.lower().endswith(" " + person))  # "CFO Martin Abara"
        and e.start > 0
        and not TITLE.fullmatch(e.text)  # "General Counsel" read as an organisation
        and not _EXEC_TITLE.fullmatch(e.text)  # "named Executive Vice President and ..."
        and e.root.lemma_.lower() not in COMPANY_BODIES  # "a member of the Board of Directors"
        and not _former(e)  # "former Loblaw executive Donald Pike will retire"
        and not (e.root.lower_ == "directors" and "board" in e.text.lower())
    ]
    after = [e for e in orgs if doc[e.start - 1].lower_ in _EMPLOYER_PREPS]
    chosen = after[0] if after else orgs[0] if len(orgs) == 1 else None
    if chosen is None and not orgs:
        chosen = _untyped_employer(sent)
        if chosen is not None and chosen.text.lower() == person:
            chosen = None
    return clean_name(otext(doc, chosen.start_char, chosen.end_char)) if chosen else None


def _former(ent: Span) -> bool:
    """An organisation named as someone's past employer: "former Loblaw executive"."""
    doc = ent.doc
    before = {doc[i].lower_ for i in range(max(ent.start - 2, 0), ent.start)}
    head = ent.root.head
    return bool(before & _FORMER) or (
        ent.root.dep_ == "compound" and any(c.lower_ in _FORMER for c in head.children)
    )


_FORMER = frozenset(("former", "ex", "ex-", "onetime", "erstwhile", "previously"))


def _untyped_employer(sent: Span) -> Span | None:
    """A name the recogniser typed as nothing, or as a person, after a title's "of" or "at"
    ("was appointed CFO of Acme", "chief executive of Corvane Labs")."""
    for t in sent:
        if (
            t.lower_ in ("of", "at")
            and _EXEC_TITLE.fullmatch(t.head.text)
            and (obj := next((c for c in t.children if c.dep_ == "pobj"), None)) is not None
            and (
                obj.ent_type_ in ("", "PERSON")
                or (obj.ent_type_ == "GPE" and obj.lower_ not in PLACES)
            )
            and (run := _proper_run(obj)) is not None
        ):
            return run
    return None


def leadership_company(
    anchor: Token,
    actor: Token | None,
    by_executive: bool,
    company: str | None,
    attrs: dict[str, Any],
    passive_person: bool,
) -> tuple[str | None, bool] | None:
    """Who a leadership change is about when its actor is a person, not the company: the
    company left or joined, the one announcing, or one named near the person. Returns the
    company and whether the item's main company must stand in; None when the actor's own
    name stands ("Acme names Jo Lee CEO")."""
    sent = anchor.sent
    moves = actor is not None and anchor.lemma_.lower() in PERSON_MOVES
    place = place_moved(anchor) if moves else None
    if place is not None and place.ent_type_ == "ORG" and (left := name_of(place)):
        return left, False  # "Jo Lee, director of Research, will depart Acme"
    if (
        place is not None
        and place.ent_type_ not in ("GPE", "LOC")
        and joins_as_title(anchor)
        and (joined := compound_text(place))
    ):
        # "Marcus Delaney Joins Quillon Cyber as Chief Revenue Officer": whatever the
        # recogniser calls the two names, one joins the other as an executive
        return joined, False
    if place is not None and own_place(place) and (speaker := speaker_of(anchor)):
        return speaker, False  # "Acme said its CFO will leave the company"
    if (
        moves
        and actor is not None
        and not by_executive
        and actor.pos_ == "PROPN"
        and (actor.ent_type_ != "ORG" or titled(actor))
        and not company_named(actor)
    ):
        # who leaves or joins is a person, whatever the recogniser calls the name (not
        # "the stock rise has left bears"); "the agency", "her role" are the item's own
        if place is not None and own_place(place):
            return None, True
        named = employer_named(sent, attrs)
        return named, named is None
    if (
        actor is not None
        and actor.ent_type_ == "PERSON"
        and not company_named(actor)  # "Tata Sons appointed ...": a company
        and company not in people_of(attrs)
        and any(c.dep_ == "compound" and c.ent_type_ == "PERSON" for c in actor.children)
    ):
        # "Bill Ford tapped Hackett as CEO": a person appoints for a company named
        # elsewhere (a one-word "person" appointing is often a misread company:
        # "Mastercard appointed Michael Miebach")
        if (
            anchor.doc.user_data.get("part") == "title"
            and actor.left_edge.i == sent.start < actor.i < anchor.i
            and employer_named(sent, attrs) is None
        ):
            return None  # "Quintessa Cloud Appoints Rachel Dunmore CRO": titles name the firm
        return None, True
    if company in people_of(attrs) or passive_person:
        # "Jo Lee was appointed CEO of Acme", "Jo Lee, formerly of Bolt, joins Acme",
        # "Acme said Jo Lee was appointed CFO"
        named = employer_named(sent, attrs) or speaker_of(anchor)
        return named, named is None
    return None


def title_subject(doc: Doc) -> str | None:
    """The company a headline's main verb has as its subject ("Eastlake Bancshares Announces
    CEO Transition"): the item's own company even when the title holds no event of it. Not a
    person, nor one who joins or leaves."""
    for verb in doc:
        if verb.text in (";", ":", "|"):
            break  # the first clause only: "...; Thomas Greer to Step Down"
        subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
        if verb.pos_ != "VERB" or subj is None:
            continue
        if subj.tag_ == "NNS" and subj.text[:1].islower():
            break  # "Ostrava Tools posts record sales": the verb read as the subject
        if verb.lemma_.lower() not in _RELEASE_VERBS and subj.ent_type_ == "ORG":
            break  # "Buckaroo Burger tops Q3 estimates; CFO Tom Reddick to retire"
        if (
            verb.lemma_.lower() not in _RELEASE_VERBS
            or subj.ent_type_ in ("PERSON", "GPE", "NORP")
            or _EXEC_TITLE.fullmatch(subj.text)  # "Cloudera Founder Debuts ..."
            or any(t.ent_type_ in ("GPE", "NORP") or t.lower_ in PLACES for t in subj.subtree)
            or not names_something(subj)
        ):
            return None
        words = doc[0 : subj.i + 1]
        if all(is_cap(otext(doc, t.idx, t.idx + len(t))) for t in words):
            return clean_name(
                otext(doc, words.start_char, words.end_char)
            )  # "Three Rivers Bancorp"
        return name_of(subj)
    return _opening_company(doc)


def _opening_company(doc: Doc) -> str | None:
    """A sentence-case title that opens with a company the parser lost the verb of ("Ostrava
    Tools posts record Q2 sales; CFO Mara Ilves to retire", "posts" read as a noun)."""
    ent = next((e for e in doc.ents if e.start == 0), None)
    if ent is None or is_headline(doc) or ent.end >= len(doc):
        return None
    after = doc[ent.end]
    if not after.text[:1].islower() or after.pos_ in ("ADP", "CCONJ", "PART"):
        return None  # "Apple and Google ...", "Apple's ...", "Apple to ..."
    if ent.label_ == "ORG" or (ent.label_ == "PERSON" and company_named(ent.root)):
        return name_of(ent.root)
    return None


# what a press release's title says its company does
_RELEASE_VERBS = SPEECH_VERBS | frozenset(
    ("provide", "issue", "declare", "complete", "enter", "sign", "file", "receive", "reach")
)


def owner_of(thing: Token) -> Token | None:
    """Whose thing it is: the possessor of "Apple's new iPhone", "its Vega chips", or a
    name before it ("the Acme board")."""
    return next(
        (c for c in thing.children if c.dep_ == "poss"),
        next(
            (
                c
                for c in thing.children
                if c.dep_ == "compound"
                and c.ent_type_ == "ORG"
                and not (thing.ent_type_ and thing.ent_iob_ == "I")  # "Vision Pro": one name
            ),
            None,
        ),
    )


def body_of(body: Token) -> Token | None:
    """The company a board belongs to: "the board (of directors) of Acme"."""
    tok = body
    for _ in range(2):
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        tok = next((g for g in of.children if g.dep_ == "pobj"), None) if of else None
        if tok is None:
            return None
        if names_something(tok) and tok.lower_ not in _BODY_MEMBERS:
            return tok  # (not "Trustees" of "the Board of Trustees of St. Brendan Health")
    return None


_BODY_MEMBERS = frozenset(("directors", "trustees", "governors", "regents", "supervisors"))


_GIVING_VERBS = frozenset(("award", "grant", "extend", "lend", "give"))


def funded_party(subj: Token) -> Token | None:
    """When the subject is the investor ("Sequoia led a round in Acme"), the company is the
    object of "in"/"into"; investors are never the funding event's company."""
    verb = subj.head
    if verb.lemma_.lower() not in INVESTOR_VERBS:
        return subj
    # a grant or a loan goes "to" someone; an investment goes "in"/"into" a company
    preps = ("to",) if verb.lemma_.lower() in _GIVING_VERBS else ("in", "into", "for", "to")
    for tok in verb.subtree:
        if tok.dep_ == "prep" and tok.lower_ in preps:
            for g in tok.children:
                if g.dep_ == "pobj" and (g.pos_ == "PROPN" or g.ent_type_ == "ORG"):
                    return g
    # "Quantafold awarded £2.5m grant": a headline's passive names the one who gets it
    return subj if verb.lemma_.lower() in _GIVING_VERBS else None


_PERSONAL = frozenset(("i", "me", "you", "my", "your"))  # the writer and the reader
# People: never a company named elsewhere in the item.
PERSONAL_PRONOUNS = _PERSONAL | frozenset(("he", "him", "his", "she", "her"))
_LOOSE_LAUNCH_VERBS = frozenset(("introduce", "release", "showcase", "develop", "work"))


def business_actor(etype: str, anchor: Token, actor: Token | None) -> bool:
    """Is this cue something a company does? Not when a person writes about themselves ("I
    released my app", "you launch the app"), not an instruction ("Launch the application"),
    and not when a country or government acts ("Peru ousts its president", "France releases
    a tanker"): none of these is about an account. A deal stays: a government's deal has a
    company on the other side ("Iran confident about $3 billion Boeing deal")."""
    if actor is not None:
        if actor.lower_ in _PERSONAL:
            return False
        placeish = actor.ent_type_ in ("GPE", "NORP", "LOC") or actor.lower_ in PLACES
        if etype != "partnership" and placeish:
            name = actor.doc[actor.left_edge.i : actor.i + 1].text.lower()
            name = name.removeprefix("the ").removesuffix("'s").removesuffix("’s").strip()
            # "Coca-Cola Japan", "Nikkei Asia": a company named after its market is no place
            branded = any(
                c.dep_ == "compound"
                and c.pos_ == "PROPN"
                and c.i == actor.i - 1
                and c.lower_ not in PLACES
                for c in actor.children
            )
            if name in PLACES or (actor.lower_ in PLACES and not branded):
                return False
        named_by = any(  # "Tarven Media": a name that ends in a plural noun
            c.dep_ in ("compound", "poss") and (c.pos_ == "PROPN" or is_cap(c.text))
            for c in actor.children
        )
        if (
            _bare_plural(actor)
            and actor.pos_ == "NOUN"
            and not actor.ent_type_
            and not named_by
            and not unknown_word(actor)  # "Wesfarmers wins control of API": a name
            and etype != "funding"  # "three banks provide Acme with a loan": investors
            and actor.head.i == anchor.i  # the cue's own subject, not "Bookings rose after"
            and not any(c.dep_ == "nummod" for c in actor.children)
        ):
            return False  # "Cops are buying GeoSpy", "banks raise rates": a kind of actor
        # "Introduce" and "release" done by a common noun that is neither a name nor a
        # company word are not launches: "this article introduces the concept", "the
        # proliferation of blocks introduces overhead", "most of the memory is released".
        return not (
            anchor.lemma_.lower() in _LOOSE_LAUNCH_VERBS
            and actor.pos_ == "NOUN"
            and not actor.ent_type_
            and not is_versioned(actor)  # "Ardour 8.4 released"
            and not refers_back(actor)
            and (actor.lemma_.lower() not in ORGISH_NOUNS or _bare_plural(actor))
            and not any(
                c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in actor.children
            )
        )
    verb = anchor if anchor.pos_ == "VERB" else None
    # An imperative: a base-form verb that opens its sentence and has no subject.
    return not (
        verb is not None
        and verb.tag_ == "VB"
        and verb.i == verb.sent.start
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in verb.children)
    )


def cue_in_name(cue: Span, actor: Token) -> bool:
    """Whether the cue words are part of the actor's own name."""
    ent = next((e for e in actor.doc.ents if e.start <= actor.i < e.end), None)
    return ent is not None and ent.start <= cue.start and cue.end <= ent.end


def org_before(pronoun: Token) -> str | None:
    """The last organisation named in the pronoun's sentence before it (pronouns only)."""
    if pronoun.pos_ != "PRON":
        return None
    before = [
        e
        for e in pronoun.doc.ents
        if e.label_ == "ORG"
        and pronoun.sent.start <= e.start
        and e.end <= pronoun.i
        and not _ticker(e)
    ]
    return clean_name(before[-1].text) if before else None


def _ticker(ent: Span) -> bool:
    """ "(Nasdaq: TRVB)": the symbol of the company named before it, not another company."""
    doc = ent.doc
    return (
        ent.start > 0
        and doc[ent.start - 1].text == ":"
        and ent.end < len(doc)
        and (doc[ent.end].text == ")")
    )


def _bare_plural(tok: Token) -> bool:
    """ "Developers are working on apps", "retailers opened stores": a kind, not a company."""
    return tok.tag_ == "NNS" and not any(c.dep_ in ("det", "poss") for c in tok.children)


_INDEFINITE = frozenset(("a", "an", "another", "some", "one"))


def indefinite(tok: Token) -> bool:
    """ "a state-owned smelting company had hired advisers": some company, never the story's
    own, though the event may still be news."""
    return any(c.dep_ == "det" and c.lower_ in _INDEFINITE for c in tok.children)


def refers_back(tok: Token) -> bool:
    """Pronouns and generic nouns ("the company", "it", "we") that point at a company named
    elsewhere. "I", "you", "he", "she" are people: a blogger's "I launched a podcast" is not,
    nor a bare plural ("developers")."""
    if tok.lower_ in PERSONAL_PRONOUNS or misread_name(tok) or _bare_plural(tok):
        return False
    if tok.lower_ in ("offering", "placement") and any(c.lower_ == "the" for c in tok.children):
        return True  # "The Offering is expected to raise ...": the company's own offering
    return (
        tok.pos_ == "PRON"
        or tok.lower_ in GENERIC_ACTORS
        or tok.lower_ in DESCRIPTORS
        or the_group(tok)  # "The JV will set up an assembly line near Hyderabad"
    )
