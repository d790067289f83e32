"""What the report shows, asked of the database as aggregates.

Every count is grouped in SQL (GROUP BY over the window's alerts, feedback and items), so
the rows that reach Python are bounded by the number of types, sources, rules, talk tracks,
top accounts and time buckets, never by the number of alerts. The only lists that grow
with the data are the distinct account and source names that had alerts, needed to say
which configured accounts and sources had none.

The window selects alerts by `alerts.created_at`; everything else is about those alerts:
their sources (every report attached to them), their event's rule, their talk track and the
votes reps gave them, whenever given. A rep's vote counts once per alert however often it
was recorded. Time buckets are UTC days (weeks or months for long windows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    case,
    distinct,
    func,
    select,
    union,
)
from sqlalchemy.orm import Session

from monitor import health, since
from monitor.config import Config
from monitor.store.db import Database
from monitor.store.models import (
    FEEDBACK_VOTES,
    Alert,
    AlertSource,
    Email,
    EventRow,
    Feedback,
    Item,
    Source,
)

UNRECORDED = "(unrecorded)"  # events.rule / alerts.talk_track not filled in
PRECISION_GOOD = ("useful", "already_knew")  # right company, real trigger
PRECISION_BAD = ("wrong_company", "not_a_trigger")
MIN_VOTES = 5  # fewer precision votes than this: the rate is shown as "n too small"
TOP_N = 10
FEEDBACK_ROWS = 25
UNMATCHED_SHOWN = 200
LATEST_ALERTS = 10
WRONG_ALERTS = 20


# ----------------------------------------------------------------------------- window


@dataclass(frozen=True)
class Window:
    """The report's period; `bucket` is the width of one bar in the charts."""

    start: datetime
    end: datetime
    label: str

    @property
    def bucket(self) -> str:
        days = (self.end - self.start) / timedelta(days=1)
        if days <= 62:
            return "day"
        return "week" if days <= 62 * 7 else "month"

    def bucket_of(self, day: date) -> date:
        if self.bucket == "week":
            return day - timedelta(days=day.weekday())
        if self.bucket == "month":
            return day.replace(day=1)
        return day

    def buckets(self) -> list[date]:
        """Every bucket from start to end, empty ones included, so gaps show as gaps."""
        out: list[date] = []
        day = self.start.date()
        while day <= self.end.date():
            bucket = self.bucket_of(day)
            if not out or out[-1] != bucket:
                out.append(bucket)
            day += timedelta(days=1)
        return out


def parse_since(text: str, now: datetime) -> Window:
    """`30d`, `12h`, `2w` back from now, or an ISO date/time (UTC unless it says otherwise)."""
    start = since.parse_since(text, now)
    named = since.period(text)
    if named:
        amount, name = named
        return Window(start, now, f"last {amount} {name.rstrip('s') if amount == 1 else name}")
    shown = f"{start:%Y-%m-%d}" if len(text.strip()) == 10 else f"{start:%Y-%m-%d %H:%M %Z}"
    return Window(start, now, f"since {shown}")


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Row:
    """One bar of a breakdown: a name, its total and its count in each time bucket."""

    name: str
    total: int
    series: tuple[int, ...]


@dataclass(frozen=True)
class Breakdown:
    """Top rows by alerts, and what the rest add up to (`other_names` names, `other_total`)."""

    rows: tuple[Row, ...]
    other_names: int = 0
    other_total: int = 0


@dataclass(frozen=True)
class VoteRow:
    """Feedback on the alerts of one source, rule, talk track or type."""

    name: str
    alerts: int
    voted_alerts: int
    votes: dict[str, int]

    @property
    def precision_votes(self) -> int:
        return sum(self.votes.get(v, 0) for v in (*PRECISION_GOOD, *PRECISION_BAD))

    @property
    def precision(self) -> float | None:
        """(useful + already_knew) / all four verdict votes; None with no verdict votes."""
        n = self.precision_votes
        return sum(self.votes.get(v, 0) for v in PRECISION_GOOD) / n if n else None

    @property
    def precision_reliable(self) -> bool:
        return self.precision_votes >= MIN_VOTES

    @property
    def response_rate(self) -> float | None:
        return self.voted_alerts / self.alerts if self.alerts else None

    @property
    def helped_rate(self) -> float | None:
        """Share of the alerts showing this talk track that a rep said helped."""
        return self.votes.get("talk_track_helped", 0) / self.alerts if self.alerts else None


