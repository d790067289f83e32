"""Names as published: what a token, an entity or the capitalised run beside a cue is called.

Headlines are parsed from a re-cased copy, and the recogniser clips names or pads them with
descriptors ("Email Security Startup Agari", "Acme's"). Every step that reports a company,
person or product reads it here, so all of them go back to the original text the same way.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extractors.places import PLACES as PLACES  # re-exported: actors, roles
from extractors.rules import TriggerRules, cue_forms, inflect

# Head nouns that describe a company rather than name it ("Email Security Startup Agari").
DESCRIPTORS = frozenset(
    [
        "startup",
        "start-up",
        "startups",
        "company",
        "firm",
        "maker",
        "giant",
        "provider",
        "developer",
        "operator",
        "retailer",
        "manufacturer",
        "platform",
        "service",
        "app",
        "site",
        "network",
        "bank",
        "lender",
        "insurer",
        "carrier",
        "chain",
        "brand",
        "subsidiary",
        "unit",
        "division",
        "rival",
        "competitor",
        "specialist",
        "leader",
        "pioneer",
        "vendor",
        "producer",
        "distributor",
        "owner",
        "parent",
        "creator",
        "outfit",
        "player",
        "business",
        "conglomerate",
        "supplier",
        "designer",
        "automaker",
        "carmaker",
        "chipmaker",
        "drugmaker",
        "biotech",
        "airline",
        "retailer",
        "website",
        "marketplace",
        "co-founder",
        "founder",
        "ceo",
    ]
)
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "with",
        "by",
        "and",
        "or",
        "as",
        "into",
        "over",
        "after",
        "its",
        "his",
        "her",
        "their",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "says",
        "said",
        "than",
        "per",
        "up",
        "out",
        "about",
        "amid",
        "via",
        "but",
        "not",
        "no",
        "off",
        "this",
        "that",
        "these",
        "those",
        "it",
        "they",
        "we",
    ]
)
HEADLINE_VERBS = (
    "set",
    "file",
    "price",
    "plan",
    "announce",
    "say",
    "get",
    "make",
    "see",
    "eye",
    "strike",
    "sign",
    "ink",
    "seal",
    "close",
    "complete",
    "show",
    "land",
    "win",
    "add",
    "offer",
    "go",
    # what companies do to deals and plans, and what stocks do ("Microsoft and OpenAI Extend
    # Partnership", "Analysts Expect Apple to Launch"); not "post", "report" or "boost",
    # which end names ("Washington Post", "Consumer Reports", "Boost Mobile")
    "extend",
    "renew",
    "deepen",
    "broaden",
    "expect",
    "consider",
    "deny",
    "agree",
    "propose",
    "seek",
    "begin",
    "weigh",
    "explore",
    "mull",
    "rise",
    "fall",
    "jump",
    "soar",
    "surge",
    "plunge",
    # what a release's company does to its news ("Receives FDA Approval and Launches ...",
    # "Awarded $45 Million Contract"); not "form", which the tagger then reads as a noun
    "receive",
    "award",
    "shut",
    # what ends or fights a deal ("Agree to Terminate Merger Agreement")
    "terminate",
    "cancel",
    "scrap",
    "abandon",
    "block",
    "withdraw",
    # the verbs of the bundled layoff patterns ("Ford to Cut 1,400 Jobs")
    "cut",
    "slash",
    "eliminate",
    "shed",
    "axe",
    "trim",
    "reduce",
    "sack",
)
GENERIC_ACTORS = frozenset(
    [
        "it",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "company",
        "firm",
        "group",
        "business",
        "bank",
        "which",
        "who",
        "that",
        "this",
        "analysts",
        "analyst",
        "investors",
        "investor",
        "shareholders",
        "people",
        "report",
        "sources",
        "one",
        "others",
        "please",  # "Please welcome Renata Oduya, our new CFO"
        # people who buy things: "Billionaire snaps up Manhattan penthouse"
        *("billionaire", "tycoon", "mogul", "buyer", "buyers", "homebuyer", "homebuyers"),
    ]
)
_NAME_LABELS = ("ORG", "PERSON", "GPE", "PRODUCT", "FAC", "WORK_OF_ART")
# Words a company's name ends in ("Quorra Labs", "Halvor Bancshares"): such a name is a
# company's, even when the recogniser tags it a person.
COMPANY_HEADS = frozenset(
    """labs lab systems group holdings technologies industries partners capital ventures
    solutions networks therapeutics pharmaceuticals pharma biosciences energy motors foods
    games studios media bancorp bancshares financial airlines logistics robotics
    semiconductor semiconductors software sons brothers freight tools mining metals steel
    chemicals insurance mutual bank airways shipping transport construction engineering
    services brands retail stores resources minerals petroleum utilities healthcare health
    medical diagnostics devices electronics aerospace analytics interactive entertainment
    communications telecom wireless investments payments realty properties hotels resorts
    restaurants beverages brewing farms apparel cosmetics packaging materials manufacturing
    automation machinery equipment supply distribution consulting associates""".split()  # noqa: SIM905
)
# The legal form a company's name ends in, whatever the recogniser tags it.
LEGAL_FORMS = frozenset(
    """inc corp corporation ltd limited llc plc ag gmbh sa nv bv oy oyj ab asa kk spa srl
    pty pte bhd""".split()  # noqa: SIM905
)
_NOT_NAME_LABELS = frozenset(
    [
        "NORP",
        "DATE",
        "TIME",
        "MONEY",
        "PERCENT",
        "CARDINAL",
        "ORDINAL",
        "QUANTITY",
        "LANGUAGE",
        "LAW",
        "EVENT",
    ]
)
# A person's title: the leadership fact reads it, and "incoming" is a cue only before one.
TITLE = re.compile(
    r"\b(chief [a-z]+ officer|chief (?:executive|accountant|economist|scientist|strategist)|"
    r"(?:co-)?ceo|cfo|coo|cto|cmo|cio|"
    r"(?:executive )?vice president|"
    r"president|chairman|chairwoman|chair|general counsel|managing director|(?:board )?director|"
    r"head of (?:(?:its|the|their|our) )?[a-z]+(?: [a-z]+)?|treasurer)\b",
    re.I,
)


def original_text(doc: Doc) -> str:
    """The text as published; headlines are parsed from a re-cased copy of the same length."""
    return doc.user_data.get("original", doc.text)


def otext(doc: Doc, start_char: int, end_char: int) -> str:
    return original_text(doc)[start_char:end_char]


def clean_name(name: str | None) -> str | None:
    """Trim possessives, quotes and stray punctuation from a company name."""
    if not name:
        return None
    name = name.replace("’", "'").strip(" ,;:.-\"'“”()")
    name = re.sub(r"'s$|'$", "", name).strip()
    name = _COMMA_LEGAL_FORM.sub("", name)  # "Veridian Therapeutics, Inc"
    if _PERIOD_NAME.match(name):
        return None  # "Q2 2026 Funding Survey": a quarter is nobody
    if name.lower() in DEFINED_TERMS:
        return None  # "The Offering is expected to raise ...": a release's defined term
    return name or None


DEFINED_TERMS = frozenset(
    """offering transaction merger arrangement placement issuer purchaser notes agreement
    closing""".split()  # noqa: SIM905
)
_COMMA_LEGAL_FORM = re.compile(r",\s*(?:Inc|Ltd|LLC|Corp|Co|plc|L\.?P|N\.?V|S\.?A)\.?$", re.I)
_PERIOD_NAME = re.compile(r"^(?:Q[1-4]|H[12]|FY ?\d{2,4}|[1-4]Q)(?: \d{2,4})?$", re.I)


def is_cap(text: str) -> bool:
    return bool(text) and (
        text[0].isupper() or (text[0].isdigit() and any(c.isalpha() for c in text))
    )


def _trim_descriptors(tokens: list[str]) -> list[str]:
    """Drop leading words up to the last descriptor noun ("Chinese Search Giant Baidu")."""
    lowered = [t.lower() for t in tokens]
    for i in range(len(tokens) - 1, -1, -1):
        if lowered[i] in DESCRIPTORS:
            rest = tokens[i + 1 :]
            if not rest:
                return tokens
            if is_cap(rest[0]):  # not "Bank of America", "the Division of Enforcement"
                return rest
    while tokens and (
        not is_cap(tokens[0]) or (tokens[0].lower() in _SUBORDINATORS and len(tokens) > 1)
    ):
        tokens = tokens[1:]  # "When Turbo Pascal was released": the name is "Turbo Pascal"
    return tokens


_SUBORDINATORS = frozenset(
    """when if after before while as since once because although though until whether
    unless""".split()  # noqa: SIM905
)


# Press-release headline words that are never a name by themselves: "Acme Signs Definitive
# Agreement to Acquire Bolt" must not parse "Definitive Agreement" as a company.
_HEADLINE_NOUNS = frozenset(
    [
        "definitive",
        "material",
        "agreement",
        "agreements",
        "strategic",
        "majority",
        "minority",
        "stake",
        "intent",
        "terms",
    ]
)


# Verbs a sentence-case title opens with after its company's name, which a Title Case
# headline must not lower ("Form Joint Venture" then parses as a noun).
_OPENER_ONLY_VERBS = ("form",)
_HEADLINE_VERB_FORMS = frozenset(
    f for v in (*HEADLINE_VERBS, *_OPENER_ONLY_VERBS) for f in inflect(v)
)


def headline_verbs(rules: TriggerRules) -> frozenset[str]:
    """The words of `lowerable_words` that can be a headline's verb ("inks", "signs")."""
    words = lowerable_words(rules) - _FUNCTION_WORDS - DESCRIPTORS - _HEADLINE_NOUNS
    return words | _HEADLINE_VERB_FORMS


