"""SEC EDGAR company feeds name the filer only once, in the feed's title.

The all-filers feed ("getcurrent") titles each entry "8-K - NVIDIA CORP (0001045810)
(Filer)"; a company's own filings feed titles them "8-K - Current report" under a feed titled
"NVIDIA CORP (0001045810)". Naming the filer in every entry ("8-K - NVIDIA CORP (0001045810)
(Filer) - Current report") keeps each item self-contained: extraction and account matching
read one item, never its feed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from sources.records import FeedItem

_COMPANY_FEED = re.compile(r"^(?P<name>\S.*?) \((?P<cik>\d{10})\)$")
# "8-K - Current report", "S-1/A [Amend] - General form ...", "CORRESP [Cover] - Correspondence"
_FORM_TITLE = re.compile(
    r"^(?P<form>[A-Z0-9][A-Z0-9/.-]*(?: [A-Z0-9][A-Z0-9/.-]*)?(?: \[\w+\])?) - (?P<desc>.+)$"
)


def with_filer(items: Sequence[FeedItem], feed_title: str | None) -> list[FeedItem]:
    """Entries of an EDGAR company feed, each titled with its filer like the all-filers feed."""
    company = _COMPANY_FEED.match(feed_title or "")
    if company is None:
        return list(items)
    filer = f"{company['name']} ({company['cik']}) (Filer)"
    out = []
    for item in items:
        form = _FORM_TITLE.match(item.title or "")
        if form is not None and "(Filer)" not in item.title and "sec.gov" in (item.url or ""):
            item = replace(item, title=f"{form['form']} - {filer} - {form['desc']}")
        out.append(item)
    return out
