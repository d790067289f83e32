"""Account records and matching: which target account an event is about, and why."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from extractors.events import Event
from extractors.filings import filer_ciks

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Account:
    """A target account from accounts.csv. `extra` keeps columns we do not interpret."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    owner: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class AccountMatch:
    """An event belongs to `account`; `role` is "company" (the actor) or "target"."""

    account: Account
    role: str
    reason: str


LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "cos",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "nv",
        "bv",
        "se",
        "spa",
        "srl",
        "oy",
        "ab",
        "asa",
        "as",
        "kk",
        "holdings",
        "holding",
        "group",
        "the",
        "de",
        "del",
    ]
)
_TOKEN = re.compile(r"[a-z0-9]+")
_CASED_TOKEN = re.compile(r"[A-Za-z0-9]+")
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[A-Za-z])|(?<=[A-Za-z])(?=[0-9])")


def normalise(name: str) -> str:
    """Comparable form of a company name: lower case, no punctuation, no "The", no legal suffix.

    "The Walt Disney Co." and "WALT DISNEY CO /DE/" both become "walt disney".
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("'s", "s")
    words = _TOKEN.findall(text)
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


WORDS_FILE = Path(__file__).with_name("data") / "common_words.txt"
MAX_COMMON_WORDS = 2  # "Best Buy" is risky; "Pacific Gas and Electric" is specific enough


@cache
def common_words() -> frozenset[str]:
    """spaCy's English stop words plus the bundled data/common_words.txt (common English
    words that are also company names); both offline, no model needed."""
    from spacy.lang.en.stop_words import STOP_WORDS

    bundled = {
        line.strip().lower()
        for line in WORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    return frozenset(bundled | {w.lower() for w in STOP_WORDS})


def is_common(label: str) -> bool:
    """True when a name is only common English words (after dropping legal suffixes)."""
    words = normalise(label).split()
    return 0 < len(words) <= MAX_COMMON_WORDS and all(w in common_words() for w in words)


_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def is_title_case(text: str) -> bool:
    """A headline in Title Case: most words longer than three letters are capitalised, so
    capitals say little about which words are names."""
    words = [w for w in _TITLE_WORD.findall(text) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.7


def _host(url: str | None) -> str:
    if not url:
        return ""
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host.lower().rstrip(".")


class AccountMatcher:
    """Finds the accounts an event is about, by hash lookups on normalised names and domains.

    Built once per account list; each lookup costs the same for 500 or 100,000 accounts.
    """

    def __init__(self, accounts: Sequence[Account]) -> None:
        self.accounts = list(accounts)
        self._by_name: dict[str, tuple[Account, str]] = {}
        self._by_domain: dict[str, Account] = {}
        self._max_words = 1
        for acc in self.accounts:
            for label, kind in ((acc.name, "name"), *((a, "alias") for a in acc.aliases)):
                key = normalise(label)
                if key and (key not in self._by_name or kind == "name"):
                    if key in self._by_name and self._by_name[key][0] != acc:
                        log.debug("account name clash key=%s kept=%s", key, acc.name)
                    self._by_name[key] = (acc, label)
                    self._max_words = max(self._max_words, key.count(" ") + 1)
            for dom in acc.domains:
                d = _host(dom.strip().lower())
                if d:
                    self._by_domain[d.removeprefix("www.")] = acc
        # An SEC filer's Central Index Key, from a "cik" column (the S&P 500 list has one):
        # EDGAR names filers by their legal names ("NVIDIA CORP"), which need not match ours.
        self._by_cik: dict[int, Account] = {
            int(value): acc
            for acc in self.accounts
            for key, value in acc.extra
            if key.strip().lower() == "cik" and value.strip().isdigit()
        }
        self.name_words = frozenset(w for k in self._by_name for w in k.split())
        # Names made only of common English words ("Target", "News Corp" -> "news"): they
        # count as mentions only where a reader would read them as names (_informative).
        self._common = frozenset(k for k in self._by_name if is_common(k))
        # Every leading run of words of every name ("bank", "bank of", "bank of america"): a
        # mention is extended only while it is still the start of some name, so the work per
        # word does not grow with the longest name on a long list.
        self._prefixes = frozenset(
            " ".join(words[:n])
            for k in self._by_name
            for words in [k.split()]
            for n in range(1, len(words) + 1)
        )
        log.info(
            "accounts loaded accounts=%d names=%d domains=%d",
            len(self.accounts),
            len(self._by_name),
            len(self._by_domain),
        )

    def lookup(self, name: str) -> Account | None:
        """The account whose name or alias is `name` (after normalisation), if any."""
        hit = self._by_name.get(normalise(name))
        return hit[0] if hit else None

    def _domain_account(self, url: str | None) -> Account | None:
        host = _host(url)
        parts = host.split(".")
        for i in range(len(parts) - 1):
            acc = self._by_domain.get(".".join(parts[i:]))
            if acc:
                return acc
        return None

    def _name_match(
        self, name: str | None, role: str, what: str, evidence: str = ""
    ) -> AccountMatch | None:
        if not name:
            return None
        hit = self._by_name.get(normalise(name))
        if hit is None or not self._counts_as_mention(name, evidence):
            return None
        acc, label = hit
        if normalise(label) == normalise(acc.name):
            reason = f"event {what} {name!r} is account {acc.name!r}"
        else:
            reason = f"event {what} {name!r} is an alias of account {acc.name!r}"
        return AccountMatch(acc, role, reason)

    def match(self, event: Event, url: str | None = None) -> list[AccountMatch]:
        """Accounts this event is about: its company (by name, alias or the item URL's domain)
        and, for acquisitions, its target. Names merely mentioned in the text never match.

        A common-word name ("Target", "Unit Corp" -> "unit") is the event's company or target
        only where the first pass would count it in the event's evidence (see _informative):
        "Target to open 30 stores" matches Target Corporation, "a suite of Unit Tests" with
        company "Unit" does not; an item from the account's own domain still matches by
        domain, and an alias that is not a common word matches anywhere."""
        out: list[AccountMatch] = []
        company = self._cik_match(event) or self._name_match(
            event.company, "company", "company", event.evidence
        )
        dom_acc = self._domain_account(url)
        if company is not None:
            if dom_acc is not None and dom_acc == company.account:
                company = AccountMatch(
                    company.account,
                    "company",
                    f"{company.reason}, and the item comes from its domain {_host(url)!r}",
                )
            out.append(company)
        elif dom_acc is not None and (
            event.company is None or event.attributes.get("company_from") == "product"
        ):
            # "Ardour 9.0 released" on ardour.org: a product standing in for its unnamed maker
            out.append(
                AccountMatch(
                    dom_acc,
                    "company",
                    f"the item comes from {_host(url)!r}, a domain of account "
                    f"{dom_acc.name!r}, and names no other company",
                )
            )
        elif dom_acc is not None and event.company and _related(event.company, dom_acc):
            out.append(
                AccountMatch(
                    dom_acc,
                    "company",
                    f"event company {event.company!r} resembles account "
                    f"{dom_acc.name!r}, whose domain {_host(url)!r} published it",
                )
            )
        if event.type == "acquisition":
            target = self._name_match(
                event.attributes.get("target"), "target", "target", event.evidence
            )
            if target is not None and all(m.account != target.account for m in out):
                out.append(target)
        return out

    def mentions(self, text: str) -> set[Account]:
        """Accounts named anywhere in `text`: a cheap first pass, not a match."""
        return set(self._mentioned(text))

    def _cik_match(self, event: Event) -> AccountMatch | None:
        cik = str(event.attributes.get("cik") or "")
        acc = self._by_cik.get(int(cik)) if cik.isdigit() else None
        if acc is None:
            return None
        return AccountMatch(acc, "company", f"SEC filer CIK {cik} is account {acc.name!r}'s")

    def could_match(self, text: str, url: str | None = None) -> bool:
        """Could an item with this text and URL alert anyone? It must name an account (name
        or alias, anywhere) or come from an account's domain; otherwise extraction can skip
        it. Hash lookups per word, so the cost does not grow with the number of accounts."""
        if url and self._by_domain and self._domain_account(url) is not None:
            return True
        if self._by_cik and any(c in self._by_cik for c in filer_ciks(text)):
            return True  # "8-K - NVIDIA CORP (0001045810) (Filer)"
        return next(self._mentioned(text), None) is not None

    def _mentioned(self, text: str, strict: bool = True) -> Iterator[Account]:
        """Names as written: a mention starts with a capital or digit ("Target said", not
        "the target"), unless the account's own label starts in lower case ("eBay"). A
        common-word name must also pass _informative() (with `strict`; without, every
        capitalised occurrence is yielded, which match() uses to tell "named, but not as a
        name" from "not named here").

        The text is also read the ways the parser may split it: normalise() makes "Angie's
        List" "angies list", but the parser makes "Agari's CEO" an event of "Agari", and
        "4K Fortran" one of "K Fortran".
        """
        text = text.replace("\u2019", "'")  # as the extractor reads it; ascii would drop it
        if _CURLY.search(text):
            text = text.translate(_PUNCTUATION)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        text = text.replace("&", " and ")
        readings = [text.replace("'s", "s")]
        if "'s" in text:
            readings.append(text.replace("'s", " s"))
        if _DIGIT_LETTER.search(text):
            readings.append(_DIGIT_LETTER.sub(" ", text))
        for reading in readings:
            yield from self._names_in(reading, strict)

    def _names_in(self, reading: str, strict: bool = True) -> Iterator[Account]:
        tokens = list(_CASED_TOKEN.finditer(reading))
        raw = [t.group() for t in tokens]
        words = [w.lower() for w in raw]
        starts = self._prefixes
        for i, word in enumerate(words):
            if word not in starts:
                continue  # most words start no account name: one set lookup
            cased = not raw[i].islower()
            key = word
            for n in range(1, min(self._max_words, len(words) - i) + 1):
                if n > 1:
                    key = f"{key} {words[i + n - 1]}"
                    if key not in self._prefixes:
                        break
                hit = self._by_name.get(key)
                if not hit:
                    continue
                if key in self._common:
                    if _informative(reading, tokens, i, i + n) if strict else cased:
                        yield hit[0]
                elif cased or hit[1][:1].islower():
                    yield hit[0]

    def _counts_as_mention(self, name: str, evidence: str) -> bool:
        """Would the first pass count `name` (an event's company or target) in its evidence?
        Always for names that are not common words, and when the evidence does not contain
        the name (it came from the title or an earlier sentence: nothing to judge here)."""
        hit = self._by_name.get(normalise(name))
        if not evidence or hit is None or normalise(name) not in self._common:
            return True
        acc = hit[0]
        if any(a == acc for a in self._mentioned(evidence)):
            return True
        return all(a != acc for a in self._mentioned(evidence, strict=False))


# Curly quotes and dashes as plain ones: the NFKD/ascii step would drop them, and they mark
# where a capital says nothing ("so-called “Yellow Line”", "— Shell said").
_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": " - ", "—": " - "})
_CURLY = re.compile("[\u2018\u201c\u201d\u2013\u2014]")
# A suffix written after a common-word name makes it a company name ("News Corp", "Shell plc",
# "City Holding", "Root, Inc."): capitalised, or one of the abbreviations that are only ever
# suffixes. "the", "de" and "del" are not suffixes one writes after a name.
_WRITTEN_SUFFIXES = LEGAL_SUFFIXES - {"the", "de", "del"}
_LOWER_SUFFIXES = frozenset(["inc", "corp", "ltd", "llc", "llp", "plc", "gmbh"])
_SUFFIX_GAP = re.compile(r"[ \t]*,?[ \t]*")
_IDENTIFIER_GAP = re.compile(r"_+")  # "MYSQL_ROOT_PASSWORD" is one word to a reader
# Between two words of one name: spaces, a hyphen or a slash on one line ("Hong Kong",
# "Hacker-News", "SCSS/Compass").
_NAME_GAP = re.compile(r"[ \t]+|[-/]")
# Where a sentence or line starts ("On Monday, ...", "Note: ..."), and where a label, list
# item, table cell, quotation, parenthesis or assignment starts ("Our Goals: Unit test",
# "| Interface Segregation", 'so-called "Yellow Line"'): the next capital is the position's.
_SENTENCE_GAP = re.compile(r"[.!?\n]")
_CLAUSE_GAP = re.compile(r"[:|#*(\[{<>=]|\s[\"']|\s-\s|^-\s")


@cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.lower() for w in STOP_WORDS)


def _gap(reading: str, tokens: list[re.Match[str]], i: int) -> str:
    """The text between token i-1 and token i (from the start of the text for i == 0)."""
    return reading[tokens[i - 1].end() if i else 0 : tokens[i].start()]


def _at_start(reading: str, tokens: list[re.Match[str]], i: int) -> str:
    """ "sentence" (text, sentence or line start), "clause" (after a colon, opening quote,
    dash, bracket, "|", "#", "*" or "=") or "" (anywhere else)."""
    if i == 0:
        return "sentence"
    gap = _gap(reading, tokens, i)
    if _SENTENCE_GAP.search(gap):
        return "sentence"
    return "clause" if _CLAUSE_GAP.search(gap) else ""


def _title_case_line(reading: str, pos: int) -> bool:
    start = reading.rfind("\n", 0, pos) + 1
    end = reading.find("\n", pos)
    return is_title_case(reading[start : end if end >= 0 else len(reading)])


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _informative(reading: str, tokens: list[re.Match[str]], i: int, j: int) -> bool:
    """Does the common-word name at tokens[i:j] count as a mention, as a careful reader
    would count it?

    - Written in full, with a legal suffix, it always does ("News Corp", "On Holding",
      "Shell plc", "Root, Inc.").
    - Otherwise its capital must say "name". Lower case ("an apple a day") or part of an
      identifier ("MYSQL_ROOT_PASSWORD", "NAME_MATCH") it does not.
    - First in a text, sentence or line, the capital is the position's: a stop word there
      ("On Monday", "Ten years", "Beyond JSON"), a label ("Note: ...") or the head of a
      capitalised phrase ("Yellow Line ...") does not count; other words do, because news
      leads with its subject ("Amazon told employees", "Target to open 30 stores").
    - After a colon, an opening quote, a dash, a bracket, "|", "#", "*" or "=" (labels, list
      items, table cells, quotations, code) the same holds as at a sentence start: news
      writes "Exclusive: Target to close stores" and "(Apple)", so a lone name there counts,
      while "| Interface Segregation |" and 'the so-called "Yellow Line"' do not.
    - Elsewhere, glued (by a space, hyphen or slash) to a capitalised word before it, it is
      the tail of a longer name: "Hong Kong", "Hacker News", "the React Team", "America's
      Seed Fund", "Sass/SCSS/Compass"; a capitalised stop word before it glues too ("For I
      As Integer"), except at a sentence start ("In Apple's ...").
    - A capitalised word after it does not cancel it ("Apple AirPods", "Oracle Tuxedo":
      companies prefix their products) unless the text also uses that word in lower case,
      which makes the pair a capitalised common noun ("a suite of Unit Tests ... these
      tests", "a Shell Script ... the script").
    In a Title Case line every word is capitalised, so there a name that leads the line or
    follows a colon counts whatever follows ("Amazon Cuts 16,000 Jobs", "Exclusive: Target
    To Close Stores"), a later one glued to a capitalised non-stop word does not ("Walmart
    Beats Target" is not a mention; "Layoffs At Target", "Why Target Is Struggling" and
    "Walmart Beats Target Corp." are), and lower-case words elsewhere do not matter.
    """
    nxt = tokens[j].group() if j < len(tokens) else ""
    next_gap = _gap(reading, tokens, j) if nxt else ""
    low = nxt.lower()
    if (
        low in _WRITTEN_SUFFIXES
        and (_capitalised(nxt) or low in _LOWER_SUFFIXES)
        and _SUFFIX_GAP.fullmatch(next_gap)
    ):
        return True
    first = tokens[i].group()
    if not _capitalised(first):
        return False
    if (i and _IDENTIFIER_GAP.fullmatch(_gap(reading, tokens, i))) or (
        nxt and _IDENTIFIER_GAP.fullmatch(next_gap)
    ):
        return False
    title = _title_case_line(reading, tokens[i].start())
    glued_next = bool(nxt) and _capitalised(nxt) and bool(_NAME_GAP.fullmatch(next_gap))
    start = _at_start(reading, tokens, i)
    if start:
        if first.lower() in _stop_words():
            return False
        if reading[tokens[j - 1].end() :].lstrip(" \t").startswith(":"):
            return False  # a label
        if title:
            return True
        if glued_next and low not in _stop_words():
            return False
    else:
        prev = tokens[i - 1].group()
        if (
            _capitalised(prev)
            and _NAME_GAP.fullmatch(_gap(reading, tokens, i))
            and (
                prev.lower() not in _stop_words()
                or not (title or _at_start(reading, tokens, i - 1) == "sentence")
            )
        ):
            return False
    return not (glued_next and not title and re.search(rf"\b{re.escape(low)}\b", reading))


def _related(name: str, account: Account) -> bool:
    """Domain-backed match: the event names the account loosely (e.g. without its suffix)."""
    a, b = normalise(name), normalise(account.name)
    return bool(a and b) and (a in b or b in a)