def lowerable_words(rules: TriggerRules) -> frozenset[str]:
    """Words a Title Case headline can safely lower-case before parsing."""
    words = set(_FUNCTION_WORDS) | DESCRIPTORS | _HEADLINE_NOUNS
    for v in HEADLINE_VERBS:
        words |= inflect(v)
    for t in rules.enabled():
        for cue in t.cues:
            if " " not in cue:
                words |= cue_forms(cue)
            else:  # "Lays Off", "Breaks Ground": the words of a phrase cue too
                words |= {w for form in cue_forms(cue) for w in form.split() if w.isalpha()}
    return frozenset(words)


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def recase_title(text: str, lowerable: frozenset[str]) -> str:
    """Lower-case the function words and cue verbs of a Title Case headline, keeping offsets,
    so the tagger sees verbs as verbs and names stay capitalised."""
    out = list(text)
    first = True
    for m in _WORD.finditer(text):
        word = m.group(0)
        low = word.lower().replace("’", "'")
        before = text[: m.start()].rstrip()
        lower_it = not first and (
            low in lowerable or (low.endswith("ly") and len(low) > 5 and before.endswith(","))
        )
        if lower_it and not word.isupper():
            out[m.start() : m.end()] = low.replace("'", "’") if "’" in word else low
        first = False
    return "".join(out)


