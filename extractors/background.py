"""Is a cue news at all: history, negation, advice, conditions and other non-events.

A cue can play its role and still tell nothing new to alert on: "Acme bought Bolt in 2019",
"did not acquire", "Acme should buy Bolt", "if they had opened", "(acquired by Ghost)".
These checks drop an event or mark it as not news.
"""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Span, Token

from extractors.actors import SPEECH_VERBS
from extractors.clauses import (
    actor_descriptions,
    clause_verb,
    other_conjunct,
    own_clause,
    past_asides,
)
from extractors.products import not_product
from extractors.roles import company_object
from extractors.rules import bundled_lead_words

# "in 2019", "in November 2009", "in early 2015": a dated time, past or (with "will") future.
_IN_TIME = (
    r"in (?:(?:early|late|mid)[- ])?(?:(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
    r"\.? (?:of )?)?(?:19|20)\d\d"
)
_HISTORICAL = re.compile(
    r"\b(" + _IN_TIME + r"|last year|(?:last|previous|prior) (?:fiscal|financial) year|"
    r"years ago|a year ago|months ago|back in (?:19|20)\d\d|"
    r"since (?:19|20)\d\d|in the past|decades? ago|last decade|that year|the year before|"
    r"(?:years|decades) later|previously(?! (?:announced|disclosed|reported|agreed|stated)))\b",
    re.I,
)
_NEGATION = re.compile(
    r"\b(not|never|no plans?|denied|denies|deny|won't|wont|isn't|wasn't|"
    r"doesn't|didn't|rejected|rejects|called off|scrapped|abandoned|"
    r"terminated|walk(?:s|ed|ing)? away|failed to|unlikely to|rule out|ruled out|"
    r"refused to|refuses to|refuse to|declined to|declines to|decline to)\b",
    re.I,
)
# Opinion wherever it is; advice modals only on the cue's own predicate (see advised).
OPINION = re.compile(r"\b(why|what if|would be wise|time to)\b", re.I)
_ADVICE_MODALS = frozenset(("should", "must", "ought"))


_AUDIENCE = frozenset(("us", "me", "you", "them", "him", "her", "readers", "viewers"))
# "cut", "eliminate", ...: the verbs the bundled layoff patterns start with (not the nouns
# of "elimination of 140 positions", "positions to be eliminated")
_CUT_FORMS = bundled_lead_words("layoff") - frozenset(
    (
        *("elimination", "reduction", "reductions", "loss", "jobs", "positions", "roles"),
        *("posts", "staff", "employees", "workers", "staffers"),
    )
)
_IPO_TEXT = re.compile(
    r"\b(?:IPO|initial public offering|go(?:es|ing)? public|direct listing)\b", re.I
)
# an IPO named as what a round prepares for: "raises $450 million ahead of planned IPO"
_IPO_AHEAD = re.compile(
    r"\b(?:ahead of|before|in preparation for|to prepare for|paving the way for)"
    r"(?: (?:a|an|its|their|the))?(?: (?:planned|potential|possible|expected|eventual|future"
    r"|proposed|anticipated))?(?: (?:IPO|initial public offering|(?:stock market )?listing))"
    r"(?=\W|$)",
    re.I,
)
_CUMULATIVE = re.compile(
    r"\b(?:to date|so far|in total|all told|since (?:its )?(?:founding|inception))\b", re.I
)
_ENDING_VERBS = frozenset(
    (
        *("cancel", "scrap", "terminate", "abandon", "kill", "axe", "exit", "end", "quit"),
        *("dissolve", "withdraw", "drop"),
    )
)
_HOW_MANY = frozenset(
    """its their more another about nearly some up over around roughly hundreds thousands
    almost approximately""".split()  # noqa: SIM905
)
_LAPSE_VERBS = frozenset(("expire", "lapse", "collapse", "fail", "fall"))
_NOT_PRODUCT_ENTS = frozenset(("MONEY", "CARDINAL", "PERCENT", "QUANTITY"))


