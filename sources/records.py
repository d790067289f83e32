"""Records that leave the sources package: what was fetched and what a feed said."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FetchSettings:
    """The [fetch] section of settings.toml."""

    timeout_s: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = "trigger-monitor/0.1 (+https://example.invalid/trigger-monitor)"
    allow_private_addresses: bool = False
    max_redirects: int = 5
    workers: int = 32  # sources fetched at once; I/O-bound, so many more than the cores
    per_host_concurrency: int = 2  # politeness: requests in flight to one host
    per_host_min_gap_s: float = 0.0  # politeness: pause between request starts to one host
    # Bounds of an adaptive source's interval (the scheduler reads them, the fetcher not).
    min_interval_minutes: float = 5.0
    max_interval_minutes: float = 360.0


@dataclass(frozen=True)
class FetchResult:
    """One answer from the safe fetcher. `body` is None when the server said 304."""

    url: str  # the URL finally read, after redirects
    status: int
    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    permanent_redirect: str | None = None  # new URL when a 301/308 moved the source
    max_age_s: float | None = None  # Cache-Control max-age: the server's "not before"

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A source could not be read. `kind` is a short class for logs and source health.

    `retry_after_s` is set for kind "rate_limited" when the server sent Retry-After.
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class FeedItem:
    """One feed entry, as clean text. `id` is stable across polls (guid, link or hash)."""

    id: str
    title: str
    text: str
    url: str | None = None
    published: datetime | None = None  # timezone-aware UTC when the feed said
    source: str = ""


@dataclass
class ParsedFeed:
    """Items that could be read plus what was wrong with the document, if anything."""

    items: list[FeedItem] = field(default_factory=list)
    problem: str | None = None  # feedparser's bozo message, or why this is not a feed
    is_feed: bool = True
    title: str | None = None
    ttl_minutes: int | None = None
    # Entry elements read this time, by digest of their raw bytes (see sources/entries.py),
    # with each one's date; empty when the document could not be split. A caller that has
    # stored these items passes the digests back as `known` next time.
    digests: dict[bytes, datetime | None] = field(default_factory=dict)
    skipped: list[bytes] = field(default_factory=list)  # known entries cut out, not parsed
