"""spaCy components: find trigger cues, then turn each cue into an Event with its actor.

Registered factories (built from the rules, so a config edit needs no code change):
  trigger_cues   -> doc.spans["trigger_cues"] (label = event type), doc.spans["negative_cues"]
  trigger_events -> doc._.trigger_events: list[Event], one per cue that survives the checks
The actor is taken from the dependency parse when there is one and from capitalised-span
heuristics otherwise, so the rules-only pipeline (spacy.blank) still names a company.
The checks themselves live in their own modules: roles (does the cue word play an event's
role), background (is it news), actors (who), attributes (which facts); names, clauses and
products are what they share.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from extractors.accounts import is_title_case as is_title_case  # re-exported: nlp, explain
from extractors.actors import (
    COMPANY_BODIES,
    body_of,
    business_actor,
    cue_in_name,
    employer,
    employer_named,
    find_actor,
    funded_party,
    indefinite,
    leadership_company,
    listed_company,
    org_before,
    owner_of,
    people_of,
    refers_back,
    speaker_of,
    titled_person,
)
from extractors.actors import title_subject as title_subject  # re-exported: nlp
from extractors.attributes import ATTRIBUTES, status_of
from extractors.attributes import PRODUCT_MAKER as PRODUCT_MAKER  # re-exported: nlp
from extractors.attributes import PRODUCT_NAMED as PRODUCT_NAMED  # re-exported: nlp
from extractors.background import (
    ADVICE_TEXT,
    OPINION,
    advised,
    conditional,
    dated_history,
    described_aside,
    negated,
    not_an_event,
    past_background,
    speculated,
)
from extractors.clauses import clause, own_clause
from extractors.events import Event
from extractors.names import (
    DESCRIPTORS,
    KNOWN_WORDS,
    bare_subject_name,
    capitalised_before,
    headline_verbs,
    is_cap,
    is_headline,
    is_versioned,
    known_words,
    name_of,
    names_something,
    object_name,
    opening_name,
    otext,
    title_opener,
    unknown_name,
    unknown_word,
    unversioned,
)
from extractors.names import clean_name as clean_name  # re-exported: nlp
from extractors.names import lowerable_words as lowerable_words  # re-exported: nlp
from extractors.names import original_text as original_text  # re-exported: nlp
from extractors.names import recase_title as recase_title  # re-exported: nlp, explain
from extractors.roles import (
    CONTAINER_NOUNS,
    DEVELOP_VERBS,
    SELL_VERBS,
    adding_verb,
    cue_role_ok,
    inside_name,
    launch_partner,
    market_entry,
    market_launch,
    misread_phrase_verb,
    misread_team_verb,
    operations_launch,
    portion_of_company,
    route_launch,
    sold_to,
)
from extractors.rules import ROUTE_SITE_WORDS, SITE_PHRASES, TriggerRules, cue_forms


def _in_relative_clause(tok: Token, cue: Span) -> bool:
    """Whether `tok` sits in a relative clause on an object that does not hold the cue (a
    subject's clause may give the title: "Jo Lee, who has served as CFO, will leave")."""
    root = cue.root
    return any(
        a.dep_ == "relcl"
        and a.head.dep_ in ("dobj", "pobj")
        and not a.left_edge.i <= root.i <= a.right_edge.i
        for a in (tok, *tok.ancestors)
    )


if not Doc.has_extension("trigger_events"):
    Doc.set_extension("trigger_events", default=None)


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


# a merger with a listed shell company, which is how the other company goes public
_SPAC = re.compile(r"\bSPACs?\b|\bblank[- ]check\b|special[- ]purpose acquisition", re.I)
_SPAC_NAME = re.compile(r"\bAcquisition (?:Corp|Co|Company|Inc|Ltd|Holdings)\b", re.I)


class EventBuilder:
    """Turns cue spans into Events: checks context, finds actor, attributes and status."""

    def __init__(self, nlp: Language, rules: dict[str, Any]) -> None:
        self.rules = TriggerRules.from_config(rules)
        self.requires = {
            t.name: frozenset(w.lower() for w in t.requires) for t in self.rules.enabled()
        }
        self.exclude = {t.name: tuple(w.lower() for w in t.exclude) for t in self.rules.enabled()}
        self.known_words = known_words(nlp)
        # the words a headline's verb may be (for names.title_opener)
        self.verbs = headline_verbs(self.rules)

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[KNOWN_WORDS] = self.known_words  # for names.unknown_name, this call only
        try:
            self._build_all(doc)
        finally:
            doc.user_data.pop(KNOWN_WORDS, None)
        return doc

    def _build_all(self, doc: Doc) -> None:
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
            found = [event]
            if partner := event.attributes.pop(_LAUNCH_PARTNER, None):
                # "University of Leeds launches online MSc in AI with IBM": a launch with
                # another organisation is also a deal with it
                found.append(
                    replace(
                        event,
                        type="partnership",
                        attributes={"partners": [partner]},
                        rule="partnership/launch with",
                    )
                )
            for ev in found:
                key = (sent.start, ev.type)
                if key not in best or ev.confidence > best[key].confidence:
                    best[key] = ev  # overlapping cues ("raised ... funding") give one event
        for start, etype in list(best):
            # "completed its purchase of Kellanova, closing the biggest packaged-food deal":
            # a plain "deal" beside a takeover is the takeover
            if (
                etype == "partnership"
                and (start, "acquisition") in best
                and best[start, etype].rule.split("/")[1] in _PLAIN_DEALS
                # "takes 10% stake in Volta Cells, signs supply pact": a deal of a kind is
                # a second deal
                and not _KIND_OF_DEAL.search(best[start, etype].evidence)
            ):
                del best[start, etype]
        doc._.trigger_events = list(best.values())

    def _context_ok(self, etype: str, cue: Span, sent: Span, parsed: bool) -> bool:
        """`requires` words are looked for in the cue's clause when there is a parse ("opened"
        needs "store" near it, not somewhere in the sentence); `exclude` words likewise."""
        scope = clause(cue.root) if parsed else list(sent)
        if parsed:
            # not in a clause about something else: "which builds robotic arms that restock
            # convenience-store shelves" builds no store
            scope = [t for t in scope if not _in_relative_clause(t, cue)]
        words = {t.lower_ for t in scope} | {t.lemma_.lower() for t in scope}
        low = " " + " ".join(t.lower_ for t in scope) + " "
        req = self.requires.get(etype, frozenset())
        if (
            req
            and not (req & words)
            and not any(r in low for r in req if " " in r or r in "$€£")
            and not (parsed and etype == "expansion" and market_entry(cue.root))
            and not (etype == "expansion" and _site_phrase(cue))
            # a route pattern holds its own site: "begin nonstop service between"
            and not (
                etype == "expansion" and len(cue) > 1 and ROUTE_SITE_WORDS & {t.lower_ for t in cue}
            )
        ):
            return False
        if parsed:
            own = own_clause(cue.root)
            low = " " + " ".join(t.lower_ for t in own) + " "
            # a phrase cue's own words cannot veto it: "prices $500 million of notes" is a
            # debt sale, though "prices" alone ("raises prices") is no funding
            inside = (cue.start, cue.end) if len(cue) > 1 else (0, 0)
            own = [t for t in own if not inside[0] <= t.i < inside[1]]
            # nor a word of a company's name: "agreed to buy Pellham Securities"
            # (a headline's Title Case makes the recogniser's names unreliable)
            if not is_headline(sent.doc):
                own = [t for t in own if not (t.ent_type_ == "ORG" and t.ent_iob_ == "I")]
            if etype == "acquisition":
                # "acquire all of the outstanding shares of Hess": shares that make a takeover
                taken = {
                    t.i
                    for o in cue.root.children
                    if o.dep_ == "dobj" and portion_of_company(o)
                    for t in o.subtree
                }
                own = [t for t in own if t.i not in taken]
            words = {t.lower_ for t in own} | {
                t.lemma_.lower()
                for t in own
                if t.pos_ != "VERB" or t.lemma_.lower() not in _NOUN_VETOES
            }
        return not any(
            (" " + x + " ") in low if " " in x else x in words for x in self.exclude.get(etype, ())
        )

    def _title_company(
        self, cue: Span, sent: Span, anchor: Token, actor: Token | None
    ) -> str | None:
        """A title the parser lost the subject of ("Ledgerly ousts co-founder Mark Tan",
        "Toyota and BMW sign fuel cell pact", "CoreWeave prices downsized IPO" with "prices"
        read as the subject): the name it opens with, before the cue or a verb."""
        # "Atlassian to buy Trello" with the name tagged a nationality, the title's root: the
        # name the title opens with is the actor the tagger did not see
        rooted = actor is not None and actor.dep_ == "ROOT" and anchor.head == actor
        if (
            actor is not None
            and (actor == anchor or actor.lower_ not in self.verbs)
            and not (rooted and anchor.dep_ == "acl")
        ):
            return None
        return opening_name(cue, sent) or title_opener(cue, sent, self.verbs)

    def _listed_verb_company(self, cue: Span, sent: Span, anchor: Token) -> str | None:
        """A title listing its company's news ("Roofline Raises $40 Million Series A,
        Launches Homeowners Insurance in Texas and Introduces ...", "Pesaplus Passes One
        Million Users; Raises $30 Million and Expands to Uganda"): a cue verb after a comma,
        semicolon or "and" has the name the title opens with as its subject, whatever the
        parser hung on it."""
        doc = cue.doc
        if doc.user_data.get("part") != "title" or anchor.i == 0 or anchor.i != cue.start:
            return None
        if doc[anchor.i - 1].lower_ not in (",", ";", "and", "&"):
            return None
        if not (anchor.tag_ == "VBZ" or anchor.lower_ in self.verbs):
            return None
        # the name the title opens with, right before its first verb ("Berlin startup Kelpa
        # launches ...": the name after the descriptors)
        end = next(
            (
                t.i
                for t in doc[:8]
                if t.pos_ not in ("PROPN", "NOUN", "ADJ") and t.lower_ not in DESCRIPTORS
            ),
            0,
        )
        if end == 0 or end >= anchor.i or doc[end].pos_ != "VERB":
            return None
        start = max((t.i + 1 for t in doc[:end] if t.lower_ in DESCRIPTORS), default=0)
        if start >= end or doc[end - 1].pos_ != "PROPN":
            return None
        return clean_name(otext(doc, doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))

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
        if parsed and etype == "product_launch" and market_launch(anchor):
            etype = "expansion"  # "Zoomi launches in Lagos": a market entered, no product
        misread = parsed and (
            (etype == "partnership" and misread_team_verb(cue)) or misread_phrase_verb(cue)
        )
        if parsed and not misread and not cue_role_ok(etype, anchor):
            return None
        if inside_name(cue, sent) or (parsed and not_an_event(etype, cue, anchor)):
            return None
        around = otext(doc, sent.start_char, sent.end_char)
        if negated(anchor, around, parsed):
            if doc.user_data.get("part") == "title":
                # "Optima Retail denies reports it plans to cut 2,000 jobs": the story is
                # the denial, and its text's account of the report is no event either
                doc.user_data.setdefault(DENIED, set()).add(etype)
            return None
        actor_tok, passive_target = find_actor(anchor) if parsed else (None, None)
        seller = None
        if parsed and etype == "acquisition" and anchor.lemma_.lower() in SELL_VERBS:
            # "sells its logistics business to Flexport": the buyer acquires
            seller, actor_tok = actor_tok, sold_to(anchor)
        if actor_tok is not None and (first := _first_listed(actor_tok)) is not None:
            actor_tok = first  # "Bharti Airtel, Nokia extend 5G partnership": the first named
        if actor_tok is not None and (listed := listed_company(actor_tok)) is not None:
            actor_tok = listed  # "Tesla Motors, Inc. (NASDAQ: TSLA) today announced ..."
        if parsed and not business_actor(etype, anchor, actor_tok):
            return None
        if actor_tok is not None and cue_in_name(cue, actor_tok):
            return None  # "Expand-Contract is a great way to migrate": the cue names the actor
        if (
            actor_tok is not None
            and actor_tok != anchor
            and cue.start <= actor_tok.i < cue.end
            and seller is None  # (the buyer ends the "sell ... to Flexport" pattern)
        ):
            # "Corvane Breaks Ground": the tagger read the cue's verb as a plural noun, the
            # subject; the name before it is the actor, and never the cue's own word
            actor_tok = next(
                (c for c in reversed(list(actor_tok.lefts)) if c.dep_ == "compound"), None
            )
        elif (
            actor_tok is None
            and parsed
            and doc.user_data.get("part") == "title"
            and anchor.tag_ == "NNS"
            and anchor.lower_ in self.verbs
            and any(c.dep_ in ("dobj", "appos") for c in anchor.children)
        ):
            # "Apple unveils slim iPhone Air": a headline's verb read as a plural noun the
            # name before it modifies, with the object hung on it
            actor_tok = next(
                (
                    c
                    for c in reversed(list(anchor.lefts))
                    if c.dep_ == "compound" and is_cap(c.text)
                ),
                None,
            )
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
        if (
            etype == "funding"
            and passive_target is not None
            and names_something(passive_target)  # a name, or an organisation's
            and passive_target.ent_type_ not in ("MONEY", "CARDINAL", "PERSON")
        ):
            # "Acme was backed by Sequoia", "Acme has been valued at $2 billion after a
            # round": the one funded or valued, not the investor
            actor_tok = passive_target
        elif etype == "funding" and actor_tok is not None:
            actor_tok = funded_party(actor_tok)
        elif (
            etype == "partnership"
            and passive_target is not None
            and not is_versioned(passive_target)  # "Android 8.0 was branded with ..."
            and (
                passive_target.ent_type_ == "ORG"
                or refers_back(passive_target)
                or unknown_word(passive_target)
                # "The Granville-Soto consortium has been awarded a £1.4bn contract"
                or any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in passive_target.children)
            )
        ):
            # "Halden Grid Solutions Selected by Pacific Mountain Electric to Deploy ...",
            # "it has been selected by PMEC": the one chosen is the news's company; the
            # chooser is its partner
            actor_tok = passive_target
        body = actor_tok is not None and actor_tok.lemma_.lower() in COMPANY_BODIES
        if body and actor_tok is not None:
            # "Acme's board elected Jo Lee", "the board of directors of Acme appointed"
            owner = owner_of(actor_tok) or body_of(actor_tok) or _named_by(actor_tok)
            body = owner is None  # "The Board has named ...": the item's company's board
            actor_tok = owner or actor_tok
        exec_company = employer(actor_tok) if actor_tok is not None else None
        if exec_company is not None:
            actor_tok = exec_company[0]  # the executive's company, or "the company" unnamed
        if etype == "layoff" and actor_tok is None and parsed:
            actor_tok = _place_of_work(anchor)  # "About 500 jobs will go at Kestrel Mills"
        if etype == "product_launch" and actor_tok is None and passive_target is not None:
            actor_tok = owner_of(passive_target)  # "Apple's new iPhone was unveiled"
        elif (
            etype == "product_launch"
            and actor_tok is not None
            and actor_tok.pos_ == "NOUN"
            and actor_tok.dep_ == "nsubj"
            and not names_something(actor_tok)
            and (owner := owner_of(actor_tok)) is not None
        ):
            actor_tok = owner  # "its first Naples products will launch this quarter"
        company = unversioned(name_of(actor_tok)) if actor_tok is not None and not body else None
        if parsed and (opener := self._listed_verb_company(cue, sent, anchor)):
            company, actor_tok = opener, None
        if exec_company is not None and company is None:
            attrs_ref = True  # an executive speaks for a company named elsewhere
        elif body:
            attrs_ref = True
        elif company is None and actor_tok is not None and refers_back(actor_tok):
            attrs_ref = True  # "the company", "it": the item's main company may stand in
        else:
            attrs_ref = False
        unsaid = (  # "Acme said 140 positions will be eliminated": the speaker acts
            etype in ("layoff", "expansion", "product_launch")
            and (
                actor_tok is None
                # "announced a restructuring that includes a reduction of ...": the plan
                # announced is the announcer's
                or (
                    actor_tok.pos_ == "NOUN"
                    and actor_tok.dep_ == "dobj"
                    and actor_tok.head.lemma_.lower() == "announce"
                )
            )
            and (passive_target is None or not names_something(passive_target))
        )
        if company is None and (attrs_ref or unsaid) and parsed and (speaker := speaker_of(anchor)):
            company, attrs_ref = speaker, False  # "Acme said it will open", "...that its CFO"
        if (
            company is None
            and actor_tok is not None
            # (an executive's employer is often such a word: "Corvane CEO Jane Doe to ...")
            and (
                unknown_name(actor_tok)
                or (exec_company is not None and unknown_word(actor_tok))
                or bare_subject_name(actor_tok, anchor)
            )
        ):
            company = clean_name(otext(doc, actor_tok.idx, actor_tok.idx + len(actor_tok)))
        if company is None and not parsed:
            company = capitalised_before(cue, sent)
        elif company is None and actor_tok is None:
            headline = is_headline(doc) or misread
            company = capitalised_before(cue, sent) if headline else None
        if company is None and parsed and doc.user_data.get("part") == "title":
            company = self._title_company(cue, sent, anchor, actor_tok)
        if (
            parsed
            and etype == "product_launch"
            and (route_launch(anchor) or operations_launch(anchor))
        ):
            # "to launch Colombo-Melbourne flights", "launched operations in Brazil": a new
            # route or market
            etype = "expansion"
        if etype == "acquisition" and _SPAC.search(stext):
            # "Voltaro completes SPAC merger, begins trading on Nasdaq": going public
            etype = "ipo"
            if company and _SPAC_NAME.search(company):
                company = object_name(anchor) if parsed else None  # the one listed
        attrs = ATTRIBUTES[etype](cue, sent, stext, anchor if parsed else None, passive_target)
        if seller is not None and (sold := name_of(seller)):
            attrs["target"] = sold  # (what the seller sells is a part of it)
        if parsed and etype == "product_launch" and company:
            partner = launch_partner(anchor)
            if partner and partner != company:
                attrs[_LAUNCH_PARTNER] = partner
        passive_person = (
            company is None
            and actor_tok is None
            and passive_target is not None
            and passive_target.ent_type_ == "PERSON"
        )
        if etype == "leadership_change" and company and (person := titled_person(company)):
            attrs["person"] = attrs.get("person") or person  # "CFO Mara Ilves to retire"
            company, attrs_ref = None, True
        if parsed and etype == "leadership_change":
            found = leadership_company(
                anchor, actor_tok, exec_company is not None, company, attrs, passive_person
            )
            if found is not None:
                company, refers = found
                attrs_ref = refers or (attrs_ref and company is None)
        elif etype == "leadership_change" and (company in people_of(attrs) or passive_person):
            company = employer_named(sent, attrs)  # rules only: "Jo Lee joins Acme"
            attrs_ref = attrs_ref or company is None
        if parsed and etype == "funding" and (borrower := _lent_to(anchor)) and borrower != company:
            # "DOE closes $1.2 billion loan to Lithium Ridge": the money is the borrower's news
            if company:
                attrs.setdefault("investors", [company])
            company, attrs_ref = borrower, False
        public_buyer = _PUBLIC_BODY.search(company or stext) is not None
        if (
            parsed
            and etype == "partnership"
            and public_buyer
            and (vendor := _vendor(anchor) or _awarded_in_title(stext))
        ):
            # "County awards ambulance contract to Lifeline EMS", "The U.S. Army has awarded
            # Palantir an agreement": the news is the vendor's; the buyer is its partner
            buyers = [company] if company else attrs.pop("partners", [])
            if partners := [b for b in buyers if b != vendor]:
                attrs["partners"] = partners
            company, attrs_ref = vendor, False
        # ("a state-owned smelting company had hired advisers": some company, which the
        # item's main company must not stand in for)
        if attrs_ref and not (actor_tok is not None and indefinite(actor_tok)):
            attrs["actor_refers_back"] = True
            nearer = org_before(actor_tok) if actor_tok is not None else None
            if nearer is not None:
                attrs[NEARER_COMPANY] = nearer
        if etype == "acquisition" and company and attrs.get("target") == company:
            attrs.pop("target")
        if company and attrs.get("location") == company:
            attrs.pop("location")  # "Hilton signs deal to open 30 hotels": no place
        status = status_of(around, etype)
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
            parsed
            and (
                past_background(anchor, around, etype)
                # (a person's appointment in an aside is often the news itself: "Hau
                # Thai-Tang, who was named executive vice president; ...")
                or (etype in _ASIDE_TYPES and described_aside(anchor))
            )
        ):
            confidence -= 0.4
            attrs["historical"] = True
            attrs[NOT_NEWS] = True
        if (
            stext.rstrip().endswith("?")
            or OPINION.search(around)
            or (advised(anchor) if parsed else bool(ADVICE_TEXT.search(around)))
            or (parsed and (conditional(anchor) or speculated(anchor)))
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


_SITE_PHRASES = frozenset(
    tuple(form.split()) for phrase in SITE_PHRASES for form in cue_forms(phrase) if " " in form
)


_LAUNCH_PARTNER = "launch_partner"  # internal: see EventBuilder.__call__
_PLAIN_DEALS = frozenset(("deal", "agreement", "transaction", "pact"))
_KIND_OF_DEAL = re.compile(
    r"\b(?:supply|distribution|licen[cs]ing|licen[cs]e|offtake|off-take|research|development"
    r"|marketing|co-marketing|commercial|services?|reseller|sourcing)\s+(?:deal|agreement|pact)s?\b",
    re.I,
)


# buyers that are no business: councils, agencies, armed forces, ministries, schools
_PUBLIC_BODY = re.compile(
    r"\b(?:County|Council|(?:City|Town|Village) (?:of|Hall)|Borough|District|Board|Commission"
    r"|Commissioners|Aldermen|Department|Ministry|Agency|Authority|Army|Navy|Air Force"
    r"|Government|Parliament|Administration|Municipality|School|Pentagon|NHS|State of"
    r"|Space Force|Marine Corps|Coast Guard|NASA)\b"
)
_AWARD_VERBS = frozenset(("award", "grant", "give", "approve", "pick", "select", "choose", "tap"))


def _vendor(anchor: Token) -> str | None:
    """Who a public buyer's contract goes to: "award a contract ... to Lifeline EMS", "has
    awarded Palantir an agreement", "approved a contract with Hanson Layne", "picks Sodexo"."""
    verb = anchor if anchor.pos_ == "VERB" else anchor.head
    for head in (verb, anchor):
        for c in head.children:
            found: list[Token] = []
            if c.dep_ == "nsubjpass" and head.lemma_.lower() in _AWARD_VERBS:
                found = [c]  # "Halcyon Systems has been awarded a contract by the Space Force"
            if c.dep_ == "prep" and c.lower_ in ("to", "with"):
                found = [g for g in c.children if g.dep_ == "pobj"]
            elif c.dep_ == "dative" or (
                c.dep_ == "dobj" and head.lemma_.lower() in _AWARD_VERBS and c.i != anchor.i
            ):
                found = [c]
            for g in found:
                if names_something(g) and not _PUBLIC_BODY.search(g.text) and (n := name_of(g)):
                    return n
    return None


# "Pentagon awards Halcyon Systems $87M contract", with "awards" read as a noun
_AWARDS_NAME = re.compile(
    r"\b(?:awards?|grants?|gives?|hands?)\s+(?P<vendor>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})"
    r"\s+(?:an?\s+|\$|€|£|US\$|Rs\.?\s|\d)"
)


def _awarded_in_title(text: str) -> str | None:
    found = _AWARDS_NAME.search(text)
    if found is None or _PUBLIC_BODY.search(found["vendor"]):
        return None
    return clean_name(found["vendor"])


_LEND_VERBS = frozenset(
    ("close", "provide", "extend", "grant", "award", "approve", "make", "issue", "offer", "give")
)
_LOANS = frozenset(("loan", "loans", "facility", "financing", "grant", "credit", "funding"))


def _lent_to(anchor: Token) -> str | None:
    """The borrower a lender's loan goes "to": "The U.S. Department of Energy's Loan Programs
    Office has closed a $1.2 billion loan to Lithium Ridge Corp."."""
    loan = anchor if anchor.lemma_.lower() in _LOANS else None
    verb = anchor.head if loan is not None else anchor
    if loan is None:
        loan = next((c for c in verb.children if c.dep_ == "dobj" and c.lower_ in _LOANS), None)
    if loan is None or verb.lemma_.lower() not in _LEND_VERBS:
        return None
    for head in (loan, verb):
        for c in head.children:
            if c.dep_ in ("prep", "dative") and c.lower_ == "to":
                for g in c.children:
                    if g.dep_ == "pobj" and g.pos_ == "PROPN" and (n := name_of(g)):
                        return n
    return None


def _named_by(body: Token) -> Token | None:
    """ "The Gulf Coast Regional Port Authority board": the name a board is of, whatever
    entity the recogniser calls it (here a place). Not "the Westbrook University Board of
    Trustees", a name itself."""
    if not body.text.islower():
        return None
    return next(
        (
            c
            for c in body.children
            if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == body.i - 1
        ),
        None,
    )


def _place_of_work(anchor: Token) -> Token | None:
    """The company jobs are lost "at" when the jobs are the subject: "500 jobs will go at
    Kestrel Mills", "1,200 roles are to be cut at Halvor"."""
    for head in (anchor, anchor.head):
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ == "at":
                for g in c.children:
                    if g.dep_ == "pobj" and (g.ent_type_ == "ORG" or g.pos_ == "PROPN"):
                        return g
    return None


def _first_listed(actor: Token) -> Token | None:
    """A headline's "A, B sign deal" (for "A and B"): the parser hangs A loose on the verb
    and makes B the subject. The first one named is the story's company."""
    doc = actor.doc
    if doc.user_data.get("part") != "title" or actor.dep_ != "nsubj" or actor.i < 2:
        return None
    first = actor.left_edge
    if first.i < 2 or doc[first.i - 1].text != ",":
        return None
    loose = doc[first.i - 2]
    if (
        loose.head.i == actor.head.i
        and loose.dep_ in ("dep", "nsubj", "npadvmod")
        and loose.pos_ == "PROPN"
        and loose.left_edge.i == doc[0].i
    ):
        return loose
    return None


def _site_phrase(cue: Span) -> bool:
    """ "breaks ground", "cut the ribbon": a site is built or opened, whatever it is called."""
    return tuple(t.lower_ for t in cue) in _SITE_PHRASES


REFERS_BACK_BONUS = 0.15
# deals and money a company is described by in an aside ("Mono, which raised $17.5 million
# from investors, will ...") are its background
_ASIDE_TYPES = frozenset(("acquisition", "partnership", "funding", "ipo"))
# doc.user_data key: the event types a title denies or negates (see Extractor._finish)
DENIED = "denied_types"
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