def is_headline(doc: Doc) -> bool:
    return bool(doc.user_data.get("headline"))


def names_something(tok: Token) -> bool:
    return (
        tok.pos_ == "PROPN"
        or unknown_name(tok)
        or (tok.tag_ == "NN" and unknown_word(tok))  # "acquired Paystack" read as a noun
        or tok.ent_type_ in ("ORG", "PRODUCT")
        or _odd_name(tok)
        or any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children)
    )


_ODD_NAME = re.compile(r"^[A-Za-z]*[a-z][A-Z]\w*$|^[A-Z]?\w+\.(?:com|io|ai|net|co)$")


_VERSION = re.compile(r"^[vV]?\d+(?:\.\d+)+[a-z0-9.-]*$")


def is_versioned(tok: Token) -> bool:
    """A thing with a version number is a named release: "Ardour 8.1", "Python 3.12"."""
    return any(c.dep_ == "nummod" and _VERSION.match(c.text) for c in tok.children) or (
        tok.i + 1 < len(tok.doc)
        and tok.doc[tok.i + 1].head == tok
        and bool(_VERSION.match(tok.doc[tok.i + 1].text))
    )


def _odd_name(tok: Token) -> bool:
    """Names the tagger misreads as common words: "DirecTV", "eBay", "Jet.com"."""
    return bool(_ODD_NAME.match(otext(tok.doc, tok.idx, tok.idx + len(tok))))


def misread_name(tok: Token) -> bool:
    """A capitalised unknown word the tagger calls a pronoun ("Agari Raises $2.5M"): real
    pronouns are all stop words."""
    return tok.pos_ == "PRON" and not tok.is_stop and tok.text[:1].isupper()