def not_an_event(etype: str, cue: Span, anchor: Token) -> bool:
    """Cue words used for something other than a new event:
    - a prefix: "pre-IPO stocks", "a pre-release branch";
    - an aside in brackets in the past: "Pico (acquired by Ghost)" is the company's history;
    - a noun where a layoff pattern wants its verb: "the tax cut will flow to workers";
    - money raised in an IPO (the IPO event says it) or a total: "to date it has raised";
    - a description: "Jo Lee, retired founder of Acme";
    - what was introduced is no product: "the changes introduced by Acme";
    - a tutorial or a presentation: "An Introduction to TDD", "introduced us to the Pi";
    - an ended deal: "Uruguay cancels patrol vessel deal";
    - money or a count unveiled: "will unveil $5 billion in pledges";
    - a deal to buy or sell a company, which is an acquisition: "an agreement to sell Opel";
    - money from selling assets: "could raise $13 billion by selling units";
    - an IPO a bank underwrites: "Goldman is underwriting the IPO";
    - a partnership that goes on: "will continue to work with Baidu"."""
    doc = cue.doc
    if cue.start >= 2 and doc[cue.start - 1].text == "-" and doc[cue.start - 2].lower_ == "pre":
        return True
    if _generic_gerund(anchor):
        return True
    if anchor.tag_ in ("VBN", "VBD") and _in_brackets(anchor):
        return True
    lemma = anchor.lemma_.lower()
    if (
        etype == "layoff"
        and cue[0].lower_ in _CUT_FORMS
        and cue[0].pos_ != "VERB"
        and not (len(cue) > 1 and (cue[1].like_num or cue[1].lower_ in _HOW_MANY))
    ):
        # "the tax cut will flow to workers": a cut, not cutting jobs ("Google axes 12,000
        # jobs" is the verb, whatever the tagger says)
        return True
    if etype == "layoff" and lemma == "lay" and _laid_off_a_thing(anchor):
        return True  # "will lay off track training for three weeks": rests from it
    if etype == "funding" and _IPO_TEXT.search(_IPO_AHEAD.sub(" ", cue.sent.text)):
        return True  # the money an IPO raises is the IPO event, not a second, funding one
    if etype == "ipo" and _IPO_AHEAD.search(doc.text[cue.sent.start_char : cue.end_char]):
        # "raises $450 million ahead of planned IPO": the round is the news, the listing a
        # later plan it prepares for
        return True
    if etype == "funding" and _CUMULATIVE.search(" ".join(t.text for t in own_clause(anchor))):
        return True  # "To date, Acme has raised $100 million": a total, not a new round
    if etype == "leadership_change" and anchor.dep_ == "amod" and lemma in ("retire", "retired"):
        return True
    if (
        etype == "product_launch"
        and anchor.tag_ == "VBN"
        and anchor.dep_ == "acl"
        and not_product(anchor.head)
    ):
        return True  # "the changes introduced by Acme": what is introduced is the noun
    if lemma == "introduction" and not any(
        c.dep_ == "prep" and c.lower_ == "of" for c in anchor.children
    ):
        return True  # "the introduction of 50 new vehicles", not "Part 1: Introduction"
    if lemma == "introduce" and any(
        c.dep_ == "dobj" and c.lower_ in _AUDIENCE for c in anchor.children
    ):
        return True  # "introduced us to the Hy Pi": presenting, not launching
    if _ended_or_blocked(anchor):
        return True
    if any(a.lemma_.lower() == "purpose" for a in list(anchor.ancestors)[:4]):
        return True  # "a blank check company formed for the purpose of effecting a merger"
    if etype == "partnership" and _company_changes_hands(anchor):
        return True
    if etype == "partnership" and _goes_on(anchor):
        return True
    if etype == "funding" and any(
        c.dep_ == "prep"
        and c.lower_ in ("by", "through", "from")
        and any(g.lemma_.lower() in _SALE_WORDS for g in c.children)
        for c in anchor.children
    ):
        return True
    if (
        etype == "ipo"
        and (
            anchor.head.lemma_.lower() == "underwrite"  # "are underwriting the IPO"
            or any(c.lower_ == "underwriting" for c in anchor.children)  # "underwriting IPOs"
        )
        and not any(c.dep_ == "poss" for c in anchor.children)  # "underwriting Velk's IPO"
    ):
        return True
    return etype == "product_launch" and any(
        c.dep_ in ("dobj", "nsubjpass") and c.ent_type_ in _NOT_PRODUCT_ENTS
        for c in anchor.children
    )