@dataclass(frozen=True)
class VoteTable:
    rows: tuple[VoteRow, ...]
    hidden: int = 0  # rows left out (fewest votes first)


@dataclass(frozen=True)
class SourceStatus:
    """A source that brought no alert in the window, with how it fared."""

    name: str
    in_config: bool
    enabled: bool
    url: str | None
    items_in_window: int
    last_success_at: datetime | None
    last_error_kind: str | None
    last_error: str | None
    error_streak: int
    flags: tuple[str, ...]


@dataclass(frozen=True)
class AlertLine:
    id: int
    created_at: datetime
    type: str
    account: str
    recipient: str
    title: str
    url: str | None
    source: str
    rule: str
    talk_track: str
    votes: tuple[str, ...] = ()
    vote: str | None = None  # for the "voted wrong" list: this vote
    voter: str | None = None


@dataclass(frozen=True)
class Totals:
    alerts: int = 0
    updates: int = 0
    accounts_alerted: int = 0
    accounts_configured: int = 0
    sources_alerting: int = 0
    sources_known: int = 0
    items: int = 0
    events: int = 0
    emails: dict[str, int] = field(default_factory=dict)
    votes: int = 0
    voted_alerts: int = 0
    alerts_ever: int = 0


@dataclass(frozen=True)
class ReportData:
    generated_at: datetime
    window: Window
    buckets: tuple[date, ...]
    totals: Totals
    overall: VoteRow
    by_type: Breakdown
    by_source: Breakdown
    by_account: Breakdown
    feedback_by_source: VoteTable
    feedback_by_rule: VoteTable
    feedback_by_track: VoteTable
    feedback_by_type: VoteTable
    silent_sources: tuple[SourceStatus, ...]
    unmatched_accounts: int
    unmatched_shown: tuple[tuple[str, str], ...]  # (name, owner) in accounts.csv order
    latest: tuple[AlertLine, ...]
    voted_wrong: tuple[AlertLine, ...]
    top_n: int = TOP_N

    @property
    def has_data(self) -> bool:
        return self.totals.alerts_ever > 0 or self.totals.items > 0


# ----------------------------------------------------------------------------- queries


def _between(column: Any, window: Window) -> ColumnElement[bool]:
    return and_(column >= window.start, column <= window.end)


