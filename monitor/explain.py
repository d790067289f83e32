"""`trigger-monitor explain`: why an item did (or did not) produce an alert, step by step.

For marketing tuning triggers and account lists: one item (a URL, a stored item or a text)
goes through the same steps as in the daemon — clean text, spaCy entities and trigger cues,
events, account match, freshness, the rep's wishes, one-alert-per-event — and each step says
what it found. Nothing is written: no item, event, alert or email is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TextIO

from extractors import components, filings
from extractors.accounts import AccountMatch, AccountMatcher
from extractors.events import Event
from extractors.nlp import HEADLINE_CHARS, MAX_CHARS, Extractor
from monitor.alerts.dedupe import added_facts, key_facts, root_alerts, same_event
from monitor.alerts.routing import is_fresh, routes_for
from monitor.config import Config
from monitor.talk_tracks import talk_track_for

MAX_FEED_ENTRIES = 20
TEXT_PREVIEW_CHARS = 600
MAX_SHOWN = 25  # entities listed per part
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffd]")
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


class ExplainError(Exception):
    """The item cannot be loaded (bad URL, unknown item id); printed as one line."""


@dataclass(frozen=True)
class Subject:
    """One item to explain, whatever it came from."""

    label: str
    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    fetched: datetime | None = None
    stored_id: int | None = None
    duplicate_of: int | None = None


def safe(value: Any) -> str:
    """Feed text made printable: control characters shown as escapes, never emitted."""
    text = "" if value is None else str(value)
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def one_line(value: Any, limit: int = 300) -> str:
    text = " ".join(safe(value).replace("\n", " ").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


# --------------------------------------------------------------------------- loading


def from_text(text: str) -> list[Subject]:
    return [Subject(label="--text", title=text, text="")]


def from_item(config: Config, item_id: int) -> list[Subject]:
    from monitor.store.db import Database
    from monitor.store.models import Item, Source

    db = Database(config.database_url)
    try:
        db.migrate()  # a fresh database answers "not found" instead of a missing table
        with db.session() as s:
            item = s.get(Item, item_id)
            if item is None:
                raise ExplainError(f"item {item_id} is not in the database {db.describe()}")
            source = s.get(Source, item.source_id)
            return [
                Subject(
                    label=f"stored item {item.id} from source {source.name if source else '?'}",
                    title=item.title,
                    text=item.text,
                    url=item.url,
                    published=item.published_at,
                    fetched=item.fetched_at,
                    stored_id=item.id,
                    duplicate_of=item.duplicate_of,
                )
            ]
    finally:
        db.dispose()


def from_url(config: Config, url: str, now: datetime) -> tuple[list[Subject], str]:
    """Fetch with the daemon's own safe fetcher; a feed gives its entries, a page its text."""
    from sources.feeds import parse_feed
    from sources.fetch import Fetcher
    from sources.records import FetchError
    from sources.text import clean_text

    try:
        with Fetcher(config.fetch) as fetcher:
            result = fetcher.fetch(url)
    except FetchError as exc:
        raise ExplainError(f"cannot fetch {url}: {exc.kind}: {exc}") from exc
    body = result.body or b""
    parsed = parse_feed(
        body, source="explain", base_url=result.url, content_type=result.content_type
    )
    if parsed.is_feed:
        entries = parsed.items[:MAX_FEED_ENTRIES]
        note = (
            f"{result.url} is a feed ({one_line(parsed.title or 'untitled')}) with "
            f"{len(parsed.items)} entries"
            + (f"; explaining the first {MAX_FEED_ENTRIES}" if len(parsed.items) > 20 else "")
        )
        subjects = [
            Subject(
                label=f"feed entry {n}",
                title=it.title,
                text=it.text,
                url=it.url,
                published=it.published,
                fetched=now,
            )
            for n, it in enumerate(entries, 1)
        ]
        return subjects, note
    page = body.decode(_charset(result.content_type), errors="replace")
    match = _TITLE.search(body)
    title = clean_text(match.group(1).decode("utf-8", errors="replace")) if match else ""
    text = clean_text(page)
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    note = f"{result.url} is not a feed ({result.content_type or 'no content type'}): a page"
    return [Subject(label="web page", title=title, text=text, url=result.url, fetched=now)], note


def _charset(content_type: str | None) -> str:
    match = re.search(r"charset=([\w.-]+)", content_type or "", re.IGNORECASE)
    name = match.group(1) if match else "utf-8"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


# --------------------------------------------------------------------------- explaining