def name_of(tok: Token) -> str | None:
    """The name a token stands for: its entity, else its compound chain, minus descriptors."""
    doc = tok.doc
    # "the company", and the legal "the Company" even when tagged ORG; not "Kestrel Bank"
    generic = (
        (tok.lower_ in GENERIC_ACTORS or the_group(tok))
        and (tok.ent_type_ != "ORG" or not any(c.dep_ == "compound" for c in tok.children))
        and not _named_generic(tok)
        and not _of_name(tok)
    )
    if generic or (tok.pos_ in ("PRON", "DET", "NUM") and not misread_name(tok)):
        return None
    if (
        tok.ent_type_ in _NOT_NAME_LABELS
        and tok.lower_.rstrip(".") not in LEGAL_FORMS
        # ("Northwind Games" tagged an event: a name ending in a company word)
        and not (tok.lower_ in COMPANY_HEADS and any(c.dep_ == "compound" for c in tok.children))
        # ("Zorvo raises ..." tagged a nationality: no English word is one)
        and not (tok.ent_type_ == "NORP" and tok.pos_ == "PROPN" and unknown_word(tok))
    ):
        return None  # ("Ironleaf Games Oy" tagged an event is still a company)
    if tok.ent_type_ in _NAME_LABELS:
        for ent in doc.ents:
            if ent.start <= tok.i < ent.end and ent.label_ in _NAME_LABELS:
                ent = _listed_part(_with_name_compounds(ent), tok)
                words = [otext(doc, t.idx, t.idx + len(t)) for t in ent]
                words = _trim_descriptors(words)
                return clean_name(_join(ent, words))
    left = tok.left_edge.i
    toks = [
        t
        for t in doc[left : tok.i + 1]
        if t.dep_ in ("compound", "amod", "poss", "case", "nmod", "punct") or t.i == tok.i
    ]
    # keep only the contiguous run ending at tok
    run: list[Token] = []
    for t in reversed(toks):
        if run and t.i != run[-1].i - 1:
            break
        run.append(t)
    run.reverse()
    words = [otext(doc, t.idx, t.idx + len(t)) for t in run]
    sentence_initial = run[0].is_sent_start and len(run) == 1 and not is_headline(doc)
    if (
        tok.lemma_.lower() in _GROUPING_NOUNS
        and not is_cap(words[-1])
        and len(run) > 1
        and run[-2].pos_ == "PROPN"
    ):
        # "The Granville-Soto consortium has been awarded ...": the name before it
        run, words = run[:-1], words[:-1]
    elif tok.pos_ != "PROPN" and (not is_cap(words[-1]) or sentence_initial):
        return None
    words = _trim_descriptors(words)
    if not words:
        return None
    kept = run[len(run) - len(words) :]
    last = kept[-1]
    # "AT & T", "P & G": the parser splits an ampersand name into two conjuncts.
    if last.i + 2 < len(doc) and doc[last.i + 1].text == "&" and doc[last.i + 2].head == last:
        last = doc[last.i + 2]
    return clean_name(otext(doc, kept[0].idx, last.idx + len(last)))


# groups named by their members: "the Granville-Soto consortium", "the Harlan-Reyes JV"
_GROUPING_NOUNS = frozenset(("consortium", "venture", "jv", "alliance", "partnership"))


def the_group(tok: Token) -> bool:
    """ "The JV will set up an assembly line", "the consortium": the group the story's
    companies formed, named by no name of its own."""
    return (
        tok.lower_ in _GROUPING_NOUNS
        and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children)
        and not any(c.dep_ == "compound" for c in tok.children)
    )


def _of_name(tok: Token) -> bool:
    """ "Bank of America", "University of Michigan": a capitalised company word named by the
    proper noun after its "of" is a name, not "the bank"."""
    doc = tok.doc
    if not is_cap(otext(doc, tok.idx, tok.idx + len(tok))):
        return False
    return any(
        c.dep_ == "prep" and c.lower_ == "of" and c.i == tok.i + 1 and g.pos_ == "PROPN"
        for c in tok.children
        for g in c.children
        if g.dep_ == "pobj"
    )


def _named_generic(tok: Token) -> bool:
    """ "Rakuten Bank to List ...": a company word a headline lowered before parsing, right
    after a capitalised name word, is the end of a name, not "the bank"."""
    doc = tok.doc
    if tok.i == 0 or not is_headline(doc) or not is_cap(otext(doc, tok.idx, tok.idx + len(tok))):
        return False
    before = doc[tok.i - 1]
    return (
        before.head.i == tok.i
        and before.dep_ in ("compound", "amod")
        and is_cap(otext(doc, before.idx, before.idx + len(before)))
    )