def _day(value: date | datetime | str) -> date:
    """date() comes back as a date from PostgreSQL and as text from SQLite."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _dimensions(window: Window) -> dict[str, Subquery]:
    """(alert_id, key, created_at) per alert of the window, one row per key it counts under."""
    in_window = _between(Alert.created_at, window)
    simple = select(Alert.id.label("alert_id"), Alert.created_at.label("created_at"))
    # The event's own item is a report too: alerts written before alert_sources existed,
    # or by hand, still have a source.
    reports = union(
        select(AlertSource.alert_id, AlertSource.source.label("key"), Alert.created_at)
        .join(Alert, Alert.id == AlertSource.alert_id)
        .where(in_window),
        select(Alert.id, Source.name, Alert.created_at)
        .join(EventRow, EventRow.id == Alert.event_id)
        .join(Item, Item.id == EventRow.item_id)
        .join(Source, Source.id == Item.source_id)
        .where(in_window),
    ).subquery("by_source")
    return {
        "type": simple.add_columns(Alert.type.label("key")).where(in_window).subquery("by_type"),
        "account": simple.add_columns(Alert.account.label("key"))
        .where(in_window)
        .subquery("by_account"),
        "rule": simple.add_columns(EventRow.rule.label("key"))
        .join(EventRow, EventRow.id == Alert.event_id)
        .where(in_window)
        .subquery("by_rule"),
        "track": simple.add_columns(Alert.talk_track.label("key"))
        .where(in_window)
        .subquery("by_track"),
        "source": reports,
    }


def _breakdown(
    s: Session, dim: Subquery, window: Window, buckets: list[date], top: int | None
) -> tuple[Breakdown, set[str]]:
    """The top rows with their time series, and every name that had an alert.

    One GROUP BY gives each name's count (rows: the names with alerts, which the caller
    needs anyway); a second gives the top names' counts per day.
    """
    counts = [
        (str(key), int(n))
        for key, n in s.execute(select(dim.c.key, func.count()).group_by(dim.c.key)).tuples()
        if key is not None
    ]
    counts.sort(key=lambda kn: (-kn[1], kn[0]))
    leaders = counts if top is None else counts[:top]
    keys = [key for key, _ in leaders]
    index = {b: i for i, b in enumerate(buckets)}
    series: dict[str, list[int]] = {key: [0] * len(buckets) for key in keys}
    if keys:
        day = func.date(dim.c.created_at)
        per_day = (
            select(dim.c.key, day, func.count()).where(dim.c.key.in_(keys)).group_by(dim.c.key, day)
        )
        for key, value, n in s.execute(per_day).tuples():
            slot = index.get(window.bucket_of(_day(value)))
            if slot is not None:
                series[str(key)][slot] += int(n)
    rest = counts[len(leaders) :]
    rows = tuple(Row(key, n, tuple(series[key])) for key, n in leaders)
    return Breakdown(rows, len(rest), sum(n for _, n in rest)), {key for key, _ in counts}


def _votes() -> Subquery:
    """Each rep's vote on an alert once, however many times it was recorded."""
    return select(Feedback.alert_id, Feedback.recipient, Feedback.vote).distinct().subquery("votes")


def _votes_per_alert() -> Subquery:
    """One row per voted alert with its count of each vote, so tables join alert to alert."""
    votes = _votes()
    per_vote = [
        func.sum(case((votes.c.vote == name, 1), else_=0)).label(name) for name in FEEDBACK_VOTES
    ]
    return select(votes.c.alert_id, *per_vote).group_by(votes.c.alert_id).subquery("alert_votes")


def _vote_table(s: Session, dim: Subquery, limit: int | None = FEEDBACK_ROWS) -> VoteTable:
    per_alert = _votes_per_alert()
    query = (
        select(
            dim.c.key,
            func.count(),
            func.count(per_alert.c.alert_id),
            *(func.coalesce(func.sum(per_alert.c[name]), 0) for name in FEEDBACK_VOTES),
        )
        .outerjoin_from(dim, per_alert, per_alert.c.alert_id == dim.c.alert_id)
        .group_by(dim.c.key)
    )
    rows = []
    for key, alerts, voted, *counts in s.execute(query).tuples():
        votes = {name: int(n) for name, n in zip(FEEDBACK_VOTES, counts, strict=True) if n}
        rows.append(
            VoteRow(UNRECORDED if key is None else str(key), int(alerts), int(voted), votes)
        )
    rows.sort(key=lambda r: (-sum(r.votes.values()), -r.alerts, r.name))
    if limit is None or len(rows) <= limit:
        return VoteTable(tuple(rows))
    return VoteTable(tuple(rows[:limit]), len(rows) - limit)


def _overall(table: VoteTable) -> VoteRow:
    votes: dict[str, int] = {}
    for row in table.rows:
        for vote, n in row.votes.items():
            votes[vote] = votes.get(vote, 0) + n
    return VoteRow(
        "all alerts",
        sum(r.alerts for r in table.rows),
        sum(r.voted_alerts for r in table.rows),
        votes,
    )


