"""`--since` for every command that looks back (report, replay, feedback --list)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_PERIOD = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
UNITS: dict[str, tuple[str, timedelta]] = {
    "h": ("hours", timedelta(hours=1)),
    "d": ("days", timedelta(days=1)),
    "w": ("weeks", timedelta(weeks=1)),
}


class SinceError(ValueError):
    """A --since the user can fix; the CLI prints it as one line."""


def period(text: str) -> tuple[int, str] | None:
    """(amount, unit name) for "30d", "12h", "2w"; None for anything else."""
    match = _PERIOD.match(text)
    if not match:
        return None
    return int(match.group(1)), UNITS[match.group(2).lower()][0]


def parse_since(text: str, now: datetime) -> datetime:
    """`30d`, `12h`, `2w` back from `now`, or an ISO date / date-time (UTC unless it says
    otherwise); never in the future."""
    match = _PERIOD.match(text)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        if amount <= 0:
            raise SinceError(f"--since {text!r}: give a positive amount, e.g. 30d")
        try:
            return now - amount * UNITS[unit][1]
        except OverflowError:
            raise SinceError(f"--since {text!r} reaches back before year 1") from None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise SinceError(
            f"--since {text!r} is not a period or a date "
            "(use e.g. 30d, 12h, 2w, 2026-11-01 or 2026-11-01T08:00)"
        ) from None
    start = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if start >= now:
        raise SinceError(f"--since {text!r} is in the future")
    return start.astimezone(UTC)
