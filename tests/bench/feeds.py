"""Feed bodies for the benchmark, built from the real-world feeds in /work/shared.

The 50 real feeds are parsed once (with the project's own parser) into a corpus of items;
each benchmark feed then serves a rotating window of those items under its own guid
prefix, so thousands of feeds carry real-world titles and text but never share an item
(a short tag before each text keeps them from looking like syndicated copies).
Item text is capped (like the summaries news, press-release and SEC feeds carry), because
a few real blogs ship 2 MB full-text feeds that would make 5,000 copies meaningless.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
REAL_WORLD = SHARED / "feeds" / "real-world"
ACCOUNTS = SHARED / "accounts"
CACHE = REPO / "state" / "bench-cache"

ITEMS_PER_FEED = 15
TEXT_CAP = 800
# Feed i publishes an item every SPACING[i % 4] and every fifth feed also says <ttl>; the
# poll section reads back the interval the daemon chose for each kind (adaptive intervals).
SPACING = (
    timedelta(minutes=2),
    timedelta(minutes=30),
    timedelta(hours=4),
    timedelta(days=3),
)
TTL_EVERY = 5
TTL_MINUTES = 120


@dataclass(frozen=True)
class CorpusItem:
    """One real-world entry, reduced to what a feed item carries."""

    title: str
    text: str
    url: str


def load_corpus(directory: Path = REAL_WORLD) -> list[CorpusItem]:
    """Every item of the real-world feeds; cached as JSON since parsing 13 MB takes ~10 s."""
    if not directory.is_dir():
        return []
    cache = CACHE / "corpus.json"
    files = sorted(p for p in directory.iterdir() if p.is_file())
    stamp = [p.name for p in files]
    if cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("files") == stamp:
            return [CorpusItem(**row) for row in data["items"]]
    from sources.feeds import parse_feed

    items: list[CorpusItem] = []
    for path in files:
        parsed = parse_feed(path.read_bytes(), source=path.name)
        for it in parsed.items:
            if it.title or it.text:
                items.append(CorpusItem(it.title or "", it.text or "", it.url or ""))
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text(
        json.dumps({"files": stamp, "items": [vars(i) for i in items]}), encoding="utf-8"
    )
    return items


class FeedFarm:
    """The state of N benchmark feeds: which items each serves now, and its ETag.

    Feed i starts with ITEMS_PER_FEED items; every `advance()` appends 1-3 new ones to each
    feed (the window keeps the newest ITEMS_PER_FEED) and changes its ETag. An item's bytes
    never change once published (its date included), as in a real feed.
    """

    def __init__(self, corpus: list[CorpusItem], feeds: int, nonce: str) -> None:
        self.corpus = corpus
        self.nonce = nonce
        self.count = [ITEMS_PER_FEED] * feeds  # items ever published by feed i
        self.round = 0
        self._bodies: dict[int, tuple[int, bytes]] = {}
        self._now = datetime.now(UTC)

    def advance(self) -> int:
        """One steady-state round: 1-3 new items per feed. Returns how many were added."""
        self.round += 1
        rng = random.Random(self.round)
        added = 0
        for i in range(len(self.count)):
            n = rng.randint(1, 3)
            self.count[i] += n
            added += n
        return added

    def etag(self, i: int) -> str:
        return f'"{self.nonce}-{i}-{self.count[i]}"'

    def body(self, i: int) -> bytes:
        cached = self._bodies.get(i)
        if cached and cached[0] == self.count[i]:
            return cached[1]
        data = self._render(i)
        self._bodies[i] = (self.count[i], data)
        return data

    def _render(self, i: int) -> bytes:
        total = self.count[i]
        entries = []
        for k in range(total - 1, max(-1, total - 1 - ITEMS_PER_FEED), -1):
            item = self.corpus[(i * 37 + k) % len(self.corpus)]
            guid = f"bench-{self.nonce}-{i}-{k}"
            # An item's date is fixed when it is published, as in a real feed; the first
            # window ends one spacing before the farm was built, later items follow on.
            when = format_datetime(self._now - SPACING[i % len(SPACING)] * (ITEMS_PER_FEED - k))
            entries.append(
                f'<item><guid isPermaLink="false">{guid}</guid>'
                f"<title>{escape(item.title)}</title>"
                f"<link>{escape(item.url or 'https://news.example.com/')}?b={guid}</link>"
                # The [i-k] tag makes every item distinct: without it the 5,000 feeds would
                # carry the corpus's ~750 texts over and over, and the daemon would take all
                # but the first of each for syndicated copies, which it does not extract.
                f"<description>[{i}-{k}] {escape(item.text[:TEXT_CAP])}</description>"
                f"<pubDate>{when}</pubDate></item>"
            )
        ttl = f"<ttl>{TTL_MINUTES}</ttl>" if i % TTL_EVERY == 0 else ""
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench feed {i}</title><link>https://news.example.com/{i}</link>"
            f"<description>benchmark feed</description>{ttl}{''.join(entries)}</channel></rss>"
        ).encode()