def _generic_gerund(anchor: Token) -> bool:
    """ "releasing a semaphore increments the value", "a metaphor for introducing something
    new": a gerund as a subject, or after a preposition with no subject of its own, names an
    activity, not something a company did."""
    if anchor.tag_ != "VBG" or any(c.dep_ in ("nsubj", "aux") for c in anchor.children):
        return False
    return anchor.dep_ in ("csubj", "csubjpass", "nsubj") or (
        anchor.dep_ == "pcomp" and anchor.head.lower_ in ("for", "about")
    )


def _goes_on(anchor: Token) -> bool:
    """ "will continue to work with Baidu", "continues to partner with Bolt": the cue's verb
    (or the verb of a cue noun: "continue its partnership") under "continue"."""
    verb = anchor if anchor.pos_ == "VERB" else anchor.head
    return verb.lemma_.lower() == "continue" or (
        verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "continue"
    )


_SALE_WORDS = frozenset(("sell", "sale", "divest", "divestiture", "spin", "dispose"))
_CHANGE_HANDS = frozenset(("acquire", "buy", "sell", "purchase", "merge", "divest"))


def _company_changes_hands(deal: Token) -> bool:
    """ "reached an agreement to sell Opel to PSA", "signed a deal to buy Bolt": the deal is
    a takeover (the acquisition rules find it), not a partnership. Selling products through
    a partner ("a deal to sell its chips through Best Buy") is still one."""
    verbs = [c for c in deal.children if c.dep_ in ("acl", "relcl")]
    if deal.dep_ == "dobj":  # "signed a deal to buy Bolt" parses "buy" under "signed"
        verbs += [c for c in deal.head.children if c.dep_ in ("advcl", "xcomp") and c.i > deal.i]
    return any(
        v.lemma_.lower() in _CHANGE_HANDS
        and (
            v.lemma_.lower() == "merge"
            or any(
                o.dep_ == "dobj" and o.ent_type_ != "PRODUCT" and company_object(o)
                for o in v.children
            )
        )
        for v in verbs
    )


def _in_brackets(tok: Token) -> bool:
    """Whether a token sits inside (...) within its sentence."""
    before = [t.text for t in tok.sent if t.i < tok.i and t.text in ("(", ")")]
    after = [t.text for t in tok.sent if t.i > tok.i and t.text in ("(", ")")]
    return bool(before) and before[-1] == "(" and bool(after) and after[0] == ")"


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_IN_YEAR = re.compile("^" + _IN_TIME + "$", re.I)
_FUTURE_AUX = frozenset(("will", "shall", "'ll", "’ll"))


def dated_history(anchor: Token, text: str, parsed: bool) -> bool:
    """A history marker in the sentence. "In 2019" dates a past event but schedules a future
    one: "will open a plant in 2019", "plans to launch it in 2026" are plans, not history."""
    if parsed:
        # not in an aside that dates its own past event: "Acme, which bought Bolt last year,
        # opens a store today", "the firm that designed its buildings in the past"
        aside = past_asides(anchor) | actor_descriptions(anchor) | other_conjunct(anchor)
        # nor in when a change takes effect: "named Dana Lee CEO, starting in March 2025"
        aside |= {t.i for s in anchor.sent if s.lower_ in _STARTS for t in s.subtree if t.i >= s.i}
        text = " ".join(t.text for t in anchor.sent if t.i not in aside)
    marks = [m.group(1) for m in _HISTORICAL.finditer(text)]
    if not marks:
        return False
    if not parsed or not all(_IN_YEAR.match(m) for m in marks):
        return True
    return not _future(anchor)


_AIM_VERBS = frozenset(
    ("target", "plan", "aim", "eye", "consider", "seek", "expect", "prepare", "weigh", "mull")
)


def _future(anchor: Token) -> bool:
    """The cue's verb is future: "will launch", or an infinitive governed by a verb in the
    present or future ("plans to open", "is set to debut"), not in the past ("planned to")."""
    verb = anchor
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    for _ in range(3):
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in _FUTURE_AUX for a in auxes):
            return True
        if verb.lemma_.lower() in _AIM_VERBS and (
            verb.tag_ in ("VBZ", "VBP")
            or (verb.tag_ == "VBG" and any(a.tag_ in ("VBZ", "VBP") for a in auxes))
        ):
            return True  # "eyes a 2020 IPO", "is targeting an initial public offering in 2020"
        if not (verb.tag_ == "VB" and any(a.lower_ == "to" for a in auxes)):
            return False
        head = verb.head
        if head.i == verb.i:
            return False
        head_auxes = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
        if any(a.tag_ in ("VBD", "VBN") for a in head_auxes) or head.tag_ == "VBD":
            return False  # "planned to", "was set to", "had hoped to"
        present_be = any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in head_auxes)
        if head.tag_ == "VBN" and not present_be:
            return False  # "has agreed to ... in 2015" reports a past decision
        if head.tag_ in ("VBZ", "VBP") or present_be:
            return True  # "plans to", "is set to", "are expected to"
        verb = head
    return False


