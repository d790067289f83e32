"""The one place configuration is read and validated.

Every problem becomes a `Problem(file, line, message)` so that `check-config` can list
them all as `file:line: message`, and `load_config` refuses a bad folder as a whole.
"""

from __future__ import annotations

import bisect
import csv
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from extractors.accounts import Account
from extractors.events import EVENT_TYPES
from extractors.rules import RulesError, TriggerRules, load_triggers
from monitor.talk_tracks import TalkTracks, load_talk_tracks
from sources.records import FetchSettings

CONFIG_ENV = "TRIGGER_MONITOR_CONFIG"
BUNDLED_CONFIG = Path(__file__).resolve().parent.parent / "config"
DELIVERY_MODES = ("instant", "daily", "weekly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ConfigError(Exception):
    """A configuration folder that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class MailSettings:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password_file: Path | None = None
    starttls: bool = False
    sender: str = "trigger-monitor@localhost"
    outbox_dir: Path = Path("outbox")
    default_recipient: str | None = None
    timeout_s: float = 30.0
    admin: str | None = None  # receives the daily source-health email; never reps

    def password(self) -> str | None:
        """Read on use so the secret never sits in a config object that may be logged."""
        if self.smtp_password_file is None:
            return None
        return self.smtp_password_file.read_text(encoding="utf-8").strip()


@dataclass(frozen=True)
class AlertSettings:
    max_age_days: int = 14
    digest_hour: int = 8
    poll_tick_s: float = 30.0
    send_tick_s: float = 15.0
    retry_base_s: float = 60.0
    retry_max_s: float = 6 * 3600.0
    dedupe_window_days: int = 7
    account_daily_cap: int = 3
    quiet_hours: tuple[int, int] | None = (20 * 60, 7 * 60)  # minutes after local midnight
    weekly_digest_day: int = 0  # Monday
    send_lease_s: float = 300.0


@dataclass(frozen=True)
class FeedbackSettings:
    """[feedback]: signed vote links in emails and the endpoint that records them.

    Links are on when `base_url` is set (it defaults to http://<listen>); `listen` also
    makes the daemon serve them. Several instances may share one database with only one of
    them listening: they all sign with the same secret.
    """

    listen: tuple[str, int] | None = None
    base_url: str | None = None
    secret_file: Path | None = None
    link_max_age_days: int = 90  # 0: links never expire

    @property
    def links(self) -> bool:
        return self.base_url is not None and self.secret_file is not None

    def secret(self) -> bytes:
        """Read on use, like the SMTP password, so the secret never sits in a config object."""
        if self.secret_file is None:
            raise RuntimeError("[feedback] secret_file is not set")
        return self.secret_file.read_text(encoding="utf-8").strip().encode("utf-8")


@dataclass(frozen=True)
class SourceConfig:
    name: str
    url: str
    interval_minutes: float | None = None  # None: adaptive (see monitor/intervals.py)
    enabled: bool = True
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rep:
    """A recipient and how they want alerts (reps.csv; empty cells take the defaults)."""

    email: str
    name: str
    delivery: str = "instant"  # instant | daily | weekly
    timezone: str = "UTC"
    event_types: frozenset[str] | None = None  # None: every type
    min_confidence: float = 0.0
    digest_hour: int | None = None  # None: [alerts] digest_hour
    quiet_hours: tuple[int, int] | str | None = "default"  # "default": [alerts] quiet_hours

    def wants(self, event_type: str, confidence: float) -> bool:
        if self.event_types is not None and event_type not in self.event_types:
            return False
        return confidence >= self.min_confidence


@dataclass(frozen=True)
class Config:
    directory: Path
    database_url: str
    mail: MailSettings
    fetch: FetchSettings
    alerts: AlertSettings
    nlp_model: str
    sources: tuple[SourceConfig, ...]
    accounts: tuple[Account, ...]
    reps: dict[str, Rep] = field(default_factory=dict)
    triggers: TriggerRules | None = None
    talk_tracks: TalkTracks = field(default_factory=TalkTracks)
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    # Processes that extract a big backlog (forked from the daemon); 0 = one per core.
    nlp_processes: int = 0


def resolve_config_dir(cli_value: str | None) -> Path:
    """--config wins, then $TRIGGER_MONITOR_CONFIG, then the bundled folder."""
    chosen = cli_value or os.environ.get(CONFIG_ENV) or str(BUNDLED_CONFIG)
    return Path(chosen).expanduser().resolve()


def state_dir() -> Path:
    """$STATE_DIRECTORY under systemd (first entry), else ./state."""
    env = os.environ.get("STATE_DIRECTORY")
    if env:
        return Path(env.split(":")[0])
    return Path.cwd() / "state"


def load_config(directory: Path) -> Config:
    """Read and validate a whole folder; raise ConfigError listing every problem."""
    problems: list[Problem] = []
    config = _read(directory, problems)
    if problems or config is None:
        raise ConfigError(problems or [Problem(str(directory), 0, "unreadable configuration")])
    return config


def check_config(directory: Path) -> list[Problem]:
    problems: list[Problem] = []
    _read(directory, problems)
    return problems


# --------------------------------------------------------------------------- reading


class _Toml:
    """A parsed TOML file plus enough of its text to point at the line of a key."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.name = str(path)
        self.data: dict[str, Any] = {}
        self.lines: list[str] = []
        self.ok = False
        self._header_index: dict[str, list[int]] | None = None
        self._all_headers: list[int] = []
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(Problem(self.name, 0, "file is missing"))
            return
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(self.name, 0, f"cannot read file: {exc}"))
            return
        self.lines = text.splitlines()
        try:
            self.data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+)", str(exc))
            line = int(match.group(1)) if match else 0
            problems.append(Problem(self.name, line, f"not valid TOML: {exc}"))
            return
        self.ok = True

    def line_of(self, key: str, table: str | None = None, index: int | None = None) -> int:
        """Best-effort line of `key` inside `[table]` (or the index-th `[[table]]`)."""
        start, end = 0, len(self.lines)
        if table is not None:
            headers = self._headers().get(table, [])
            if index is not None and index < len(headers):
                headers = headers[index:]
            if headers:
                start = headers[0]
                every = self._all_headers
                following = bisect.bisect_right(every, start)
                end = every[following] if following < len(every) else len(self.lines)
                if not key:
                    return start + 1
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, end):
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1 if table is not None else 0

    def _headers(self) -> dict[str, list[int]]:
        """Table name -> header line indexes, found once (a config may list 1000s of sources)."""
        if self._header_index is None:
            self._header_index = {}
            self._all_headers = []
            for i, raw in enumerate(self.lines):
                if _is_header(raw):
                    self._all_headers.append(i)
                    match = _HEADER.match(raw)
                    if match:
                        self._header_index.setdefault(match.group(1), []).append(i)
        return self._header_index


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]\s]+)\s*\]\]?\s*(#.*)?$")


def _is_header(raw: str) -> bool:
    return bool(re.match(r"^\s*\[", raw))


def _read(directory: Path, problems: list[Problem]) -> Config | None:
    if not directory.is_dir():
        problems.append(Problem(str(directory), 0, "configuration folder does not exist"))
        return None
    settings = _Toml(directory / "settings.toml", problems)
    sources_file = _Toml(directory / "sources.toml", problems)

    database_url = _database_url(settings, problems)
    mail = _mail(settings, directory, problems)
    fetch = _fetch(settings, problems)
    alerts = _alerts(settings, problems)
    feedback = _feedback(settings, directory, problems)
    nlp_model = _get(settings, "nlp", "model", str, "en_core_web_sm", problems)
    nlp_processes = _ranged(
        settings, "nlp", "processes", int, 0, problems, lambda v: 0 <= v <= 64, "0-64 (0 = auto)"
    )
    sources = _sources(sources_file, directory, problems)
    reps = _reps(directory / "reps.csv", problems)
    accounts = _accounts(directory / "accounts.csv", reps, problems)
    triggers = _triggers(directory / "triggers.toml", problems)
    columns = {key for account in accounts for key, _ in account.extra} if accounts else None
    talk_tracks = load_talk_tracks(directory, columns, problems)
    if mail.default_recipient is None:
        for account in accounts:
            if not account.owner:
                problems.append(
                    Problem(
                        str(directory / "accounts.csv"),
                        0,
                        f"account {account.name!r} has no owner and [mail] default_recipient "
                        "is not set: its alerts would have nobody to go to",
                    )
                )
                break
    return Config(
        directory=directory,
        database_url=database_url,
        mail=mail,
        fetch=fetch,
        alerts=alerts,
        nlp_model=nlp_model,
        nlp_processes=nlp_processes,
        sources=tuple(sources),
        accounts=tuple(accounts),
        reps=reps,
        triggers=triggers,
        talk_tracks=talk_tracks,
        feedback=feedback,
    )


def _get(
    doc: _Toml,
    table: str,
    key: str,
    kind: type | tuple[type, ...],
    default: Any,
    problems: list[Problem],
) -> Any:
    section = doc.data.get(table, {})
    if not isinstance(section, dict):
        problems.append(Problem(doc.name, doc.line_of("", table), f"[{table}] must be a table"))
        return default
    if key not in section:
        return default
    value = section[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int in Python; do not let `true` pass as a number or 1 as a flag.
    if isinstance(value, bool) != (bool in kinds) or not isinstance(value, kinds):
        wanted = " or ".join(k.__name__ for k in kinds)
        problems.append(
            Problem(
                doc.name,
                doc.line_of(key, table),
                f"[{table}] {key} must be {wanted}, got {type(value).__name__} {value!r}",
            )
        )
        return default
    return value


def _database_url(settings: _Toml, problems: list[Problem]) -> str:
    url = _get(settings, "database", "url", str, "", problems)
    if url:
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", url):
            problems.append(
                Problem(
                    settings.name,
                    settings.line_of("url", "database"),
                    "[database] url must start with sqlite:// or postgresql:// "
                    "(hint: postgresql+psycopg://user@host/db)",
                )
            )
            return ""
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{state_dir() / 'trigger-monitor.db'}"


def _mail(settings: _Toml, directory: Path, problems: list[Problem]) -> MailSettings:
    host = _get(settings, "mail", "smtp_host", str, "", problems) or None
    port = _ranged(
        settings, "mail", "smtp_port", int, 25, problems, lambda v: 0 < v < 65536, "1-65535"
    )
    user = _get(settings, "mail", "smtp_user", str, "", problems) or None
    pw_file_raw = _get(settings, "mail", "smtp_password_file", str, "", problems)
    pw_file = _relative(directory, pw_file_raw) if pw_file_raw else None
    if pw_file is not None and not pw_file.is_file():
        problems.append(
            Problem(
                settings.name,
                settings.line_of("smtp_password_file", "mail"),
                f"[mail] smtp_password_file {pw_file} does not exist",
            )
        )
    sender = _get(settings, "mail", "from", str, "trigger-monitor@localhost", problems)
    if not EMAIL_RE.match(sender):
        problems.append(
            Problem(
                settings.name,
                settings.line_of("from", "mail"),
                f"[mail] from {sender!r} is not an email address",
            )
        )
    outbox_raw = _get(settings, "mail", "outbox_dir", str, "", problems)
    outbox = _relative(directory, outbox_raw) if outbox_raw else state_dir() / "outbox"
    default_rcpt = _get(settings, "mail", "default_recipient", str, "", problems) or None
    if default_rcpt and not EMAIL_RE.match(default_rcpt):
        problems.append(
            Problem(
                settings.name,
                settings.line_of("default_recipient", "mail"),
                f"[mail] default_recipient {default_rcpt!r} is not an email address",
            )
        )
    admin = _get(settings, "mail", "admin", str, "", problems) or None
    if admin and not EMAIL_RE.match(admin):
        problems.append(
            Problem(
                settings.name,
                settings.line_of("admin", "mail"),
                f"[mail] admin {admin!r} is not an email address",
            )
        )
    return MailSettings(
        smtp_host=host,
        smtp_port=port,
        smtp_user=user,
        smtp_password_file=pw_file,
        starttls=_get(settings, "mail", "starttls", bool, False, problems),
        sender=sender,
        outbox_dir=outbox,
        default_recipient=default_rcpt,
        timeout_s=float(
            _ranged(settings, "mail", "timeout_s", NUMBER, 30.0, problems, _above0, "> 0")
        ),
        admin=admin,
    )


def _fetch(settings: _Toml, problems: list[Problem]) -> FetchSettings:
    d = FetchSettings()

    def ranged(key: str, kind: Any, check: Callable[[Any], bool], rule: str) -> Any:
        return _ranged(settings, "fetch", key, kind, getattr(d, key), problems, check, rule)

    low = float(ranged("min_interval_minutes", NUMBER, _above0, "> 0"))
    high = float(ranged("max_interval_minutes", NUMBER, lambda v: v >= low, f">= {low:g} (min)"))
    return FetchSettings(
        timeout_s=float(ranged("timeout_s", NUMBER, _above0, "> 0")),
        max_bytes=ranged("max_bytes", int, _above0, "> 0"),
        user_agent=_get(settings, "fetch", "user_agent", str, d.user_agent, problems),
        workers=ranged("workers", int, lambda v: 1 <= v <= 512, "1-512"),
        per_host_concurrency=ranged("per_host_concurrency", int, lambda v: 1 <= v <= 64, "1-64"),
        per_host_min_gap_s=float(
            ranged("per_host_min_gap_s", NUMBER, lambda v: 0 <= v <= 600, "0-600 seconds")
        ),
        min_interval_minutes=low,
        max_interval_minutes=high,
        allow_private_addresses=_get(
            settings, "fetch", "allow_private_addresses", bool, False, problems
        ),
    )


def _alerts(settings: _Toml, problems: list[Problem]) -> AlertSettings:
    d = AlertSettings()

    def ranged(key: str, kind: Any, check: Callable[[Any], bool], rule: str) -> Any:
        return _ranged(settings, "alerts", key, kind, getattr(d, key), problems, check, rule)

    def seconds(key: str) -> float:
        return float(ranged(key, NUMBER, _above0, "> 0"))

    return AlertSettings(
        max_age_days=ranged("max_age_days", int, lambda v: v >= 0, ">= 0 (0 = no limit)"),
        digest_hour=ranged("digest_hour", int, lambda v: 0 <= v <= 23, "0-23"),
        poll_tick_s=seconds("poll_tick_s"),
        send_tick_s=seconds("send_tick_s"),
        retry_base_s=seconds("retry_base_s"),
        retry_max_s=seconds("retry_max_s"),
        dedupe_window_days=ranged("dedupe_window_days", int, lambda v: v >= 1, ">= 1"),
        account_daily_cap=ranged("account_daily_cap", int, lambda v: v >= 1, ">= 1"),
        quiet_hours=_quiet_setting(settings, problems),
        weekly_digest_day=_weekday(settings, problems),
        send_lease_s=seconds("send_lease_s"),
    )


FEEDBACK_KEYS = ("listen", "base_url", "secret_file", "link_max_age_days")
MIN_SECRET_CHARS = 32
_NEW_SECRET_HINT = "create one with: trigger-monitor feedback --new-secret {path}"


def parse_listen(raw: str) -> tuple[str, int]:
    """'127.0.0.1:8088' -> ('127.0.0.1', 8088); '[::1]:8088' for IPv6; ValueError otherwise."""
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d{1,5})|([A-Za-z0-9.-]+):(\d{1,5})", raw.strip())
    if not match:
        raise ValueError(f'[feedback] listen {raw!r} must be host:port, e.g. "127.0.0.1:8088"')
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if not 0 < port < 65536:
        raise ValueError(f"[feedback] listen {raw!r}: port must be 1-65535")
    return host, port


def _feedback(settings: _Toml, directory: Path, problems: list[Problem]) -> FeedbackSettings:
    section = settings.data.get("feedback")
    if not isinstance(section, dict):
        if section is not None:
            problems.append(
                Problem(settings.name, settings.line_of("feedback"), "[feedback] must be a table")
            )
        return FeedbackSettings()
    for key in section:
        if key not in FEEDBACK_KEYS:
            problems.append(
                Problem(
                    settings.name,
                    settings.line_of(key, "feedback"),
                    f"unknown key {key!r} in [feedback] (allowed: {', '.join(FEEDBACK_KEYS)})",
                )
            )
    listen: tuple[str, int] | None = None
    raw_listen = _get(settings, "feedback", "listen", str, "", problems).strip()
    if raw_listen:
        try:
            listen = parse_listen(raw_listen)
        except ValueError as exc:
            problems.append(
                Problem(settings.name, settings.line_of("listen", "feedback"), str(exc))
            )
    base_url = _get(settings, "feedback", "base_url", str, "", problems).strip().rstrip("/")
    if base_url and not re.match(r"^https?://[^/\s?#]+(/[^\s?#]*)?$", base_url):
        problems.append(
            Problem(
                settings.name,
                settings.line_of("base_url", "feedback"),
                f"[feedback] base_url {base_url!r} must be an http(s) URL without query, "
                "e.g. https://monitor.example.com",
            )
        )
        base_url = ""
    if not base_url and listen is not None:
        host, port = listen
        if host in ("0.0.0.0", "::"):
            problems.append(
                Problem(
                    settings.name,
                    settings.line_of("listen", "feedback"),
                    f"[feedback] listen {raw_listen!r} is every address, so links need a "
                    "base_url: the address reps' browsers reach, e.g. https://monitor.example.com",
                )
            )
        base_url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    max_age = _ranged(
        settings,
        "feedback",
        "link_max_age_days",
        int,
        90,
        problems,
        lambda v: v >= 0,
        ">= 0 (0 = links never expire)",
    )
    raw_secret = _get(settings, "feedback", "secret_file", str, "", problems).strip()
    secret_file = _relative(directory, raw_secret) if raw_secret else None
    line = settings.line_of("secret_file" if raw_secret else "", "feedback")
    if secret_file is None and base_url:
        problems.append(
            Problem(
                settings.name,
                line,
                "[feedback] needs secret_file to sign its links; "
                + _NEW_SECRET_HINT.format(path=directory / "feedback-secret"),
            )
        )
    elif secret_file is not None:
        problem = _secret_problem(secret_file)
        if problem:
            problems.append(Problem(settings.name, line, problem))
    return FeedbackSettings(
        listen=listen,
        base_url=base_url or None,
        secret_file=secret_file,
        link_max_age_days=max_age,
    )


def _secret_problem(path: Path) -> str | None:
    """Why a signing secret file cannot be used, with how to fix it; None when it is fine."""
    hint = _NEW_SECRET_HINT.format(path=path)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return f"[feedback] secret_file {path} does not exist; {hint}"
    except (OSError, UnicodeDecodeError) as exc:
        return f"[feedback] secret_file {path} cannot be read: {exc}"
    if mode & 0o004:
        # Anyone on the machine could sign votes in any rep's name.
        return f"[feedback] secret_file {path} is readable by every user; run: chmod 600 {path}"
    if len(text) < MIN_SECRET_CHARS:
        what = "is empty" if not text else f"holds only {len(text)} characters"
        return f"[feedback] secret_file {path} {what} (at least {MIN_SECRET_CHARS}); {hint}"
    return None


NUMBER = (int, float)


def _above0(value: float) -> bool:
    return value > 0


def _ranged(
    doc: _Toml,
    table: str,
    key: str,
    kind: type | tuple[type, ...],
    default: Any,
    problems: list[Problem],
    check: Callable[[Any], bool],
    rule: str,
) -> Any:
    """A number from [table] key that passes `check`; else a file:line problem saying it
    must be `rule`, and the default."""
    value = _get(doc, table, key, kind, default, problems)
    if value is default or check(value):
        return value
    problems.append(Problem(doc.name, doc.line_of(key, table), f"[{table}] {key} must be {rule}"))
    return default


def parse_quiet_hours(raw: str) -> tuple[int, int] | None:
    """'20:00-07:00' -> minutes (1200, 420); 'none' or '' -> None; ValueError otherwise."""
    text = raw.strip().lower()
    if text in ("", "none", "off"):
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", text)
    if not match:
        raise ValueError(f"quiet hours {raw!r} must look like 20:00-07:00 (or none)")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(f"quiet hours {raw!r}: hours 0-23, minutes 0-59")
    return (h1 * 60 + m1, h2 * 60 + m2)


def _quiet_setting(settings: _Toml, problems: list[Problem]) -> tuple[int, int] | None:
    raw = _get(settings, "alerts", "quiet_hours", str, "20:00-07:00", problems)
    try:
        return parse_quiet_hours(raw)
    except ValueError as exc:
        problems.append(Problem(settings.name, settings.line_of("quiet_hours", "alerts"), str(exc)))
        return (20 * 60, 7 * 60)


def _weekday(settings: _Toml, problems: list[Problem]) -> int:
    raw = _get(settings, "alerts", "weekly_digest_day", str, "monday", problems).lower()
    if raw not in WEEKDAYS:
        problems.append(
            Problem(
                settings.name,
                settings.line_of("weekly_digest_day", "alerts"),
                f"[alerts] weekly_digest_day must be one of {', '.join(WEEKDAYS)}",
            )
        )
        return 0
    return WEEKDAYS.index(raw)


def _relative(directory: Path, raw: str) -> Path:
    path = Path(os.path.expandvars(raw)).expanduser()
    return path if path.is_absolute() else (directory / path).resolve()


def _sources(doc: _Toml, directory: Path, problems: list[Problem]) -> list[SourceConfig]:
    if not doc.ok:
        return []
    raw = doc.data.get("source", [])
    if not isinstance(raw, list):
        problems.append(Problem(doc.name, doc.line_of("source"), "use [[source]] tables"))
        return []
    out: list[SourceConfig] = []
    seen: dict[str, int] = {}
    allowed = {"name", "url", "interval_minutes", "enabled", "tags"}
    for index, table in enumerate(raw):
        header = doc.line_of("", "source", index)

        def line(key: str, index: int = index) -> int:
            return doc.line_of(key, "source", index)

        for key in table:
            if key not in allowed:
                problems.append(
                    Problem(
                        doc.name,
                        line(key),
                        f"unknown key {key!r} in [[source]] "
                        f"(allowed: {', '.join(sorted(allowed))})",
                    )
                )
        name = table.get("name")
        url = table.get("url")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(doc.name, header, "[[source]] needs a non-empty name"))
            continue
        if name in seen:
            problems.append(
                Problem(
                    doc.name,
                    line("name"),
                    f"source name {name!r} is used twice (first at line {seen[name]})",
                )
            )
            continue
        seen[name] = line("name")
        if not isinstance(url, str) or not url.strip():
            problems.append(Problem(doc.name, header, f"source {name!r} needs a url"))
            continue
        url = url.strip()
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", url):
            if not re.match(r"^(https?|file)://", url):
                problems.append(
                    Problem(
                        doc.name,
                        line("url"),
                        f"source {name!r}: url must be http(s):// or a local file path",
                    )
                )
                continue
        else:
            local = _relative(directory, url)
            if not local.is_file():
                problems.append(
                    Problem(
                        doc.name, line("url"), f"source {name!r}: local file {local} does not exist"
                    )
                )
                continue
            url = str(local)
        interval = table.get("interval_minutes")
        if interval is not None and (
            isinstance(interval, bool) or not isinstance(interval, int | float) or interval <= 0
        ):
            problems.append(
                Problem(
                    doc.name,
                    line("interval_minutes"),
                    f"source {name!r}: interval_minutes must be a number > 0",
                )
            )
            continue
        enabled = table.get("enabled", True)
        if not isinstance(enabled, bool):
            problems.append(
                Problem(
                    doc.name, line("enabled"), f"source {name!r}: enabled must be true or false"
                )
            )
            continue
        tags = table.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            problems.append(
                Problem(doc.name, line("tags"), f"source {name!r}: tags must be a list of strings")
            )
            continue
        out.append(SourceConfig(name.strip(), url, interval, enabled, tuple(tags)))
    return out