def _listed_part(ent: Span, tok: Token) -> Span:
    """The one name of a list the recogniser tagged as one organisation ("Advocate Aurora,
    Atrium Health", "Torvald, Menzies sign pact") that holds `tok`; ", Inc." stays. Nor
    does a name run on into its headline's verb ("Palantir lands Army agreement")."""
    cuts = [
        t.i
        for t in ent
        if (
            t.text == ","
            and t.i + 1 < ent.end
            and t.nbor().lower_.replace(".", "") not in LEGAL_FORMS  # (", S.A.", ", Inc.")
            and t.nbor().text[:1].isupper()
        )
        # "Palantir lands Army", "Petronas, Shell ink JV deal": a headline's verb tagged
        # into the name
        or (
            t.text[:1].islower()
            and (t.lower_ in _HEADLINE_VERB_FORMS or (t.pos_ == "VERB" and t.tag_ == "VBZ"))
        )
    ]
    if not cuts or tok.i in cuts:
        return ent
    start = max((c + 1 for c in cuts if c < tok.i), default=ent.start)
    end = min((c for c in cuts if c > tok.i), default=ent.end)
    return ent.doc[start:end]


def _with_name_compounds(ent: Span) -> Span:
    """The entity with the capitalised name words the recogniser left off its start: it
    tags only "AI" in "Lumen AI raises $40 million", though the parser makes "Lumen" part
    of the same name."""
    doc, start = ent.doc, ent.start
    while start > ent.sent.start:
        t = doc[start - 1]
        if not (
            t.dep_ == "compound"
            and ent.start <= t.head.i < ent.end
            and t.pos_ == "PROPN"
            and t.text[:1].isupper()
            and t.lower_ not in DESCRIPTORS
            # a one-word entity of its own ("Lumen" as a place) may be the name's first word
            and (not t.ent_type_ or (t.ent_iob_ == "B" and doc[start].ent_iob_ != "I"))
        ):
            break
        start -= 1
    return doc[start : ent.end] if start < ent.start else ent


def _join(ent: Span, words: list[str]) -> str:
    """Re-join trimmed entity words with the original spacing."""
    doc = ent.doc
    n = len(words)
    tail = ent[len(ent) - n :]
    return otext(doc, tail.start_char, tail.end_char)


def _named_cap(tok: Token, published: str) -> bool:
    """Capitalised as published, and not a word a Title Case headline was lowered at for
    parsing ("OpenAI Extend Partnership": "extend" is no part of the name)."""
    return is_cap(published) and not tok.text[:1].islower()


_AMOUNT_LABELS = frozenset(("MONEY", "CARDINAL", "PERCENT", "QUANTITY"))


def capitalised_before(cue: Span, sent: Span) -> str | None:
    """Rules-only actor: the capitalised run just left of the cue ("Acme Corp opens...")."""
    doc = cue.doc
    i = cue.start - 1
    skipped = 0
    while i >= sent.start and skipped < 4:
        w = otext(doc, doc[i].idx, doc[i].idx + len(doc[i]))
        if w in (";", ":", "|", "—", "–"):
            return None  # "Announces Efficiency Initiative; Will Eliminate 200 Positions"
        if doc[i].ent_type_ in _AMOUNT_LABELS:
            return None  # "($75 Million Term Loan Facility)": an amount, not a name
        if _named_cap(doc[i], w) and w.lower() not in _FUNCTION_WORDS and not w.endswith("ly"):
            break
        i -= 1
        skipped += 1
    words: list[str] = []
    while i >= sent.start:
        w = otext(doc, doc[i].idx, doc[i].idx + len(doc[i]))
        if _named_cap(doc[i], w) or w in ("&", "'s", "’s", ".") or (words and w.lower() == "of"):
            words.insert(0, w)
            i -= 1
        else:
            break
    while words and words[0].lower() in ("of", "&", "the"):
        words = words[1:]
    words = _trim_descriptors(words)
    if not words:
        return None
    name = " ".join(words).replace(" 's", "'s").replace(" ’s", "’s").replace(" .", ".")
    return None if name.lower() in GENERIC_ACTORS else clean_name(name)