_BACKGROUND_MARKS = frozenset(("when", "since", "once", "because", "until", "before"))
_TARGET_PREPS = frozenset(("for", "by"))
_MODEL_NOUNS = frozenset(("model", "lineup", "line-up", "range", "edition", "version", "line"))
_MONTHS = frozenset(
    (
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "jan", "feb", "mar", "apr"),
        *("jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    )
)


def _dating_year(anchor: Token) -> bool:
    """A year that dates something in the cue's sentence ("in 2015", "on 22 March 1965",
    "around 1983", also in an aside: "a deal that closed in 2006"). A year that names a model
    or a target ("its 2027 lineup", "an all-new model for 2018", "Windows Server 2025")
    dates nothing."""
    described = actor_descriptions(anchor) | other_conjunct(anchor)
    for t in anchor.sent:
        if t.i in described or not _YEAR.fullmatch(t.text):
            continue
        if int(t.text) > date.today().year:
            continue  # a maturity or a target ("notes due 2032"), never the past event's date
        if _effective_date(t):
            continue  # "has appointed Dana Lee as COO, effective June 3, 2024": when it starts
        if _dateline(t):
            continue  # "Sept. 12, 2005 — eBay Inc. agreed to buy ...": the story's own date
        if _filing_date(t):
            continue  # "On February 6, 2024, the Board of Directors of X approved": its news
        head = t.head
        # a name's number ("Windows Server 2025") or a model year ("its 2027 lineup"); a
        # year before another noun dates it ("GM's 2014 ignition crisis")
        naming = (
            t.dep_ in ("compound", "nummod", "amod", "nmod", "appos")
            and head.i != t.i
            and head.ent_type_ != "DATE"
            and head.lower_ not in _MONTHS
            and (head.i < t.i or head.lemma_.lower() in _MODEL_NOUNS)
        )
        target = t.dep_ == "pobj" and head.lower_ in _TARGET_PREPS
        if not (naming or target):
            return True
    return False


_STARTS = frozenset(("effective", "starting", "beginning", "effect"))  # "with effect from"
# the words a filing names its filer by ("Acme Inc. (the "Company")", "the Board of
# Directors of Acme"): an 8-K or a release's own sentence, not a story's look back
_FILER = re.compile(
    r"\((?:the )?[\"“”']{0,2}(?:Company|Registrant|Issuer)[\"“”']{0,2}\)|\bthe Company\b"
    r"|\bBoard of Directors of\b"
)


_DASHES = frozenset(("—", "–", "--", "-", "/"))


def _dateline(year: Token) -> bool:
    """The year of a dateline at the head of a story ("SAN JOSE, Calif., June 3, 2020 --",
    "Sept. 12, 2005 — eBay Inc. agreed ...", "March 3, 2005 /PRNewswire/"): the day the news
    was told."""
    doc = year.doc
    nxt = doc[year.i + 1] if year.i + 1 < len(doc) else None
    return (
        year.i - year.sent.start <= 8
        and nxt is not None
        and (nxt.text in _DASHES or nxt.text.startswith("/"))
    )


def _filing_date(year: Token) -> bool:
    """The date a filing's sentence opens with ("On February 6, 2024, the Board of Directors
    of Quantrel Therapeutics, Inc. approved a reduction in force"): every 8-K item dates its
    news so; a story's look back ("On Jan. 10, 2000, America Online agreed to buy Time
    Warner") names no filer that way."""
    sent = year.sent
    return sent[0].lower_ == "on" and year.i - sent.start <= 6 and bool(_FILER.search(sent.text))


def _effective_date(year: Token) -> bool:
    """A year in the date a change takes effect ("effective June 3, 2024", "effective as of
    January 1, 2019", "starting in March 2025"): it says when the news applies, not that it
    is old."""
    t = year
    for _ in range(4):
        if t.head.i == t.i:
            return False
        t = t.head
        if t.lower_ in _STARTS:
            return True
        if t.ent_type_ != "DATE" and t.dep_ != "prep" and t.lower_ not in ("as", "of", "in", "on"):
            return False
    return False


_DESCRIBED_LAUNCH = re.compile(
    r"(?:'s|s'|’s|\bits|\btheir)\s+(?:recently|newly|just)[- ]"
    r"(?:launched|released|introduced|unveiled|debuted)\b",
    re.I,
)
_FOUNDED = re.compile(r"\s*(?:founded|established|started|launched) in (?:19|20)\d\d\b", re.I)


_SEQUEL_WORDS = frozenset(("later", "subsequently", "eventually", "afterwards", "afterward"))


_REMINDER = re.compile(
    r"\s*as (?:previously|earlier|first) (?:announced|reported|disclosed)"
    r"|\s*as announced (?:on|in)\b",
    re.I,
)


def past_background(anchor: Token, text: str, etype: str) -> bool:
    """A past-tense cue with a year, or inside "after/when X bought Y", is history; so is
    what a release reminds of ("As previously announced on October 19, Lumen Peak agreed to
    acquire Fairhaven")."""
    if _REMINDER.match(text):
        return True
    if _FOUNDED.match(text) and re.search(r"\b(?:has|have)\b", text):
        return True  # "Founded in 2016, Corvane has raised about $190 million": its total
    verb = anchor
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    # "On Jan. 10, 2000, America Online agreed to buy Time Warner": the verb it hangs under
    past = _is_past(verb) or (verb.dep_ == "xcomp" and _is_past(verb.head))
    if past and _dating_year(anchor):
        return True
    # "since the 2009 debut of ...", "its 2014 acquisition of ...": a noun dated in a past year
    if (
        anchor.pos_ in ("NOUN", "PROPN")
        and any(
            _YEAR.fullmatch(c.text) and int(c.text) < date.today().year
            for c in anchor.children
            if c.dep_ in ("nummod", "compound", "amod", "npadvmod")
        )
        and not _future(anchor)  # "eyes a 2020 IPO" was a plan when it was written
    ):
        return True
    if _past_perfect(anchor):
        return True
    if _since_or_years_after(anchor):
        return True
    # "Chevron later acquired Texaco", "the firm eventually bought Bolt": a narrative of
    # what came after something else, i.e. history told inside another story
    if past and any(c.dep_ == "advmod" and c.lower_ in _SEQUEL_WORDS for c in verb.children):
        return True
    # "its recently launched chips", "Ring's newly released feature": a product described
    # by its past launch while the sentence tells something else about it (also when the
    # parser misreads the participle as a verb: "challenge Regeneron's recently launched drug")
    if etype == "product_launch" and (
        (anchor.tag_ == "VBN" and anchor.dep_ == "amod") or _DESCRIBED_LAUNCH.search(text)
    ):
        return True
    # "one of the first dramas Netflix released": a thing described by its past release
    if (
        etype == "product_launch"
        and anchor.dep_ == "relcl"
        and anchor.tag_ == "VBD"
        and not any(c.dep_ == "dobj" for c in anchor.children)
        and any(
            c.dep_ == "nsubj" and c.lower_ not in ("which", "that", "who") for c in anchor.children
        )  # the thing is the object: not "Teams, which launched in March"
    ):
        return True
    return (
        past
        and verb.dep_ == "advcl"
        and any(
            (c.dep_ == "mark" and c.lower_ in _BACKGROUND_MARKS)
            or (c.dep_ == "advmod" and c.lower_ == "when" and _fronted_past_when(c, verb))
            for c in verb.children
        )
    )


_DURATIONS = frozenset(("year", "month", "decade", "week", "day"))


def _since_or_years_after(anchor: Token) -> bool:
    """ "profit since going public", "20 years after Google's IPO": the event is the time
    something else is measured from."""
    marks = {c.lower_ for c in anchor.children if c.dep_ == "mark"}
    if anchor.pos_ == "VERB" and anchor.tag_ in ("VBD", "VBN") and marks & {"since", "after"}:
        # "two decades after it launched", "since it was founded": a clause that dates it
        durations = [*anchor.children, *anchor.head.children]
        if "since" in marks or any(
            c.dep_ == "npadvmod"
            and c.lemma_.lower() in _DURATIONS
            # a length of time ("two decades after"), not a time ("last week, after")
            and any(g.dep_ == "nummod" or g.lower_ in ("a", "an") for g in c.children)
            for c in durations
        ):
            return True
    prep = anchor.head if anchor.dep_ in ("pobj", "pcomp") else None
    if prep is None or prep.dep_ not in ("prep", "mark"):  # ("One year after IPO, ...")
        return False
    if prep.lower_ == "since":
        return True
    return prep.lower_ == "after" and (
        any(c.dep_ == "npadvmod" and c.lemma_.lower() in _DURATIONS for c in prep.children)
        or prep.head.lemma_.lower() in _DURATIONS  # "A year after its stock market debut"
    )


def _fronted_past_when(when: Token, verb: Token) -> bool:
    """ "When Acme raised $5 million, it hired ...": a fronted "when" clause sets the scene
    in the past. Not "That's when ...", nor one whose main clause looks ahead ("When rivals
    hit the market, Acme could be in trouble")."""
    main = verb.head
    return when.i == when.sent.start and not any(
        c.dep_ == "aux" and (c.tag_ == "MD" or c.lower_ in _FUTURE_AUX) for c in main.children
    )


def _past_perfect(anchor: Token) -> bool:
    """ "Acme had acquired Bolt", "which had launched its app", "had planned to hire": an
    event before the story's own past, i.e. background. Reported speech shifts tenses back,
    so "Acme said it had agreed to buy Bolt" is the news itself and stays."""
    verb = clause_verb(anchor)
    auxes = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    # ("had been aiming to raise about £300 million": the continuous form too)
    perfect = verb.tag_ == "VBN" or (verb.tag_ == "VBG" and "been" in auxes)
    if not perfect or not auxes & {"had", "'d"}:
        return False
    return not (verb.dep_ in ("ccomp", "conj") and verb.head.lemma_.lower() in SPEECH_VERBS)


def _is_past(verb: Token) -> bool:
    """A past form, but not a present or future passive: "once its new chips are rolled out",
    "when the plant is opened" look ahead; "was rolled out", "has been opened" look back."""
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ != "VBN":
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    perfect = any(a.lemma_ == "have" for a in auxes)
    ahead = any(a.tag_ in ("VBZ", "VBP", "MD") or a.lower_ in _FUTURE_AUX for a in auxes)
    return perfect or not ahead


ADVICE_TEXT = re.compile(r"\b(should|ought to|must|needs to)\b", re.I)
# how a cue hangs under the predicate it belongs to ("should consider buying", "must make an
# acquisition"); a subject ("the deal should close in May") or a relative clause ("a deal
# that must be approved") belongs to another predicate, which says nothing about the cue
_OWN_PREDICATE_DEPS = frozenset(("xcomp", "dobj", "pobj", "prep", "pcomp", "attr"))


def advised(anchor: Token) -> bool:
    """Advice, not an event: "Acme should buy Bolt", "needs to raise capital", "must make an
    acquisition". "The deal must still be approved" and "should close in May" do not make
    the takeover itself advice."""
    t = anchor
    for _ in range(5):
        if t.pos_ in ("VERB", "AUX"):
            if any(c.dep_ == "aux" and c.lower_ in _ADVICE_MODALS for c in t.children):
                return True
            if t.dep_ == "xcomp" and t.head.lemma_.lower() == "need":
                return True
        if t.dep_ not in _OWN_PREDICATE_DEPS or t.head.i == t.i:
            return False
        t = t.head
    return False


_SPECULATION_WORDS = frozenset(
    """speculation speculate rumor rumour chatter fear hope idea possibility scenario
    wonder""".split()  # noqa: SIM905
)


def speculated(anchor: Token) -> bool:
    """ "renewed speculation that Apple could acquire Disney": what someone muses a company
    might do, not what it plans (a modal under a word of speculation)."""
    verb = clause_verb(anchor)
    if not any(c.dep_ == "aux" and c.lower_ in ("could", "might", "may") for c in verb.children):
        return False
    return any(a.lemma_.lower() in _SPECULATION_WORDS for a in list(verb.ancestors)[:3])


def conditional(anchor: Token) -> bool:
    """Hypotheticals ("if they had opened...") are not events."""
    t: Token | None = anchor
    for _ in range(4):
        if t is None:
            return False
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in t.children):
            return True
        t = t.head if t.head.i != t.i else None
    return False


