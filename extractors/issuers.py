"""The company a release or an exchange filing says it is from.

Filings and releases name their issuer in set forms before any news: `Kestrel Marine
Holdings Ltd. (the "Company")`, `Issuer & Securities: LIONGATE HOLDINGS LIMITED` (SGX),
`Entity name: WESTGATE LITHIUM LIMITED` (ASX), `RNS Number : 7719Q Thornbury Medical
Technologies plc` (LSE), `GLENRIDGE NICKEL LIMITED (Incorporated in the Republic of South
Africa)` (JSE). Their titles often name nobody ("Contract Win", "Result of Placing",
"CESSATION OF CHIEF FINANCIAL OFFICER"), and their text calls the issuer "the Company".
"""

from __future__ import annotations

import re

_LINKS = r"&|and|of|de|du|da|do|dos|das|del|der|van|von|la|plc|ltd\.?|inc\.?|llc"
_NAME = rf"[A-Z][\w&.,'’-]*(?:\s+(?:[A-Z][\w&.,'’-]*|{_LINKS}))*?"
_DEFINED = re.compile(
    rf"({_NAME})\s*(?:\([^()]{{1,30}}\)\s*)?\(\s*(?:[\"“]?[^\"”()]{{1,40}}?[\"”]?\s*(?:or|and|,)\s*)?"
    r"(?:the\s+)?[\"“]?(?:Company|Issuer|Group|Bank|Trust)[\"”]?\s*[),]",
)
_HEADER = re.compile(
    r"(?:Issuer\s*&\s*Securities|Entity name|Name of (?:the )?(?:listed )?(?:entity|company|issuer)"
    r"|Company name)\s*:\s*([A-Z][^.:;\n]{2,80}?)(?=\.\s|\s+Announcement|\s+Date|\s*$)",
    re.I,
)
_RNS = re.compile(
    rf"^\s*RNS Number\s*:\s*\w+\s+"
    rf"({_NAME}\s+(?:plc|PLC|Limited|Ltd|Group|Holdings|Inc\.?|N\.V\.|S\.A\.))\b"
)
_CAPS_HEADER = re.compile(
    r"^\s*([A-Z][A-Z0-9&.'’ -]{2,60}?\s(?:LIMITED|LTD|PLC|BERHAD|BHD|INC|CORPORATION|CORP))\b"
)


_BODY_OF = re.compile(r"^(?:The\s+)?Board(?:\s+of\s+(?:Directors|Trustees))?\s+of\s+", re.I)


ISSUER_CHARS = 1500  # how far into an item its header may name the issuer


def filing_issuer(text: str) -> str | None:
    """The issuer a release or filing names in one of the set forms, else None."""
    head = text[:ISSUER_CHARS]
    for pattern in (_RNS, _HEADER, _CAPS_HEADER, _DEFINED):
        m = pattern.search(head)
        if m:
            name = re.sub(r"\s+", " ", m.group(1)).strip(" ,.")
            name = _BODY_OF.sub("", name)  # "The Board of Directors of Kinloch Resources"
            if 2 < len(name) <= 80:
                return name
    return None