def _read_csv(
    path: Path, required: tuple[str, ...], problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    """Rows with their 1-based line numbers (the header is line 1)."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        problems.append(Problem(str(path), 0, "file is missing"))
        return []
    except OSError as exc:
        problems.append(Problem(str(path), 0, f"cannot read file: {exc}"))
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                problems.append(
                    Problem(
                        str(path),
                        1,
                        f"missing column(s) {', '.join(missing)} "
                        f"(header must include {','.join(required)})",
                    )
                )
                return []
            reader.fieldnames = header
            for record in reader:
                if None in record:
                    problems.append(
                        Problem(
                            str(path),
                            reader.line_num,
                            "row has more fields than the header "
                            "(quote values that contain commas)",
                        )
                    )
                    continue
                rows.append((reader.line_num, {k: (v or "").strip() for k, v in record.items()}))
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(
                Problem(str(path), getattr(reader, "line_num", 0), f"not valid UTF-8 CSV: {exc}")
            )
    return rows


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _reps(path: Path, problems: list[Problem]) -> dict[str, Rep]:
    reps: dict[str, Rep] = {}
    for line, row in _read_csv(path, ("email", "name", "delivery"), problems):
        email = row["email"].lower()
        if not EMAIL_RE.match(email):
            problems.append(
                Problem(str(path), line, f"email {row['email']!r} is not an email address")
            )
            continue
        if email in reps:
            problems.append(Problem(str(path), line, f"rep {email} is listed twice"))
            continue
        delivery = row["delivery"].lower() or "instant"
        if delivery not in DELIVERY_MODES:
            problems.append(
                Problem(
                    str(path),
                    line,
                    f"delivery {row['delivery']!r} must be one of {', '.join(DELIVERY_MODES)}",
                )
            )
            continue
        tz = row.get("timezone") or "UTC"
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                Problem(
                    str(path),
                    line,
                    f"timezone {tz!r} is not an IANA time zone (e.g. Europe/Berlin)",
                )
            )
            continue
        options = _rep_options(row, str(path), line, problems)
        if options is None:
            continue
        reps[email] = Rep(email=email, name=row["name"], delivery=delivery, timezone=tz, **options)
    return reps


def _rep_options(
    row: dict[str, str], name: str, line: int, problems: list[Problem]
) -> dict[str, Any] | None:
    """The optional reps.csv columns: event_types, min_confidence, digest_hour, quiet_hours."""
    options: dict[str, Any] = {}
    types = _split(row.get("event_types", "") or "")
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        problems.append(
            Problem(
                name,
                line,
                f"event_types: unknown type {unknown[0]!r} (known: {', '.join(EVENT_TYPES)})",
            )
        )
        return None
    if types:
        options["event_types"] = frozenset(types)
    raw = row.get("min_confidence", "") or ""
    if raw:
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not 0.0 <= value <= 1.0:
            problems.append(
                Problem(name, line, f"min_confidence {raw!r} must be a number from 0 to 1")
            )
            return None
        options["min_confidence"] = value
    raw = row.get("digest_hour", "") or ""
    if raw:
        if not raw.isdigit() or int(raw) > 23:
            problems.append(Problem(name, line, f"digest_hour {raw!r} must be a whole hour 0-23"))
            return None
        options["digest_hour"] = int(raw)
    raw = row.get("quiet_hours", "") or ""
    if raw:
        try:
            options["quiet_hours"] = parse_quiet_hours(raw)
        except ValueError as exc:
            problems.append(Problem(name, line, str(exc)))
            return None
    return options


def _accounts(path: Path, reps: dict[str, Rep], problems: list[Problem]) -> list[Account]:
    accounts: list[Account] = []
    seen: dict[str, int] = {}
    for line, row in _read_csv(path, ("name", "aliases", "domains", "owner"), problems):
        name = row["name"]
        if not name:
            problems.append(Problem(str(path), line, "account name is empty"))
            continue
        key = name.casefold()
        if key in seen:
            problems.append(
                Problem(
                    str(path), line, f"account {name!r} is listed twice (first at line {seen[key]})"
                )
            )
            continue
        seen[key] = line
        owner = row["owner"].lower() or None
        if owner and owner not in reps:
            problems.append(
                Problem(str(path), line, f"owner {owner!r} of {name!r} is not in reps.csv")
            )
            continue
        domains = tuple(d.lower().removeprefix("www.") for d in _split(row["domains"]))
        bad = [d for d in domains if not re.match(r"^[a-z0-9.-]+\.[a-z]{2,}$", d)]
        if bad:
            problems.append(
                Problem(
                    str(path),
                    line,
                    f"domain {bad[0]!r} of {name!r} is not a host name like example.com",
                )
            )
            continue
        extra = tuple(
            (k, v) for k, v in row.items() if k not in ("name", "aliases", "domains", "owner")
        )
        accounts.append(
            Account(
                name=name, aliases=_split(row["aliases"]), domains=domains, owner=owner, extra=extra
            )
        )
    return accounts


def _triggers(path: Path, problems: list[Problem]) -> TriggerRules | None:
    try:
        return load_triggers(path)
    except FileNotFoundError:
        problems.append(Problem(str(path), 0, "file is missing"))
    except RulesError as exc:
        problems.append(Problem(str(path), exc.line, str(exc)))
    return None