def _alert_lines(s: Session, query: Select[Any]) -> list[AlertLine]:
    out = []
    for row in s.execute(query):
        m = row._mapping
        out.append(
            AlertLine(
                id=m["id"],
                created_at=m["created_at"],
                type=m["type"],
                account=m["account"],
                recipient=m["recipient"],
                title=m["title"],
                url=m["url"],
                source=m["source"],
                rule=m["rule"] or UNRECORDED,
                talk_track=m["talk_track"] or UNRECORDED,
                vote=m.get("vote"),
                voter=m.get("voter"),
            )
        )
    return out


def _alert_select(*extra: Any) -> Select[Any]:
    return (
        select(
            Alert.id,
            Alert.created_at,
            Alert.type,
            Alert.account,
            Alert.recipient,
            Alert.talk_track,
            Item.title,
            Item.url,
            Source.name.label("source"),
            EventRow.rule,
            *extra,
        )
        .join(EventRow, EventRow.id == Alert.event_id)
        .join(Item, Item.id == EventRow.item_id)
        .join(Source, Source.id == Item.source_id)
    )


def _latest(s: Session, window: Window) -> list[AlertLine]:
    lines = _alert_lines(
        s,
        _alert_select()
        .where(_between(Alert.created_at, window))
        .order_by(Alert.created_at.desc(), Alert.id.desc())
        .limit(LATEST_ALERTS),
    )
    ids = [line.id for line in lines]
    votes: dict[int, list[str]] = {}
    if ids:
        v = _votes()
        for alert_id, vote in s.execute(
            select(v.c.alert_id, v.c.vote).where(v.c.alert_id.in_(ids)).order_by(v.c.vote)
        ).tuples():
            votes.setdefault(alert_id, []).append(vote)
    return [
        AlertLine(**{**line.__dict__, "votes": tuple(votes.get(line.id, ()))}) for line in lines
    ]


def _voted_wrong(s: Session, window: Window) -> list[AlertLine]:
    return _alert_lines(
        s,
        _alert_select(Feedback.vote.label("vote"), Feedback.recipient.label("voter"))
        .join(Feedback, Feedback.alert_id == Alert.id)
        .where(_between(Alert.created_at, window), Feedback.vote.in_(PRECISION_BAD))
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        .limit(WRONG_ALERTS),
    )


def _silent_sources(
    s: Session,
    config: Config,
    window: Window,
    alerting: set[str],
    healths: list[health.SourceHealth],
) -> list[SourceStatus]:
    items = dict(
        s.execute(
            select(Item.source_id, func.count())
            .where(_between(Item.fetched_at, window))
            .group_by(Item.source_id)
        )
        .tuples()
        .all()
    )
    rows = {r.name: r for r in s.scalars(select(Source))}
    out: list[SourceStatus] = []
    for h in healths:
        if h.name in alerting:
            continue
        row = rows.get(h.name)
        out.append(
            SourceStatus(
                name=h.name,
                in_config=True,
                enabled=h.enabled and not h.disabled_reason,
                url=h.url or next((c.url for c in config.sources if c.name == h.name), None),
                items_in_window=int(items.get(row.id, 0)) if row else 0,
                last_success_at=h.last_success_at,
                last_error_kind=h.last_error_kind,
                last_error=h.last_error,
                error_streak=h.error_streak,
                flags=tuple(h.flags) if h.enabled else ("disabled in sources.toml",),
            )
        )
    configured = {c.name for c in config.sources}
    for name, row in sorted(rows.items()):
        if name in configured or name in alerting:
            continue
        out.append(
            SourceStatus(
                name=name,
                in_config=False,
                enabled=False,
                url=row.url,
                items_in_window=int(items.get(row.id, 0)),
                last_success_at=row.last_success_at,
                last_error_kind=row.last_error_kind if row.error_streak else None,
                last_error=row.last_error if row.error_streak else None,
                error_streak=row.error_streak,
                flags=("no longer in sources.toml",),
            )
        )
    return out


