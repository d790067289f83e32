"""Reading sources: the safe fetcher, feed parsing and text cleaning.

- fetch.Fetcher        every URL goes through it (address guard, deadline, size cap)
- feeds.parse_feed     feed bytes -> ParsedFeed of clean FeedItems, never raises
- parse_pool.ParsePool parse_feed with a hard time/memory budget, from any thread
- text.clean_text      HTML or plain text -> readable text
Helpers: addresses (which IPs may be contacted), transport (connect to vetted IPs within the
deadline), decode (bounded gzip/deflate), politeness (per-host limits), records.
"""

from sources.feeds import parse_feed
from sources.fetch import Fetcher
from sources.parse_pool import ParsePool
from sources.records import FeedItem, FetchError, FetchResult, FetchSettings, ParsedFeed
from sources.text import clean_text

__all__ = [
    "FeedItem",
    "FetchError",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "ParsePool",
    "ParsedFeed",
    "clean_text",
    "parse_feed",
]
