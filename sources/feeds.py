"""Feed bytes -> ParsedFeed: clean items with stable ids, plus what was wrong with the document.

Safety notes, because feeds are hostile input:
- feedparser.parse() treats a str that looks like a URL, and any str/bytes that names an
  existing file, as something to open. We always hand it a BytesIO, so a body such as
  b"/etc/passwd" is parsed as text and never opened.
- Entity attacks: a DOCTYPE with an internal subset that declares entities is cut out before
  parsing (billion laughs, quadratic blowup). Behind that, feedparser keeps only entity
  declarations without references, expat >= 2.4 refuses excessive amplification, and
  Python's SAX reader never fetches external entities/DTDs (feature_external_ges is off).
- Cost: input past MAX_PARSE_BYTES is truncated (the loose parser keeps the items it can
  read) and feedparser's HTML sanitizer and relative-URI pass are off (we clean text with
  text.py ourselves), which makes parsing about 5x faster. For a hard wall-clock bound from
  any thread, run it through parse_pool.ParsePool.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from sources.edgar import with_filer
from sources.entries import Entry, split_entries, without
from sources.records import FeedItem, ParsedFeed
from sources.text import clean_text

MAX_PARSE_BYTES = 4 * 1024 * 1024
MAX_ID_CHARS = 500
MAX_PROBLEM_CHARS = 200

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SUBSET_END = re.compile(rb"\]\s*>")
_HTML = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def parse_feed(
    body: bytes,
    *,
    source: str,
    base_url: str | None = None,
    content_type: str | None = None,
    known: Collection[bytes] = (),
) -> ParsedFeed:
    """Parse RSS/Atom/RDF/JSON Feed bytes; never raises on bad input, reports `problem`.

    `known`: digests of entry elements (ParsedFeed.digests of earlier polls) whose items are
    stored already; those entries are cut out before feedparser runs (see entries.py) and
    listed in `skipped` instead of `items`.
    """
    if not body or not body.strip():
        return ParsedFeed(is_feed=False, problem="not a feed: empty document")
    notes: list[str] = []
    if len(body) > MAX_PARSE_BYTES:
        body = body[:MAX_PARSE_BYTES]
        notes.append(f"document truncated to {MAX_PARSE_BYTES} bytes for parsing")
    body, stripped = strip_entity_declarations(body)
    if stripped:
        notes.append("DOCTYPE with entity declarations removed")
    headers = {}
    if content_type:
        headers["content-type"] = content_type
    if base_url:
        headers["content-location"] = base_url
    entries = split_entries(body)
    drop = [e for e in entries if e.digest in known] if entries is not None and known else []
    result = _feedparser(without(body, drop), headers) if drop else None
    if result is not None and not (
        _aligned(result, entries, drop) and (result.get("version") or result.entries)
    ):
        drop, result = [], None  # the cut document reads differently: read it whole
    if result is None:
        result = _feedparser(body, headers)
    if not result.get("version") and not result.entries:
        return ParsedFeed(is_feed=False, problem=_not_a_feed(body, content_type, result))
    if result.get("bozo"):
        notes.insert(0, _describe(result.get("bozo_exception")))
    feed = result.get("feed", {})
    title = clean_text(feed.get("title")) or None
    read = [_item(entry, source=source, base_url=base_url) for entry in result.entries]
    items = with_filer([item for item in read if item is not None], title)
    digests: dict[bytes, datetime | None] = {}
    if entries is not None and _aligned(result, entries, drop):
        dropped = {e.digest for e in drop}
        kept = [e for e in entries if e.digest not in dropped]
        digests = {e.digest: i.published if i else None for e, i in zip(kept, read, strict=True)}
    return ParsedFeed(
        items=items,
        problem=_short("; ".join(notes)) if notes else None,
        is_feed=True,
        title=title,
        ttl_minutes=_ttl(feed.get("ttl")),
        digests=digests,
        skipped=[e.digest for e in drop],
    )


def _feedparser(body: bytes, headers: dict[str, str]) -> Any:
    return feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def _aligned(result: Any, entries: list[Entry] | None, drop: list[Entry]) -> bool:
    """Did feedparser read one entry per element that split_entries found (and not cut)?"""
    return entries is not None and len(result.entries) == len(entries) - len(drop)


def strip_entity_declarations(body: bytes) -> tuple[bytes, bool]:
    """Cut out a DOCTYPE internal subset that declares entities; (body, whether cut)."""
    start = _DOCTYPE.search(body)
    if start is None or _ENTITY.search(body, start.end()) is None:
        return body, False
    bracket = body.find(b"[", start.end())
    close = body.find(b">", start.end())
    if bracket == -1 or (close != -1 and close < bracket):
        return body, False  # external DTD only: never fetched, nothing declared inline
    end = _SUBSET_END.search(body, bracket)
    if end is None:
        return body[: start.start()], True
    return body[: start.start()] + body[end.end() :], True


def item_id(guid: str | None, link: str | None, title: str, summary: str) -> str:
    """Stable id: the guid as is, else the link, else a hash of the content.

    Hashes are prefixed "sha256:" and fed a kind tag, so a hashed long guid, a hashed link
    and a content hash can never equal each other or a short guid.
    """
    for kind, value in (("guid", guid), ("link", link)):
        value = (value or "").strip()
        if value:
            if len(value) <= MAX_ID_CHARS and not value.startswith("sha256:"):
                return value
            return _hash(kind, value)
    return _hash("content", f"{title}\x00{summary}")


def _hash(kind: str, value: str) -> str:
    return "sha256:" + hashlib.sha256(f"{kind}\x00{value}".encode()).hexdigest()


def _item(entry: Any, *, source: str, base_url: str | None) -> FeedItem | None:
    raw_title = entry.get("title") or ""
    summary = entry.get("summary") or ""
    content = entry.get("content") or []
    main = content[0].get("value") or "" if content else ""
    raw_text = main if len(main) > len(summary) else summary
    link = entry.get("link") or None
    url = _safe_url(link, base_url)
    title, text = clean_text(raw_title), clean_text(raw_text)
    if not (title or text or url):
        return None
    return FeedItem(
        id=item_id(entry.get("id"), link, raw_title, raw_text),
        title=title,
        text=text,
        url=url,
        published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
        source=source,
    )


def _safe_url(link: str | None, base_url: str | None) -> str | None:
    """Absolute http(s) URL or None: javascript:/data: links must not reach an email."""
    if not link:
        return None
    link = link.strip()
    absolute = urljoin(base_url, link) if base_url else link
    return absolute if urlsplit(absolute).scheme.lower() in ("http", "https") else None


def _when(parsed: time.struct_time | None) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _ttl(value: object) -> int | None:
    text = str(value or "").strip()
    if not text.isdigit():
        return None
    minutes = int(text)
    return minutes if 0 < minutes <= 7 * 24 * 60 else None


def _not_a_feed(body: bytes, content_type: str | None, result: Any) -> str:
    head = body[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML.search(head) or (content_type or "").lower().startswith("text/html"):
        match = _TITLE.search(head)
        title = clean_text(match.group(1).decode("utf-8", "replace"))[:80] if match else ""
        return f"not a feed: HTML page (<title>{title})" if title else "not a feed: HTML page"
    if head[:1] in (b"{", b"["):
        return "not a feed: JSON document"
    reason = _describe(result.get("bozo_exception")) if result.get("bozo") else "no feed elements"
    return _short(f"not a feed: {reason}")


def _describe(exc: object) -> str:
    if exc is None:
        return "malformed feed"
    message = str(exc).strip() or "no detail"
    return _short(f"{type(exc).__name__}: {message}")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_PROBLEM_CHARS else text[: MAX_PROBLEM_CHARS - 1] + "…"