def _ended_or_blocked(anchor: Token) -> bool:
    """A deal that is called off or fought: "cancels patrol vessel deal", "agreed to terminate
    their Agreement and Plan of Merger", "sued to block Kroger's proposed acquisition"."""
    t = anchor
    for _ in range(3):
        if t.dep_ == "dobj":
            verb = t.head
            return verb.lemma_.lower() in _ENDING_VERBS | _BLOCK_VERBS or (
                verb.lemma_.lower() == "let"  # "let its offer for NXP expire"
                and any(c.lemma_.lower() in _LAPSE_VERBS for c in verb.subtree)
            )
        if t.dep_ == "nsubj":  # "let its offer for NXP expire", "the merger collapsed"
            return t.head.lemma_.lower() in _LAPSE_VERBS
        if t.dep_ == "pobj" and t.head.head.lemma_.lower() in _ENDING_VERBS | _BLOCK_VERBS:
            return True  # "withdraws registration statement for proposed IPO"
        if t.dep_ in ("compound", "conj") and t.head.pos_ in ("NOUN", "PROPN"):
            t = t.head
        elif (
            t.dep_ == "pobj"
            and t.head.lower_
            in ("of", "about", "over", "on", "for")  # "ended talks about a merger"
            and t.head.head.pos_ in ("NOUN", "PROPN")
        ):
            t = t.head.head
        else:
            return False
    return False