class Explainer:
    def __init__(self, config: Config, extractor: Extractor, out: TextIO, now: datetime) -> None:
        self.config = config
        self.extractor = extractor
        self.matcher = AccountMatcher(config.accounts)
        self.out = out
        self.now = now

    def say(self, text: str = "", indent: int = 0) -> None:
        self.out.write(" " * indent + text + "\n")

    def explain(self, subjects: Iterable[Subject]) -> int:
        """Explain every subject; return how many alerts would go out."""
        total = 0
        for n, subject in enumerate(subjects):
            if n:
                self.say("")
                self.say("=" * 72)
            total += self.explain_one(subject)
        return total

    def explain_one(self, subject: Subject) -> int:
        say = self.say
        say(f"Item: {subject.label}")
        say(f"Title: {one_line(subject.title) or '(none)'}", 2)
        if subject.url:
            say(f"URL: {one_line(subject.url)}", 2)
        when = subject.published or subject.fetched
        if subject.published:
            say(f"Published: {subject.published:%Y-%m-%d %H:%M} UTC", 2)
        elif subject.fetched:
            say(f"Published: unknown (fetched {subject.fetched:%Y-%m-%d %H:%M} UTC)", 2)

        say("")
        say("1. Clean text")
        body = safe(subject.text).strip()
        if not body:
            say("(no text beyond the title)", 3)
        else:
            shown = body[:TEXT_PREVIEW_CHARS]
            for line in shown.splitlines():
                say(line, 3)
            if len(body) > TEXT_PREVIEW_CHARS:
                say(f"… ({len(body)} characters in all)", 3)

        say("")
        say("2. What spaCy sees")
        self._entities(subject)

        say("")
        say("3. Events")
        events = self.extractor.extract([subject])[0]
        if not events:
            say(self._no_event_reason(subject), 3)
            return 0
        fresh = (
            True
            if when is None
            else is_fresh(subject.published, when, self.now, self.config.alerts.max_age_days)
        )
        alerts = 0
        for number, event in enumerate(events, 1):
            say("")
            alerts += self._event(number, event, subject, fresh)
        return alerts

    def _entities(self, subject: Subject) -> None:
        say = self.say
        if not self.extractor.model_loaded:
            say(
                f"no spaCy model ({self.config.nlp_model}) is installed: rules only, "
                "no entities; company names come from capitalisation",
                3,
            )
        for part, raw in (("title", subject.title), ("text", subject.text)):
            text = " ".join((raw or "").split())[:MAX_CHARS]
            if not text:
                continue
            headline = (part == "title" or len(text) <= HEADLINE_CHARS) and (
                components.is_title_case(text)
            )
            parsed = components.recase_title(text, self.extractor.lowerable) if headline else text
            if parsed != text:
                say(f"{part} is a Title Case headline, parsed as: {one_line(parsed)}", 3)
            doc = self.extractor.parse(parsed)
            ents = [f"{one_line(e.text, 60)} [{e.label_}]" for e in doc.ents][:MAX_SHOWN]
            if len(doc.ents) > MAX_SHOWN:
                ents.append(f"… {len(doc.ents) - MAX_SHOWN} more")
            cues = [
                f"{one_line(s.text, 40)} -> {s.label_}" for s in doc.spans.get("trigger_cues", [])
            ]
            negative = [one_line(s.text, 40) for s in doc.spans.get("negative_cues", [])]
            if self.extractor.model_loaded:
                say(f"{part} entities: {', '.join(ents) if ents else 'none'}", 3)
            say(f"{part} trigger cues: {', '.join(cues) if cues else 'none'}", 3)
            if negative:
                vetoed = "the whole item" if part == "title" else "the sentence"
                say(f"{part} negative cues (veto {vetoed}): {', '.join(negative)}", 3)

    def _no_event_reason(self, subject: Subject) -> str:
        if filings.is_filing(subject.title or ""):
            return (
                "no event: an SEC filing whose form and item numbers are no trigger "
                f"(8-K items {', '.join(sorted(filings.ITEM_EVENTS))} and forms "
                f"{', '.join(sorted(filings.REGISTRATION_FORMS))} are; amendments repeat one)"
            )
        text = f"{subject.title or ''} \n {subject.text or ''}"
        if not self.extractor.needs_parse(text):
            return (
                "no event: no cue word of an enabled type in triggers.toml occurs in the text "
                "(the cheap first pass skipped it)"
            )
        return (
            "no event: cue words occur, but no sentence passed the rules (a negative cue, a "
            "missing `requires` word, an `exclude` word, no actor found, or a confidence "
            f"below min_confidence {self.extractor.rules.min_confidence})"
        )

    def _event(self, number: int, event: Event, subject: Subject, fresh: bool) -> int:
        say = self.say
        say(f"Event {number}: {event.type}", 3)
        say(f"company:    {one_line(event.company) if event.company else '(none found)'}", 5)
        attrs = {k: v for k, v in event.attributes.items() if k != "from_title"}
        shown = ", ".join(f"{k}={one_line(_plain(v), 80)}" for k, v in attrs.items()) or "none"
        say(f"attributes: {shown}", 5)
        say(f"status:     {event.status}", 5)
        say(f"confidence: {event.confidence:.2f}", 5)
        say(f'evidence:   "{one_line(event.evidence)}"', 5)

        matches = self.matcher.match(event, subject.url)
        if not matches:
            say(f"account:    none. {self._no_match_reason(event, subject)}", 5)
            say("alert:      NO (no account matched)", 5)
            return 0
        for match in matches:
            say(f"account:    {match.account.name} ({match.role}): {one_line(match.reason)}", 5)
        if subject.duplicate_of is not None:
            say(
                f"alert:      NO (the item is a syndicated copy of item {subject.duplicate_of}; "
                "it only adds its source to that item's alerts)",
                5,
            )
            return 0
        if not fresh:
            days = self.config.alerts.max_age_days
            say(f"alert:      NO (the item is older than max_age_days = {days})", 5)
            return 0
        return self._routes(event, matches, subject)

    def _no_match_reason(self, event: Event, subject: Subject) -> str:
        parts = []
        if event.company:
            parts.append(f"{event.company!r} is no account name or alias")
        else:
            parts.append("the event names no company")
        if event.type == "acquisition" and event.attributes.get("target"):
            parts.append(f"the target {event.attributes['target']!r} is no account either")
        if subject.url:
            parts.append("the item's domain belongs to no account")
        return "; ".join(parts) + "."

    def _routes(self, event: Event, matches: list[AccountMatch], subject: Subject) -> int:
        say = self.say
        routes = routes_for(matches, self.config, event.type, event.confidence)
        routed = {(r.account, r.recipient) for r in routes}
        for match in matches:
            recipient = match.account.owner or self.config.mail.default_recipient
            if recipient is None:
                say(
                    f"alert:      NO for {match.account.name}: the account has no owner and "
                    "[mail] default_recipient is not set",
                    5,
                )
            elif (match.account.name, recipient) not in routed:
                rep = self.config.reps.get(recipient)
                why = "does not want it"
                if rep is not None and rep.event_types is not None:
                    if event.type not in rep.event_types:
                        why = f"takes only {', '.join(sorted(rep.event_types))}"
                    else:
                        why = f"wants confidence >= {rep.min_confidence:.2f}"
                elif rep is not None:
                    why = f"wants confidence >= {rep.min_confidence:.2f}"
                say(f"alert:      NO for {match.account.name}: {recipient} {why}", 5)
        sent = 0
        for route in routes:
            earlier = self._existing_alert(event, route, subject)
            if earlier is not None:
                say(
                    f"alert:      NO new email for {route.account} to {route.recipient}: {earlier}",
                    5,
                )
                continue
            say(
                f"alert:      YES -> {route.recipient} ({route.delivery}) "
                f"for account {route.account}",
                5,
            )
            track = talk_track_for(
                self.config, route.account, event.type, event.company, event.attributes
            )
            if track:
                say(f"talk track: {one_line(track, 400)}", 5)
            sent += 1
        return sent

    def _existing_alert(self, event: Event, route: Any, subject: Subject) -> str | None:
        """For a stored item: the alert already sent or queued for the same event, if any."""
        if subject.stored_id is None:
            return None

        from monitor.store.db import Database
        from monitor.store.models import Email, EventRow

        key = key_facts(event.type, route.role, event.company, event.attributes)
        window = self.now - timedelta(days=self.config.alerts.dedupe_window_days)
        db = Database(self.config.database_url)
        try:
            with db.session() as s:
                roots = root_alerts(s, route.account, route.recipient, event.type)
                for root in roots:
                    if not same_event(root.dedupe_key or {}, key):
                        continue
                    row = s.get(EventRow, root.event_id)
                    email = s.get(Email, root.email_id) if root.email_id else None
                    state = (
                        f"email {email.status}"
                        if email
                        else "waiting for its email (digest or quiet hours)"
                    )
                    origin = (
                        "from this item"
                        if row is not None and row.item_id == subject.stored_id
                        else f"from item {row.item_id if row else '?'}"
                    )
                    when = f"{root.created_at:%Y-%m-%d %H:%M} UTC"
                    if root.created_at < window and origin != "from this item":
                        continue  # outside the dedupe window: a new alert would be made
                    extra = added_facts(root.facts or {}, event.attributes)
                    adds = (
                        f"; this report adds {', '.join(sorted(extra))}, an update would "
                        "follow if it were new"
                        if extra and row is not None and row.item_id != subject.stored_id
                        else ""
                    )
                    return (
                        f"the same event already has alert #{root.id} {origin} "
                        f"({when}, {state}){adds}"
                    )
        finally:
            db.dispose()
        return None


def run_explain(
    config: Config,
    out: TextIO,
    *,
    url: str | None = None,
    item_id: int | None = None,
    text: str | None = None,
    now: datetime,
) -> int:
    """Load the subject(s), explain them, and return how many alerts would go out."""
    from extractors.nlp import load_pipeline

    note = None
    if text is not None:
        subjects = from_text(text)
    elif item_id is not None:
        subjects = from_item(config, item_id)
    elif url is not None:
        subjects, note = from_url(config, url, now)
    else:
        raise ExplainError("give a URL, --item ID or --text TEXT")
    assert config.triggers is not None
    extractor = load_pipeline(config.nlp_model, config.triggers)
    if note:
        out.write(note + "\n\n")
    if not subjects:
        out.write("nothing to explain: the feed has no entries\n")
        return 0
    count = Explainer(config, extractor, out, now).explain(subjects)
    out.write("\n" + "-" * 72 + "\n")
    out.write(f"Summary: {count} alert(s) would go out for {len(subjects)} item(s).\n")
    return count