def opening_name(cue: Span, sent: Span) -> str | None:
    """The capitalised words a title opens with, right up to the cue: a name when there are
    several ("Quorra Labs ousts ...") or the one is no English word ("Ledgerly ousts ...")."""
    doc = cue.doc
    run = doc[sent.start : cue.start]
    if not 1 <= len(run) <= 4:
        return None
    if not all(_named_cap(t, otext(doc, t.idx, t.idx + len(t))) for t in run):
        return None
    if len(run) == 1 and (run[0].is_stop or not unknown_word(run[0])):
        return None
    return clean_name(otext(doc, run.start_char, run.end_char))


def title_opener(cue: Span, sent: Span, verbs: frozenset[str]) -> str | None:
    """The name a title opens with when a verb follows it, before the cue: "Toyota and BMW
    sign hydrogen fuel cell pact" (the tagger made "sign" a noun) gives "Toyota"."""
    doc = cue.doc
    i = sent.start
    # "Payments giant Finvanta in talks to raise ...": the name after the descriptors
    described = [
        t.i for t in doc[sent.start : min(cue.start, sent.start + 5)] if t.lower_ in DESCRIPTORS
    ]
    if described and described[-1] + 1 < cue.start:
        i = described[-1] + 1
    first: list[Token] = []
    while i < cue.start and _named_cap(doc[i], otext(doc, doc[i].idx, doc[i].idx + len(doc[i]))):
        first.append(doc[i])
        i += 1
    if not first or i >= cue.start or len(first) > 5:
        return None
    after = i  # "Toyota and BMW ...": further capitalised names joined by "and", "&" or ","
    while (
        after + 1 < cue.start
        and doc[after].lower_ in ("and", "&", ",")
        and is_cap(otext(doc, doc[after + 1].idx, doc[after + 1].idx + len(doc[after + 1])))
    ):
        after += 2
        while after < cue.start and is_cap(
            otext(doc, doc[after].idx, doc[after].idx + len(doc[after]))
        ):
            after += 1
    verb = doc[after]
    nxt = doc[after + 1].lower_ if after + 1 < len(doc) else ""
    # "Toyota and BMW sign ...", "Microsoft to invest ...", "Klarna in talks to raise ..."
    headline_verb = verb.lower_ in verbs or (verb.lower_, nxt) in (("to", ""), ("in", "talks"))
    if verb.lower_ == "to":
        headline_verb = nxt in verbs or doc[after + 1].pos_ == "VERB"
    if not headline_verb or not verb.text[:1].islower():
        return None
    if verb.lower_ not in ("to", "in") and not (
        verb.tag_.startswith("VB") or verb.tag_ == "NNS" or verb.lower_ in _HEADLINE_VERB_FORMS
    ):
        return None  # "Senate commission to review ...": a noun, not the verb
    if len(first) == 1 and (
        first[0].is_stop or not (unknown_word(first[0]) or first[0].pos_ == "PROPN")
    ):
        return None  # "Investors pour money into ...", "How to launch ..."
    # (a word tagged a nationality that no English word is, "Atlassian", is a name)
    if any(
        (t.ent_type_ == "NORP" and not unknown_word(t)) or t.lower_ in PLACES for t in first
    ) or (len(first) > 1 and all(t.ent_type_ == "PERSON" for t in first)):
        return None  # a place, or a person's full name ("Jane Doe joins ...")
    return clean_name(otext(doc, first[0].idx, first[-1].idx + len(first[-1])))


def capitalised_after(cue: Span, sent: Span, limit: int = 3) -> str | None:
    """The capitalised run right after the cue (target of "acquires X", product of "launches X")."""
    doc = cue.doc
    i = cue.end
    while i < sent.end and i - cue.end < limit:
        w = otext(doc, doc[i].idx, doc[i].idx + len(doc[i]))
        if is_cap(w) and w.lower() not in _FUNCTION_WORDS:
            break
        i += 1
    words: list[str] = []
    while i < sent.end:
        w = otext(doc, doc[i].idx, doc[i].idx + len(doc[i]))
        if is_cap(w) or (w in ("&", "-", "'s", ".") and words):
            words.append(w)
            i += 1
        else:
            break
    return clean_name(" ".join(words)) if words else None


