"""Alert and digest emails: plain text plus HTML, feed text escaped, headers sanitised."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

TYPE_LABELS = {
    "funding": "Funding",
    "leadership_change": "Leadership",
    "expansion": "Expansion",
    "acquisition": "Acquisition",
    "ipo": "IPO",
    "layoff": "Layoff",
    "partnership": "Partnership",
    "product_launch": "Launch",
}
# Subjects are capped at 200 characters, so no header needs folding; the stdlib folder
# otherwise breaks right after "Subject:" and readers see a leading space.
_POLICY = SMTP.clone(max_line_length=998)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")


@dataclass(frozen=True)
class AlertView:
    """Everything one alert shows; built from stored rows, never from live objects."""

    alert_id: int
    account: str
    role: str
    reason: str
    type: str
    company: str | None
    attributes: dict[str, Any]
    evidence: str
    confidence: float
    status: str
    title: str
    url: str | None
    source: str
    published: datetime | None
    extra_sources: tuple[str, ...] = field(default=())
    new_facts: dict[str, Any] = field(default_factory=dict)  # set on updates only
    talk_track: str | None = None  # rendered from talk_tracks.toml, see monitor/talk_tracks.py
    # (label, signed URL) per vote, see monitor/feedback/links.py; empty: feedback is off.
    feedback_links: tuple[tuple[str, str], ...] = field(default=())

    @property
    def is_update(self) -> bool:
        return bool(self.new_facts)

    @property
    def new_fact_list(self) -> list[tuple[str, str]]:
        currency = self.attributes.get("currency")
        return fact_list({"currency": currency, **self.new_facts})

    @property
    def label(self) -> str:
        return TYPE_LABELS.get(self.type, self.type.replace("_", " ").title())

    @property
    def headline(self) -> str:
        return describe(self.type, self.company or self.account, self.attributes)

    @property
    def facts(self) -> list[tuple[str, str]]:
        return fact_list(self.attributes)


def clean_header(value: str, limit: int = 200) -> str:
    """No CR/LF or control characters can reach a header, whatever the feed sent."""
    text = _CONTROL.sub(" ", value)
    text = re.sub(r"\s+", " ", text).strip()
    # The email package decodes RFC 2047 words in values it is given: "=??Q?=0A=?=" from a
    # feed would come back as a raw newline and start a new header. Break every "=?".
    text = text.replace("=?", "= ?")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def money(amount: Any, currency: str | None) -> str:
    if not isinstance(amount, int | float) or isinstance(amount, bool):
        return str(amount)
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}.get(currency or "USD", "")
    suffix = "" if symbol else f" {currency}"
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= size:
            return f"{symbol}{amount / size:.3g}{unit}{suffix}"
    return f"{symbol}{amount:,.0f}{suffix}"


def _names(values: Any) -> str:
    if isinstance(values, list | tuple):
        return ", ".join(str(v) for v in values if v)
    return str(values) if values else ""


def fact_list(attrs: dict[str, Any]) -> list[tuple[str, str]]:
    """Facts as a rep reads them: money formatted, internal flags left out."""
    out: list[tuple[str, str]] = []
    for key, value in attrs.items():
        if key == "currency" or isinstance(value, bool) or value in (None, "", [], {}):
            continue
        if key == "amount":
            text = money(value, attrs.get("currency"))
        elif isinstance(value, list | tuple):
            text = _names(value)
        else:
            text = str(value)
        out.append((key.replace("_", " ").capitalize(), text))
    return out


def describe(event_type: str, company: str, a: dict[str, Any]) -> str:
    """One line a rep can read in a subject: '<company> raised $2.5M from A, B'."""
    if event_type == "funding":
        text = f"{company} raised"
        if a.get("amount") is not None:
            text += f" {money(a['amount'], a.get('currency'))}"
        if a.get("round"):
            text += f" ({a['round']})"
        if a.get("investors"):
            text += f" from {_names(a['investors'])}"
        return text if text != f"{company} raised" else f"{company} raised money"
    if event_type == "acquisition":
        target = a.get("target") or "a company"
        text = f"{company} acquires {target}"
        if a.get("amount") is not None:
            text += f" for {money(a['amount'], a.get('currency'))}"
        return text
    if event_type == "leadership_change":
        if not a.get("person") and not a.get("direction"):
            return f"{company} changes its officers or directors"  # an 8-K item 5.02
        person = a.get("person") or "an executive"
        title = f" as {a['title']}" if a.get("title") else ""
        verb = {"left": "loses", "promoted": "promotes"}.get(a.get("direction", ""), "appoints")
        return f"{company} {verb} {person}{title}"
    if event_type == "expansion":
        where = f" in {a['location']}" if a.get("location") else ""
        kind = a.get("kind") or "presence"
        return f"{company} expands ({kind}){where}"
    if event_type == "ipo":
        exchange = f" on {a['exchange']}" if a.get("exchange") else ""
        return f"{company} plans an IPO{exchange}"
    if event_type == "layoff":
        size = a.get("count") or (f"{a['percent']}%" if a.get("percent") else "")
        return f"{company} cuts jobs" + (f" ({size})" if size else "")
    if event_type == "partnership":
        partners = _names(a.get("partners"))
        return (
            f"{company} partners with {partners}"
            if partners
            else f"{company} announces a partnership"
        )
    if event_type == "product_launch":
        product = a.get("product")
        return f"{company} launches {product}" if product else f"{company} launches a product"
    return f"{company}: {event_type}"


_ENV = Environment(
    loader=PackageLoader("monitor.alerts", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def subject_for(alert: AlertView) -> str:
    return clean_header(f"[{alert.label}] {alert.headline}")


def build_message(
    *,
    kind: str,
    alerts: Sequence[AlertView],
    sender: str,
    recipient: str,
    recipient_name: str | None,
    message_id: str,
    when: datetime,
    reply_to: tuple[str, str] | None = None,
) -> EmailMessage:
    """The complete message; stored as text so a retry sends the very same bytes.

    `reply_to` is the (Message-ID, Subject) of the first email about the same event: an
    update is threaded under it.
    """
    if kind == "instant":
        subject = subject_for(alerts[0])
        if reply_to is not None:
            subject = clean_header("Re: " + reply_to[1].removeprefix("Re: "))
        template = "alert"
    else:
        accounts = sorted({a.account for a in alerts})
        subject = clean_header(
            f"Trigger digest: {len(alerts)} alert{'s' if len(alerts) != 1 else ''} for "
            + ", ".join(accounts[:4])
            + (f" and {len(accounts) - 4} more" if len(accounts) > 4 else "")
        )
        template = "digest"
    groups: dict[str, list[AlertView]] = {}
    for alert in sorted(alerts, key=lambda a: (a.account.casefold(), a.type)):
        groups.setdefault(alert.account, []).append(alert)
    context = {"alerts": alerts, "groups": groups, "name": recipient_name, "subject": subject}
    msg = EmailMessage(policy=_POLICY)
    msg["Subject"] = subject
    msg["From"] = clean_header(sender)
    msg["To"] = clean_header(recipient)
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id
    if reply_to is not None:
        msg["In-Reply-To"] = reply_to[0]
        msg["References"] = reply_to[0]
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(_ENV.get_template(f"{template}.txt").render(**context))
    msg.add_alternative(_ENV.get_template(f"{template}.html").render(**context), subtype="html")
    return msg