def _totals(
    s: Session, config: Config, window: Window, alerting_sources: set[str], known_sources: int
) -> Totals:
    in_window = _between(Alert.created_at, window)
    alerts, updates, accounts = s.execute(
        select(
            func.count(),
            func.count(Alert.parent_id),
            func.count(distinct(Alert.account)),
        ).where(in_window)
    ).one()
    emails = dict(
        s.execute(
            select(Email.status, func.count())
            .where(_between(Email.created_at, window), Email.kind != "health")
            .group_by(Email.status)
        )
        .tuples()
        .all()
    )
    v = _votes()
    votes, voted = s.execute(
        select(func.count(), func.count(distinct(v.c.alert_id)))
        .join(Alert, Alert.id == v.c.alert_id)
        .where(in_window)
    ).one()
    return Totals(
        alerts=int(alerts),
        updates=int(updates),
        accounts_alerted=int(accounts),
        accounts_configured=len(config.accounts),
        sources_alerting=len(alerting_sources),
        sources_known=known_sources,
        items=int(s.scalar(select(func.count()).where(_between(Item.fetched_at, window))) or 0),
        events=int(
            s.scalar(select(func.count()).where(_between(EventRow.created_at, window))) or 0
        ),
        emails={str(k): int(n) for k, n in emails.items()},
        votes=int(votes),
        voted_alerts=int(voted),
        alerts_ever=int(s.scalar(select(func.count(Alert.id))) or 0),
    )


def _unmatched(config: Config, alerted: Iterable[str]) -> tuple[int, list[tuple[str, str]]]:
    seen = set(alerted)
    missing = [a for a in config.accounts if a.name not in seen]
    shown = [(a.name, a.owner or "") for a in missing[:UNMATCHED_SHOWN]]
    return len(missing), shown


def build_report(db: Database, config: Config, window: Window, *, top: int = TOP_N) -> ReportData:
    """Everything the page shows, read in one session (read-only)."""
    buckets = window.buckets()
    dims = _dimensions(window)
    # Its own session: on SQLite a second open transaction would wait for ours.
    healths = health.report(db, config, window.end)
    with db.reading() as s:  # read-only: never holds the write lock the daemon needs
        by_type, _ = _breakdown(s, dims["type"], window, buckets, None)
        by_source, alerting_sources = _breakdown(s, dims["source"], window, buckets, top)
        by_account, alerted_accounts = _breakdown(s, dims["account"], window, buckets, top)
        silent = _silent_sources(s, config, window, alerting_sources, healths)
        known = len({c.name for c in config.sources} | set(s.scalars(select(Source.name))))
        totals = _totals(s, config, window, alerting_sources, known)
        feedback_by_type = _vote_table(s, dims["type"], None)
        unmatched, unmatched_shown = _unmatched(config, alerted_accounts)
        return ReportData(
            generated_at=window.end,
            window=window,
            buckets=tuple(buckets),
            totals=totals,
            overall=_overall(feedback_by_type),
            by_type=by_type,
            by_source=by_source,
            by_account=by_account,
            feedback_by_source=_vote_table(s, dims["source"]),
            feedback_by_rule=_vote_table(s, dims["rule"]),
            feedback_by_track=_vote_table(s, dims["track"]),
            feedback_by_type=feedback_by_type,
            silent_sources=tuple(silent),
            unmatched_accounts=unmatched,
            unmatched_shown=tuple(unmatched_shown),
            latest=tuple(_latest(s, window)),
            voted_wrong=tuple(_voted_wrong(s, window)),
            top_n=top,
        )


__all__ = [
    "FEEDBACK_VOTES",
    "MIN_VOTES",
    "UNRECORDED",
    "AlertLine",
    "Breakdown",
    "ReportData",
    "Row",
    "SourceStatus",
    "Totals",
    "VoteRow",
    "VoteTable",
    "Window",
    "build_report",
    "parse_since",
]