def compound_name(anchor: Token | None) -> str | None:
    """The name a noun cue is about: "the Whole Foods acquisition", "the Aseman contract"."""
    if anchor is None or anchor.pos_ != "NOUN":
        return None
    for c in anchor.children:
        if c.dep_ == "compound" and names_something(c) and c.i < anchor.i:
            return name_of(c)
    return None


def object_name(anchor: Token | None, deps: tuple[str, ...] = ("dobj",)) -> str | None:
    if anchor is None:
        return None
    for c in anchor.children:
        if c.dep_ in deps:
            return name_of(c)
        if c.dep_ == "prep" and c.lower_ == "of" and anchor.pos_ == "NOUN":
            for g in c.children:
                if g.dep_ == "pobj":
                    return name_of(g)
    return None


_VERSION_TAIL = re.compile(r"\s+[vV]?\d+(?:\.\d+)+[a-z0-9.-]*$")


def unversioned(name: str | None) -> str | None:
    return _VERSION_TAIL.sub("", name).strip() or None if name else None


KNOWN_WORDS = "trigger_known_words"  # doc.user_data key while the event builder runs


def known_words(nlp: Language) -> frozenset[str]:
    """Base forms of English words the model's lemmatizer knows (WordNet's); none without."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or "lemma_index" not in lookups.tables:
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(w for pos in ("noun", "verb", "adj", "adv") for w in index.get(pos, ()))


def unknown_word(tok: Token) -> bool:
    """A capitalised word that is no English word the model knows: a name ("Corvane")."""
    known = tok.doc.user_data.get(KNOWN_WORDS)
    return (
        bool(known)
        and tok.is_alpha
        and tok.text[:1].isupper()
        and tok.lower_ not in known
        and tok.lemma_.lower() not in known
        and tok.lower_ not in GENERIC_ACTORS
    )


# Nouns that stand bare as a subject without being a name ("Management appointed ...",
# "Government launches ...").
_BARE_NOUNS = frozenset(
    """management government parliament congress research industry business staff
    leadership capital technology science education health security finance marketing
    sales media commerce trade investment funding growth money revenue software hardware
    legislation regulation work labour labor energy""".split()  # noqa: SIM905
)


def bare_subject_name(tok: Token, anchor: Token) -> bool:
    """ "Stripe has raised $6.5 billion": a capitalised singular noun opening the sentence
    as the subject of the cue's verb, with no article, is a name, though the tagger calls
    it the common word (English wants "a stripe" or "the stripe" there)."""
    # "Adobe to buy Figma for $20bn": a headline's subject read as the root noun that the
    # infinitive describes
    to_verb = (
        tok.dep_ == "ROOT"
        and anchor.head.i == tok.i
        and anchor.dep_ in ("acl", "relcl", "xcomp")
        and tok.i + 1 < len(tok.doc)
        and tok.doc[tok.i + 1].lower_ == "to"
    )
    return (
        tok.i == tok.sent.start
        and tok.tag_ in ("NN", "NNP")
        and (
            to_verb
            or (
                tok.dep_ == "nsubj"
                # the subject of the cue verb, or of the verb whose object the cue is ("Arm
                # prices IPO at $51 a share")
                and (
                    tok.head.i == anchor.i
                    or (anchor.dep_ == "dobj" and tok.head.i == anchor.head.i)
                )
                and tok.head.pos_ == "VERB"
            )
        )
        and tok.text[:1].isupper()
        and not any(c.i != anchor.i for c in tok.children)
        and tok.lower_ not in _BARE_NOUNS
        and tok.lower_ not in GENERIC_ACTORS
        and tok.lower_ not in DESCRIPTORS
        and (to_verb or not is_headline(tok.doc))
    )


def unknown_name(tok: Token) -> bool:
    """ "Salesforce signed an agreement", "Corvane Expands Into Brazil": a first word the
    tagger calls a common noun is the subject's name when it is no English word."""
    return (
        tok.i == tok.sent.start
        # (a subject tagged a verb is a misread name too: "Shopify to cut 20% of workforce")
        and (tok.pos_ in ("NOUN", "PROPN") or (tok.pos_ == "VERB" and tok.dep_ == "nsubj"))
        # (or the misread root of a verbless headline: "Corvane in talks to raise ...")
        and tok.dep_ in ("nsubj", "nsubjpass", "dep", "advcl", "ROOT")
        and not any(c.dep_ in ("det", "poss", "compound", "amod") for c in tok.children)
        and unknown_word(tok)
    )
