"""When to poll a source next: a fixed interval, or one that follows the feed.

A source with `interval_minutes` in sources.toml is polled on that interval, as configured.
A source without one is adaptive: its next poll follows how often it publishes (the span
from the oldest of its newest items to now, divided by their number, so a feed that went
quiet slows down too) and never comes sooner than the server's own hint (RSS `<ttl>`,
HTTP `Cache-Control: max-age`); the result is kept within `[fetch] min_interval_minutes`
and `max_interval_minutes`. A 304 says nothing about the rate, so it keeps the last interval.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

RATE_ITEMS = 10  # the newest items that estimate the publishing rate
DEFAULT_START = timedelta(minutes=30)  # an adaptive source's interval before any estimate


@dataclass(frozen=True)
class Bounds:
    """[fetch] min_interval_minutes / max_interval_minutes as timedeltas."""

    low: timedelta
    high: timedelta

    def clamp(self, value: timedelta) -> timedelta:
        return min(max(value, self.low), self.high)


def publishing_gap(published: Iterable[datetime | None], now: datetime) -> timedelta | None:
    """Average time between items, judged by the newest RATE_ITEMS up to now; None if the
    feed gives fewer than two dates (nothing to judge by)."""
    dates = sorted((d for d in published if d is not None and d <= now), reverse=True)
    dates = dates[:RATE_ITEMS]
    if len(dates) < 2:
        return None
    return (now - dates[-1]) / len(dates)


def next_interval(
    *,
    fixed: timedelta | None,
    bounds: Bounds,
    now: datetime,
    published: Iterable[datetime | None] | None,
    hint: timedelta | None,
    previous: timedelta | None,
) -> timedelta:
    """The delay until the next poll after a successful one.

    `published`: the dates of the items the feed served (None for a 304); `hint`: the
    larger of the feed's ttl and the response's max-age; `previous`: the interval chosen
    last time, if any.
    """
    if fixed is not None:
        return fixed
    gap = publishing_gap(published, now) if published is not None else None
    chosen = gap or previous or DEFAULT_START
    if hint is not None:
        chosen = max(chosen, hint)
    return bounds.clamp(chosen)
