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


_LEGAL_SUFFIXES = frozenset(
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
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
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
        self.name_words = frozenset(w for k in self._by_name for w in k.split())
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

    def _name_match(self, name: str | None, role: str, what: str) -> AccountMatch | None:
        if not name:
            return None
        hit = self._by_name.get(normalise(name))
        if hit is None:
            return None
        acc, label = hit
        if normalise(label) == normalise(acc.name):
            reason = f"event {what} {name!r} is account {acc.name!r}"
        else:
            reason = f"event {what} {name!r} is an alias of account {acc.name!r}"
        return AccountMatch(acc, role, reason)

    def match(self, event: Event, url: str | None = None) -> list[AccountMatch]:
        """Accounts this event is about: its company (by name, alias or the item URL's domain)
        and, for acquisitions, its target. Names merely mentioned in the text never match."""
        out: list[AccountMatch] = []
        company = self._name_match(event.company, "company", "company")
        dom_acc = self._domain_account(url)
        if company is not None:
            if dom_acc is not None and dom_acc == company.account:
                company = AccountMatch(
                    company.account,
                    "company",
                    f"{company.reason}, and the item comes from its domain {_host(url)!r}",
                )
            out.append(company)
        elif dom_acc is not None and event.company is None:
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
            target = self._name_match(event.attributes.get("target"), "target", "target")
            if target is not None and all(m.account != target.account for m in out):
                out.append(target)
        return out

    def mentions(self, text: str) -> set[Account]:
        """Accounts named anywhere in `text`: a cheap first pass, not a match."""
        return set(self._mentioned(text))

    def could_match(self, text: str, url: str | None = None) -> bool:
        """Could an item with this text and URL alert anyone? It must name an account (name
        or alias, anywhere) or come from an account's domain; otherwise extraction can skip
        it. Hash lookups per word, so the cost does not grow with the number of accounts."""
        if url and self._by_domain and self._domain_account(url) is not None:
            return True
        return next(self._mentioned(text), None) is not None

    def _mentioned(self, text: str) -> Iterator[Account]:
        """Names as written: a mention starts with a capital or digit ("Target said", not
        "the target"), unless the account's own label starts in lower case ("eBay").

        The text is also read the ways the parser may split it: normalise() makes "Angie's
        List" "angies list", but the parser makes "Agari's CEO" an event of "Agari", and
        "4K Fortran" one of "K Fortran".
        """
        text = text.replace("\u2019", "'")  # as the extractor reads it; ascii would drop it
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        text = text.replace("&", " and ")
        readings = [text.replace("'s", "s")]
        if "'s" in text:
            readings.append(text.replace("'s", " s"))
        if _DIGIT_LETTER.search(text):
            readings.append(_DIGIT_LETTER.sub(" ", text))
        for reading in readings:
            yield from self._names_in(_CASED_TOKEN.findall(reading))

    def _names_in(self, raw: list[str]) -> Iterator[Account]:
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
                if hit and (cased or hit[1][:1].islower()):
                    yield hit[0]


def _related(name: str, account: Account) -> bool:
    """Domain-backed match: the event names the account loosely (e.g. without its suffix)."""
    a, b = normalise(name), normalise(account.name)
    return bool(a and b) and (a in b or b in a)
