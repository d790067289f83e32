"""The Event record that extraction produces and every later stage consumes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

EVENT_TYPES: tuple[str, ...] = (
    "funding",
    "leadership_change",
    "expansion",
    "acquisition",
    "ipo",
    "layoff",
    "partnership",
    "product_launch",
)

STATUSES: tuple[str, ...] = ("announced", "completed", "planned", "rumoured")


@dataclass
class Event:
    """A trigger event found in one item.

    `company` is the event's actor (who raised, hired, opened, acquired); for acquisitions
    the target is in attributes["target"] and is matched to accounts with role "target".
    """

    type: str
    company: str | None
    attributes: dict[str, Any] = field(default_factory=dict)
    evidence: str = ""
    confidence: float = 0.5
    status: str = "announced"
    # The rule that fired, as "<type>/<cue lemma>" ("funding/raise", "acquisition/merger"):
    # the tuning report gives feedback rates per rule, so marketing sees which cues earn trust.
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
