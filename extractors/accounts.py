"""Account records and matching: which target account an event is about, and why."""

from __future__ import annotations

from dataclasses import dataclass, field


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
