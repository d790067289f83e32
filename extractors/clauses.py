"""Which tokens belong to a cue's own clause, and which describe a participant or another event.

The rules' requires/exclude words, the history checks and some facts must see only the
cue's clause: in "Acme, which bought Bolt last year, opens a store" the date is the aside's,
and "for $15 billion in stock" pays for a takeover without making it a share deal.
"""

from __future__ import annotations

from spacy.tokens import Token

_FRESH = frozenset(("newly", "recently", "just"))


def clause(anchor: Token) -> list[Token]:
    """Tokens of the clause a cue belongs to: the subtree of its nearest verb. A cue that
    is a fresh modifier of a noun ("the newly appointed chief executive", "its recently opened
    store") is read with that noun's phrase."""
    fresh = any(c.dep_ == "advmod" and c.lower_ in _FRESH for c in anchor.children)
    t = anchor.head if anchor.dep_ == "amod" and fresh else anchor
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            break
        t = t.head
    while t.dep_ == "xcomp" and t.head.i != t.i:
        t = t.head  # "Chief Accountant Paul Munter plans to retire": the subject's clause
    if _misread_main_verb(t) or _headline_infinitive(t):
        t = t.head
    return list(t.subtree)


def _headline_infinitive(verb: Token) -> bool:
    """ "Acme CEO Jane Doe to step down": a headline's "to" verb is its main verb, though the
    parser hangs it on the subject as a relative clause."""
    return (
        verb.dep_ in ("relcl", "acl")
        and verb.head.dep_ == "ROOT"
        and verb.head.pos_ in ("NOUN", "PROPN")
        and verb.head.i < verb.i
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _misread_main_verb(verb: Token) -> bool:
    """ "Walgreens Boots Alliance named Tim Wentworth as CEO": the parser reads the main verb
    as a reduced relative of the subject ("the alliance named ..."), and hangs the rest of
    the sentence on the noun. A past participle with an object of its own is no passive."""
    return (
        verb.dep_ == "acl"
        and verb.tag_ in ("VBN", "VBD")
        and verb.head.dep_ == "ROOT"
        and verb.head.i < verb.i
        and any(c.dep_ in ("dobj", "oprd", "dative") for c in verb.children)
    )


# Dependents that attach another statement or a description of a participant to a clause:
# "buys Impression, bolsters naming-rights sales", "acquired Acme, a firm that sells ad
# rights". Words there say nothing about the cue itself, so they cannot veto it.
_DETACHED = frozenset(("appos", "relcl", "acl", "advcl", "parataxis", "ccomp"))


def own_clause(anchor: Token) -> list[Token]:
    """The cue's clause without detached statements and without a price phrase ("for $15
    billion in stock" pays for a takeover; it is not a share deal)."""
    head = anchor
    for _ in range(4):
        if head.pos_ in ("VERB", "AUX") or head.head.i == head.i:
            break
        head = head.head
    path = {t.i for t in anchor.ancestors} | {anchor.i}
    out: list[Token] = []
    stack = [head]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            # The cue's own dependents define it ("deal to buy", "buying or holding stock"),
            # except how it is paid for and a second statement after its object.
            second = t.i == anchor.i and _after_object(anchor, c)
            own = t.i == anchor.i and not (_payment(c) or second)
            if c.i in path or own or not (_detached(c) or second):
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


_PAYMENT_NOUNS = frozenset(("deal", "transaction", "stock", "cash", "share", "shares", "swap"))


def _payment(tok: Token) -> bool:
    """How a deal is paid: "for $2 billion", "in stock", "in an all-stock deal". A veto word
    there ("stock", "shares") is the currency of a takeover, not the thing bought."""
    if tok.dep_ != "prep":
        return False
    if tok.lower_ == "for":
        return any(t.ent_type_ == "MONEY" or t.text in "$€£" for t in tok.subtree)
    return tok.lower_ == "in" and any(
        g.dep_ == "pobj" and g.lemma_.lower() in _PAYMENT_NOUNS for g in tok.children
    )


# how the small parser attaches "..., bolsters X" (a second dobj when it reads a noun)
_SECOND_PREDICATE = frozenset(("conj", "parataxis", "dep", "ccomp", "dobj"))


def _after_object(verb: Token, tok: Token) -> bool:
    """A second predicate after the verb's own object and a comma: "buys Impression, bolsters
    naming-rights sales" says what the deal does, not what is bought."""
    if tok.dep_ not in _SECOND_PREDICATE or tok.i < verb.i:
        return False
    objs = [c for c in verb.children if c.dep_ == "dobj" and c.i < tok.i]
    return bool(objs) and any(
        verb.doc[i].text == "," for i in range(objs[0].right_edge.i + 1, tok.left_edge.i)
    )


def past_asides(anchor: Token) -> set[int]:
    """Tokens of detached clauses (see own_clause) that are in the past tense: they report
    another, earlier event, so a date inside them is theirs, not the cue's."""
    path = {t.i for t in anchor.ancestors} | {anchor.i}
    out: set[int] = set()
    for t in anchor.sent:
        if t.i in path or t.head.i == anchor.i or not _detached(t):
            continue
        past = t.tag_ in ("VBD", "VBN") or any(
            c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in t.children
        )
        if past and t.pos_ in ("VERB", "AUX"):
            out |= {d.i for d in t.subtree}
    return out


def _detached(tok: Token) -> bool:
    if tok.dep_ == "conj":  # a coordinated predicate; coordinated nouns are participants
        return tok.pos_ in ("VERB", "AUX")
    return tok.dep_ in _DETACHED or _payment(tok)


_CLAUSE_MARKS = frozenset(("nsubj", "nsubjpass", "aux", "auxpass", "mark"))


def clause_verb(anchor: Token) -> Token:
    """The verb whose clause the cue is in: the cue itself, or up to four heads above it,
    past an xcomp to the governing verb ("Acme, founded in 1998, plans to open")."""
    verb = anchor
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    while verb.dep_ == "xcomp" and verb.head.i != verb.i:
        verb = verb.head
    return verb


def actor_descriptions(anchor: Token) -> set[int]:
    """Tokens that describe the actor, not the event: "Acme, which was founded in 1998,
    raised ...", "Acme, a firm founded in 2010, opens ...", "Founded in 2012, Acme raised
    ...". Their dates are the company's history, not the cue's."""
    verb = clause_verb(anchor)
    out: set[int] = set()
    for c in verb.children:
        parts: list[Token] = []
        if c.dep_ in ("nsubj", "nsubjpass"):
            parts = [d for d in c.children if d.dep_ in ("relcl", "acl", "appos")]
        elif _fronted_participle(c, verb):
            parts = [c]  # "Founded in 2012, Acme ..."
        for part in parts:
            sub = {t.i for t in part.subtree}
            if anchor.i not in sub:
                out |= sub
    return out


def other_conjunct(anchor: Token) -> set[int]:
    """When the cue's clause is coordinated after another ("Sales rose 5% last year, and Acme
    now plans to open 20 stores", "Acme opened a store in 2015 and will open two more"),
    the first clause's own words: its date is not the cue's."""
    verb = clause_verb(anchor)
    if verb.dep_ != "conj" or verb.head.pos_ not in ("VERB", "AUX"):
        return set()
    # only a clause with its own subject or tense; "opened a store last year and hired 40
    # staff" shares the first clause's time
    if not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in verb.children):
        return set()
    first = verb.head
    out = {first.i}
    for c in first.children:
        if c.i != verb.i and c.i < verb.i and c.dep_ not in ("nsubj", "nsubjpass"):
            out |= {t.i for t in c.subtree}
    return out


def _fronted_participle(tok: Token, verb: Token) -> bool:
    return (
        tok.dep_ == "advcl"
        and tok.tag_ == "VBN"
        and tok.i < verb.i
        and not any(d.dep_ in _CLAUSE_MARKS for d in tok.children)
    )