_LAID_OFF_THINGS = frozenset(
    """training work practice drinking alcohol booze sugar caffeine smoking racing running
    pressure attacks criticism""".split()  # noqa: SIM905
)


def _laid_off_a_thing(verb: Token) -> bool:
    """ "lay off training", "lay off the booze": the object is an activity, not people."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in _LAID_OFF_THINGS for c in verb.children)


_REFUSE_VERBS = frozenset(("refuse", "decline", "fail"))
_BLOCK_VERBS = frozenset(
    ("block", "bar", "ban", "prevent", "stop", "prohibit", "forbid", "oppose", "challenge")
)


def negated(anchor: Token, text: str, parsed: bool) -> bool:
    """Negation of the cue's own predicate ("did not acquire", "has no plans to open"); a
    negated verb elsewhere in the sentence ("will not be blocked") does not count."""
    if not parsed:
        return bool(_NEGATION.search(text))
    preds = [anchor]
    if anchor.dep_ == "acl" and anchor.head.lemma_.lower() in ("plan", "intention", "bid"):
        preds += [anchor.head, anchor.head.head]  # "paused plans to open a second office"
    if (anchor.pos_ == "VERB" and anchor.dep_ in ("xcomp", "ccomp")) or (
        anchor.pos_ in ("NOUN", "PROPN") and anchor.dep_ in ("dobj", "pobj")
    ):
        preds.append(anchor.head)
        # "does not intend to pursue a public offering": the verb the infinitive hangs on
        if preds[-1].dep_ == "xcomp":
            preds.append(preds[-1].head)
    if any(c.dep_ == "neg" for p in preds for c in p.children):
        return True
    if _SHELVED_BEFORE.search(anchor.doc.text[max(0, anchor.idx - 60) : anchor.idx]):
        return True  # "Halcyon scraps IPO", parsed with "scraps" a noun
    if any(c.dep_ == "det" and c.lower_ == "no" for c in anchor.children):
        return True  # "says 'no layoffs on the table'", "no acquisition is planned"
    if any(_counterfactual(p) for p in preds):
        return True  # "under which Arcadia would have acquired Linden": it did not happen
    # (a clause the verb only reports is no plan shelved: "cancels 'Ashfall' as studio head
    # Ben Carver departs")
    shelvable = [] if anchor.dep_ == "ccomp" else [p for p in preds if p is not anchor]
    if any(p.lemma_.lower() in _SHELVE_VERBS for p in shelvable):
        return True  # "postpones London IPO", "has postponed its planned listing"
    verb = anchor.head if anchor.pos_ in ("NOUN", "PROPN") else anchor
    for _ in range(3):  # "refused to provide financing", "declined to buy Bolt"
        if verb.dep_ != "xcomp":
            break
        verb = verb.head
        if verb.lemma_.lower() in _REFUSE_VERBS:
            return True
    if (  # "regulators blocked Acme from buying Bolt", "barred it from leading bond sales"
        verb.dep_ == "pcomp"
        and verb.head.lower_ == "from"
        and verb.head.head.lemma_.lower() in _BLOCK_VERBS
    ):
        return True
    return bool(
        re.search(
            r"\b(no plans?|denied|denies|called off|scrapped|abandoned|"
            r"shoots? down|shot down|"
            r"walk(?:s|ed|ing)? away|call(?:s|ed|ing)? off|ruled out|rule out)\b",
            text,
            re.I,
        )
        or _DENIED_REPORT.search(text)
    )


def _counterfactual(verb: Token) -> bool:
    """ "would have acquired", "could have bought": what was to happen and did not."""
    aux = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    return verb.tag_ == "VBN" and "have" in aux and any(a in _MODALS for a in aux)


_MODALS = frozenset(("would", "could", "might", "should"))
# a shelving verb right before the cue, however the tagger read it (the word forms of
# _SHELVE_VERBS, which the parse finds by lemma when it reads them as verbs)
_SHELVED_BEFORE = re.compile(
    r"\b(?:scrap(?:s|ped|ping)?|shel(?:ve|ves|ved|ving)|pull(?:s|ed|ing)?|postpon(?:e|es|ed|ing)"
    r"|delay(?:s|ed|ing)?|cancel(?:s|led|ed|ling|ing)?|abandon(?:s|ed|ing)?|ditch(?:es|ed|ing)?"
    r"|withdr(?:aw|aws|awn|awing|ew)|suspend(?:s|ed|ing)?|halt(?:s|ed|ing)?|paus(?:e|es|ed|ing)"
    r"|call(?:s|ed|ing)? off)\s+(?:(?:its|their|the|a|an|planned|proposed|long-awaited|"
    r"plans? (?:for|to)|\$?[\d.,]+\s*(?:million|billion|bn|m)?)\s+)*$",
    re.I,
)
_SHELVE_VERBS = frozenset(
    (
        *("postpone", "shelve", "delay", "suspend", "pull", "withdraw", "pause", "halt"),
        *("freeze", "scrap", "cancel", "abandon", "ditch"),  # "Halcyon scraps IPO"
    )
)
# "rejected a report that it is preparing job cuts", "said reports of a sale were false"
_DENIED_REPORT = re.compile(
    r"\b(?:reject|dismiss|refute|rebut)(?:s|ed|ing)? (?:as \w+ )?(?:a |the |media |press |news )*"
    r"(?:reports?|rumou?rs?|stor(?:y|ies)|speculation)\b|"
    r"\b(?:reports?|rumou?rs?|stor(?:y|ies)|speculation)\b[^.;]{0,160}?\b(?:was|were|is|are|as)"
    r" (?:\S+ )?[\"“‘']?(?:false|untrue|inaccurate|baseless|unfounded|incorrect|fake)\b",
    re.I,
)


_RELATIVE_WORDS = frozenset(("which", "who", "that"))
_NOW_IN_ASIDE = re.compile(
    r"today|yesterday|week|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"announced|said"
)


def described_aside(anchor: Token) -> bool:
    """An event told in an aside that describes a company while the sentence reports
    something else about it: "Continental Airlines, which is in the process of merging
    with UAL, gained 5.2 percent". It is background, not the news."""
    verb = anchor
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    for _ in range(5):  # "which is in the process of merging": the aside's own verb
        if verb.dep_ == "relcl" or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.dep_ != "relcl":
        return False
    if any(_NOW_IN_ASIDE.fullmatch(t.lower_) for t in verb.subtree):
        return False  # "United Technologies, which this week agreed to buy ...": news
    described = verb.head
    doc = anchor.doc
    opens = min(t.i for t in verb.subtree)
    return (
        described.pos_ == "PROPN"
        and opens > 0
        and doc[opens - 1].text == ","
        and doc[opens].lower_ in _RELATIVE_WORDS
        and described.head.pos_ in ("VERB", "AUX")
        and described.head.lemma_.lower() not in _SAYING
    )


_SAYING = frozenset(("say", "announce", "confirm", "tell", "report", "disclose", "state"))
