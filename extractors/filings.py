"""SEC filings: a form's item numbers are the event, and there is no prose to parse.

An EDGAR feed entry titled "8-K - NVIDIA CORP (0001045810) (Filer)" lists what happened as
item numbers ("Item 5.02: Departure of Directors or Certain Officers; Election of Directors;
Appointment of Certain Officers ..."). The numbers are exact, so they map straight to events;
the words around them are form boilerplate that the sentence rules would misread. Only the
items that are sales triggers are mapped; "8.01 Other Events" or "9.01 Financial Statements
and Exhibits" say nothing by themselves, and an amendment (8-K/A) repeats a filing already
seen.
"""

from __future__ import annotations

import re

from extractors.events import Event

# "8-K - NVIDIA CORP (0001045810) (Filer)"; "S-1 - Acme Holdings Inc. (0001234567) (Filer)"
# A form is one or two words ("8-K", "DEF 14A", "SC 13G/A"), so a hostile "A - A - A ..."
# title cannot make the match try every split; EDGAR titles are short, longer ones are none.
FORM = r"[A-Z0-9][A-Z0-9/.-]*(?: [A-Z0-9][A-Z0-9/.-]*)?"
MAX_TITLE_CHARS = 500
_TITLE = re.compile(
    rf"^(?P<form>{FORM})(?P<tag> \[\w+\])? - (?P<name>\S.*?) "
    r"\((?P<cik>\d{10})\) \((?:Filer|Subject|Filed by)\)"
)
# The filer's Central Index Key as an EDGAR title gives it
_CIK = re.compile(r"\((\d{10})\) \((?:Filer|Subject|Filed by)\)")
_ITEM = re.compile(r"\bItem (?P<number>\d\.\d\d)(?::\s*(?P<desc>[^\n]+))?")

# 8-K item -> (event type, status). 2.03 is new debt, 3.02 an unregistered sale of equity.
ITEM_EVENTS: dict[str, tuple[str, str]] = {
    "2.01": ("acquisition", "completed"),
    "2.03": ("funding", "announced"),
    "2.05": ("layoff", "announced"),
    "3.02": ("funding", "announced"),
    "5.02": ("leadership_change", "announced"),
}
# A registration statement for securities never sold before: an IPO on file.
REGISTRATION_FORMS = frozenset(("S-1", "F-1"))
CONFIDENCE = 0.9  # the filer states it under law; only the wording of the alert is ours


def _head(title: str) -> re.Match[str] | None:
    return _TITLE.match(title) if title and len(title) <= MAX_TITLE_CHARS else None


def filer_ciks(text: str) -> list[int]:
    """CIKs of the filers named in `text` ("8-K - NVIDIA CORP (0001045810) (Filer)")."""
    return [int(c) for c in _CIK.findall(text)]


def is_filing(title: str) -> bool:
    return _head(title) is not None


def filing_events(title: str, text: str) -> list[Event]:
    """Events of one EDGAR feed entry; [] when its form or items are no trigger."""
    head = _head(title)
    if head is None or head["tag"] == " [Amend]" or head["form"].endswith("/A"):
        return []
    form, company, cik = head["form"], head["name"].strip(), head["cik"]
    base = {"form": form, "cik": cik}
    if form in REGISTRATION_FORMS:
        return [
            Event(
                type="ipo",
                company=company,
                attributes=dict(base),
                evidence=f"{title}: registration statement for an offering of securities",
                confidence=CONFIDENCE,
                status="planned",
                rule=f"ipo/form {form}",
            )
        ]
    if form != "8-K":
        return []
    events: dict[str, Event] = {}
    for item in _ITEM.finditer(text or ""):
        mapped = ITEM_EVENTS.get(item["number"])
        if mapped is None or mapped[0] in events:
            continue
        etype, status = mapped
        desc = (item["desc"] or "").strip()
        events[etype] = Event(
            type=etype,
            company=company,
            attributes={**base, "item": item["number"]},
            evidence=f"{title}: Item {item['number']}" + (f": {desc}" if desc else ""),
            confidence=CONFIDENCE,
            status=status,
            rule=f"{etype}/{form} item {item['number']}",
        )
    return list(events.values())
