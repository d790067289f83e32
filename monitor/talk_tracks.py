"""Talk tracks: a short "why it matters / what to say" per event type, tuned by marketing.

talk_tracks.toml (optional, in the configuration folder) holds `[[track]]` tables:

    [[track]]
    type = "funding"
    when = { tier = "enterprise" }        # optional: columns of accounts.csv (Account.extra)
    text = "{company} just raised {amount}; budgets open up after a {round}."

The most specific track wins: the one whose `when` names the most columns, all matching the
account (case-insensitive); ties go to the track written first. Placeholders are the event's
facts; a missing fact renders as a neutral phrase ("an undisclosed amount"), never as "None".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.events import EVENT_TYPES

if TYPE_CHECKING:
    from extractors.accounts import Account
    from monitor.config import Problem

FILE_NAME = "talk_tracks.toml"
# Placeholder -> what it says when the event does not give the fact.
PLACEHOLDERS: dict[str, str] = {
    "company": "the company",
    "account": "the account",
    "amount": "an undisclosed amount",
    "round": "a new round",
    "person": "a new executive",
    "title": "a leadership role",
    "location": "a new location",
}
_FIELD = re.compile(r"\{([^{}]*)\}")
_TRACK_KEYS = ("type", "when", "text")
MAX_TEXT_CHARS = 1000


@dataclass(frozen=True)
class TalkTrack:
    type: str
    text: str
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()  # column -> accepted values (casefolded)
    line: int = 0

    @property
    def label(self) -> str:
        """Names the track in the store and the report: 'funding/tier=enterprise,strategic'."""
        if not self.when:
            return self.type
        scope = ";".join(f"{col}={','.join(values)}" for col, values in self.when)
        return f"{self.type}/{scope}"[:200]

    def applies(self, event_type: str, extra: Mapping[str, str]) -> bool:
        if event_type != self.type:
            return False
        return all(extra.get(col, "").strip().casefold() in values for col, values in self.when)


@dataclass(frozen=True)
class TalkTracks:
    tracks: tuple[TalkTrack, ...] = field(default=())

    def pick(self, event_type: str, extra: Mapping[str, str]) -> TalkTrack | None:
        """The most specific applicable track (most `when` columns); first written on a tie."""
        best: TalkTrack | None = None
        for track in self.tracks:
            if track.applies(event_type, extra) and (
                best is None or len(track.when) > len(best.when)
            ):
                best = track
        return best

    def render(
        self,
        event_type: str,
        *,
        account: str,
        extra: Mapping[str, str],
        company: str | None,
        attributes: Mapping[str, Any],
    ) -> str | None:
        track = self.pick(event_type, extra)
        if track is None:
            return None
        return fill(track.text, facts(account, company, attributes))


def facts(account: str, company: str | None, attributes: Mapping[str, Any]) -> dict[str, str]:
    """Placeholder values for one event; missing facts get their neutral phrase."""
    from monitor.alerts.render import money

    values: dict[str, str] = {}
    amount = attributes.get("amount")
    if isinstance(amount, int | float) and not isinstance(amount, bool):
        values["amount"] = money(amount, attributes.get("currency"))
    elif isinstance(amount, str) and amount.strip():
        values["amount"] = amount.strip()
    for key in ("round", "person", "title", "location"):
        value = attributes.get(key)
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value if v)
        if value not in (None, "") and str(value).strip():
            values[key] = str(value).strip()
    if account:
        values["account"] = account
    values["company"] = (company or "").strip() or account or PLACEHOLDERS["company"]
    return {key: values.get(key, default) for key, default in PLACEHOLDERS.items()}


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace {name} placeholders; validation already refused unknown names."""
    return _FIELD.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


def account_extra(accounts: Iterable[Account], name: str) -> dict[str, str]:
    for account in accounts:
        if account.name == name:
            return dict(account.extra)
    return {}


def talk_track_for(
    config: Any, account: str, event_type: str, company: str | None, attributes: Mapping[str, Any]
) -> str | None:
    """The rendered talk track for an alert, or None (no config, no file, no track)."""
    tracks: TalkTracks | None = getattr(config, "talk_tracks", None)
    if not tracks or not tracks.tracks:
        return None
    extra = account_extra(config.accounts, account)
    return tracks.render(
        event_type, account=account, extra=extra, company=company, attributes=attributes
    )


def talk_track_label(config: Any, account: str, event_type: str) -> str | None:
    """The label of the track `talk_track_for` renders for this alert, or None."""
    tracks: TalkTracks | None = getattr(config, "talk_tracks", None)
    if not tracks or not tracks.tracks:
        return None
    track = tracks.pick(event_type, account_extra(config.accounts, account))
    return track.label if track else None


# --------------------------------------------------------------------------- reading


def load_talk_tracks(
    directory: Path, account_columns: set[str] | None, problems: list[Problem]
) -> TalkTracks:
    """Read talk_tracks.toml if it exists; every mistake becomes a Problem with its line.

    `account_columns`: the extra columns accounts.csv has (None: do not check `when` keys).
    """
    from monitor.config import Problem, _Toml

    path = directory / FILE_NAME
    if not path.exists():
        return TalkTracks()
    doc = _Toml(path, problems)
    if not doc.ok:
        return TalkTracks()
    for key in doc.data:
        if key != "track":
            problems.append(
                Problem(doc.name, doc.line_of(key) or doc.line_of("", key), _unknown_top(key))
            )
    raw = doc.data.get("track", [])
    if not isinstance(raw, list):
        problems.append(Problem(doc.name, doc.line_of("", "track"), "use [[track]] tables"))
        return TalkTracks()
    tracks: list[TalkTrack] = []
    for index, table in enumerate(raw):

        def line(key: str, index: int = index) -> int:
            return doc.line_of(key, "track", index)

        track = _track(table, line, account_columns, doc.name, problems)
        if track is not None:
            tracks.append(track)
    return TalkTracks(tuple(tracks))


def _unknown_top(key: str) -> str:
    return f"unknown table or key {key!r} (talk tracks are [[track]] tables)"


def _track(
    table: dict[str, Any],
    line: Any,
    account_columns: set[str] | None,
    name: str,
    problems: list[Problem],
) -> TalkTrack | None:
    from monitor.config import Problem

    ok = True
    for key in table:
        if key not in _TRACK_KEYS:
            problems.append(
                Problem(
                    name,
                    line(key),
                    f"unknown key {key!r} in [[track]] (allowed: {', '.join(_TRACK_KEYS)})",
                )
            )
            ok = False
    etype = table.get("type")
    if not isinstance(etype, str) or etype not in EVENT_TYPES:
        where = line("type") if "type" in table else line("")
        problems.append(
            Problem(
                name,
                where,
                f"[[track]] type {etype!r} is not an event type (known: {', '.join(EVENT_TYPES)})"
                if etype is not None
                else f"[[track]] needs a type (one of {', '.join(EVENT_TYPES)})",
            )
        )
        ok = False
    text = table.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(Problem(name, line("text"), "[[track]] needs a non-empty text"))
        ok = False
    else:
        text = " ".join(text.split())
        if len(text) > MAX_TEXT_CHARS:
            problems.append(
                Problem(name, line("text"), f"text is longer than {MAX_TEXT_CHARS} characters")
            )
            ok = False
        for placeholder in _FIELD.findall(text):
            if placeholder.strip() not in PLACEHOLDERS:
                problems.append(
                    Problem(
                        name,
                        line("text"),
                        f"unknown placeholder {{{placeholder}}} "
                        f"(known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})",
                    )
                )
                ok = False
        stray = _FIELD.sub("", text)
        if "{" in stray or "}" in stray:
            problems.append(
                Problem(name, line("text"), "unbalanced { or } in text (placeholders: {company})")
            )
            ok = False
    when = _when(table.get("when", {}), line, account_columns, name, problems)
    if when is None or not ok:
        return None
    return TalkTrack(type=etype, text=text, when=when, line=line(""))


def _when(
    raw: Any, line: Any, account_columns: set[str] | None, name: str, problems: list[Problem]
) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    from monitor.config import Problem

    if not isinstance(raw, dict):
        problems.append(
            Problem(name, line("when"), 'when must be a table, e.g. when = { tier = "enterprise" }')
        )
        return None
    out: list[tuple[str, tuple[str, ...]]] = []
    for column, value in raw.items():
        if column in ("name", "aliases", "domains", "owner"):
            problems.append(
                Problem(
                    name,
                    line("when"),
                    f"when: {column!r} cannot select a track; use an extra accounts.csv column "
                    "such as tier or industry",
                )
            )
            return None
        if account_columns is not None and column not in account_columns:
            known = ", ".join(sorted(account_columns)) or "none"
            problems.append(
                Problem(
                    name,
                    line("when"),
                    f"when: accounts.csv has no column {column!r} (extra columns: {known})",
                )
            )
            return None
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            problems.append(
                Problem(name, line("when"), f"when: {column} must be a string or list of strings")
            )
            return None
        out.append((column, tuple(v.strip().casefold() for v in values)))
    return tuple(out)
